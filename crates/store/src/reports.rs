//! Reports and work queues, derived from the journal and the claims: A/R aging (by payer and by
//! patient, as of any date), denials, rejected claims, claims with no status, and the figures
//! a patient statement is made of.

use std::collections::BTreeMap;

use claim_model::Cents;
use code_sets::Date;
use ledger::aging::{Buckets, LABELS};
use sqlx::Row;

use crate::{Context, Result, Store};

/// A/R aging (the `ar aging --json` contract).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Aging {
    /// The date the report is as of.
    pub as_of: String,
    /// Everything owed.
    pub total_cents: i64,
    /// Owed by payers.
    pub insurance_cents: i64,
    /// Owed by patients.
    pub patient_cents: i64,
    /// By age of the service.
    pub buckets: Vec<Bucket>,
    /// By payer, largest first.
    pub by_payer: Vec<PayerAmount>,
    /// The insurance part by bucket.
    pub insurance_buckets: Vec<Bucket>,
    /// The patient part by bucket.
    pub patient_buckets: Vec<Bucket>,
}

/// One aging bucket.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Bucket {
    /// `0-30`, `31-60`, `61-90`, `91-120`, `120+`.
    pub label: String,
    /// Amount.
    pub cents: i64,
}

/// One payer's share.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PayerAmount {
    /// The payer's name.
    pub payer: String,
    /// Amount.
    pub cents: i64,
}

/// A denial in the work queue.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DenialItem {
    /// ID.
    pub id: i64,
    /// Claim.
    pub claim_id: i64,
    /// Patient control number.
    pub pcn: String,
    /// Payer.
    pub payer: String,
    /// Group and CARC.
    pub carc: String,
    /// Remark codes.
    pub rarc: String,
    /// Category.
    pub category: String,
    /// Amount denied.
    pub cents: i64,
    /// Last day to appeal.
    pub deadline: String,
    /// Assigned user.
    pub assigned_to: Option<i64>,
}

fn buckets(b: &Buckets) -> Vec<Bucket> {
    LABELS
        .iter()
        .zip(b.0.iter())
        .map(|(l, c)| Bucket { label: (*l).to_string(), cents: c.0 })
        .collect()
}

impl Store {
    /// A/R aging as of `as_of` (entries posted on or before it), of one practice or all; aged
    /// from the date of service.
    pub async fn aging(&self, as_of: Date, practice: Option<i64>) -> Result<Aging> {
        let rows = sqlx::query(
            "SELECT party, payer_id, service_date, CAST(SUM(amount_cents) AS BIGINT) FROM journal \
             WHERE posting_date <= $1 AND ($2 = 0 OR practice_id = $2) GROUP BY party, payer_id, service_date",
        )
        .bind(as_of.to_string())
        .bind(practice.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .ctx("summing the journal")?;
        let names: BTreeMap<i64, String> = sqlx::query("SELECT id, name FROM payer")
            .fetch_all(&self.pool)
            .await
            .ctx("reading payers")?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let (mut ins, mut pat) = (Buckets::default(), Buckets::default());
        let mut by_payer: BTreeMap<i64, i64> = BTreeMap::new();
        for r in rows {
            let party: String = r.get(0);
            let payer: Option<i64> = r.get(1);
            let service: Date = r.get::<String, _>(2).parse().unwrap_or(as_of);
            let cents: i64 = r.get::<Option<i64>, _>(3).unwrap_or(0);
            if party == "patient" {
                pat.add(service, as_of, Cents(cents));
            } else {
                ins.add(service, as_of, Cents(cents));
                *by_payer.entry(payer.unwrap_or(0)).or_default() += cents;
            }
        }
        let mut all = Buckets::default();
        for i in 0..LABELS.len() {
            all.0[i] = ins.0[i] + pat.0[i];
        }
        let mut by_payer: Vec<PayerAmount> = by_payer
            .into_iter()
            .filter(|(_, c)| *c != 0)
            .map(|(id, cents)| PayerAmount {
                payer: names.get(&id).cloned().unwrap_or_else(|| format!("payer {id}")),
                cents,
            })
            .collect();
        by_payer.sort_by(|a, b| b.cents.cmp(&a.cents).then(a.payer.cmp(&b.payer)));
        Ok(Aging {
            as_of: as_of.to_string(),
            total_cents: all.total().0,
            insurance_cents: ins.total().0,
            patient_cents: pat.total().0,
            buckets: buckets(&all),
            by_payer,
            insurance_buckets: buckets(&ins),
            patient_buckets: buckets(&pat),
        })
    }

    /// Open denials, oldest deadline first.
    pub async fn denials(&self, practice: Option<i64>) -> Result<Vec<DenialItem>> {
        let rows = sqlx::query(
            "SELECT d.id, d.claim_id, c.pcn, y.name, d.grp, d.carc, d.rarc, d.category, d.amount_cents, d.deadline, d.assigned_user_id \
             FROM denial d JOIN claim c ON c.id = d.claim_id JOIN payer y ON y.id = c.payer_id \
             WHERE d.status = 'open' AND ($1 = 0 OR c.practice_id = $1) ORDER BY d.deadline, d.id",
        )
        .bind(practice.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .ctx("reading denials")?;
        Ok(rows
            .iter()
            .map(|r| DenialItem {
                id: r.get(0),
                claim_id: r.get(1),
                pcn: r.get(2),
                payer: r.get(3),
                carc: format!("{}-{}", r.get::<String, _>(4), r.get::<String, _>(5)),
                rarc: r.get(6),
                category: r.get(7),
                cents: r.get(8),
                deadline: r.get(9),
                assigned_to: r.get(10),
            })
            .collect())
    }

    /// Claims in a state for longer than `days` days as of `as_of` (submitted with no answer,
    /// rejected and not corrected…): (claim, pcn, since).
    pub async fn stale_claims(
        &self,
        state: &str,
        days: i64,
        as_of: Date,
    ) -> Result<Vec<(i64, String, String)>> {
        let cutoff = Date::from_day_number(as_of.day_number() - days).unwrap_or(as_of).to_string();
        let rows = sqlx::query("SELECT id, pcn, state_at FROM claim WHERE state = $1 AND state_at < $2 ORDER BY state_at, id")
            .bind(state)
            .bind(cutoff)
            .fetch_all(&self.pool)
            .await
            .ctx("reading the claim queue")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }
}
