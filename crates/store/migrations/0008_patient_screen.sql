-- The patient screen: a patient's encounters and the statements sent to a guarantor by index.
CREATE INDEX encounter_patient ON encounter (patient_id, service_date);
CREATE INDEX statement_guarantor ON statement (guarantor_id, statement_date);
-- The denial queue lists the nearest deadlines of a practice by reading its index in order.
DROP INDEX denial_open;
CREATE INDEX denial_queue ON denial (status, practice_id, deadline, id);
