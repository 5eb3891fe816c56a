//! 835 posting: one database transaction per file, idempotent.
//!
//! Each transaction set is posted on its own (one file can hold several payers and payees) and
//! keyed by its payer, trace number (TRN02), amount and date, so a set already posted (the same
//! file again, or the set re-sent in another file) changes nothing. Each CLP is matched to a
//! claim by its patient control number; the payer must be the claim's payer or another payer of
//! the patient's (a crossover's 835 echoes the original claim's number), else the CLP goes to
//! the suspense queue, as do CLPs for unknown or never-submitted claims, reversals of payments
//! never posted, and lifecycle refusals. What a CLP means for the journal comes from
//! `ledger::posting`. A deposit that does not balance (Σ CLP04 − Σ PLB ≠ BPR02) is posted and
//! flagged in the suspense queue.

use std::collections::HashMap;

use claim_model::{Cents, ClaimPayment, Remittance};
use code_sets::Date;
use ledger::lifecycle::ClaimState;
use ledger::posting::{
    Adjudication, ClaimToPost, Deposit, LineToPost, post_claim, reverse_entries,
};
use ledger::{Entry, EntryKind, Party, PayerId};
use sqlx::Row;

use crate::sql::{V, audit, bind_all, id_list, in_json, insert_many, placeholders, reserve};
use crate::{Actor, Context, Error, Result, Store};

/// What posting a file did (the `remit post --json` contract).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PostSummary {
    /// True when every transaction set of the file had been posted before (nothing changed).
    pub already_posted: bool,
    /// CLPs matched to claims and posted.
    pub claims_matched: usize,
    /// CLPs sent to the suspense queue.
    pub claims_unmatched: usize,
    /// Σ CLP04 posted.
    pub paid_cents: i64,
    /// Σ write-offs posted (CO, PI, OA, OI, CR).
    pub adjusted_cents: i64,
    /// Σ patient responsibility (PR) moved to the next party.
    pub patient_responsibility_cents: i64,
    /// Σ PLB amounts (positive: withheld from the payment).
    pub provider_adjustments_cents: i64,
    /// True when, for every set, the money posted equals BPR02 once PLB is counted.
    pub balanced: bool,
    /// Transaction sets posted by this run.
    pub sets_posted: usize,
    /// Transaction sets skipped because they were posted before.
    pub sets_already_posted: usize,
    /// Denials opened.
    pub denials: usize,
    /// Claims closed because their account is settled (nothing owed by anyone).
    pub claims_closed: u64,
    /// Why CLPs went to suspense, and what else the posting noticed.
    pub notes: Vec<String>,
}

/// A claim as the posting needs it.
#[derive(Clone, Debug)]
struct ClaimFacts {
    id: i64,
    practice_id: i64,
    patient_id: i64,
    payer_id: i64,
    rank: u8,
    account_id: i64,
    state: ClaimState,
    service_from: Date,
    lines: Vec<(LineToPost, Date)>,
    /// A remittance named it before this set (its first adjudication was counted then).
    adjudicated_before: bool,
    /// A denial names it from before this set.
    denied_before: bool,
}

/// The set's idempotency key.
fn set_key(r: &Remittance) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        r.payer.1,
        r.trace,
        r.payment.0,
        r.date.map(|d| d.to_string()).unwrap_or_default(),
        r.payee.1
    )
}

impl Store {
    /// Posts the remittances of one 835 file (`sha256` identifies the file) as of `today`.
    pub async fn post_remittances(
        &self,
        actor: &Actor,
        org_id: i64,
        sha256: &str,
        file_name: &str,
        today: Date,
        remits: &[Remittance],
    ) -> Result<PostSummary> {
        let mut s = PostSummary { balanced: true, ..Default::default() };
        for r in remits {
            s.balanced &= Deposit::of(r).balanced();
        }
        let mut tx = self.pool.begin().await.ctx("starting the posting")?;
        let now = crate::now();
        let file = sqlx::query(
            "INSERT INTO remit_file (org_id, sha256, file_name, received_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (org_id, sha256) DO NOTHING RETURNING id",
        )
        .bind(org_id)
        .bind(sha256)
        .bind(file_name)
        .bind(now.as_str())
        .fetch_optional(&mut *tx)
        .await
        .ctx("recording the 835 file")?;
        let Some(file) = file else {
            s.already_posted = true;
            s.sets_already_posted = remits.len();
            s.notes.push(format!("{file_name}: this file was posted before; nothing changed"));
            return Ok(s);
        };
        let file_id: i64 = file.get(0);
        let (payers, appeal_days) = payer_maps(&mut tx, org_id).await?;
        for (n, r) in remits.iter().enumerate() {
            let key = set_key(r);
            let remit = sqlx::query(
                "INSERT INTO remit (org_id, file_id, set_key, payer_id, payer_name, payer_code, payee_name, payee_id, trace, method, \
                 payment_date, expected_cents, paid_cents, provider_adjustments_cents, balanced, posted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
                 ON CONFLICT (org_id, set_key) DO NOTHING RETURNING id",
            )
            .bind(org_id)
            .bind(file_id)
            .bind(key.as_str())
            .bind(payers.get(r.payer.1.as_str()).map(|p| p.0))
            .bind(r.payer.0.as_str())
            .bind(r.payer.1.as_str())
            .bind(r.payee.0.as_str())
            .bind(r.payee.1.as_str())
            .bind(r.trace.as_str())
            .bind(r.method.as_str())
            .bind(r.date.unwrap_or(today).to_string())
            .bind(r.payment.0)
            .bind(r.claims.iter().map(|c| c.paid.0).sum::<i64>())
            .bind(r.provider_adjustments.iter().map(|p| p.amount.0).sum::<i64>())
            .bind(i64::from(Deposit::of(r).balanced()))
            .bind(now.as_str())
            .fetch_optional(&mut *tx)
            .await
            .ctx("recording the remittance")?;
            let Some(remit) = remit else {
                s.sets_already_posted += 1;
                s.notes.push(format!(
                    "transaction set {} (payer {}, trace {}) was posted before, from another file: skipped",
                    n + 1,
                    r.payer.1,
                    r.trace
                ));
                continue;
            };
            let remit_id: i64 = remit.get(0);
            s.sets_posted += 1;
            self.post_set(
                &mut tx,
                actor,
                org_id,
                remit_id,
                r,
                today,
                &payers,
                &appeal_days,
                &mut s,
            )
            .await?;
        }
        if s.sets_posted == 0 && !remits.is_empty() {
            s.already_posted = true;
        }
        audit(
            &mut tx,
            actor,
            "post",
            "remit_file",
            Some(file_id),
            None,
            &format!("{file_name}: {} claims", s.claims_matched),
        )
        .await?;
        tx.commit().await.ctx("committing the posting")?;
        Ok(s)
    }

