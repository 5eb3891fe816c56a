//! What the web app keeps: users' sign-in state (failures in a row, lockout, second factor),
//! sessions and API tokens (only their SHA-256), each user's practices and roles, pages of the
//! records a user may see, and the audit log's events. The rules (how many failures lock, how long
//! a session lives, who may see what) are the server's; this module stores and reads.

use sqlx::Row;

use crate::sql::{audit, audit_from, id_list, insert};
use crate::{Actor, Context, Error, Result, Store};

/// A user as sign-in needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserAuth {
    /// ID.
    pub id: i64,
    /// Organization.
    pub org_id: i64,
    /// Login.
    pub login: String,
    /// Display name.
    pub name: String,
    /// The password's PHC string (argon2id), empty when none is set.
    pub password_hash: String,
    /// Failed sign-ins in a row.
    pub failed_logins: i64,
    /// Locked until this time (RFC 3339), if locked.
    pub locked_until: Option<String>,
    /// Base32 TOTP secret, empty when the second factor is off.
    pub totp_secret: String,
    /// Disabled users cannot sign in.
    pub disabled: bool,
}

/// A session as a request needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    /// The user.
    pub user_id: i64,
    /// The CSRF token state-changing requests must echo.
    pub csrf: String,
    /// When it was last used (RFC 3339).
    pub last_seen: String,
    /// When it ends whatever happens (RFC 3339).
    pub expires_at: String,
}

/// A patient in a list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientListItem {
    /// ID.
    pub id: i64,
    /// Practice ID.
    pub practice: i64,
    /// The practice's account number.
    pub account: String,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: String,
    /// Sex.
    pub sex: String,
}

/// One coverage of a patient.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageItem {
    /// ID.
    pub id: i64,
    /// 1 primary, 2 secondary, 3 tertiary.
    pub rank: i64,
    /// The payer's name.
    pub payer: String,
    /// Member ID.
    pub member_id: String,
    /// First day.
    pub effective_from: String,
    /// Last day.
    pub effective_to: String,
}

/// A patient with what the patient screen shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientDetail {
    /// The patient.
    #[serde(flatten)]
    pub patient: PatientListItem,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// ZIP code.
    pub zip: String,
    /// Coverages, primary first.
    pub coverages: Vec<CoverageItem>,
    /// The patient's claims: (id, pcn, state, total cents, service date).
    pub claims: Vec<PatientClaim>,
    /// The patient's encounters, newest first.
    pub encounters: Vec<PatientEncounter>,
    /// What the patient owes now (every entry on the patient's claims owed by the patient).
    pub patient_balance_cents: i64,
    /// What the payers owe now on the patient's claims.
    pub insurance_balance_cents: i64,
    /// The account's ledger, oldest first: the latest [`LEDGER_LINES`] entries of the patient's
    /// claims.
    pub ledger: Vec<LedgerLine>,
    /// True when older entries were left off the ledger.
    pub ledger_truncated: bool,
    /// Statements sent to the patient (or to the patient's guarantor), newest first.
    pub statements: Vec<StatementItem>,
}

/// How many journal entries the patient screen's ledger shows (the latest).
pub const LEDGER_LINES: i64 = 300;

/// An encounter on the patient screen.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientEncounter {
    /// ID.
    pub id: i64,
    /// `professional`, `inpatient` or `outpatient`.
    pub kind: String,
    /// Date of service (admission for a stay).
    pub service_date: String,
    /// Discharge date of a stay.
    pub discharge_date: Option<String>,
    /// `open`, `coded` or `billed`.
    pub status: String,
    /// Diagnosis codes, principal first.
    pub diagnoses: Vec<String>,
}

/// One entry of a patient's ledger.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerLine {
    /// Posting date.
    pub posting_date: String,
    /// The claim (the account) it belongs to.
    pub claim_id: i64,
    /// Its patient control number.
    pub pcn: String,
    /// Who owes it: a payer's name, or `patient`.
    pub party: String,
    /// `charge`, `payment`, `adjustment`, `transfer`, `refund`…
    pub kind: String,
    /// Group and reason code of an adjustment (`CO-45`), or the reference of a payment.
    pub reason: String,
    /// Amount: positive owed, negative paid or written off.
    pub amount_cents: i64,
    /// The account's balance after it (all parties).
    pub balance_cents: i64,
}

