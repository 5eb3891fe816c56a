//! Appending to the journal: every entry goes through [`append`], which writes the entries and
//! adds them to `journal_day` (the sums A/R aging reads) and `journal_kind_day` (the sums the
//! dashboards read) in the caller's transaction.

use std::collections::HashMap;

use code_sets::Date;
use ledger::{EntryKind, Party, PayerId};

use crate::Result;
use crate::sql::{V, insert_many};

/// One journal entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) practice_id: i64,
    /// The account: the claim the charges were billed on.
    pub(crate) claim_id: i64,
    pub(crate) line_no: Option<i64>,
    pub(crate) party: Party,
    pub(crate) patient_id: i64,
    pub(crate) kind: EntryKind,
    pub(crate) amount: i64,
    pub(crate) group: String,
    pub(crate) reason: String,
    pub(crate) posting_date: Date,
    pub(crate) effective_date: Date,
    pub(crate) service_date: Date,
    pub(crate) remit_id: Option<i64>,
    pub(crate) remit_claim_id: Option<i64>,
}

const COLUMNS: &[&str] = &[
    "practice_id",
    "claim_id",
    "line_no",
    "party",
    "payer_id",
    "patient_id",
    "kind",
    "amount_cents",
    "grp",
    "reason",
    "posting_date",
    "effective_date",
    "service_date",
    "remit_id",
    "remit_claim_id",
];

fn party(p: Party) -> (&'static str, Option<i64>) {
    match p {
        Party::Payer(PayerId(id)) => ("payer", Some(id)),
        Party::Patient => ("patient", None),
    }
}

/// Writes entries and their sums.
pub(crate) async fn append(conn: &mut sqlx::AnyConnection, rows: &[Row]) -> Result<()> {
    let mut values = Vec::with_capacity(rows.len());
    let mut sums: HashMap<(Date, i64, &'static str, i64, Date), i64> = HashMap::new();
    let mut kinds: HashMap<(i64, Date, &'static str, &str), i64> = HashMap::new();
    for r in rows {
        let (p, payer) = party(r.party);
        values.push(vec![
            V::I(r.practice_id),
            V::I(r.claim_id),
            V::NI(r.line_no),
            V::T(p.into()),
            V::NI(payer),
            V::I(r.patient_id),
            V::T(r.kind.as_str().into()),
            V::I(r.amount),
            V::T(r.group.clone()),
            V::T(r.reason.clone()),
            r.posting_date.into(),
            r.effective_date.into(),
            r.service_date.into(),
            V::NI(r.remit_id),
            V::NI(r.remit_claim_id),
        ]);
        *sums
            .entry((r.posting_date, r.practice_id, p, payer.unwrap_or(0), r.service_date))
            .or_default() += r.amount;
        *kinds
            .entry((r.practice_id, r.posting_date, r.kind.as_str(), r.group.as_str()))
            .or_default() += r.amount;
    }
    insert_many(conn, "journal", COLUMNS, &values).await?;
    let mut sums: Vec<_> = sums.into_iter().collect();
    sums.sort_unstable();
    let day_rows: Vec<Vec<V>> = sums
        .into_iter()
        .map(|((posting, practice, p, payer, service), amount)| {
            vec![
                posting.into(),
                V::I(practice),
                V::T(p.into()),
                V::I(payer),
                service.into(),
                V::I(amount),
            ]
        })
        .collect();
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_unstable();
    let kind_rows: Vec<Vec<V>> = kinds
        .into_iter()
        .map(|((practice, posting, kind, group), amount)| {
            vec![
                V::I(practice),
                posting.into(),
                V::T(kind.into()),
                V::T(group.into()),
                V::I(amount),
            ]
        })
        .collect();
    crate::sql::upsert_many(
        conn,
        "journal_kind_day",
        &["practice_id", "posting_date", "kind", "grp", "amount_cents"],
        &kind_rows,
        "(practice_id, posting_date, kind, grp) DO UPDATE SET amount_cents = journal_kind_day.amount_cents + excluded.amount_cents",
    )
    .await?;
    crate::sql::upsert_many(
        conn,
        "journal_day",
        &["posting_date", "practice_id", "party", "payer_key", "service_date", "amount_cents"],
        &day_rows,
        "(posting_date, practice_id, party, payer_key, service_date) DO UPDATE SET amount_cents = journal_day.amount_cents + excluded.amount_cents",
    )
    .await
}
