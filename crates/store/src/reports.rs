//! Reports and work queues, derived from the journal and the claims: A/R aging (by payer and by
//! patient, as of any date), denials, rejected claims, claims with no status, and the figures
//! a patient statement is made of.

use std::collections::BTreeMap;

use claim_model::Cents;
use code_sets::Date;
use ledger::aging::{Buckets, LABELS};
use sqlx::Row;

use crate::sql::id_list;
use crate::{Context, Error, Result, Store};

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

/// A credit balance: a party that paid more than it owed on an account (an overpayment to
/// refund or to apply).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Credit {
    /// The account (the first payer's claim).
    pub account_id: i64,
    /// The account's patient control number.
    pub pcn: String,
    /// Practice.
    pub practice_id: i64,
    /// Patient.
    pub patient_id: i64,
    /// The patient's name, `LAST, FIRST`.
    pub patient: String,
    /// `payer` or `patient`.
    pub party: String,
    /// The payer's name (empty for the patient).
    pub payer: String,
    /// The payer's ID (for a refund to it).
    pub payer_id: Option<i64>,
    /// The credit, a positive amount.
    pub cents: i64,
}

/// Denials of one reason, category or payer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DenialGroup {
    /// The reason (group-CARC), category or payer.
    pub key: String,
    /// Denials.
    pub count: usize,
    /// Amount denied.
    pub cents: i64,
    /// The nearest appeal deadline.
    pub earliest_deadline: String,
    /// The denials, oldest deadline first (from the work queue, only those among the nearest
    /// deadlines it lists: fewer than `count` when the queue is longer).
    pub denials: Vec<DenialItem>,
}

/// What denials are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenialKey {
    /// Group code and CARC (`CO-197`).
    Reason,
    /// The category (eligibility, authorization, coding…).
    Category,
    /// The payer.
    Payer,
}

fn denial_item_of(r: &sqlx::any::AnyRow) -> DenialItem {
    DenialItem {
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
    }
}

/// Groups denials (already oldest deadline first), the group with the nearest deadline first.
pub fn group_denials(items: Vec<DenialItem>, by: DenialKey) -> Vec<DenialGroup> {
    let mut groups: Vec<DenialGroup> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for d in items {
        let key = match by {
            DenialKey::Reason => d.carc.clone(),
            DenialKey::Category => d.category.clone(),
            DenialKey::Payer => d.payer.clone(),
        };
        let i = *index.entry(key.clone()).or_insert_with(|| {
            groups.push(DenialGroup {
                key,
                count: 0,
                cents: 0,
                earliest_deadline: d.deadline.clone(),
                denials: Vec::new(),
            });
            groups.len() - 1
        });
        let g = &mut groups[i];
        g.count += 1;
        g.cents += d.cents;
        if d.deadline < g.earliest_deadline {
            g.earliest_deadline = d.deadline.clone();
        }
        g.denials.push(d);
    }
    groups
        .sort_by(|a, b| a.earliest_deadline.cmp(&b.earliest_deadline).then(b.cents.cmp(&a.cents)));
    groups
}

