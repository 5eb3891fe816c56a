-- The web app at a million claims: a patient's claims by index, and each batch's practices
-- without reading its claims (a batch can hold 100,000).
CREATE INDEX claim_patient ON claim (patient_id, id);
CREATE TABLE batch_practice (
  batch_id BIGINT NOT NULL REFERENCES batch(id),
  practice_id BIGINT NOT NULL,
  PRIMARY KEY (batch_id, practice_id)
);
CREATE INDEX batch_practice_practice ON batch_practice (practice_id, batch_id);
INSERT INTO batch_practice (batch_id, practice_id)
  SELECT DISTINCT bc.batch_id, c.practice_id FROM batch_claim bc JOIN claim c ON c.id = bc.claim_id;
-- A denial's practice and payer (the claim's), so that the work queue is counted and grouped
-- without joining a million claims.
ALTER TABLE denial ADD COLUMN practice_id BIGINT;
ALTER TABLE denial ADD COLUMN payer_id BIGINT;
UPDATE denial SET practice_id = (SELECT c.practice_id FROM claim c WHERE c.id = denial.claim_id),
  payer_id = (SELECT c.payer_id FROM claim c WHERE c.id = denial.claim_id);
CREATE INDEX denial_open ON denial (status, practice_id, deadline);
