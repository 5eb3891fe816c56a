-- What changes in a claim's life (its state, when it entered it, its first submission, the
-- payer's claim number) moves out of the claim's row into a narrow row of its own, and the
-- scrubber's findings into a third table. Scrubbing, submission, acknowledgments, posting and
-- closing each rewrite every claim they touch: a write of the 700-byte claim row added an entry
-- to each of its five indexes (the state is indexed, so PostgreSQL could not update in place);
-- a write of the status row adds two. The claim row is now written once, when the claim is
-- built (and again only when a biller edits it).
--
-- `claim` stays the name readers use: a view joining the three, with the same columns as the
-- table had. Writers name the tables (`claim_row`, `claim_status`, `claim_findings`); a write
-- to the view fails, so none is missed. Foreign keys to `claim(id)` follow the rename to
-- `claim_row` (PostgreSQL keeps them by OID; SQLite rewrites them since 3.26).
ALTER TABLE claim RENAME TO claim_row;
CREATE TABLE claim_status (
  claim_id BIGINT PRIMARY KEY,
  state TEXT NOT NULL,
  state_at TEXT NOT NULL,
  submitted_at TEXT, -- the business date of the first submission (reports count by it)
  payer_claim_number TEXT NOT NULL DEFAULT ''
);
-- Queues by state, and claims in their state since before a date (no answer after N days).
CREATE INDEX claim_status_state ON claim_status (state, state_at);
-- A claim's findings from its last scrub; none (no row) until it is scrubbed, and again once it
-- is edited.
CREATE TABLE claim_findings (
  claim_id BIGINT PRIMARY KEY,
  findings TEXT NOT NULL
);
INSERT INTO claim_status (claim_id, state, state_at, submitted_at, payer_claim_number)
  SELECT id, state, state_at, submitted_at, payer_claim_number FROM claim_row;
INSERT INTO claim_findings (claim_id, findings)
  SELECT id, findings FROM claim_row WHERE findings <> '[]';
-- The state index of the claim table also found a practice's claims in a state; a practice's
-- claims newest first now come from this one (a practice of 50 claims among a million is found
-- without reading the others).
DROP INDEX claim_state;
CREATE INDEX claim_practice ON claim_row (practice_id, id);
ALTER TABLE claim_row DROP COLUMN state;
ALTER TABLE claim_row DROP COLUMN state_at;
ALTER TABLE claim_row DROP COLUMN submitted_at;
ALTER TABLE claim_row DROP COLUMN payer_claim_number;
ALTER TABLE claim_row DROP COLUMN findings;
-- Outer joins, so that a reader that needs none of the moving columns reads the claim row alone
-- (both databases drop a left join to a table they look up by its key when nothing of it is
-- used); a reader that filters on the state drives from the status table's index.
CREATE VIEW claim AS
SELECT r.id, r.org_id, r.practice_id, r.patient_id, r.encounter_id, r.coverage_id, r.payer_id,
  r.rank, r.account_id, r.kind, r.pcn, r.frequency, r.replaces_id, s.payer_claim_number, s.state,
  r.total_cents, r.service_from, r.service_to, r.drg, COALESCE(f.findings, '[]') AS findings,
  s.submitted_at, s.state_at, r.created_at
FROM claim_row r
LEFT JOIN claim_status s ON s.claim_id = r.id
LEFT JOIN claim_findings f ON f.claim_id = r.id;
