-- A claim's JSON body (1–3 kB) in a table of its own: scrubbing, submission, acknowledgments
-- and posting each rewrite the claim's row (an UPDATE writes the whole row, and on PostgreSQL
-- all of it to the WAL), so the row they rewrite stays narrow. Written once with the claim (and
-- again only when a biller edits the claim); no foreign key, like the claim's other copies: it
-- is written in the claim's own transaction.
CREATE TABLE claim_body (
  claim_id BIGINT PRIMARY KEY,
  body TEXT NOT NULL
);
INSERT INTO claim_body (claim_id, body) SELECT id, body FROM claim;
ALTER TABLE claim DROP COLUMN body;