    #[allow(clippy::too_many_arguments)]
    async fn post_set(
        &self,
        tx: &mut sqlx::AnyConnection,
        actor: &Actor,
        org_id: i64,
        remit_id: i64,
        r: &Remittance,
        today: Date,
        payers: &HashMap<String, (i64, i64)>,
        appeal_days: &HashMap<i64, i64>,
        s: &mut PostSummary,
    ) -> Result<()> {
        let effective = r.date.unwrap_or(today);
        let now = crate::now();
        let remit_payer = payers.get(r.payer.1.as_str()).map(|p| p.0);
        let mut claims = load_claims(tx, org_id, r).await?;
        // Coverages of the patients: (patient) → [(rank, payer, from, to)].
        let patients: Vec<i64> = {
            let mut v: Vec<i64> = claims.values().map(|c| c.patient_id).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut coverages: HashMap<i64, Vec<(u8, i64, String, String)>> = HashMap::new();
        for chunk in patients.chunks(500) {
            for row in sqlx::query(&format!(
                "SELECT patient_id, rank, payer_id, effective_from, effective_to FROM coverage WHERE patient_id IN ({})",
                id_list(chunk)
            ))
            .fetch_all(&mut *tx)
            .await
            .ctx("reading coverages")?
            {
                coverages.entry(row.get(0)).or_default().push((row.get::<i64, _>(1) as u8, row.get(2), row.get(3), row.get(4)));
            }
        }
        let first_rc = reserve(tx, "remit_claim", r.claims.len() as i64).await?;
        let (mut rc_rows, mut journal_rows, mut denial_rows, mut suspense_rows, mut events) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut new_states: HashMap<i64, ClaimState> = HashMap::new();
        let mut reversed: Vec<(i64, i64)> = Vec::new();
        // For the daily figures, each claim adjudicated here for the first time and each claim
        // first denied here: (claim, practice).
        let mut first_adjudicated: Vec<(i64, i64)> = Vec::new();
        let mut first_denied: Vec<(i64, i64)> = Vec::new();
        for (k, pay) in r.claims.iter().enumerate() {
            let rc_id = first_rc + k as i64;
            let body = serde_json::to_string(pay).unwrap_or_default();
            let pcn = pay.patient_control_number.to_string();
            let mut unmatched = |why: String, s: &mut PostSummary| {
                s.claims_unmatched += 1;
                s.notes.push(format!("CLP {pcn}: {why}: in the suspense queue"));
                suspense_rows.push(vec![
                    V::I(org_id),
                    V::NI(Some(remit_id)),
                    V::NI(Some(rc_id)),
                    V::T("unmatched_claim".into()),
                    V::T(why),
                    V::I(pay.paid.0),
                    V::T(now.clone()),
                ]);
            };
            let rc_row = |claim: Option<i64>, adjudication: &str, payer: Option<i64>| {
                vec![
                    V::I(rc_id),
                    V::I(remit_id),
                    V::NI(claim),
                    V::T(pcn.clone()),
                    V::T(pay.status.to_string()),
                    V::T(adjudication.into()),
                    V::I(pay.charge.0),
                    V::I(pay.paid.0),
                    V::I(pay.patient_responsibility.0),
                    V::T(pay.payer_claim_number.to_string()),
                    V::NI(payer),
                    V::T(body.clone()),
                ]
            };
            let Some(claim) = claims.get_mut(pay.patient_control_number.as_str()) else {
                unmatched(format!("no claim has patient control number {pcn}"), s);
                rc_rows.push(rc_row(None, "", remit_payer));
                continue;
            };
            let state = new_states.get(&claim.id).copied().unwrap_or(claim.state);
            if !state.is_submitted() {
                unmatched(format!("claim {pcn} is {}: it was never submitted", state.as_str()), s);
                rc_rows.push(rc_row(None, "", remit_payer));
                continue;
            }
            let imbalance = pay.imbalance();
            if imbalance != Cents::ZERO {
                unmatched(
                    format!(
                        "the payer's figures do not balance (charge {} − paid {} − adjustments leaves {}): not posted",
                        pay.charge, pay.paid, imbalance
                    ),
                    s,
                );
                rc_rows.push(rc_row(None, "", remit_payer));
                continue;
            }
            // Which of the patient's payers sent it, and its rank for this claim.
            let covs = coverages.get(&claim.patient_id).cloned().unwrap_or_default();
            let on = claim.service_from.to_string();
            let in_force: Vec<&(u8, i64, String, String)> = covs
                .iter()
                .filter(|(_, _, f, t)| f.as_str() <= on.as_str() && on.as_str() <= t.as_str())
                .collect();
            let (payer_id, rank) = match remit_payer {
                None => (claim.payer_id, claim.rank),
                Some(p) if p == claim.payer_id => (p, claim.rank),
                Some(p) => match in_force.iter().find(|c| c.1 == p) {
                    Some(c) => (p, c.0),
                    None => {
                        unmatched(format!("payer {} is not a payer of claim {pcn}", r.payer.1), s);
                        rc_rows.push(rc_row(None, "", remit_payer));
                        continue;
                    }
                },
            };
            let next = in_force
                .iter()
                .filter(|c| c.0 > rank)
                .min_by_key(|c| c.0)
                .map(|c| Party::Payer(PayerId(c.1)))
                .unwrap_or(Party::Patient);
            let lines: Vec<LineToPost> = claim.lines.iter().map(|(l, _)| l.clone()).collect();
            let to_post = ClaimToPost { payer: PayerId(payer_id), rank, next, lines: &lines };
            let posted = post_claim(&to_post, pay, effective);
            let target = match posted.adjudication {
                Adjudication::Paid => ClaimState::Paid,
                Adjudication::PartiallyPaid => ClaimState::PartiallyPaid,
                Adjudication::Denied => ClaimState::Denied,
                Adjudication::Reversed => ClaimState::Reversed,
                Adjudication::Forwarded => ClaimState::Forwarded,
            };
            // A later payer's 835 leaves the claim's own lifecycle alone once the primary decided.
            let moves = rank == claim.rank || !state.is_adjudicated();
            if moves && state != target && !state.can_move_to(target) {
                unmatched(
                    format!(
                        "claim {pcn} is {}; a payment saying {} cannot apply",
                        state.as_str(),
                        target.as_str()
                    ),
                    s,
                );
                rc_rows.push(rc_row(None, "", remit_payer));
                continue;
            }
            let mut entries = posted.entries.clone();
            if pay.is_reversal() {
                let originals = sqlx::query(
                    "SELECT id FROM remit_claim WHERE claim_id = $1 AND payer_claim_number = $2 AND status <> '22' AND reversed_by IS NULL ORDER BY id DESC",
                )
                .bind(claim.id)
                .bind(pay.payer_claim_number.as_str())
                .fetch_all(&mut *tx)
                .await
                .ctx("finding the payment a reversal undoes")?;
                let Some(original) = originals.first().map(|r| r.get::<i64, _>(0)) else {
                    unmatched(
                        format!(
                            "reversal of payer claim number {} that was never posted",
                            pay.payer_claim_number
                        ),
                        s,
                    );
                    rc_rows.push(rc_row(None, "", remit_payer));
                    continue;
                };
                let old = journal_of(tx, claim.account_id, original).await?;
                entries = reverse_entries(&old, effective);
                reversed.push((original, rc_id));
            }
            s.claims_matched += 1;
            s.paid_cents += posted.paid.0;
            s.adjusted_cents += posted.adjusted.0;
            s.patient_responsibility_cents += posted.patient_responsibility.0;
            s.notes.extend(posted.notes.iter().map(|n| format!("CLP {pcn}: {n}")));
            rc_rows.push(rc_row(Some(claim.id), posted.adjudication.as_str(), Some(payer_id)));
            if !claim.adjudicated_before {
                first_adjudicated.push((claim.id, claim.practice_id));
            }
            for e in &entries {
                let service = e
                    .line
                    .and_then(|l| claim.lines.get(l as usize))
                    .map(|(_, d)| *d)
                    .unwrap_or(claim.service_from);
                journal_rows.push(crate::journal::Row {
                    practice_id: claim.practice_id,
                    claim_id: claim.account_id,
                    line_no: e.line.map(i64::from),
                    party: e.party,
                    patient_id: claim.patient_id,
                    kind: e.kind,
                    amount: e.amount.0,
                    group: e.group.clone(),
                    reason: e.reason.clone(),
                    posting_date: today,
                    effective_date: e.effective,
                    service_date: service,
                    remit_id: Some(remit_id),
                    remit_claim_id: Some(rc_id),
                });
            }
            let days =
                appeal_days.get(&payer_id).copied().unwrap_or(ledger::denial::DEFAULT_APPEAL_DAYS);
            if !posted.denials.is_empty() && !claim.denied_before {
                first_denied.push((claim.id, claim.practice_id));
            }
            for d in &posted.denials {
                s.denials += 1;
                denial_rows.push(vec![
                    V::I(claim.id),
                    V::I(rc_id),
                    V::T(d.group.clone()),
                    V::T(d.carc.clone()),
                    V::T(d.remarks.join(",")),
                    V::T(ledger::denial::category(&d.carc).as_str().into()),
                    V::I(d.amount.0),
                    V::NI(d.line.map(i64::from)),
                    effective.into(),
                    ledger::denial::appeal_deadline(effective, days).into(),
                    V::I(claim.practice_id),
                    V::I(payer_id),
                ]);
            }
            if moves && state != target {
                new_states.insert(claim.id, target);
                events.push(vec![
                    V::I(claim.id),
                    V::T(now.clone()),
                    V::T(actor.0.clone()),
                    V::T(state.as_str().into()),
                    V::T(target.as_str().into()),
                    V::T(format!("835 from {} trace {}: CLP02 {}", r.payer.1, r.trace, pay.status)),
                ]);
            }
        }
        first_counts(tx, first_adjudicated, first_denied, effective).await?;
        insert_many(
            tx,
            "remit_claim",
            &[
                "id",
                "remit_id",
                "claim_id",
                "pcn",
                "status",
                "adjudication",
                "charge_cents",
                "paid_cents",
                "patient_responsibility_cents",
                "payer_claim_number",
                "payer_id",
                "body",
            ],
            &rc_rows,
        )
        .await?;
        crate::journal::append(tx, &journal_rows).await?;
        insert_many(
            tx,
            "denial",
            &[
                "claim_id",
                "remit_claim_id",
                "grp",
                "carc",
                "rarc",
                "category",
                "amount_cents",
                "line_no",
                "received",
                "deadline",
                "practice_id",
                "payer_id",
            ],
            &denial_rows,
        )
        .await?;
        for (original, by) in reversed {
            sqlx::query("UPDATE remit_claim SET reversed_by = $1 WHERE id = $2")
                .bind(by)
                .bind(original)
                .execute(&mut *tx)
                .await
                .ctx("marking a reversed payment")?;
            sqlx::query("UPDATE denial SET status = 'resolved' WHERE remit_claim_id = $1 AND status = 'open'")
                .bind(original)
                .execute(&mut *tx)
                .await
                .ctx("closing the reversed payment's denials")?;
        }
        insert_many(
            tx,
            "claim_event",
            &["claim_id", "at", "actor", "from_state", "to_state", "reason"],
            &events,
        )
        .await?;
        // Each claim's new state and the payer's claim number (for corrections and reversals;
        // on the claims billed to this payer), in one UPDATE per few hundred claims.
        let mut updates: std::collections::BTreeMap<i64, (Option<ClaimState>, Option<String>)> =
            new_states.into_iter().map(|(id, st)| (id, (Some(st), None))).collect();
        for p in r.claims.iter().filter(|p| !p.payer_claim_number.is_empty() && !p.is_reversal()) {
            if let Some(c) = claims.get(p.patient_control_number.as_str())
                && (remit_payer.is_none() || remit_payer == Some(c.payer_id))
            {
                updates.entry(c.id).or_default().1 = Some(p.payer_claim_number.to_string());
            }
        }
        let updates: Vec<_> = updates.into_iter().collect();
        for chunk in updates.chunks(300) {
            // Parameters in the order they appear in the text (SQLite's plain `?` are numbered by
            // position): each new state, the time, each payer claim number.
            let state_of: Vec<(i64, &str)> =
                chunk.iter().filter_map(|(id, (st, _))| st.map(|st| (*id, st.as_str()))).collect();
            let number_of: Vec<(i64, &str)> =
                chunk.iter().filter_map(|(id, (_, n))| n.as_deref().map(|n| (*id, n))).collect();
            let mut values: Vec<V> = state_of.iter().map(|(_, st)| V::T((*st).into())).collect();
            let mut set = Vec::new();
            if !state_of.is_empty() {
                let whens: Vec<String> = state_of
                    .iter()
                    .enumerate()
                    .map(|(i, (id, _))| format!("WHEN {id} THEN {}", placeholders(tx, i + 1, 1)))
                    .collect();
                let ids: Vec<i64> = state_of.iter().map(|(id, _)| *id).collect();
                set.push(format!("state = CASE claim_id {} ELSE state END", whens.join(" ")));
                values.push(V::T(now.clone()));
                set.push(format!(
                    "state_at = CASE WHEN claim_id IN ({}) THEN {} ELSE state_at END",
                    id_list(&ids),
                    placeholders(tx, values.len(), 1)
                ));
            }
            if !number_of.is_empty() {
                let first = values.len() + 1;
                let whens: Vec<String> = number_of
                    .iter()
                    .enumerate()
                    .map(|(i, (id, _))| {
                        format!("WHEN {id} THEN {}", placeholders(tx, first + i, 1))
                    })
                    .collect();
                values.extend(number_of.iter().map(|(_, n)| V::T((*n).into())));
                set.push(format!(
                    "payer_claim_number = CASE claim_id {} ELSE payer_claim_number END",
                    whens.join(" ")
                ));
            }
            let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
            let sql = format!(
                "UPDATE claim_status SET {} WHERE claim_id IN ({})",
                set.join(", "),
                id_list(&ids)
            );
            bind_all(sqlx::query(&sql), &values).execute(&mut *tx).await.ctx("moving claims")?;
        }
        let plb: Vec<Vec<V>> = r
            .provider_adjustments
            .iter()
            .map(|p| {
                vec![
                    V::I(remit_id),
                    V::T(p.provider.to_string()),
                    V::T(p.reason.to_string()),
                    V::T(p.reference.to_string()),
                    V::I(p.amount.0),
                    p.date.into(),
                ]
            })
            .collect();
        insert_many(
            tx,
            "provider_adjustment",
            &["remit_id", "provider_ref", "reason", "reference", "amount_cents", "fiscal_date"],
            &plb,
        )
        .await?;
        s.provider_adjustments_cents +=
            r.provider_adjustments.iter().map(|p| p.amount.0).sum::<i64>();
        let deposit = Deposit::of(r);
        if !deposit.balanced() {
            let why = format!(
                "deposit does not balance: claims paid {} − provider adjustments {} = {}, but BPR02 says {}",
                deposit.claims_paid,
                deposit.provider_adjustments,
                deposit.claims_paid - deposit.provider_adjustments,
                deposit.expected
            );
            s.notes.push(format!("trace {}: {why}", r.trace));
            suspense_rows.push(vec![
                V::I(org_id),
                V::NI(Some(remit_id)),
                V::NI(None),
                V::T("deposit".into()),
                V::T(why),
                V::I((deposit.claims_paid - deposit.provider_adjustments - deposit.expected).0),
                V::T(now.clone()),
            ]);
        }
        insert_many(
            tx,
            "suspense",
            &[
                "org_id",
                "remit_id",
                "remit_claim_id",
                "kind",
                "reason",
                "amount_cents",
                "created_at",
            ],
            &suspense_rows,
        )
        .await?;
        let accounts: Vec<i64> = journal_rows.iter().map(|j| j.claim_id).collect();
        s.claims_closed += crate::claims::close_settled(tx, actor, &accounts).await?;
        Ok(())
    }

    /// The suspense queue: (id, kind, reason, amount) of entries not yet resolved.
    pub async fn suspense(&self) -> Result<Vec<(i64, String, String, i64)>> {
        let rows = sqlx::query("SELECT id, kind, reason, amount_cents FROM suspense WHERE resolved_at IS NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .ctx("reading the suspense queue")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect())
    }

    /// The open suspense entries (oldest first) of the practices `practices`, and those no
    /// practice can be told for (a payee that is no practice's NPI or tax ID) when
    /// `unassigned`.
    pub async fn suspense_items(
        &self,
        org_id: i64,
        practices: &[i64],
        unassigned: bool,
    ) -> Result<Vec<SuspenseItem>> {
        let rows = sqlx::query(&format!(
            "SELECT {SUSPENSE_ITEM} WHERE s.org_id = $1 AND s.resolved_at IS NULL ORDER BY s.id"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the suspense queue")?;
        Ok(rows
            .iter()
            .map(suspense_item_of)
            .filter(|i| match i.practice {
                Some(p) => practices.contains(&p),
                None => unassigned,
            })
            .collect())
    }

    /// One suspense entry, resolved or not.
    pub async fn suspense_item(&self, id: i64) -> Result<SuspenseItem> {
        let r = sqlx::query(&format!("SELECT {SUSPENSE_ITEM} WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading the suspense queue")?
            .ok_or_else(|| Error::NotFound(format!("suspense entry {id}")))?;
        Ok(suspense_item_of(&r))
    }

    /// Resolves a suspense entry with what was done (audited); an entry already resolved is
    /// refused, so two people working the queue do not both act on it.
    pub async fn resolve_suspense(&self, actor: &Actor, id: i64, resolution: &str) -> Result<()> {
        let resolution = resolution.trim();
        if resolution.is_empty() || resolution.len() > 500 {
            return Err(Error::Invalid(
                "resolution: say what was done (posted by hand to a claim, returned to the payer…), up to 500 characters".into(),
            ));
        }
        let item = self.suspense_item(id).await?;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        mark_resolved(&mut tx, actor, id, resolution).await?;
        crate::sql::audit(&mut tx, actor, "resolve", "suspense", Some(id), item.practice, "")
            .await?;
        tx.commit().await.ctx("saving the resolution")
    }

    /// Applies an unmatched claim payment in the suspense queue to the claim the biller found
    /// it was for (`pcn`: the payer mistyped or truncated it, or sent it before the claim was
    /// ours): posted as if the 835 had named that claim — journal, denials, the claim's state —
    /// under the same remittance, and the entry resolved, in one transaction. Refused, with
    /// nothing changed, when the payment cannot apply to that claim (another payer's, a claim
    /// never submitted, figures that do not balance, a state that cannot take it).
    pub async fn apply_suspense(
        &self,
        actor: &Actor,
        id: i64,
        pcn: &str,
        today: Date,
    ) -> Result<PostSummary> {
        let item = self.suspense_item(id).await?;
        if item.kind != "unmatched_claim" {
            return Err(Error::Invalid(format!(
                "suspense entry {id} is a deposit that does not balance: only a claim payment can be applied to a claim; resolve it with what was done"
            )));
        }
        let pcn = pcn.trim();
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let state = sqlx::query("SELECT state FROM claim WHERE pcn = $1 AND org_id = $2")
            .bind(pcn)
            .bind(item.org_id)
            .fetch_optional(&mut *tx)
            .await
            .ctx("reading the claim")?
            .map(|r| r.get::<String, _>(0))
            .ok_or_else(|| Error::NotFound(format!("claim {pcn:?}")))?;
        if !matches!(state.as_str(), "submitted" | "accepted") {
            return Err(Error::Invalid(format!(
                "claim {pcn} is {}: only a claim waiting for the payer's answer (submitted or accepted) takes a suspended payment; nothing was applied",
                state.replace('_', " ")
            )));
        }
        mark_resolved(&mut tx, actor, id, &format!("applied to claim {pcn}")).await?;
        let row = sqlx::query(
            "SELECT rc.body, r.id, r.payer_name, r.payer_code, r.payee_name, r.payee_id, r.trace, r.method, r.payment_date \
             FROM suspense s JOIN remit_claim rc ON rc.id = s.remit_claim_id JOIN remit r ON r.id = s.remit_id WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .ctx("reading the suspended payment")?
        .ok_or_else(|| Error::NotFound(format!("suspense entry {id}")))?;
        let mut pay: claim_model::ClaimPayment = serde_json::from_str(&row.get::<String, _>(0))
            .map_err(|e| {
                Error::Invalid(format!(
                    "suspense entry {id}: the stored payment cannot be read ({e})"
                ))
            })?;
        let remit_id: i64 = row.get(1);
        let text = |i: usize| claim_model::Text::from(row.get::<String, _>(i).as_str());
        pay.patient_control_number = claim_model::Text::from(pcn);
        let remit = Remittance {
            payment: pay.paid,
            method: text(7),
            date: row.get::<String, _>(8).parse().ok(),
            trace: text(6),
            payer: (text(2), text(3)),
            payee: (text(4), text(5)),
            payer_address: None,
            payee_address: None,
            claims: vec![pay],
            provider_adjustments: Vec::new(),
        };
        let (payers, appeal_days) = payer_maps(&mut tx, item.org_id).await?;
        let mut s = PostSummary { balanced: true, sets_posted: 1, ..Default::default() };
        self.post_set(
            &mut tx,
            actor,
            item.org_id,
            remit_id,
            &remit,
            today,
            &payers,
            &appeal_days,
            &mut s,
        )
        .await?;
        if s.claims_matched != 1 {
            let why =
                s.notes.first().cloned().unwrap_or_else(|| format!("claim {pcn}: not posted"));
            return Err(Error::Invalid(format!("{why}; nothing was applied")));
        }
        crate::sql::audit(&mut tx, actor, "apply", "suspense", Some(id), item.practice, pcn)
            .await?;
        tx.commit().await.ctx("applying the suspended payment")?;
        Ok(s)
    }

    /// A claim's journal (by account: the claim and its later payers' claims).
    pub async fn journal(&self, claim_id: i64) -> Result<Vec<Entry>> {
        let rows = sqlx::query(
            "SELECT kind, party, payer_id, amount_cents, line_no, grp, reason, effective_date FROM journal \
             WHERE claim_id = (SELECT account_id FROM claim WHERE id = $1) ORDER BY id",
        )
        .bind(claim_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the journal")?;
        rows.iter().map(entry_of).collect()
    }

    /// Adds a refund to a party with a credit balance on a claim (an entry, never an edit).
    /// Refused when the party's credit on the account is smaller than the refund.
    pub async fn refund(
        &self,
        actor: &Actor,
        claim_id: i64,
        party: Party,
        cents: i64,
        today: Date,
    ) -> Result<()> {
        if cents <= 0 {
            return Err(Error::Invalid("a refund is a positive amount".into()));
        }
        let entry =
            Manual { party, kind: EntryKind::Refund, amount: cents, reason: "refund".into() };
        self.manual_entry(actor, claim_id, entry, today, |entries| {
            let balance = ledger::Balances::of(entries).of_party(party);
            if balance.0 > -cents {
                return Err(Error::Invalid(format!(
                    "claim {claim_id}: the credit is {}, less than the refund of {}",
                    Cents(-balance.0.min(0)),
                    Cents(cents)
                )));
            }
            Ok(())
        })
        .await
    }

    /// Posts a payment the patient made on an account (at the desk, by mail, online): an entry
    /// that lowers what the patient owes; paying more leaves a credit balance. With a
    /// `reference` (a check or receipt number), the same payment posted twice is refused.
    pub async fn patient_payment(
        &self,
        actor: &Actor,
        claim_id: i64,
        cents: i64,
        reference: &str,
        today: Date,
    ) -> Result<()> {
        if cents <= 0 {
            return Err(Error::Invalid("a payment is a positive amount".into()));
        }
        let reason = if reference.is_empty() {
            "patient payment".to_string()
        } else {
            format!("patient payment {reference}")
        };
        let entry = Manual {
            party: Party::Patient,
            kind: EntryKind::Payment,
            amount: -cents,
            reason: reason.clone(),
        };
        self.manual_entry(actor, claim_id, entry, today, |entries| {
            if !reference.is_empty() && entries.iter().any(|e| e.reason == reason) {
                return Err(Error::Invalid(format!(
                    "claim {claim_id}: payment {reference} is already posted on this account"
                )));
            }
            Ok(())
        })
        .await
    }

    /// Appends one entry to an account's journal after `check` accepted the account's entries,
    /// read in the same transaction (the account's row locked on PostgreSQL so that two
    /// postings on one account run one after the other; SQLite has one writer and refuses a
    /// stale read-then-write).
    async fn manual_entry(
        &self,
        actor: &Actor,
        claim_id: i64,
        entry: Manual,
        today: Date,
        check: impl FnOnce(&[Entry]) -> Result<()>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let lock = match self.backend() {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let r = sqlx::query(&format!(
            "SELECT practice_id, patient_id, id, service_from FROM claim_row \
             WHERE id = (SELECT account_id FROM claim_row WHERE id = $1){lock}"
        ))
        .bind(claim_id)
        .fetch_optional(&mut *tx)
        .await
        .ctx("reading the claim")?
        .ok_or_else(|| Error::NotFound(format!("claim {claim_id}")))?;
        let account: i64 = r.get(2);
        let rows = sqlx::query(
            "SELECT kind, party, payer_id, amount_cents, line_no, grp, reason, effective_date FROM journal \
             WHERE claim_id = $1 ORDER BY id",
        )
        .bind(account)
        .fetch_all(&mut *tx)
        .await
        .ctx("reading the journal")?;
        check(&rows.iter().map(entry_of).collect::<Result<Vec<_>>>()?)?;
        let service: Date = r.get::<String, _>(3).parse().unwrap_or(today);
        let what = entry.kind.as_str();
        crate::journal::append(
            &mut tx,
            &[crate::journal::Row {
                practice_id: r.get(0),
                claim_id: account,
                line_no: None,
                party: entry.party,
                patient_id: r.get(1),
                kind: entry.kind,
                amount: entry.amount,
                group: String::new(),
                reason: entry.reason,
                posting_date: today,
                effective_date: today,
                service_date: service,
                remit_id: None,
                remit_claim_id: None,
            }],
        )
        .await?;
        crate::claims::close_settled(&mut tx, actor, &[account]).await?;
        audit(
            &mut tx,
            actor,
            what,
            "claim",
            Some(claim_id),
            Some(r.get(0)),
            &Cents(entry.amount).to_string(),
        )
        .await?;
        tx.commit().await.ctx("saving the entry")
    }
}

/// An entry a user posts by hand.
struct Manual {
    party: Party,
    kind: EntryKind,
    amount: i64,
    reason: String,
}

fn entry_of(r: &sqlx::any::AnyRow) -> Result<Entry> {
    let kind: String = r.get(0);
    let party: String = r.get(1);
    Ok(Entry {
        kind: EntryKind::parse(&kind)
            .ok_or_else(|| Error::Invalid(format!("journal kind {kind:?}")))?,
        party: if party == "patient" {
            Party::Patient
        } else {
            Party::Payer(PayerId(r.get::<Option<i64>, _>(2).unwrap_or(0)))
        },
        amount: Cents(r.get(3)),
        line: r.get::<Option<i64>, _>(4).map(|l| l as u32),
        group: r.get(5),
        reason: r.get(6),
        effective: r.get::<String, _>(7).parse().unwrap_or(Date::fiscal_year_start(2000)),
    })
}

async fn journal_of(
    tx: &mut sqlx::AnyConnection,
    account: i64,
    remit_claim: i64,
) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT kind, party, payer_id, amount_cents, line_no, grp, reason, effective_date FROM journal \
         WHERE claim_id = $1 AND remit_claim_id = $2 ORDER BY id",
    )
    .bind(account)
    .bind(remit_claim)
    .fetch_all(tx)
    .await
    .ctx("reading the reversed payment's entries")?;
    rows.iter().map(entry_of).collect()
}

/// The claims the set's CLPs name, by patient control number, with their lines.
async fn load_claims(
    tx: &mut sqlx::AnyConnection,
    org_id: i64,
    r: &Remittance,
) -> Result<HashMap<String, ClaimFacts>> {
    let mut out: HashMap<String, ClaimFacts> = HashMap::new();
    let pcns: Vec<&ClaimPayment> = r.claims.iter().collect();
    for chunk in pcns.chunks(5000) {
        let sql = format!(
            // Whether a remittance or a denial named the claim before, as a lookup per claim (a
            // subquery in the select list is run per row through the index: a list of IDs
            // against a table the planner has no statistics for yet scans it whole).
            "SELECT id, practice_id, patient_id, payer_id, rank, account_id, state, service_from, pcn, \
             (SELECT CAST(1 AS BIGINT) FROM remit_claim r WHERE r.claim_id = claim.id LIMIT 1), \
             (SELECT CAST(1 AS BIGINT) FROM denial d WHERE d.claim_id = claim.id LIMIT 1) FROM claim \
             WHERE org_id = {} AND {}",
            placeholders(tx, 1, 1),
            in_json(tx, "pcn", 2)
        );
        let list: Vec<&str> = chunk.iter().map(|c| c.patient_control_number.as_str()).collect();
        let q =
            sqlx::query(&sql).bind(org_id).bind(serde_json::to_string(&list).unwrap_or_default());
        for row in q.fetch_all(&mut *tx).await.ctx("matching claims")? {
            let state: String = row.get(6);
            out.insert(
                row.get(8),
                ClaimFacts {
                    id: row.get(0),
                    practice_id: row.get(1),
                    patient_id: row.get(2),
                    payer_id: row.get(3),
                    rank: row.get::<i64, _>(4) as u8,
                    account_id: row.get::<Option<i64>, _>(5).unwrap_or(row.get(0)),
                    state: ClaimState::parse(&state).unwrap_or(ClaimState::Draft),
                    service_from: row
                        .get::<String, _>(7)
                        .parse()
                        .unwrap_or(Date::fiscal_year_start(2000)),
                    lines: Vec::new(),
                    adjudicated_before: row.get::<Option<i64>, _>(9).is_some(),
                    denied_before: row.get::<Option<i64>, _>(10).is_some(),
                },
            );
        }
    }
    let ids: HashMap<i64, String> = out.iter().map(|(k, c)| (c.id, k.clone())).collect();
    let claim_ids: Vec<i64> = ids.keys().copied().collect();
    for chunk in claim_ids.chunks(500) {
        for row in sqlx::query(&format!(
            "SELECT claim_id, line_no, code, modifiers, revenue_code, charge_cents, service_date FROM claim_line \
             WHERE claim_id IN ({}) ORDER BY claim_id, line_no",
            id_list(chunk)
        ))
        .fetch_all(&mut *tx)
        .await
        .ctx("reading claim lines")?
        {
            let Some(c) = ids.get(&row.get::<i64, _>(0)).and_then(|k| out.get_mut(k)) else { continue };
            let mods: String = row.get(3);
            c.lines.push((
                LineToPost {
                    procedure: row.get(2),
                    modifiers: mods.split(',').filter(|m| !m.is_empty()).map(str::to_string).collect(),
                    revenue_code: row.get(4),
                    charge: Cents(row.get(5)),
                },
                row.get::<String, _>(6).parse().unwrap_or(c.service_from),
            ));
        }
    }
    Ok(out)
}

/// An entry of the suspense queue: money a remittance carried that could not be posted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuspenseItem {
    /// ID.
    pub id: i64,
    /// `unmatched_claim` (a CLP for no claim of ours, or one that cannot be posted) or
    /// `deposit` (the payment does not balance with its claims).
    pub kind: String,
    /// Why it is here.
    pub reason: String,
    /// The money at stake.
    pub amount_cents: i64,
    /// When it arrived (RFC 3339).
    pub created_at: String,
    /// The practice the remittance paid (by the payee's NPI or tax ID), when one is.
    pub practice: Option<i64>,
    /// The paying payer's name.
    pub payer: String,
    /// The payment's trace number (TRN02: the check or EFT number).
    pub trace: String,
    /// The payment date.
    pub payment_date: String,
    /// The CLP's patient control number, for an unmatched claim.
    pub pcn: String,
    /// The payer's claim number, for an unmatched claim.
    pub payer_claim_number: String,
    /// When it was resolved, if it was.
    pub resolved_at: Option<String>,
    /// Who resolved it.
    pub resolved_by: String,
    /// What was done.
    pub resolution: String,
    /// The organization (billing service) it belongs to.
    #[serde(skip)]
    pub org_id: i64,
}

const SUSPENSE_ITEM: &str = "s.id, s.kind, s.reason, s.amount_cents, s.created_at, \
(SELECT MIN(p.id) FROM practice p WHERE p.org_id = s.org_id AND (p.npi = r.payee_id OR p.tax_id = r.payee_id)), \
COALESCE(r.payer_name, ''), COALESCE(r.trace, ''), COALESCE(r.payment_date, ''), COALESCE(rc.pcn, ''), \
COALESCE(rc.payer_claim_number, ''), s.resolved_at, s.resolved_by, s.resolution, s.org_id \
FROM suspense s LEFT JOIN remit r ON r.id = s.remit_id LEFT JOIN remit_claim rc ON rc.id = s.remit_claim_id";

fn suspense_item_of(r: &sqlx::any::AnyRow) -> SuspenseItem {
    SuspenseItem {
        id: r.get(0),
        kind: r.get(1),
        reason: r.get(2),
        amount_cents: r.get(3),
        created_at: r.get(4),
        practice: r.get(5),
        payer: r.get(6),
        trace: r.get(7),
        payment_date: r.get(8),
        pcn: r.get(9),
        payer_claim_number: r.get(10),
        resolved_at: r.get(11),
        resolved_by: r.get(12),
        resolution: r.get(13),
        org_id: r.get(14),
    }
}

/// Counts the claims adjudicated (and denied) here for the first time, (claim, practice), in
/// the daily figures on the payment date; a claim named twice in the set counts once.
async fn first_counts(
    tx: &mut sqlx::AnyConnection,
    adjudicated: Vec<(i64, i64)>,
    denied: Vec<(i64, i64)>,
    on: Date,
) -> Result<()> {
    use crate::daily::{Count, add_per_practice};
    let count = |mut claims: Vec<(i64, i64)>| {
        claims.sort_unstable();
        claims.dedup();
        let mut per: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
        for (_, practice) in claims {
            *per.entry(practice).or_default() += 1;
        }
        per
    };
    let day = on.to_string();
    add_per_practice(tx, Count::Adjudicated, &day, count(adjudicated)).await?;
    add_per_practice(tx, Count::Denied, &day, count(denied)).await
}

/// The organization's payers by payer code (their ID and appeal days), and appeal days by ID.
async fn payer_maps(
    tx: &mut sqlx::AnyConnection,
    org_id: i64,
) -> Result<(HashMap<String, (i64, i64)>, HashMap<i64, i64>)> {
    let payers: HashMap<String, (i64, i64)> =
        sqlx::query("SELECT payer_code, id, appeal_days FROM payer WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(&mut *tx)
            .await
            .ctx("reading payers")?
            .iter()
            .map(|r| (r.get::<String, _>(0), (r.get(1), r.get(2))))
            .collect();
    let appeal_days = payers.values().copied().collect();
    Ok((payers, appeal_days))
}

/// Marks a suspense entry resolved (who, when, what was done) in the caller's transaction;
/// refused when someone resolved it first (two people working the queue never both act).
async fn mark_resolved(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: i64,
    resolution: &str,
) -> Result<()> {
    let n = sqlx::query(
        "UPDATE suspense SET resolved_at = $1, resolved_by = $2, resolution = $3 WHERE id = $4 AND resolved_at IS NULL",
    )
    .bind(crate::now())
    .bind(&actor.0)
    .bind(resolution)
    .bind(id)
    .execute(&mut *tx)
    .await
    .ctx("resolving a suspense entry")?
    .rows_affected();
    if n == 0 {
        return Err(Error::Invalid(format!(
            "suspense entry {id} is already resolved: reload the queue"
        )));
    }
    Ok(())
}
