-- superbill back office, schema 1. Portable SQL for SQLite and PostgreSQL: `{id}` becomes the
-- backend's auto-numbered primary key. Money is BIGINT cents; dates are TEXT 'YYYY-MM-DD';
-- times are TEXT RFC 3339 in UTC. Booleans are BIGINT 0/1.

CREATE TABLE organization (
  id {id},
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('billing_service', 'practice')),
  created_at TEXT NOT NULL
);

CREATE TABLE practice (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  name TEXT NOT NULL,
  npi TEXT NOT NULL,
  tax_id TEXT NOT NULL,
  taxonomy TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  zip TEXT NOT NULL DEFAULT '',
  claim_prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (org_id, claim_prefix),
  UNIQUE (org_id, name)
);

CREATE TABLE app_user (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

CREATE TABLE user_role (
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'coder', 'biller', 'auditor')),
  PRIMARY KEY (user_id, practice_id, role)
);

CREATE TABLE provider (
  id {id},
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  npi TEXT NOT NULL,
  last_name TEXT NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  taxonomy TEXT NOT NULL DEFAULT '',
  roles TEXT NOT NULL DEFAULT 'rendering',
  UNIQUE (practice_id, npi)
);

CREATE TABLE location (
  id {id},
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  name TEXT NOT NULL,
  place_of_service TEXT NOT NULL,
  npi TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  zip TEXT NOT NULL DEFAULT ''
);

CREATE TABLE trading_partner (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  name TEXT NOT NULL,
  isa_sender_qualifier TEXT NOT NULL DEFAULT 'ZZ',
  isa_sender_id TEXT NOT NULL,
  isa_receiver_qualifier TEXT NOT NULL DEFAULT 'ZZ',
  isa_receiver_id TEXT NOT NULL,
  gs_sender TEXT NOT NULL,
  gs_receiver TEXT NOT NULL,
  submitter_name TEXT NOT NULL,
  submitter_id TEXT NOT NULL,
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  receiver_name TEXT NOT NULL,
  receiver_id TEXT NOT NULL,
  usage_indicator TEXT NOT NULL DEFAULT 'P' CHECK (usage_indicator IN ('P', 'T')),
  UNIQUE (org_id, name)
);

CREATE TABLE payer (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  name TEXT NOT NULL,
  payer_code TEXT NOT NULL,
  filing_indicator TEXT NOT NULL DEFAULT 'CI',
  timely_filing_days BIGINT NOT NULL DEFAULT 365,
  appeal_days BIGINT NOT NULL DEFAULT 120,
  trading_partner_id BIGINT REFERENCES trading_partner(id),
  UNIQUE (org_id, payer_code)
);

CREATE TABLE patient (
  id {id},
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  account TEXT NOT NULL,
  last_name TEXT NOT NULL,
  first_name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F', 'U')),
  address TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  zip TEXT NOT NULL DEFAULT '',
  guarantor_id BIGINT REFERENCES patient(id),
  created_at TEXT NOT NULL,
  UNIQUE (practice_id, account)
);

CREATE TABLE coverage (
  id {id},
  patient_id BIGINT NOT NULL REFERENCES patient(id),
  payer_id BIGINT NOT NULL REFERENCES payer(id),
  rank BIGINT NOT NULL CHECK (rank BETWEEN 1 AND 3),
  member_id TEXT NOT NULL,
  group_number TEXT NOT NULL DEFAULT '',
  relationship TEXT NOT NULL DEFAULT '18',
  subscriber_last TEXT NOT NULL DEFAULT '',
  subscriber_first TEXT NOT NULL DEFAULT '',
  subscriber_birth_date TEXT NOT NULL DEFAULT '',
  subscriber_sex TEXT NOT NULL DEFAULT 'U',
  msp_type TEXT NOT NULL DEFAULT '',
  effective_from TEXT NOT NULL,
  effective_to TEXT NOT NULL DEFAULT '9999-12-31'
);
CREATE INDEX coverage_patient ON coverage (patient_id, rank);

CREATE TABLE fee_schedule (
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  code TEXT NOT NULL,
  modifier TEXT NOT NULL DEFAULT '',
  charge_cents BIGINT NOT NULL CHECK (charge_cents >= 0),
  PRIMARY KEY (practice_id, code, modifier)
);

CREATE TABLE charge_master (
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  revenue_code TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  charge_cents BIGINT NOT NULL CHECK (charge_cents >= 0),
  PRIMARY KEY (practice_id, revenue_code, code)
);

