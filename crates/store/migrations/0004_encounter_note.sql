-- The encounter's documentation as the coder reads it on the coding screen (the visit note or
-- the discharge summary; synthetic in the demo). Plain text.
ALTER TABLE encounter ADD COLUMN note TEXT NOT NULL DEFAULT '';
