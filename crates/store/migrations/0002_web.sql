-- The web app: sign-in state per user, sessions and API tokens.

-- Failed sign-ins in a row (reset by a successful one) and the lockout they lead to; the
-- optional TOTP secret (base32) of the second factor.
ALTER TABLE app_user ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN locked_until TEXT;
ALTER TABLE app_user ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE app_user ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;

-- A signed-in browser. Only the SHA-256 of the cookie's secret is kept, so a copy of the
-- database does not sign anyone in; csrf is the token state-changing requests must echo.
CREATE TABLE web_session (
  token_sha256 TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  csrf TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX web_session_user ON web_session (user_id);

-- A script's credential, made by an admin for a user and scoped like that user; only its
-- SHA-256 is kept.
CREATE TABLE api_token (
  id {id},
  token_sha256 TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  name TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE INDEX patient_practice ON patient (practice_id, id);
-- Where an audited request came from (the web app's client address).
ALTER TABLE audit_log ADD COLUMN address TEXT NOT NULL DEFAULT '';
