//! The daily figures (migration 7), kept in the transaction of each write that changes them so
//! that the dashboards read a few thousand rows at a million claims: `journal_kind_day` (added
//! to by [`crate::journal::append`]) and `claim_day`, counted here by the writes that submit,
//! reject, adjudicate and deny a claim for the first time. [`REBUILD`] sums them again from
//! the records; the tests check that both agree.

use crate::Result;
use crate::sql::{V, upsert_many};

use crate::Context;

/// The SQL that sums the daily figures again from the journal, claims, remittances and denials.
pub(crate) const REBUILD: &str = include_str!("../migrations/daily_figures.sql");

/// What `claim_day` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Count {
    /// A claim's first submission (on the batch's date).
    Submitted,
    /// A submitted claim's first rejection (on its submission's date).
    Rejected,
    /// A claim's first adjudication (on the 835's payment date).
    Adjudicated,
    /// A claim's first denial (on the date it was received).
    Denied,
}

impl Count {
    fn column(self) -> &'static str {
        match self {
            Count::Submitted => "submitted",
            Count::Rejected => "rejected",
            Count::Adjudicated => "adjudicated",
            Count::Denied => "denied",
        }
    }
}

/// Adds `n` to the count of (practice, day) for each row, in the caller's transaction.
pub(crate) async fn add(
    conn: &mut sqlx::AnyConnection,
    what: Count,
    rows: &[(i64, String, i64)],
) -> Result<()> {
    let col = what.column();
    let values: Vec<Vec<V>> = rows
        .iter()
        .filter(|r| r.2 != 0)
        .map(|(p, day, n)| vec![V::I(*p), V::T(day.clone()), V::I(*n)])
        .collect();
    if values.is_empty() {
        return Ok(());
    }
    upsert_many(
        conn,
        "claim_day",
        &["practice_id", "day", col],
        &values,
        &format!("(practice_id, day) DO UPDATE SET {col} = claim_day.{col} + excluded.{col}"),
    )
    .await
}

/// Adds each practice's count to (practice, `day`), in the caller's transaction.
pub(crate) async fn add_per_practice(
    conn: &mut sqlx::AnyConnection,
    what: Count,
    day: &str,
    counts: std::collections::BTreeMap<i64, i64>,
) -> Result<()> {
    let rows: Vec<(i64, String, i64)> =
        counts.into_iter().map(|(p, n)| (p, day.to_string(), n)).collect();
    add(conn, what, &rows).await
}

/// Sums the daily figures again from the records (after copying claims for a benchmark).
pub(crate) async fn rebuild(conn: &mut sqlx::AnyConnection) -> Result<()> {
    sqlx::raw_sql(REBUILD).execute(conn).await.ctx("summing the daily figures")?;
    Ok(())
}
