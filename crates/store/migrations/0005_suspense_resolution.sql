-- How a suspense entry was resolved, and by whom (the web app's suspense queue).
ALTER TABLE suspense ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE suspense ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
CREATE INDEX suspense_open ON suspense (org_id, resolved_at);
