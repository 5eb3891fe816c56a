//! Acknowledgments: a 999 moves the claims of each acknowledged transaction set (matched by the
//! functional group's GS06 and the set's ST02 in the batch that sent them) to accepted or
//! rejected; a 277CA moves each claim it names (by patient control number). One transaction per
//! file; the same file twice changes nothing; a 999 for a group never sent and a 277CA for an
//! unknown claim go to the suspense queue.

use claim_model::{ClaimAck, GroupAck};
use ledger::lifecycle::ClaimState;
use sqlx::Row;

use crate::claims::move_claim;
use crate::sql::{V, audit, insert};
use crate::{Actor, Context, Result, Store};

/// What importing an acknowledgment file did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AckSummary {
    /// `999` or `277CA`.
    pub kind: String,
    /// True when this file was imported before (nothing changed).
    pub already_imported: bool,
    /// Claims moved to accepted.
    pub accepted: usize,
    /// Claims moved to rejected.
    pub rejected: usize,
    /// Acknowledgments that matched nothing we sent (in the suspense queue).
    pub unmatched: usize,
    /// What happened, claim by claim where it matters.
    pub notes: Vec<String>,
}

enum Ack<'a> {
    Groups(&'a [GroupAck]),
    Claims(&'a [ClaimAck]),
}

impl Store {
    /// Imports a 999.
    pub async fn import_999(
        &self,
        actor: &Actor,
        org_id: i64,
        sha256: &str,
        file_name: &str,
        acks: &[GroupAck],
    ) -> Result<AckSummary> {
        self.import_ack(actor, org_id, sha256, file_name, Ack::Groups(acks)).await
    }

    /// Imports a 277CA.
    pub async fn import_277ca(
        &self,
        actor: &Actor,
        org_id: i64,
        sha256: &str,
        file_name: &str,
        acks: &[ClaimAck],
    ) -> Result<AckSummary> {
        self.import_ack(actor, org_id, sha256, file_name, Ack::Claims(acks)).await
    }

    async fn import_ack(
        &self,
        actor: &Actor,
        org_id: i64,
        sha256: &str,
        file_name: &str,
        ack: Ack<'_>,
    ) -> Result<AckSummary> {
        let kind = match ack {
            Ack::Groups(_) => "999",
            Ack::Claims(_) => "277CA",
        };
        let mut s = AckSummary { kind: kind.into(), ..Default::default() };
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let seen = sqlx::query("SELECT id FROM ack_file WHERE org_id = $1 AND sha256 = $2")
            .bind(org_id)
            .bind(sha256)
            .fetch_optional(&mut *tx)
            .await
            .ctx("checking the file")?;
        if seen.is_some() {
            s.already_imported = true;
            s.notes.push(format!("{file_name}: imported before; nothing changed"));
            return Ok(s);
        }
        let now = crate::now();
        let mut unmatched: Vec<String> = Vec::new();
        match ack {
            Ack::Groups(groups) => {
                for g in groups {
                    let control: i64 = g.group_control.trim().parse().unwrap_or(-1);
                    let rows = sqlx::query(
                        "SELECT bc.claim_id, bc.set_control, c.pcn, bc.batch_id FROM batch_claim bc JOIN claim c ON c.id = bc.claim_id \
                         JOIN batch b ON b.id = bc.batch_id WHERE bc.group_control = $1 AND bc.live = 1 AND b.org_id = $2",
                    )
                    .bind(control)
                    .bind(org_id)
                    .fetch_all(&mut *tx)
                    .await
                    .ctx("matching the 999 to a batch")?;
                    if rows.is_empty() {
                        unmatched.push(format!(
                            "999 for functional group {} that no live batch sent",
                            g.group_control
                        ));
                        continue;
                    }
                    let mut batches: Vec<i64> = rows.iter().map(|r| r.get(3)).collect();
                    batches.sort_unstable();
                    batches.dedup();
                    for r in rows {
                        let (claim, set, pcn): (i64, String, String) =
                            (r.get(0), r.get(1), r.get(2));
                        let verdict = g.sets.iter().find(|a| a.control.trim() == set.trim());
                        let (ok, why) = match verdict {
                            Some(a) if matches!(a.status.as_str(), "A" | "E") => {
                                (true, format!("999 accepted set {set} ({})", a.status))
                            }
                            Some(a) => {
                                let errors: Vec<String> = a
                                    .errors
                                    .iter()
                                    .map(|e| {
                                        format!(
                                            "{} at position {} (IK304 {})",
                                            e.segment, e.position, e.code
                                        )
                                    })
                                    .chain(a.syntax_errors.iter().map(|c| format!("IK5 code {c}")))
                                    .collect();
                                (false, format!("999 rejected set {set}: {}", errors.join("; ")))
                            }
                            None if matches!(g.status.as_str(), "A" | "E" | "P") => {
                                (true, format!("999 accepted group {}", g.group_control))
                            }
                            None => (
                                false,
                                format!(
                                    "999 rejected group {} (AK9 {})",
                                    g.group_control, g.status
                                ),
                            ),
                        };
                        apply(&mut tx, actor, claim, &pcn, ok, &why, &mut s).await?;
                    }
                    // The batch that sent the group: accepted (in whole or part) or rejected.
                    let status = if matches!(g.status.as_str(), "A" | "E" | "P") {
                        "accepted"
                    } else {
                        "rejected"
                    };
                    sqlx::query(&format!(
                        "UPDATE batch SET status = $1 WHERE status = 'live' AND id IN ({})",
                        crate::sql::id_list(&batches)
                    ))
                    .bind(status)
                    .execute(&mut *tx)
                    .await
                    .ctx("recording the batch's acknowledgment")?;
                }
            }
            Ack::Claims(claims) => {
                for a in claims {
                    let r = sqlx::query("SELECT id FROM claim WHERE org_id = $1 AND pcn = $2")
                        .bind(org_id)
                        .bind(a.patient_control_number.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .ctx("matching the 277CA to a claim")?;
                    let Some(r) = r else {
                        unmatched.push(format!(
                            "277CA for patient control number {} that we never sent",
                            a.patient_control_number
                        ));
                        continue;
                    };
                    let why = format!(
                        "277CA {}:{}{}{}",
                        a.category,
                        a.status,
                        if a.entity.is_empty() { String::new() } else { format!(":{}", a.entity) },
                        if a.message.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", a.message)
                        }
                    );
                    apply(
                        &mut tx,
                        actor,
                        r.get(0),
                        &a.patient_control_number,
                        a.accepted,
                        &why,
                        &mut s,
                    )
                    .await?;
                    if !a.payer_claim_number.is_empty() {
                        sqlx::query(
                            "UPDATE claim_status SET payer_claim_number = $1 WHERE claim_id = $2",
                        )
                        .bind(a.payer_claim_number.as_str())
                        .bind(r.get::<i64, _>(0))
                        .execute(&mut *tx)
                        .await
                        .ctx("recording the payer's claim number")?;
                    }
                }
            }
        }
        for why in unmatched {
            s.unmatched += 1;
            s.notes.push(format!("{why}: in the suspense queue"));
            sqlx::query("INSERT INTO suspense (org_id, kind, reason, amount_cents, created_at) VALUES ($1, 'unmatched_ack', $2, 0, $3)")
                .bind(org_id)
                .bind(why)
                .bind(now.as_str())
                .execute(&mut *tx)
                .await
                .ctx("queueing an unmatched acknowledgment")?;
        }
        let summary = serde_json::to_string(&s).unwrap_or_default();
        insert(
            &mut tx,
            "ack_file",
            &[
                ("org_id", org_id.into()),
                ("kind", kind.into()),
                ("sha256", sha256.into()),
                ("file_name", file_name.into()),
                ("received_at", V::T(now.clone())),
                ("summary", summary.into()),
            ],
        )
        .await?;
        audit(&mut tx, actor, "import", "ack_file", None, None, &format!("{kind} {file_name}"))
            .await?;
        tx.commit().await.ctx("saving the acknowledgment")?;
        Ok(s)
    }
}

async fn apply(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    claim: i64,
    pcn: &str,
    accepted: bool,
    why: &str,
    s: &mut AckSummary,
) -> Result<()> {
    let state = crate::claims::state_of(tx, claim).await?;
    let to = if accepted { ClaimState::Accepted } else { ClaimState::Rejected };
    // An acknowledgment arriving after the 835 changes nothing (the payer has decided).
    if state.is_adjudicated() || (accepted && state == ClaimState::Accepted) {
        s.notes.push(format!("claim {pcn}: {why} (already {}; unchanged)", state.as_str()));
        return Ok(());
    }
    if !state.can_move_to(to) {
        s.notes.push(format!("claim {pcn}: {why}, but it is {}: unchanged", state.as_str()));
        return Ok(());
    }
    move_claim(tx, actor, claim, to, why).await?;
    if accepted {
        s.accepted += 1;
    } else {
        s.rejected += 1;
        s.notes.push(format!("claim {pcn}: {why}"));
        // A rejected claim leaves its batch: it can go out again once corrected.
        sqlx::query("UPDATE batch_claim SET live = 0 WHERE claim_id = $1")
            .bind(claim)
            .execute(&mut *tx)
            .await
            .ctx("releasing a rejected claim from its batch")?;
    }
    Ok(())
}
