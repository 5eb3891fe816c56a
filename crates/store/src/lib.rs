//! The back office's persistence: the only crate that knows SQL.
//!
//! One [`Store`] over SQLite (the embedded default: one file in the data directory, WAL mode) or
//! PostgreSQL (what a billing service runs), chosen by the URL (`sqlite://…` or `postgres://…`).
//! Both run the same portable SQL through sqlx's runtime-chosen driver; the schema
//! (`migrations/`) differs only in how an auto-numbered key and an append-only trigger are
//! written. Money is integer cents, dates ISO text.
//!
//! Every write that belongs together is one transaction (an 835 file's posting, a batch, an
//! acknowledgment file): a failure or a killed process leaves the database as it was. Money
//! rules (what a payment means, the claim lifecycle) come from `ledger` as plain values; this
//! crate loads their inputs and writes their results.
//!
//! Modules: [`setup`] (organizations, practices, users and roles, providers, locations, payers,
//! trading partners, patients, coverages, fee schedules and charge masters), [`encounters`],
//! [`claims`] (building claims from encounters, scrub results, the lifecycle, batches),
//! [`acks`] (999 and 277CA), [`remits`] (835 posting), [`reports`] (aging, queues, statements).

pub mod acks;
pub mod admin;
pub mod claims;
pub mod coding;
mod daily;
pub mod encounters;
pub mod files;
mod journal;
pub mod remits;
pub mod reports;
pub mod setup;
mod sql;
pub mod web;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use sql::Backend;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database refused or failed.
    #[error("database error while {action}: {source}")]
    Db {
        /// What the store was doing.
        action: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// A record named by the caller does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The input breaks a rule (the message says which).
    #[error("{0}")]
    Invalid(String),
    /// The database URL is not one this build supports.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    Url(String),
}

/// The store's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) trait Context<T> {
    fn ctx(self, action: &str) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, sqlx::Error> {
    fn ctx(self, action: &str) -> Result<T> {
        self.map_err(|source| Error::Db { action: action.to_string(), source })
    }
}

/// Who does something, for the lifecycle's and the audit log's records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    /// The command line's user (`$USER`, or `cli`).
    pub fn system(name: &str) -> Actor {
        Actor(name.to_string())
    }
}

/// The database.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