CREATE TABLE encounter (
  id {id},
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  patient_id BIGINT NOT NULL REFERENCES patient(id),
  kind TEXT NOT NULL CHECK (kind IN ('professional', 'inpatient', 'outpatient')),
  service_date TEXT NOT NULL,
  admission_date TEXT,
  discharge_date TEXT,
  discharge_status TEXT NOT NULL DEFAULT '',
  type_of_bill TEXT NOT NULL DEFAULT '',
  rendering_id BIGINT REFERENCES provider(id),
  operating_id BIGINT REFERENCES provider(id),
  referring_id BIGINT REFERENCES provider(id),
  location_id BIGINT REFERENCES location(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'coded', 'billed')),
  created_at TEXT NOT NULL
);
CREATE INDEX encounter_status ON encounter (status, practice_id);

CREATE TABLE encounter_diagnosis (
  encounter_id BIGINT NOT NULL REFERENCES encounter(id),
  seq BIGINT NOT NULL,
  code TEXT NOT NULL,
  poa TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (encounter_id, seq)
);

CREATE TABLE encounter_procedure (
  encounter_id BIGINT NOT NULL REFERENCES encounter(id),
  seq BIGINT NOT NULL,
  code TEXT NOT NULL,
  performed TEXT,
  PRIMARY KEY (encounter_id, seq)
);

CREATE TABLE charge (
  id {id},
  encounter_id BIGINT NOT NULL REFERENCES encounter(id),
  seq BIGINT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  modifiers TEXT NOT NULL DEFAULT '',
  revenue_code TEXT NOT NULL DEFAULT '',
  units BIGINT NOT NULL DEFAULT 1000,
  charge_cents BIGINT NOT NULL CHECK (charge_cents >= 0),
  service_date TEXT NOT NULL,
  pointers TEXT NOT NULL DEFAULT '',
  UNIQUE (encounter_id, seq)
);

CREATE TABLE counter (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

CREATE TABLE claim (
  id {id},
  -- org_id, practice_id and patient_id copy the encounter's, payer_id the coverage's: only
  -- encounter_id and coverage_id are checked as foreign keys (a per-row check of each copy
  -- costs PostgreSQL more than writing the claim).
  org_id BIGINT NOT NULL,
  practice_id BIGINT NOT NULL,
  patient_id BIGINT NOT NULL,
  encounter_id BIGINT NOT NULL REFERENCES encounter(id),
  coverage_id BIGINT NOT NULL REFERENCES coverage(id),
  payer_id BIGINT NOT NULL,
  rank BIGINT NOT NULL,
  account_id BIGINT,
  kind TEXT NOT NULL CHECK (kind IN ('professional', 'institutional')),
  pcn TEXT NOT NULL,
  frequency TEXT NOT NULL DEFAULT '1',
  replaces_id BIGINT REFERENCES claim(id),
  payer_claim_number TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  total_cents BIGINT NOT NULL,
  service_from TEXT NOT NULL,
  service_to TEXT NOT NULL,
  drg TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  findings TEXT NOT NULL DEFAULT '[]',
  submitted_at TEXT, -- the business date of the first submission (reports count by it)
  state_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (org_id, pcn)
);
CREATE INDEX claim_state ON claim (state, practice_id);
CREATE INDEX claim_account ON claim (account_id);
CREATE INDEX claim_payer_number ON claim (payer_claim_number);

CREATE TABLE claim_line (
  claim_id BIGINT NOT NULL REFERENCES claim(id),
  line_no BIGINT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  modifiers TEXT NOT NULL DEFAULT '',
  revenue_code TEXT NOT NULL DEFAULT '',
  units BIGINT NOT NULL,
  charge_cents BIGINT NOT NULL,
  service_date TEXT NOT NULL,
  PRIMARY KEY (claim_id, line_no)
);

CREATE TABLE claim_event (
  id {id},
  claim_id BIGINT NOT NULL REFERENCES claim(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX claim_event_claim ON claim_event (claim_id);

CREATE TABLE batch (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  trading_partner_id BIGINT NOT NULL REFERENCES trading_partner(id),
  interchange_control BIGINT NOT NULL,
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  claim_count BIGINT NOT NULL,
  total_cents BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'accepted', 'rejected', 'void')),
  created_at TEXT NOT NULL,
  UNIQUE (trading_partner_id, interchange_control)
);

CREATE TABLE batch_claim (
  batch_id BIGINT NOT NULL REFERENCES batch(id),
  claim_id BIGINT NOT NULL REFERENCES claim(id),
  set_control TEXT NOT NULL,
  group_control BIGINT NOT NULL,
  live BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (batch_id, claim_id)
);
-- Never the same claim in two live batches.
CREATE UNIQUE INDEX batch_claim_live ON batch_claim (claim_id) WHERE live = 1;
CREATE INDEX batch_claim_group ON batch_claim (group_control);

CREATE TABLE ack_file (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  kind TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  received_at TEXT NOT NULL,
  summary TEXT NOT NULL,
  UNIQUE (org_id, sha256)
);

CREATE TABLE remit_file (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (org_id, sha256)
);

CREATE TABLE remit (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  file_id BIGINT NOT NULL REFERENCES remit_file(id),
  set_key TEXT NOT NULL,
  payer_id BIGINT REFERENCES payer(id),
  payer_name TEXT NOT NULL,
  payer_code TEXT NOT NULL,
  payee_name TEXT NOT NULL,
  payee_id TEXT NOT NULL,
  trace TEXT NOT NULL,
  method TEXT NOT NULL,
  payment_date TEXT NOT NULL,
  expected_cents BIGINT NOT NULL,
  paid_cents BIGINT NOT NULL,
  provider_adjustments_cents BIGINT NOT NULL,
  balanced BIGINT NOT NULL,
  posted_at TEXT NOT NULL,
  UNIQUE (org_id, set_key)
);

CREATE TABLE remit_claim (
  id {id},
  remit_id BIGINT NOT NULL REFERENCES remit(id),
  claim_id BIGINT REFERENCES claim(id),
  pcn TEXT NOT NULL,
  status TEXT NOT NULL,
  adjudication TEXT NOT NULL DEFAULT '',
  charge_cents BIGINT NOT NULL,
  paid_cents BIGINT NOT NULL,
  patient_responsibility_cents BIGINT NOT NULL,
  payer_claim_number TEXT NOT NULL,
  payer_id BIGINT REFERENCES payer(id),
  reversed_by BIGINT,
  body TEXT NOT NULL
);
CREATE INDEX remit_claim_claim ON remit_claim (claim_id);
CREATE INDEX remit_claim_number ON remit_claim (payer_claim_number);

CREATE TABLE suspense (
  id {id},
  org_id BIGINT NOT NULL REFERENCES organization(id),
  remit_id BIGINT REFERENCES remit(id),
  remit_claim_id BIGINT REFERENCES remit_claim(id),
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  resolved_at TEXT
);

CREATE TABLE journal (
  id {id},
  -- practice_id and patient_id copy the claim's (for reports without a join); payer_id is the
  -- party; remit_id and remit_claim_id name the remittance an entry came from. Only claim_id is
  -- a foreign key: a per-row check of each copy would double the cost of posting on PostgreSQL.
  practice_id BIGINT NOT NULL,
  claim_id BIGINT NOT NULL REFERENCES claim(id),
  line_no BIGINT,
  party TEXT NOT NULL CHECK (party IN ('payer', 'patient')),
  payer_id BIGINT,
  patient_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('charge', 'payment', 'adjustment', 'transfer', 'refund')),
  amount_cents BIGINT NOT NULL,
  grp TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  posting_date TEXT NOT NULL,
  effective_date TEXT NOT NULL,
  service_date TEXT NOT NULL,
  remit_id BIGINT,
  remit_claim_id BIGINT,
  CHECK ((party = 'payer') = (payer_id IS NOT NULL))
);
CREATE INDEX journal_claim ON journal (claim_id);