/// A statement sent.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementItem {
    /// ID.
    pub id: i64,
    /// Practice.
    pub practice: i64,
    /// The guarantor it was sent to (a patient ID).
    pub guarantor_id: i64,
    /// Date.
    pub statement_date: String,
    /// Total due on it.
    pub total_cents: i64,
}

/// A statement with the text that was sent.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementText {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementItem,
    /// Its text as sent.
    pub body: String,
}

/// A claim on the patient screen.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientClaim {
    /// ID.
    pub id: i64,
    /// Patient control number.
    pub pcn: String,
    /// State.
    pub state: String,
    /// Total charge.
    pub total_cents: i64,
    /// First date of service.
    pub service_from: String,
}

/// An audit event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// ID (newest is largest).
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub user: String,
    /// What: `read`, `create`, `post`, `login`…
    pub action: String,
    /// Which record: `patient/12`, `claim/40`…
    pub record: String,
    /// The record's practice.
    pub practice: Option<i64>,
    /// From where (the client's address).
    pub address: String,
    /// Anything else (never patient data).
    pub detail: String,
}

/// A claim in a work queue.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimListItem {
    /// ID.
    pub id: i64,
    /// Patient control number (CLM01).
    pub pcn: String,
    /// Practice ID.
    pub practice: i64,
    /// Patient ID.
    pub patient_id: i64,
    /// The patient's name, `LAST, FIRST`.
    pub patient: String,
    /// The payer's name.
    pub payer: String,
    /// 1 primary, 2 secondary, 3 tertiary.
    pub rank: i64,
    /// Lifecycle state.
    pub state: String,
    /// Since when (RFC 3339).
    pub state_at: String,
    /// `professional` or `institutional`.
    pub kind: String,
    /// Total charge.
    pub total_cents: i64,
    /// First date of service.
    pub service_from: String,
    /// Scrubber findings stored with the claim.
    pub findings: i64,
}

/// A lifecycle transition.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimEvent {
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub user: String,
    /// From state.
    pub from: String,
    /// To state.
    pub to: String,
    /// Why.
    pub reason: String,
}

/// A claim with its findings, lines and history.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimDetail {
    /// The claim in the queue's form.
    #[serde(flatten)]
    pub item: ClaimListItem,
    /// The claim (its JSON form, `docs/claim-json.md`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub claim: serde_json::Value,
    /// The scrubber's findings (rule, severity, category, message, fix, line…).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub findings_list: serde_json::Value,
    /// The payer's claim number, once known.
    pub payer_claim_number: String,
    /// The MS-DRG of an inpatient claim.
    pub drg: String,
    /// Every transition, oldest first.
    pub history: Vec<ClaimEvent>,
    /// How many denials the payer sent on it (an appeal letter can be written when any).
    pub denials: i64,
}

const CLAIM_ITEM: &str = "c.id, c.pcn, c.practice_id, c.patient_id, p.last_name || ', ' || p.first_name, y.name, c.rank, \
c.state, c.state_at, c.kind, c.total_cents, c.service_from, c.findings";

fn claim_item_of(r: &sqlx::any::AnyRow) -> ClaimListItem {
    let findings: String = r.get(12);
    ClaimListItem {
        id: r.get(0),
        pcn: r.get(1),
        practice: r.get(2),
        patient_id: r.get(3),
        patient: r.get(4),
        payer: r.get(5),
        rank: r.get(6),
        state: r.get(7),
        state_at: r.get(8),
        kind: r.get(9),
        total_cents: r.get(10),
        service_from: r.get(11),
        findings: serde_json::from_str::<Vec<serde_json::Value>>(&findings)
            .map_or(0, |v| v.len() as i64),
    }
}

const USER_COLUMNS: &str =
    "id, org_id, login, name, password_hash, failed_logins, locked_until, totp_secret, disabled";

fn user_of(r: &sqlx::any::AnyRow) -> UserAuth {
    UserAuth {
        id: r.get(0),
        org_id: r.get(1),
        login: r.get(2),
        name: r.get(3),
        password_hash: r.get(4),
        failed_logins: r.get(5),
        locked_until: r.get(6),
        totp_secret: r.get(7),
        disabled: r.get::<i64, _>(8) != 0,
    }
}