/// A denial in the work queue.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
            "SELECT party, payer_key, service_date, CAST(SUM(amount_cents) AS BIGINT) FROM journal_day \
             WHERE posting_date <= $1 AND ($2 = 0 OR practice_id = $2) GROUP BY party, payer_key, service_date",
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

    /// The practice of a denial's claim, if the denial exists.
    pub async fn denial_practice(&self, id: i64) -> Result<Option<i64>> {
        Ok(sqlx::query(
            "SELECT c.practice_id FROM denial d JOIN claim c ON c.id = d.claim_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the denial")?
        .map(|r| r.get(0)))
    }

    /// The denial work queue of `practices`: the open denials in groups by `by`, each group with
    /// its full count, amount and nearest deadline, listing the `limit` denials with the nearest
    /// deadlines across the groups; the group with the nearest deadline first. Counted from the
    /// denials alone (each carries its claim's practice and payer), so a book of a million
    /// claims costs no more than the denials do.
    pub async fn denial_queue(
        &self,
        practices: &[i64],
        by: DenialKey,
        limit: i64,
    ) -> Result<Vec<DenialGroup>> {
        if practices.is_empty() {
            return Ok(Vec::new());
        }
        // Counted from the denials alone, grouped by their own columns (the payer's name is
        // looked up afterwards): one pass over an index, no join.
        let cols = match by {
            DenialKey::Reason => "grp, carc",
            DenialKey::Category => "category",
            DenialKey::Payer => "payer_id",
        };
        let list = id_list(practices);
        let totals = sqlx::query(&format!(
            "SELECT {cols}, CAST(COUNT(*) AS BIGINT), CAST(SUM(amount_cents) AS BIGINT), MIN(deadline) \
             FROM denial WHERE status = 'open' AND practice_id IN ({list}) GROUP BY {cols}"
        ))
        .fetch_all(&self.pool)
        .await
        .ctx("counting denials")?;
        let payers: BTreeMap<i64, String> = match by {
            DenialKey::Payer => sqlx::query("SELECT id, name FROM payer")
                .fetch_all(&self.pool)
                .await
                .ctx("reading payers")?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect(),
            _ => BTreeMap::new(),
        };
        let mut merged: BTreeMap<String, DenialGroup> = BTreeMap::new();
        for r in &totals {
            let (key, n) = match by {
                DenialKey::Reason => {
                    (format!("{}-{}", r.get::<String, _>(0), r.get::<String, _>(1)), 2)
                }
                DenialKey::Category => (r.get(0), 1),
                DenialKey::Payer => {
                    let id: Option<i64> = r.get(0);
                    (id.and_then(|i| payers.get(&i).cloned()).unwrap_or_default(), 1)
                }
            };
            let (count, cents, deadline): (i64, Option<i64>, String) =
                (r.get(n), r.get(n + 1), r.get(n + 2));
            let g = merged.entry(key.clone()).or_insert_with(|| DenialGroup {
                key,
                count: 0,
                cents: 0,
                earliest_deadline: deadline.clone(),
                denials: Vec::new(),
            });
            g.count += count as usize;
            g.cents += cents.unwrap_or(0);
            if deadline < g.earliest_deadline {
                g.earliest_deadline = deadline;
            }
        }
        let mut groups: Vec<DenialGroup> = merged.into_values().collect();
        // The nearest deadlines of each practice read in index order, then merged.
        let nearest = practices
            .iter()
            .map(|p| {
                format!(
                    "SELECT * FROM (SELECT * FROM denial WHERE status = 'open' AND practice_id = {p} ORDER BY deadline, id LIMIT $1) n{p}"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows = sqlx::query(&format!(
            "SELECT d.id, d.claim_id, c.pcn, y.name, d.grp, d.carc, d.rarc, d.category, d.amount_cents, d.deadline, d.assigned_user_id \
             FROM ({nearest}) d \
             JOIN claim c ON c.id = d.claim_id JOIN payer y ON y.id = d.payer_id ORDER BY d.deadline, d.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("reading denials")?;
        let index: BTreeMap<String, usize> =
            groups.iter().enumerate().map(|(i, g)| (g.key.clone(), i)).collect();
        for r in &rows {
            let d = denial_item_of(r);
            let k = match by {
                DenialKey::Reason => &d.carc,
                DenialKey::Category => &d.category,
                DenialKey::Payer => &d.payer,
            };
            if let Some(i) = index.get(k) {
                groups[*i].denials.push(d);
            }
        }
        groups.sort_by(|a, b| {
            a.earliest_deadline.cmp(&b.earliest_deadline).then(b.cents.cmp(&a.cents))
        });
        Ok(groups)
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
        Ok(rows.iter().map(denial_item_of).collect())
    }

    /// Credit balances: each account and party whose journal sums below zero (a payer or the
    /// patient paid more than it owed), largest first.
    pub async fn credit_balances(&self, practice: Option<i64>) -> Result<Vec<Credit>> {
        let rows = sqlx::query(
            "SELECT j.claim_id, c.pcn, c.practice_id, c.patient_id, p.last_name || ', ' || p.first_name, \
                    j.party, COALESCE(y.name, ''), j.payer_id, -j.total \
             FROM (SELECT claim_id, party, payer_id, CAST(SUM(amount_cents) AS BIGINT) AS total FROM journal \
                   WHERE ($1 = 0 OR practice_id = $1) GROUP BY claim_id, party, payer_id \
                   HAVING SUM(amount_cents) < 0) j \
             JOIN claim c ON c.id = j.claim_id JOIN patient p ON p.id = c.patient_id \
             LEFT JOIN payer y ON y.id = j.payer_id \
             ORDER BY j.total, j.claim_id",
        )
        .bind(practice.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .ctx("reading credit balances")?;
        Ok(rows
            .iter()
            .map(|r| Credit {
                account_id: r.get(0),
                pcn: r.get(1),
                practice_id: r.get(2),
                patient_id: r.get(3),
                patient: r.get(4),
                party: r.get(5),
                payer: r.get(6),
                payer_id: r.get(7),
                cents: r.get(8),
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

/// One claim on a patient statement.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatementClaim {
    /// Claim.
    pub claim_id: i64,
    /// Patient control number.
    pub pcn: String,
    /// The patient (a guarantor may pay for several).
    pub patient: String,
    /// Date of service.
    pub service_date: String,
    /// Codes billed.
    pub codes: Vec<String>,
    /// Charges.
    pub charges: i64,
    /// Paid by insurance.
    pub insurance_paid: i64,
    /// Written off (contractual and other adjustments).
    pub adjustments: i64,
    /// Paid by the patient.
    pub patient_paid: i64,
    /// What the patient owes on it.
    pub balance: i64,
}

/// What one guarantor's statement is made of.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatementData {
    /// Practice name and address lines.
    pub practice: (i64, String, Vec<String>),
    /// Guarantor (patient ID), name and address lines.
    pub guarantor: (i64, String, Vec<String>),
    /// Account number.
    pub account: String,
    /// The claims owed.
    pub claims: Vec<StatementClaim>,
    /// Total due.
    pub total_due: i64,
    /// The amount due by age of service (0-30 … 120+).
    pub aging: Vec<Bucket>,
    /// Claims left off because insurance has not finished with them.
    pub pending_with_insurance: usize,
}

impl Store {
    /// Statements as of `as_of`: per guarantor, the claims with a patient balance whose
    /// insurance is done (a claim some payer still owes on is left off and counted).
    pub async fn statement_data(
        &self,
        as_of: Date,
        practice: Option<i64>,
    ) -> Result<Vec<StatementData>> {
        let rows = sqlx::query(
            "SELECT j.claim_id, j.kind, j.party, j.amount_cents FROM journal j WHERE j.posting_date <= $1 \
             AND ($2 = 0 OR j.practice_id = $2) \
             AND j.claim_id IN (SELECT claim_id FROM journal WHERE party = 'patient' AND posting_date <= $1) ORDER BY j.claim_id, j.id",
        )
        .bind(as_of.to_string())
        .bind(practice.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .ctx("reading patient balances")?;
        // Per account: charges, insurance paid, adjustments, patient paid, patient balance, payer balance.
        let mut acc: BTreeMap<i64, [i64; 6]> = BTreeMap::new();
        for r in rows {
            let (claim, kind, party, cents): (i64, String, String, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            let a = acc.entry(claim).or_default();
            let patient = party == "patient";
            match kind.as_str() {
                "charge" => a[0] += cents,
                "payment" if patient => a[3] -= cents,
                "payment" => a[1] -= cents,
                "adjustment" => a[2] -= cents,
                _ => {}
            }
            if patient {
                a[4] += cents;
            } else {
                a[5] += cents;
            }
        }
        let mut by_guarantor: BTreeMap<i64, StatementData> = BTreeMap::new();
        let mut pending: BTreeMap<i64, usize> = BTreeMap::new();
        let ids: Vec<i64> = acc.iter().filter(|(_, a)| a[4] > 0).map(|(id, _)| *id).collect();
        for chunk in ids.chunks(500) {
            let rows = sqlx::query(&format!(
                "SELECT c.id, c.pcn, c.service_from, p.id AS pid, p.first_name, p.last_name, p.account, \
                 COALESCE(g.id, p.id) AS gid, COALESCE(g.first_name, p.first_name) AS gfirst, COALESCE(g.last_name, p.last_name) AS glast, \
                 COALESCE(g.address, p.address) AS gaddr, COALESCE(g.city, p.city) AS gcity, COALESCE(g.state, p.state) AS gstate, \
                 COALESCE(g.zip, p.zip) AS gzip, pr.id AS prid, pr.name AS prname, pr.address AS praddr, pr.city AS prcity, \
                 pr.state AS prstate, pr.zip AS przip \
                 FROM claim c JOIN patient p ON p.id = c.patient_id LEFT JOIN patient g ON g.id = p.guarantor_id \
                 JOIN practice pr ON pr.id = c.practice_id WHERE c.id IN ({}) ORDER BY c.id",
                id_list(chunk)
            ))
            .fetch_all(&self.pool)
            .await
            .ctx("reading statement claims")?;
            for r in rows {
                let id: i64 = r.get("id");
                let a = acc[&id];
                let gid: i64 = r.get("gid");
                if a[5] > 0 {
                    *pending.entry(gid).or_default() += 1;
                    continue;
                }
                let codes: Vec<String> = sqlx::query("SELECT code, revenue_code FROM claim_line WHERE claim_id = $1 ORDER BY line_no")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .ctx("reading claim lines")?
                    .iter()
                    .map(|l| {
                        let code: String = l.get(0);
                        if code.is_empty() { format!("rev {}", l.get::<String, _>(1)) } else { code }
                    })
                    .collect();
                let zip =
                    |z: String| if z.len() == 9 { format!("{}-{}", &z[..5], &z[5..]) } else { z };
                let entry = by_guarantor.entry(gid).or_insert_with(|| StatementData {
                    practice: (
                        r.get("prid"),
                        r.get("prname"),
                        vec![
                            r.get("praddr"),
                            format!(
                                "{}, {} {}",
                                r.get::<String, _>("prcity"),
                                r.get::<String, _>("prstate"),
                                zip(r.get("przip"))
                            ),
                        ],
                    ),
                    guarantor: (
                        gid,
                        format!("{} {}", r.get::<String, _>("gfirst"), r.get::<String, _>("glast")),
                        vec![
                            r.get("gaddr"),
                            format!(
                                "{}, {} {}",
                                r.get::<String, _>("gcity"),
                                r.get::<String, _>("gstate"),
                                zip(r.get("gzip"))
                            ),
                        ],
                    ),
                    account: r.get("account"),
                    claims: Vec::new(),
                    total_due: 0,
                    aging: Vec::new(),
                    pending_with_insurance: 0,
                });
                entry.claims.push(StatementClaim {
                    claim_id: id,
                    pcn: r.get("pcn"),
                    patient: format!(
                        "{} {}",
                        r.get::<String, _>("first_name"),
                        r.get::<String, _>("last_name")
                    ),
                    service_date: r.get("service_from"),
                    codes,
                    charges: a[0],
                    insurance_paid: a[1],
                    adjustments: a[2],
                    patient_paid: a[3],
                    balance: a[4],
                });
            }
        }
        let mut out: Vec<StatementData> = by_guarantor.into_values().collect();
        for s in &mut out {
            let mut b = Buckets::default();
            for c in &s.claims {
                b.add(c.service_date.parse().unwrap_or(as_of), as_of, Cents(c.balance));
            }
            s.total_due = b.total().0;
            s.aging = buckets(&b);
            s.pending_with_insurance = pending.get(&s.guarantor.0).copied().unwrap_or(0);
        }
        Ok(out)
    }

    /// The guarantors (patient IDs) sent a statement dated `date` (by one practice, or any).
    pub async fn statements_sent_on(
        &self,
        date: Date,
        practice: Option<i64>,
    ) -> Result<std::collections::BTreeSet<(i64, i64)>> {
        Ok(sqlx::query(
            "SELECT practice_id, guarantor_id FROM statement WHERE statement_date = $1 AND ($2 = 0 OR practice_id = $2)",
        )
        .bind(date.to_string())
        .bind(practice.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .ctx("reading statements sent")?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
    }

    /// Records a statement sent and moves its claims to `patient_billed` (in one transaction).
    pub async fn record_statement(
        &self,
        actor: &crate::Actor,
        s: &StatementData,
        date: Date,
        body: &str,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let id = crate::sql::insert(
            &mut tx,
            "statement",
            &[
                ("practice_id", s.practice.0.into()),
                ("guarantor_id", s.guarantor.0.into()),
                ("statement_date", date.into()),
                ("total_cents", s.total_due.into()),
                ("body", body.into()),
                ("created_at", crate::now().into()),
            ],
        )
        .await?;
        for c in &s.claims {
            let state = crate::claims::state_of(&mut tx, c.claim_id).await?;
            if state.can_move_to(ledger::lifecycle::ClaimState::PatientBilled) {
                crate::claims::move_claim(
                    &mut tx,
                    actor,
                    c.claim_id,
                    ledger::lifecycle::ClaimState::PatientBilled,
                    &format!("statement {id}"),
                )
                .await?;
            }
        }
        crate::sql::audit(
            &mut tx,
            actor,
            "statement",
            "patient",
            Some(s.guarantor.0),
            Some(s.practice.0),
            "",
        )
        .await?;
        tx.commit().await.ctx("saving the statement")?;
        Ok(id)
    }
}

/// What an appeal letter for a denied claim is made of.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AppealData {
    /// The claim.
    pub claim_id: i64,
    /// Its practice.
    pub practice_id: i64,
    /// Practice name, address lines, NPI and tax ID.
    pub practice: (String, Vec<String>, String, String),
    /// The payer's name.
    pub payer: String,
    /// Patient name, date of birth and member ID.
    pub patient: (String, String, String),
    /// Patient control number.
    pub pcn: String,
    /// The payer's claim number.
    pub payer_claim_number: String,
    /// Dates of service (from, to).
    pub service: (String, String),
    /// Total charge.
    pub total_cents: i64,
    /// Lines: (line, code with modifiers, units, charge).
    pub lines: Vec<(i64, String, String, i64)>,
    /// Denials: (group-CARC, remarks, category, amount, received).
    pub denials: Vec<(String, String, String, i64, String)>,
    /// The reason the biller gave when appealing (the latest), if the claim was appealed.
    pub reason: Option<String>,
}

impl Store {
    /// The facts of an appeal letter for a claim with at least one denial (`None` when the
    /// claim does not exist; an error when it has no denial).
    pub async fn appeal_data(&self, claim_id: i64) -> Result<Option<AppealData>> {
        let Some(r) = sqlx::query(
            "SELECT c.practice_id, pr.name, pr.address, pr.city, pr.state, pr.zip, pr.npi, pr.tax_id, y.name, \
             p.first_name, p.last_name, p.birth_date, COALESCE(cv.member_id, ''), c.pcn, c.payer_claim_number, \
             c.service_from, c.service_to, c.total_cents \
             FROM claim c JOIN practice pr ON pr.id = c.practice_id JOIN payer y ON y.id = c.payer_id \
             JOIN patient p ON p.id = c.patient_id LEFT JOIN coverage cv ON cv.id = c.coverage_id WHERE c.id = $1",
        )
        .bind(claim_id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the claim")?
        else {
            return Ok(None);
        };
        let denials: Vec<(String, String, String, i64, String)> = sqlx::query(
            "SELECT grp, carc, rarc, category, amount_cents, received FROM denial WHERE claim_id = $1 ORDER BY id",
        )
        .bind(claim_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the claim's denials")?
        .iter()
        .map(|d| {
            (
                format!("{}-{}", d.get::<String, _>(0), d.get::<String, _>(1)),
                d.get(2),
                d.get(3),
                d.get(4),
                d.get(5),
            )
        })
        .collect();
        if denials.is_empty() {
            return Err(Error::Invalid(format!(
                "claim {}: the payer denied nothing on it, so there is nothing to appeal",
                r.get::<String, _>(13)
            )));
        }
        let lines = sqlx::query(
            "SELECT line_no, code, modifiers, revenue_code, units, charge_cents FROM claim_line WHERE claim_id = $1 ORDER BY line_no",
        )
        .bind(claim_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the claim's lines")?
        .iter()
        .map(|l| {
            let (code, modifiers, revenue): (String, String, String) = (l.get(1), l.get(2), l.get(3));
            let mut what = if code.is_empty() { format!("rev {revenue}") } else { code };
            for m in modifiers.split([',', ' ', ':']).filter(|m| !m.is_empty()) {
                what.push('-');
                what.push_str(m);
            }
            let units = l.get::<i64, _>(4);
            let units = if units % 1000 == 0 {
                (units / 1000).to_string()
            } else {
                format!("{}", units as f64 / 1000.0)
            };
            (l.get(0), what, units, l.get(5))
        })
        .collect();
        let reason = sqlx::query(
            "SELECT reason FROM claim_event WHERE claim_id = $1 AND to_state = 'appealed' ORDER BY id DESC LIMIT 1",
        )
        .bind(claim_id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the appeal")?
        .map(|e| {
            let why: String = e.get(0);
            why.strip_prefix("appeal: ").unwrap_or(&why).to_string()
        });
        let zip = |z: String| if z.len() == 9 { format!("{}-{}", &z[..5], &z[5..]) } else { z };
        Ok(Some(AppealData {
            claim_id,
            practice_id: r.get(0),
            practice: (
                r.get(1),
                vec![
                    r.get(2),
                    format!(
                        "{}, {} {}",
                        r.get::<String, _>(3),
                        r.get::<String, _>(4),
                        zip(r.get(5))
                    ),
                ],
                r.get(6),
                r.get(7),
            ),
            payer: r.get(8),
            patient: (
                format!("{} {}", r.get::<String, _>(9), r.get::<String, _>(10)),
                r.get(11),
                r.get(12),
            ),
            pcn: r.get(13),
            payer_claim_number: r.get(14),
            service: (r.get(15), r.get(16)),
            total_cents: r.get(17),
            lines,
            denials,
            reason,
        }))
    }
}

/// The billing service's key figures over a period (the `ar report` contract).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct KeyFigures {
    /// The last day of the period.
    pub as_of: String,
    /// The period's first day.
    pub from: String,
    /// A/R on `as_of`.
    pub ar_cents: i64,
    /// Charges posted in the period.
    pub charges_cents: i64,
    /// Days in A/R: A/R ÷ the period's average daily charges.
    pub days_in_ar: Option<f64>,
    /// Claims submitted in the period (first submissions).
    pub claims_submitted: i64,
    /// Of those, accepted without a rejection.
    pub claims_accepted_first_pass: i64,
    /// First-pass acceptance (clean-claim) rate.
    pub first_pass_rate: Option<f64>,
    /// Claims adjudicated in the period.
    pub claims_adjudicated: i64,
    /// Of those, with at least one denial.
    pub claims_denied: i64,
    /// Denial rate.
    pub denial_rate: Option<f64>,
    /// Payments posted in the period (payers and patients).
    pub payments_cents: i64,
    /// Contractual adjustments (CO) posted in the period.
    pub contractual_cents: i64,
    /// Net collection rate: payments ÷ (charges − contractual adjustments).
    pub net_collection_rate: Option<f64>,
    /// Denials received in the period by payer and reason.
    pub denials: Vec<DenialCount>,
    /// Payments in the period per code per payer.
    pub payments_by_code: Vec<CodePayments>,
    /// What each patient owes on `as_of`, largest first (at most 100).
    pub by_patient: Vec<PatientBalance>,
}

/// Denials of one reason from one payer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DenialCount {
    /// Payer.
    pub payer: String,
    /// Group and CARC.
    pub carc: String,
    /// Category.
    pub category: String,
    /// How many.
    pub count: i64,
    /// Amount denied.
    pub cents: i64,
}

/// What a payer paid for one code.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CodePayments {
    /// Payer.
    pub payer: String,
    /// Procedure code (or revenue code).
    pub code: String,
    /// Lines paid.
    pub lines: i64,
    /// Paid.
    pub cents: i64,
    /// Average per line.
    pub average_cents: i64,
}

/// One patient's balance.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PatientBalance {
    /// Patient ID.
    pub patient_id: i64,
    /// Account number.
    pub account: String,
    /// Owed.
    pub cents: i64,
}

/// One period's figures, from the daily sums (`journal_kind_day`, `claim_day`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Period {
    /// The period's first day.
    pub from: String,
    /// Its last day.
    pub as_of: String,
    /// A/R at the end of `as_of` (every entry posted on or before it).
    pub ar_cents: i64,
    /// Charges posted in the period.
    pub charges_cents: i64,
    /// Payments posted (payers and patients).
    pub payments_cents: i64,
    /// Contractual adjustments (CO) posted.
    pub contractual_cents: i64,
    /// Claims first submitted in the period.
    pub submitted: i64,
    /// Of those, rejected since by the clearinghouse or the payer's front end.
    pub rejected: i64,
    /// Claims adjudicated for the first time in the period (by payment date).
    pub adjudicated: i64,
    /// Claims denied (in whole or in part) for the first time in the period.
    pub denied: i64,
}

impl Period {
    /// Days in A/R: A/R ÷ the period's average daily charges.
    pub fn days_in_ar(&self, days: i64) -> Option<f64> {
        let daily = self.charges_cents as f64 / days.max(1) as f64;
        (daily > 0.0).then(|| (self.ar_cents as f64 / daily * 10.0).round() / 10.0)
    }

    /// First-pass acceptance (clean-claim) rate.
    pub fn first_pass_rate(&self) -> Option<f64> {
        rate(self.submitted - self.rejected, self.submitted)
    }

    /// Denial rate.
    pub fn denial_rate(&self) -> Option<f64> {
        rate(self.denied, self.adjudicated)
    }
}

fn rate(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| (n as f64 / d as f64 * 10_000.0).round() / 10_000.0)
}

impl Store {
    /// The figures of the `days` days ending on each of `ends` (of one practice, or all), from
    /// the daily sums: three reads however many periods (A/R before the earliest, then the days
    /// the periods cover), never the journal itself.
    pub async fn periods(
        &self,
        practice: Option<i64>,
        ends: &[Date],
        days: i64,
    ) -> Result<Vec<Period>> {
        let (Some(first), Some(last)) = (ends.iter().min(), ends.iter().max()) else {
            return Ok(Vec::new());
        };
        let start = |end: &Date| Date::from_day_number(end.day_number() - days + 1).unwrap_or(*end);
        let p = practice.unwrap_or(0);
        // What was owed before the earliest period (one sum), then the days the periods cover.
        let since = start(first).to_string();
        let before: i64 = sqlx::query(
            "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM journal_kind_day WHERE posting_date < $1 AND ($2 = 0 OR practice_id = $2)",
        )
        .bind(since.as_str())
        .bind(p)
        .fetch_one(&self.pool)
        .await
        .ctx("summing the journal")?
        .get::<Option<i64>, _>(0)
        .unwrap_or(0);
        let money = sqlx::query(
            "SELECT posting_date, kind, grp, CAST(SUM(amount_cents) AS BIGINT) FROM journal_kind_day \
             WHERE posting_date >= $1 AND posting_date <= $2 AND ($3 = 0 OR practice_id = $3) GROUP BY posting_date, kind, grp",
        )
        .bind(since.as_str())
        .bind(last.to_string())
        .bind(p)
        .fetch_all(&self.pool)
        .await
        .ctx("summing the journal by day")?;
        let counts = sqlx::query(
            "SELECT day, CAST(SUM(submitted) AS BIGINT), CAST(SUM(rejected) AS BIGINT), CAST(SUM(adjudicated) AS BIGINT), \
             CAST(SUM(denied) AS BIGINT) FROM claim_day WHERE day >= $1 AND day <= $2 AND ($3 = 0 OR practice_id = $3) GROUP BY day",
        )
        .bind(start(first).to_string())
        .bind(last.to_string())
        .bind(p)
        .fetch_all(&self.pool)
        .await
        .ctx("counting claims by day")?;
        let mut out: Vec<Period> = ends
            .iter()
            .map(|e| Period {
                from: start(e).to_string(),
                as_of: e.to_string(),
                ar_cents: before,
                ..Period::default()
            })
            .collect();
        for r in &money {
            let day: String = r.get(0);
            let (kind, grp): (String, String) = (r.get(1), r.get(2));
            let cents: i64 = r.get::<Option<i64>, _>(3).unwrap_or(0);
            for p in out.iter_mut().filter(|p| day <= p.as_of) {
                p.ar_cents += cents;
                if day < p.from {
                    continue;
                }
                match (kind.as_str(), grp.as_str()) {
                    ("charge", _) => p.charges_cents += cents,
                    ("payment", _) => p.payments_cents -= cents,
                    ("adjustment", "CO") => p.contractual_cents -= cents,
                    _ => {}
                }
            }
        }
        for r in &counts {
            let day: String = r.get(0);
            let n = |i| r.get::<Option<i64>, _>(i).unwrap_or(0);
            for p in out.iter_mut().filter(|p| p.from <= day && day <= p.as_of) {
                p.submitted += n(1);
                p.rejected += n(2);
                p.adjudicated += n(3);
                p.denied += n(4);
            }
        }
        Ok(out)
    }

    /// Denials received from `from` to `to` (of one practice, or all) by group and reason code
    /// (`CO-197`), most first.
    pub async fn denial_reasons(
        &self,
        practice: Option<i64>,
        from: Date,
        to: Date,
    ) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query(
            "SELECT grp, carc, COUNT(*) FROM denial WHERE received >= $1 AND received <= $2 AND ($3 = 0 OR practice_id = $3) \
             GROUP BY grp, carc ORDER BY COUNT(*) DESC, grp, carc",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(practice.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .ctx("counting denials by reason")?
        .iter()
        .map(|r| (format!("{}-{}", r.get::<String, _>(0), r.get::<String, _>(1)), r.get(2)))
        .collect())
    }

    /// Key figures for the `days` days ending on `as_of` (of one practice, or all).
    pub async fn key_figures(
        &self,
        as_of: Date,
        days: i64,
        practice: Option<i64>,
    ) -> Result<KeyFigures> {
        let from = Date::from_day_number(as_of.day_number() - days + 1).unwrap_or(as_of);
        let (f, t, p) = (from.to_string(), as_of.to_string(), practice.unwrap_or(0));
        let period = self.periods(practice, &[as_of], days).await?.pop().unwrap_or_default();
        let denials = sqlx::query(
            "SELECT y.name, d.grp, d.carc, d.category, COUNT(*), CAST(SUM(d.amount_cents) AS BIGINT) FROM denial d \
             JOIN payer y ON y.id = d.payer_id \
             WHERE d.received >= $1 AND d.received <= $2 AND ($3 = 0 OR d.practice_id = $3) \
             GROUP BY y.name, d.grp, d.carc, d.category ORDER BY COUNT(*) DESC, y.name, d.carc",
        )
        .bind(f.clone())
        .bind(t.clone())
        .bind(p)
        .fetch_all(&self.pool)
        .await
        .ctx("counting denials")?
        .iter()
        .map(|r| DenialCount {
            payer: r.get(0),
            carc: format!("{}-{}", r.get::<String, _>(1), r.get::<String, _>(2)),
            category: r.get(3),
            count: r.get(4),
            cents: r.get::<Option<i64>, _>(5).unwrap_or(0),
        })
        .collect();
        let payments_by_code = sqlx::query(
            "SELECT y.name, CASE WHEN l.code = '' THEN l.revenue_code ELSE l.code END AS code, COUNT(*), CAST(-SUM(j.amount_cents) AS BIGINT) \
             FROM journal j JOIN claim_line l ON l.claim_id = j.claim_id AND l.line_no = j.line_no JOIN payer y ON y.id = j.payer_id \
             WHERE j.kind = 'payment' AND j.party = 'payer' AND j.posting_date >= $1 AND j.posting_date <= $2 AND ($3 = 0 OR j.practice_id = $3) \
             GROUP BY y.name, CASE WHEN l.code = '' THEN l.revenue_code ELSE l.code END ORDER BY y.name, code",
        )
        .bind(f.clone())
        .bind(t.clone())
        .bind(p)
        .fetch_all(&self.pool)
        .await
        .ctx("summing payments by code")?
        .iter()
        .map(|r| {
            let (lines, cents): (i64, i64) = (r.get(2), r.get::<Option<i64>, _>(3).unwrap_or(0));
            CodePayments { payer: r.get(0), code: r.get(1), lines, cents, average_cents: if lines > 0 { cents / lines } else { 0 } }
        })
        .collect();
        let by_patient = sqlx::query(
            "SELECT j.patient_id, p.account, CAST(SUM(j.amount_cents) AS BIGINT) AS owed FROM journal j JOIN patient p ON p.id = j.patient_id \
             WHERE j.party = 'patient' AND j.posting_date <= $1 AND ($2 = 0 OR j.practice_id = $2) \
             GROUP BY j.patient_id, p.account HAVING SUM(j.amount_cents) <> 0 ORDER BY owed DESC LIMIT 100",
        )
        .bind(t.clone())
        .bind(p)
        .fetch_all(&self.pool)
        .await
        .ctx("summing patient balances")?
        .iter()
        .map(|r| PatientBalance { patient_id: r.get(0), account: r.get(1), cents: r.get::<Option<i64>, _>(2).unwrap_or(0) })
        .collect();
        let p = &period;
        Ok(KeyFigures {
            as_of: t,
            from: f,
            ar_cents: p.ar_cents,
            charges_cents: p.charges_cents,
            days_in_ar: p.days_in_ar(days),
            claims_submitted: p.submitted,
            claims_accepted_first_pass: p.submitted - p.rejected,
            first_pass_rate: p.first_pass_rate(),
            claims_adjudicated: p.adjudicated,
            claims_denied: p.denied,
            denial_rate: p.denial_rate(),
            payments_cents: p.payments_cents,
            contractual_cents: p.contractual_cents,
            net_collection_rate: rate(p.payments_cents, p.charges_cents - p.contractual_cents),
            denials,
            payments_by_code,
            by_patient,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn denial(
        id: i64,
        payer: &str,
        carc: &str,
        category: &str,
        cents: i64,
        deadline: &str,
    ) -> DenialItem {
        DenialItem {
            id,
            claim_id: id,
            pcn: format!("P{id}"),
            payer: payer.into(),
            carc: carc.into(),
            rarc: String::new(),
            category: category.into(),
            cents,
            deadline: deadline.into(),
            assigned_to: None,
        }
    }

    #[test]
    fn denials_group_with_the_nearest_deadline_first() {
        let items = vec![
            denial(1, "ACME", "CO-197", "authorization", 100, "2026-08-01"),
            denial(2, "MEDICARE", "CO-16", "missing information", 250, "2026-08-15"),
            denial(3, "ACME", "CO-16", "missing information", 50, "2026-09-01"),
            denial(4, "MEDICARE", "CO-197", "authorization", 75, "2026-10-01"),
        ];
        let by_payer = group_denials(items.clone(), DenialKey::Payer);
        let keys: Vec<_> = by_payer.iter().map(|g| (g.key.as_str(), g.count, g.cents)).collect();
        assert_eq!(keys, [("ACME", 2, 150), ("MEDICARE", 2, 325)]);
        assert_eq!(by_payer[1].earliest_deadline, "2026-08-15");
        let by_reason = group_denials(items.clone(), DenialKey::Reason);
        assert_eq!(by_reason[0].key, "CO-197");
        assert_eq!(by_reason[0].denials.iter().map(|d| d.id).collect::<Vec<_>>(), [1, 4]);
        let by_category = group_denials(items, DenialKey::Category);
        assert_eq!(by_category.len(), 2);
        assert_eq!(by_category.iter().map(|g| g.count).sum::<usize>(), 4);
        assert!(group_denials(Vec::new(), DenialKey::Payer).is_empty());
    }
}