-- The journal summed by posting date, practice, party, payer (0 for the patient) and date of
-- service: what A/R aging reads. Derived from the journal and written in the same transaction
-- as the entries it sums (store::journal::append), never edited otherwise.
CREATE TABLE journal_day (
  posting_date TEXT NOT NULL,
  practice_id BIGINT NOT NULL,
  party TEXT NOT NULL,
  payer_key BIGINT NOT NULL,
  service_date TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  PRIMARY KEY (posting_date, practice_id, party, payer_key, service_date)
);

CREATE TABLE provider_adjustment (
  id {id},
  remit_id BIGINT NOT NULL REFERENCES remit(id),
  provider_ref TEXT NOT NULL,
  reason TEXT NOT NULL,
  reference TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  fiscal_date TEXT
);

CREATE TABLE denial (
  id {id},
  claim_id BIGINT NOT NULL REFERENCES claim(id),
  remit_claim_id BIGINT NOT NULL REFERENCES remit_claim(id),
  grp TEXT NOT NULL,
  carc TEXT NOT NULL,
  rarc TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  line_no BIGINT,
  received TEXT NOT NULL,
  deadline TEXT NOT NULL,
  assigned_user_id BIGINT REFERENCES app_user(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'appealed', 'corrected', 'written_off', 'resolved'))
);
CREATE INDEX denial_status ON denial (status, deadline);

CREATE TABLE statement (
  id {id},
  practice_id BIGINT NOT NULL REFERENCES practice(id),
  guarantor_id BIGINT NOT NULL REFERENCES patient(id),
  statement_date TEXT NOT NULL,
  total_cents BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  id {id},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT,
  practice_id BIGINT,
  detail TEXT NOT NULL DEFAULT ''
);
