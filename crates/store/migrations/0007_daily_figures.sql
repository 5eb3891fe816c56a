-- Daily figures kept with the writes that change them, so that the dashboards read a few
-- thousand rows instead of millions of journal entries and claims.
-- The journal's sums by posting date, practice, kind and group code (charges, payments,
-- contractual adjustments per day; A/R on any day is the sum up to it).
CREATE TABLE journal_kind_day (
  posting_date TEXT NOT NULL,
  practice_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  grp TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  PRIMARY KEY (practice_id, posting_date, kind, grp)
);
-- Claims per day and practice: first submitted that day (`submitted`) and, of those, rejected
-- since (`rejected`, counted on the submission day: the first-pass acceptance rate); first
-- adjudicated (`adjudicated`, by the 835's payment date) and first denied (`denied`, by the
-- date the denial was received: the denial rate).
CREATE TABLE claim_day (
  practice_id BIGINT NOT NULL,
  day TEXT NOT NULL,
  submitted BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  adjudicated BIGINT NOT NULL DEFAULT 0,
  denied BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (practice_id, day)
);
CREATE INDEX journal_kind_day_date ON journal_kind_day (posting_date);
CREATE INDEX claim_day_day ON claim_day (day);
-- The denials received in a period (the dashboards' denial reasons).
CREATE INDEX denial_received ON denial (received, practice_id);
CREATE INDEX denial_claim ON denial (claim_id);