impl Store {
    /// A user by login.
    pub async fn user_for_login(&self, login: &str) -> Result<Option<UserAuth>> {
        let r = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM app_user WHERE login = $1"))
            .bind(login)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading users")?;
        Ok(r.as_ref().map(user_of))
    }

    /// A user by ID.
    pub async fn user_auth(&self, id: i64) -> Result<Option<UserAuth>> {
        let r = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading users")?;
        Ok(r.as_ref().map(user_of))
    }

    /// Sets a user's password hash (a PHC string the caller made).
    pub async fn set_password_hash(&self, actor: &Actor, user_id: i64, hash: &str) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let n = sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .ctx("setting a password")?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("user {user_id}")));
        }
        audit(&mut tx, actor, "set password", "user", Some(user_id), None, "").await?;
        tx.commit().await.ctx("saving the password")
    }

    /// Sets (or clears, with "") a user's TOTP secret.
    pub async fn set_totp_secret(&self, actor: &Actor, user_id: i64, secret: &str) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        sqlx::query("UPDATE app_user SET totp_secret = $1 WHERE id = $2")
            .bind(secret)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .ctx("setting the second factor")?;
        let what = if secret.is_empty() { "second factor off" } else { "second factor on" };
        audit(&mut tx, actor, what, "user", Some(user_id), None, "").await?;
        tx.commit().await.ctx("saving the second factor")
    }

    /// Counts a failed sign-in; from the `lock_after`-th in a row the user is locked until
    /// `until`. Returns the failures in a row. One statement, so concurrent failures all count.
    pub async fn record_login_failure(
        &self,
        user: &UserAuth,
        lock_after: i64,
        until: &str,
        address: &str,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        sqlx::query(
            "UPDATE app_user SET failed_logins = failed_logins + 1, \
             locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END WHERE id = $3",
        )
        .bind(lock_after)
        .bind(until)
        .bind(user.id)
        .execute(&mut *tx)
        .await
        .ctx("counting a failed sign-in")?;
        let n: i64 = sqlx::query("SELECT failed_logins FROM app_user WHERE id = $1")
            .bind(user.id)
            .fetch_one(&mut *tx)
            .await
            .ctx("reading users")?
            .get(0);
        audit_from(
            &mut tx,
            &Actor(user.login.clone()),
            "login failed",
            "user",
            Some(user.id),
            None,
            "",
            address,
        )
        .await?;
        tx.commit().await.ctx("counting a failed sign-in")?;
        Ok(n)
    }

    /// A successful sign-in: the failures are forgotten and the session stored.
    pub async fn start_session(
        &self,
        user: &UserAuth,
        token_sha256: &str,
        csrf: &str,
        now: &str,
        expires_at: &str,
        address: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await
            .ctx("resetting failed sign-ins")?;
        sqlx::query(
            "INSERT INTO web_session (token_sha256, user_id, csrf, created_at, last_seen, expires_at, address) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(token_sha256)
        .bind(user.id)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .bind(address)
        .execute(&mut *tx)
        .await
        .ctx("storing the session")?;
        audit_from(
            &mut tx,
            &Actor(user.login.clone()),
            "login",
            "user",
            Some(user.id),
            None,
            "",
            address,
        )
        .await?;
        tx.commit().await.ctx("storing the session")
    }

    /// A session by the SHA-256 of its secret.
    pub async fn session(&self, token_sha256: &str) -> Result<Option<SessionRow>> {
        let r = sqlx::query(
            "SELECT user_id, csrf, last_seen, expires_at FROM web_session WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading sessions")?;
        Ok(r.map(|r| SessionRow {
            user_id: r.get(0),
            csrf: r.get(1),
            last_seen: r.get(2),
            expires_at: r.get(3),
        }))
    }

    /// Records that a session was used now.
    pub async fn touch_session(&self, token_sha256: &str, now: &str) -> Result<()> {
        sqlx::query("UPDATE web_session SET last_seen = $1 WHERE token_sha256 = $2")
            .bind(now)
            .bind(token_sha256)
            .execute(&self.pool)
            .await
            .ctx("updating a session")?;
        Ok(())
    }

    /// Ends a session.
    pub async fn end_session(&self, token_sha256: &str) -> Result<()> {
        sqlx::query("DELETE FROM web_session WHERE token_sha256 = $1")
            .bind(token_sha256)
            .execute(&self.pool)
            .await
            .ctx("ending a session")?;
        Ok(())
    }

    /// Stores an API token (its SHA-256) for a user.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        created_by: i64,
        user_id: i64,
        name: &str,
        token_sha256: &str,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let id = insert(
            &mut tx,
            "api_token",
            &[
                ("token_sha256", token_sha256.into()),
                ("user_id", user_id.into()),
                ("name", name.into()),
                ("created_by", created_by.into()),
                ("created_at", crate::now().into()),
            ],
        )
        .await?;
        audit(&mut tx, actor, "create", "api_token", Some(id), None, name).await?;
        tx.commit().await.ctx("storing the token")?;
        Ok(id)
    }

    /// The user of a live API token.
    pub async fn api_token_user(&self, token_sha256: &str) -> Result<Option<i64>> {
        let r = sqlx::query(
            "SELECT user_id FROM api_token WHERE token_sha256 = $1 AND revoked_at IS NULL",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading tokens")?;
        Ok(r.map(|r| r.get(0)))
    }

    /// A patient's encounters, newest first, with their diagnosis codes.
    async fn patient_encounters(&self, patient: i64) -> Result<Vec<PatientEncounter>> {
        let mut out: Vec<PatientEncounter> = sqlx::query(
            "SELECT id, kind, service_date, discharge_date, status FROM encounter WHERE patient_id = $1 \
             ORDER BY service_date DESC, id DESC",
        )
        .bind(patient)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the patient's encounters")?
        .iter()
        .map(|e| PatientEncounter {
            id: e.get(0),
            kind: e.get(1),
            service_date: e.get(2),
            discharge_date: e.get(3),
            status: e.get(4),
            diagnoses: Vec::new(),
        })
        .collect();
        let ids: Vec<i64> = out.iter().map(|e| e.id).collect();
        let mut codes: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for chunk in ids.chunks(500) {
            for r in sqlx::query(&format!(
                "SELECT encounter_id, code FROM encounter_diagnosis WHERE encounter_id IN ({}) ORDER BY encounter_id, seq",
                id_list(chunk)
            ))
            .fetch_all(&self.pool)
            .await
            .ctx("reading diagnoses")?
            {
                codes.entry(r.get(0)).or_default().push(r.get(1));
            }
        }
        for e in &mut out {
            e.diagnoses = codes.remove(&e.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// A statement with its text, if it exists.
    pub async fn statement(&self, id: i64) -> Result<Option<StatementText>> {
        Ok(sqlx::query(
            "SELECT id, practice_id, guarantor_id, statement_date, total_cents, body FROM statement WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the statement")?
        .map(|r| StatementText { statement: statement_of(&r), body: r.get(5) }))
    }

    /// A page of the patients of `practices`, by ID after `after`.
    pub async fn patients_page(
        &self,
        practices: &[i64],
        after: i64,
        limit: i64,
        search: &str,
    ) -> Result<Vec<PatientListItem>> {
        if practices.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT id, practice_id, account, last_name, first_name, birth_date, sex FROM patient \
             WHERE practice_id IN ({}) AND id > $1 AND ($2 = '' OR lower(last_name) LIKE $3 OR account = $2) \
             ORDER BY id LIMIT $4",
            id_list(practices)
        ))
        .bind(after)
        .bind(search)
        .bind(format!("{}%", search.to_lowercase()))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("listing patients")?;
        Ok(rows.iter().map(patient_of).collect())
    }

    /// A patient with coverages and claims, if it exists.
    pub async fn patient_detail(&self, id: i64) -> Result<Option<PatientDetail>> {
        let Some(r) = sqlx::query(
            "SELECT id, practice_id, account, last_name, first_name, birth_date, sex, address, city, state, zip \
             FROM patient WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the patient")?
        else {
            return Ok(None);
        };
        let coverages = sqlx::query(
            "SELECT c.id, c.rank, y.name, c.member_id, c.effective_from, c.effective_to \
             FROM coverage c JOIN payer y ON y.id = c.payer_id WHERE c.patient_id = $1 ORDER BY c.rank, c.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading coverages")?
        .iter()
        .map(|c| CoverageItem {
            id: c.get(0),
            rank: c.get(1),
            payer: c.get(2),
            member_id: c.get(3),
            effective_from: c.get(4),
            effective_to: c.get(5),
        })
        .collect();
        let claims = sqlx::query(
            "SELECT id, pcn, state, total_cents, service_from FROM claim WHERE patient_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading claims")?
        .iter()
        .map(|c| PatientClaim {
            id: c.get(0),
            pcn: c.get(1),
            state: c.get(2),
            total_cents: c.get(3),
            service_from: c.get(4),
        })
        .collect();
        let encounters = self.patient_encounters(id).await?;
        let (patient_balance_cents, insurance_balance_cents): (i64, i64) = {
            let b = sqlx::query(
                "SELECT CAST(COALESCE(SUM(CASE WHEN j.party = 'patient' THEN j.amount_cents ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN j.party = 'patient' THEN 0 ELSE j.amount_cents END), 0) AS BIGINT) \
                 FROM journal j JOIN claim c ON c.id = j.claim_id WHERE c.patient_id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .ctx("summing the patient's balance")?;
            (b.get(0), b.get(1))
        };
        let mut ledger: Vec<LedgerLine> = sqlx::query(
            "SELECT j.posting_date, j.claim_id, c.pcn, j.party, COALESCE(y.name, ''), j.kind, j.grp, j.reason, j.amount_cents \
             FROM journal j JOIN claim c ON c.id = j.claim_id LEFT JOIN payer y ON y.id = j.payer_id \
             WHERE c.patient_id = $1 ORDER BY j.posting_date DESC, j.id DESC LIMIT $2",
        )
        .bind(id)
        .bind(LEDGER_LINES + 1)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the patient's ledger")?
        .iter()
        .map(|j| {
            let (party, payer, grp, reason): (String, String, String, String) =
                (j.get(3), j.get(4), j.get(6), j.get(7));
            LedgerLine {
                posting_date: j.get(0),
                claim_id: j.get(1),
                pcn: j.get(2),
                party: if party == "patient" { party } else { payer },
                kind: j.get(5),
                reason: match (grp.is_empty(), reason.is_empty()) {
                    (false, false) => format!("{grp}-{reason}"),
                    (false, true) => grp,
                    _ => reason,
                },
                amount_cents: j.get(8),
                balance_cents: 0,
            }
        })
        .collect();
        let ledger_truncated = ledger.len() as i64 > LEDGER_LINES;
        ledger.truncate(LEDGER_LINES as usize);
        ledger.reverse();
        // Running balance: what the account stood at after each entry (counted back from now).
        let mut balance = patient_balance_cents + insurance_balance_cents;
        for l in ledger.iter_mut().rev() {
            l.balance_cents = balance;
            balance -= l.amount_cents;
        }
        let statements = sqlx::query(
            "SELECT s.id, s.practice_id, s.guarantor_id, s.statement_date, s.total_cents FROM statement s \
             WHERE s.guarantor_id = $1 OR s.guarantor_id = (SELECT guarantor_id FROM patient WHERE id = $1) \
             ORDER BY s.statement_date DESC, s.id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading statements")?
        .iter()
        .map(statement_of)
        .collect();
        Ok(Some(PatientDetail {
            encounters,
            patient_balance_cents,
            insurance_balance_cents,
            ledger,
            ledger_truncated,
            statements,
            patient: patient_of(&r),
            address: r.get(7),
            city: r.get(8),
            state: r.get(9),
            zip: r.get(10),
            coverages,
            claims,
        }))
    }

    /// A page of the claims of `practices` in one of `states` (newest first: IDs below
    /// `before`, 0 for the first page); with `older_than`, only those in their state since
    /// before that time (claims with no answer).
    pub async fn claims_page(
        &self,
        practices: &[i64],
        states: &[&str],
        older_than: Option<&str>,
        before: i64,
        limit: i64,
    ) -> Result<Vec<ClaimListItem>> {
        if practices.is_empty() || states.is_empty() {
            return Ok(Vec::new());
        }
        let states: Vec<String> = states
            .iter()
            .filter(|s| s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .map(|s| format!("'{s}'"))
            .collect();
        let rows = sqlx::query(&format!(
            "SELECT {CLAIM_ITEM} FROM claim c JOIN patient p ON p.id = c.patient_id JOIN payer y ON y.id = c.payer_id \
             WHERE c.practice_id IN ({}) AND c.state IN ({}) AND ($1 = 0 OR c.id < $1) AND ($2 = '' OR c.state_at < $2) \
             ORDER BY c.id DESC LIMIT $3",
            id_list(practices),
            states.join(", ")
        ))
        .bind(before)
        .bind(older_than.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("listing claims")?;
        Ok(rows.iter().map(claim_item_of).collect())
    }

    /// A claim with findings and history, if it exists.
    pub async fn claim_detail(&self, id: i64) -> Result<Option<ClaimDetail>> {
        let Some(r) = sqlx::query(&format!(
            "SELECT {CLAIM_ITEM}, (SELECT body FROM claim_body WHERE claim_id = c.id), c.payer_claim_number, c.drg FROM claim c \
             JOIN patient p ON p.id = c.patient_id JOIN payer y ON y.id = c.payer_id WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the claim")?
        else {
            return Ok(None);
        };
        let history = sqlx::query(
            "SELECT at, actor, from_state, to_state, reason FROM claim_event WHERE claim_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the claim's history")?
        .iter()
        .map(|e| ClaimEvent { at: e.get(0), user: e.get(1), from: e.get(2), to: e.get(3), reason: e.get(4) })
        .collect();
        let denials: i64 = sqlx::query("SELECT COUNT(*) FROM denial WHERE claim_id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .ctx("counting the claim's denials")?
            .get(0);
        let body: String = r.get(13);
        let findings: String = r.get(12);
        Ok(Some(ClaimDetail {
            denials,
            item: claim_item_of(&r),
            claim: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
            findings_list: serde_json::from_str(&findings)
                .unwrap_or(serde_json::Value::Array(Vec::new())),
            payer_claim_number: r.get(14),
            drg: r.get(15),
            history,
        }))
    }

    /// Writes an audit event for a request (who, what, which record, from where).
    pub async fn audit_request(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        id: Option<i64>,
        practice: Option<i64>,
        address: &str,
    ) -> Result<()> {
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        audit_from(&mut c, actor, action, entity, id, practice, "", address).await
    }

    /// Audit events, newest first, before the event `before` (0: from the newest), of the
    /// given practices (and the events of no practice) or of all when `practices` is None.
    pub async fn audit_events(
        &self,
        practices: Option<&[i64]>,
        before: i64,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        let scope = match practices {
            None => String::new(),
            Some([]) => " AND practice_id IS NULL".to_string(),
            Some(p) => format!(" AND (practice_id IS NULL OR practice_id IN ({}))", id_list(p)),
        };
        let rows = sqlx::query(&format!(
            "SELECT id, at, actor, action, entity, entity_id, practice_id, address, detail FROM audit_log \
             WHERE ($1 = 0 OR id < $1){scope} ORDER BY id DESC LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the audit log")?;
        Ok(rows
            .iter()
            .map(|r| {
                let entity: String = r.get(4);
                let record = match r.get::<Option<i64>, _>(5) {
                    Some(id) => format!("{entity}/{id}"),
                    None => entity,
                };
                AuditEvent {
                    id: r.get(0),
                    at: r.get(1),
                    user: r.get(2),
                    action: r.get(3),
                    record,
                    practice: r.get(6),
                    address: r.get(7),
                    detail: r.get(8),
                }
            })
            .collect())
    }
}

fn patient_of(r: &sqlx::any::AnyRow) -> PatientListItem {
    PatientListItem {
        id: r.get(0),
        practice: r.get(1),
        account: r.get(2),
        last_name: r.get(3),
        first_name: r.get(4),
        birth_date: r.get(5),
        sex: r.get(6),
    }
}

fn statement_of(r: &sqlx::any::AnyRow) -> StatementItem {
    StatementItem {
        id: r.get(0),
        practice: r.get(1),
        guarantor_id: r.get(2),
        statement_date: r.get(3),
        total_cents: r.get(4),
    }
}