impl Store {
    /// Opens (creating a SQLite file when missing) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_at(url, i64::MAX).await
    }

    /// Opens and applies the migrations up to `version` (tests of a migration start before it).
    async fn open_at(url: &str, version: i64) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| Error::Url(url.to_string()))?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let opts = AnyConnectOptions::from_str(&url).ctx("reading the database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .ctx("connecting")?;
        if backend == Backend::Sqlite {
            sqlx::raw_sql("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .ctx("turning on WAL")?;
        }
        let store = Store { pool, backend };
        sql::migrate(&store, version).await?;
        Ok(store)
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// After a bulk write (a build, an import of many patients or encounters), brings
    /// PostgreSQL's planner statistics of the tables it wrote up to date, so that the next
    /// statement reads them through their indexes. Without it, a server whose
    /// autovacuum has not yet visited (or is off) plans `claim_id IN (…)` over a freshly loaded
    /// journal as a scan of the whole table: 90 ms per chunk instead of 3 ms. Below `BULK` rows,
    /// and on SQLite (whose planner takes the index without statistics), nothing is done. The
    /// data is already committed: a failure here only leaves the statistics as they were.
    pub(crate) async fn refresh_statistics(&self, rows: usize, tables: &[&str]) {
        const BULK: usize = 5_000;
        if self.backend != Backend::Postgres || rows < BULK {
            return;
        }
        let _ = sqlx::query(&format!("ANALYZE {}", tables.join(", "))).execute(&self.pool).await;
    }

    /// Closes the connections.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// Now, as RFC 3339 UTC text (for `created_at` and the lifecycle's records).
pub(crate) fn now() -> String {
    timestamp(std::time::SystemTime::now())
}

/// A time as the store writes it: RFC 3339 UTC with milliseconds
/// (`2026-06-15T08:30:00.000Z`), so that times compare as text.
pub fn timestamp(t: std::time::SystemTime) -> String {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let date = code_sets::Date::from_day_number(secs.div_euclid(86_400))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}.{:03}Z", s / 3600, s / 60 % 60, s % 60, d.subsec_millis())
}

/// SHA-256 of a file, hex (the idempotency key of imported files).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Raw SQL for tests that must prove the database itself refuses something (the journal's
/// and the audit log's append-only triggers).
#[doc(hidden)]
pub mod testing {
    /// Runs one statement on a fresh connection.
    pub async fn execute(url: &str, sql: &str) -> crate::Result<u64> {
        let s = crate::Store::open(url).await?;
        run(&s, sql).await
    }

    /// Runs statements on a store.
    pub async fn run(s: &crate::Store, sql: &str) -> crate::Result<u64> {
        use crate::Context;
        let r = sqlx::raw_sql(sql).execute(&s.pool).await.ctx("running a test statement")?;
        Ok(r.rows_affected())
    }

    /// The first column of each row a query returns, as text.
    pub async fn texts(s: &crate::Store, sql: &str) -> crate::Result<Vec<String>> {
        use crate::Context;
        use sqlx::Row;
        let rows = sqlx::query(sql).fetch_all(&s.pool).await.ctx("running a test query")?;
        Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
    }

    /// Opens a database with the migrations up to `version` only (to test the next one on
    /// data written the way the older schema held it).
    pub async fn open_at(url: &str, version: i64) -> crate::Result<crate::Store> {
        crate::Store::open_at(url, version).await
    }

    /// True when `journal_day` holds exactly the sums of the journal (what every posting must
    /// keep true).
    pub async fn journal_day_agrees(s: &crate::Store) -> crate::Result<bool> {
        use crate::Context;
        use sqlx::Row;
        let sql = "SELECT COUNT(*) FROM (SELECT posting_date, practice_id, party, COALESCE(payer_id, 0) AS payer_key, service_date, \
                   CAST(SUM(amount_cents) AS BIGINT) AS amount_cents FROM journal GROUP BY posting_date, practice_id, party, COALESCE(payer_id, 0), service_date) j \
                   FULL OUTER JOIN journal_day d ON d.posting_date = j.posting_date AND d.practice_id = j.practice_id AND d.party = j.party \
                   AND d.payer_key = j.payer_key AND d.service_date = j.service_date \
                   WHERE d.amount_cents IS NULL OR j.amount_cents IS NULL OR d.amount_cents <> j.amount_cents";
        let n: i64 = sqlx::query(sql)
            .fetch_one(&s.pool)
            .await
            .ctx("comparing the journal and its sums")?
            .get(0);
        Ok(n == 0)
    }

    /// True when the daily figures (`journal_kind_day`, `claim_day`) kept by the writes equal
    /// those summed again from the records (what every write must keep true).
    pub async fn daily_figures_agree(s: &crate::Store) -> crate::Result<bool> {
        use crate::Context;
        use sqlx::Row;
        async fn read(tx: &mut sqlx::AnyConnection) -> crate::Result<Vec<String>> {
            let mut out = Vec::new();
            for sql in [
                "SELECT practice_id, posting_date, kind, grp, amount_cents FROM journal_kind_day WHERE amount_cents <> 0 ORDER BY 1, 2, 3, 4",
                "SELECT practice_id, day, submitted, rejected, adjudicated, denied FROM claim_day \
                 WHERE submitted + rejected + adjudicated + denied > 0 ORDER BY 1, 2",
            ] {
                for r in
                    sqlx::query(sql).fetch_all(&mut *tx).await.ctx("reading the daily figures")?
                {
                    let cells: Vec<String> = (0..r.len())
                        .map(|i| {
                            r.try_get::<i64, _>(i)
                                .map(|v| v.to_string())
                                .or_else(|_| r.try_get::<String, _>(i))
                                .unwrap_or_default()
                        })
                        .collect();
                    out.push(cells.join("|"));
                }
            }
            Ok(out)
        }
        let mut tx = s.pool.begin().await.ctx("starting a transaction")?;
        let kept = read(&mut tx).await?;
        crate::daily::rebuild(&mut tx).await?;
        let summed = read(&mut tx).await?;
        tx.rollback().await.ctx("rolling back")?;
        Ok(kept == summed)
    }

    /// Copies every claim with its lines and journal `times` more times (new IDs and patient
    /// control numbers, the same patients and encounters): a large book of business for the
    /// A/R benchmarks, made in seconds. Returns the number of claims afterwards.
    pub async fn replicate_claims(s: &crate::Store, times: i64) -> crate::Result<i64> {
        use crate::Context;
        use sqlx::Row;
        let mut tx = s.pool.begin().await.ctx("starting a transaction")?;
        let max: i64 = sqlx::query("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM claim")
            .fetch_one(&mut *tx)
            .await
            .ctx("reading claims")?
            .get(0);
        // Each copy is moved 11 days earlier than the one before, so the book spreads over the
        // aging buckets and over many posting dates.
        let shift = |col: &str, days: i64| match s.backend {
            crate::Backend::Sqlite => format!("date({col}, '-{days} days')"),
            crate::Backend::Postgres => format!("to_char({col}::date - {days}, 'YYYY-MM-DD')"),
        };
        for k in 1..=times {
            let off = max * k;
            let days = 11 * k;
            let (sf, st, ld, pd, ed, sd, sa) = (
                shift("service_from", days),
                shift("service_to", days),
                shift("service_date", days),
                shift("posting_date", days),
                shift("effective_date", days),
                shift("service_date", days),
                shift("submitted_at", days),
            );
            sqlx::raw_sql(&format!(
                "INSERT INTO claim_row (id, org_id, practice_id, patient_id, encounter_id, coverage_id, payer_id, rank, account_id, kind, pcn, \
                 frequency, total_cents, service_from, service_to, drg, created_at) \
                 SELECT id + {off}, org_id, practice_id, patient_id, encounter_id, coverage_id, payer_id, rank, account_id + {off}, kind, \
                 pcn || 'R{k}', frequency, total_cents, {sf}, {st}, drg, created_at FROM claim_row WHERE id <= {max};
                 INSERT INTO claim_status (claim_id, state, state_at, submitted_at, payer_claim_number) \
                 SELECT claim_id + {off}, state, state_at, {sa}, payer_claim_number FROM claim_status WHERE claim_id <= {max};
                 INSERT INTO claim_findings (claim_id, findings) SELECT claim_id + {off}, findings FROM claim_findings WHERE claim_id <= {max};
                 INSERT INTO claim_body (claim_id, body) SELECT claim_id + {off}, body FROM claim_body WHERE claim_id <= {max};
                 INSERT INTO claim_line (claim_id, line_no, code, modifiers, revenue_code, units, charge_cents, service_date) \
                 SELECT claim_id + {off}, line_no, code, modifiers, revenue_code, units, charge_cents, {ld} FROM claim_line WHERE claim_id <= {max};
                 INSERT INTO journal (practice_id, claim_id, line_no, party, payer_id, patient_id, kind, amount_cents, grp, reason, \
                 posting_date, effective_date, service_date, remit_id, remit_claim_id) \
                 SELECT practice_id, claim_id + {off}, line_no, party, payer_id, patient_id, kind, amount_cents, grp, reason, {pd}, \
                 {ed}, {sd}, NULL, NULL FROM journal WHERE claim_id <= {max};"
            ))
            .execute(&mut *tx)
            .await
            .ctx("copying claims")?;
        }
        sqlx::raw_sql(
            "DELETE FROM journal_day; INSERT INTO journal_day (posting_date, practice_id, party, payer_key, service_date, amount_cents) \
             SELECT posting_date, practice_id, party, COALESCE(payer_id, 0), service_date, CAST(SUM(amount_cents) AS BIGINT) FROM journal \
             GROUP BY posting_date, practice_id, party, COALESCE(payer_id, 0), service_date",
        )
        .execute(&mut *tx)
        .await
        .ctx("summing the copies")?;
        crate::daily::rebuild(&mut tx).await?;
        let n = max * (times + 1);
        sqlx::query("UPDATE counter SET value = $1 WHERE name = 'claim'")
            .bind(n)
            .execute(&mut *tx)
            .await
            .ctx("moving the claim counter")?;
        tx.commit().await.ctx("committing the copies")?;
        Ok(n)
    }
}
