//! A biller's daily operations: scrub, submit, acknowledgments, remittances.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use claim_model::{Claim, ClaimKind};
use code_sets::Date;
use ledger::lifecycle::ClaimState;
use store::claims::{BatchedClaim, NewBatch, StoredClaim};
use store::{Actor, Store};
use x12_claims::Submission;
use x12_claims::x12::Delimiters;

/// What scrubbing did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScrubSummary {
    /// Claims scrubbed.
    pub claims: usize,
    /// Now ready to submit.
    pub ready: usize,
    /// Held by blocking findings (reject or deny).
    pub blocked: usize,
    /// Findings by rule.
    pub by_rule: BTreeMap<String, usize>,
}

/// Scrubs one claim (in draft or held by edits) and stores the findings: `ready` when clean,
/// else `scrubbed`. Returns whether it is clean.
pub async fn scrub_claim(
    store: &Store,
    actor: &Actor,
    id: i64,
    cx: &scrub::Context<'_>,
    scrubber: &scrub::Scrubber,
) -> Result<bool> {
    let c = store.claim(id).await?;
    let findings = scrubber.scrub(&c.claim, cx);
    let clean = !findings.iter().any(|f| f.severity.blocks());
    store.save_scrub(actor, &[(id, serde_json::to_string(&findings)?, clean)]).await?;
    Ok(clean)
}

/// Scrubs the claims in draft or scrubbed state (of one practice, or all) and stores each
/// claim's findings; clean claims become ready.
pub async fn scrub_claims(
    store: &Store,
    actor: &Actor,
    practice: Option<i64>,
    cx: &scrub::Context<'_>,
    scrubber: &scrub::Scrubber,
) -> Result<ScrubSummary> {
    let mut s = ScrubSummary::default();
    let mut results = Vec::new();
    let mut findings = Vec::new();
    // Each claim is scrubbed as it is read, while the database sends the next.
    store
        .claims_each(&[ClaimState::Draft, ClaimState::Scrubbed], practice, |c| {
            findings.clear();
            scrubber.scrub_into(&c.claim, cx, &mut findings);
            let clean = !findings.iter().any(|f| f.severity.blocks());
            for f in &findings {
                *s.by_rule.entry(f.rule.to_string()).or_default() += 1;
            }
            let json = serde_json::to_string(&findings)
                .map_err(|e| store::Error::Invalid(format!("claim {}: {e}", c.id)))?;
            results.push((c.id, json, clean));
            Ok(())
        })
        .await?;
    s.claims = results.len();
    let (ready, blocked) = store.save_scrub(actor, &results).await?;
    s.ready = ready;
    s.blocked = blocked;
    Ok(s)
}

/// What a submission wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SubmitSummary {
    /// Claims in the file.
    pub claims: usize,
    /// Their total charge.
    pub total_cents: i64,
    /// Interchanges (one per clearinghouse).
    pub interchanges: usize,
    /// The batches recorded.
    pub batches: Vec<i64>,
    /// Ready claims left out (their payer has no clearinghouse), with the reason.
    pub skipped: Vec<(String, String)>,
}

/// The time a file is written with: `CCYYMMDD` and `HHMM`.
pub fn stamp(today: Date, hhmm: &str) -> (String, String) {
    (format!("{:08}", today.as_yyyymmdd()), hhmm.to_string())
}

fn group_plan(claims: &[&Claim], control: i64) -> Vec<(ClaimKind, String, i64)> {
    let mut g = 0;
    let mut out = Vec::new();
    for kind in [ClaimKind::Professional, ClaimKind::Institutional] {
        if claims.iter().any(|c| c.kind == kind) {
            g += 1;
            out.push((kind, format!("{g:04}"), (control * 10 + g) % 1_000_000_000));
        }
    }
    out
}

/// Writes every ready claim (of one practice, or all) into one 837 file at `out` — one
/// interchange per clearinghouse, 837P and 837I in their own functional groups, unique control
/// numbers — and records the batches in one transaction: the file appears only once the claims
/// are recorded as submitted, and a claim that changed meanwhile fails the whole submission with
/// nothing written. `Ok` with zero claims when none is ready (no file is written).
pub async fn submit(
    store: &Store,
    actor: &Actor,
    practice: Option<i64>,
    out: &Path,
    when: (String, String),
) -> Result<SubmitSummary> {
    let ready = store.claims_in(&[ClaimState::Ready], practice).await?;
    let mut s = SubmitSummary::default();
    let mut by_tp: BTreeMap<i64, Vec<&StoredClaim>> = BTreeMap::new();
    for c in &ready {
        match c.trading_partner_id {
            Some(tp) => by_tp.entry(tp).or_default().push(c),
            None => s.skipped.push((
                c.claim.patient_control_number.to_string(),
                format!(
                    "payer {} has no clearinghouse (trading partner): set one",
                    c.claim.payer.id
                ),
            )),
        }
    }
    if by_tp.is_empty() {
        return Ok(s);
    }
    let org = store.default_organization().await?;
    let mut bytes = Vec::new();
    let mut batches = Vec::new();
    let file_name = out.display().to_string();
    for (tp_id, claims) in &by_tp {
        let tp = store.trading_partner(*tp_id).await?;
        let control = store.next_interchange_control(*tp_id).await?;
        if control > 99_999_999 {
            bail!(
                "trading partner {}: interchange control numbers are exhausted (ISA13 is nine digits)",
                tp.name
            );
        }
        let sub = Submission {
            sender: tp.sender.clone(),
            receiver: tp.receiver.clone(),
            application_ids: tp.application_ids.clone(),
            control: control as u32,
            date_time: when.clone(),
            usage: tp.usage.chars().next().unwrap_or('P'),
            submitter: tp.submitter.clone(),
            receiver_name: tp.receiver_name.clone(),
            batch_id: format!("{control}"),
        };
        let list: Vec<Claim> = claims.iter().map(|c| c.claim.clone()).collect();
        let refs: Vec<&Claim> = list.iter().collect();
        let plan = group_plan(&refs, control);
        bytes.extend(x12_claims::write_837(&list, &sub, Delimiters::default()));
        let kinds: Vec<&str> = plan
            .iter()
            .map(|(k, _, _)| if *k == ClaimKind::Professional { "837P" } else { "837I" })
            .collect();
        batches.push(NewBatch {
            trading_partner_id: *tp_id,
            date: Date::from_yyyymmdd(&when.0).unwrap_or(Date::fiscal_year_start(2000)),
            interchange_control: control,
            kind: if kinds.len() == 2 { "837".into() } else { kinds[0].into() },
            file_name: file_name.clone(),
            sha256: String::new(),
            claims: claims
                .iter()
                .map(|c| {
                    let (set, group) = plan
                        .iter()
                        .find(|(k, _, _)| *k == c.claim.kind)
                        .map(|(_, s, g)| (s.clone(), *g))
                        .unwrap_or_default();
                    BatchedClaim { claim_id: c.id, set_control: set, group_control: group }
                })
                .collect(),
        });
        s.claims += claims.len();
        s.total_cents += claims.iter().map(|c| c.claim.total_charge.0).sum::<i64>();
        s.interchanges += 1;
    }
    let sha = store::sha256_hex(&bytes);
    for b in &mut batches {
        b.sha256 = sha.clone();
    }
    let tmp = out.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
    match store.record_batches(actor, org, &batches).await {
        Ok(ids) => s.batches = ids,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e).context("recording the batch (no file was written)");
        }
    }
    std::fs::rename(&tmp, out)
        .with_context(|| format!("moving the batch into place at {}", out.display()))?;
    Ok(s)
}

/// The kind of an acknowledgment file, from its first ST01.
fn transaction_of(bytes: &[u8]) -> Option<String> {
    // Read up to the first ST only: the file is parsed whole once, by its reader.
    let bytes = x12_claims::x12::to_bytes(bytes);
    x12_claims::x12::Tokenizer::new(&bytes)
        .map_while(Result::ok)
        .find(|s| s.id() == b"ST")
        .map(|s| s.text(1).trim().to_string())
}

/// Refuses a file whose X12 cannot be read (syntax findings), naming each segment; returns the
/// other findings (envelope counts, balancing) as notes.
fn x12_errors(file: &str, findings: &[x12_claims::x12::Finding]) -> Result<Vec<String>> {
    let say = |f: &x12_claims::x12::Finding| {
        format!(
            "{file}: segment {} ({}): {} [{}]",
            f.pos.segment_index,
            f.pos.segment_id(),
            f.message,
            f.rule
        )
    };
    let errors: Vec<String> =
        findings.iter().filter(|f| f.rule.starts_with("X12-SYN")).map(say).collect();
    if !errors.is_empty() {
        bail!("{}\nnothing was imported", errors.join("\n"));
    }
    Ok(findings.iter().map(say).collect())
}

/// Imports a 999 or 277CA file (told apart by ST01).
pub async fn import_ack(
    store: &Store,
    actor: &Actor,
    path: &Path,
) -> Result<store::acks::AckSummary> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("reading {file}"))?;
    import_ack_bytes(store, actor, &file, &bytes).await
}

/// The transaction set of an X12 file (ST01 of its first set: `835`, `999`, `277`, `837`…),
/// or `None` when no interchange with a set is found.
pub fn transaction_set(bytes: &[u8]) -> Option<String> {
    transaction_of(bytes)
}

/// The patient control numbers (CLP01) an 835 names, or (CLM01 via TRN02) a 277CA answers for:
/// what a caller must be allowed to work before the file is posted.
pub fn control_numbers(bytes: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = match transaction_of(bytes).as_deref() {
        Some("835") => x12_claims::read_835(bytes)
            .0
            .iter()
            .flat_map(|r| r.claims.iter().map(|c| c.patient_control_number.to_string()))
            .collect(),
        Some("277") => x12_claims::read_277ca(bytes)
            .0
            .iter()
            .map(|a| a.patient_control_number.to_string())
            .collect(),
        _ => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

/// The functional group control numbers (GS06 of the submission, AK102) a 999 acknowledges.
pub fn acknowledged_groups(bytes: &[u8]) -> Vec<i64> {
    let mut out: Vec<i64> = x12_claims::read_999(bytes)
        .0
        .iter()
        .filter_map(|g| g.group_control.trim().parse().ok())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Imports 999 or 277CA bytes (named `file` in messages).
pub async fn import_ack_bytes(
    store: &Store,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
) -> Result<store::acks::AckSummary> {
    let file = file.to_string();
    let org = store.default_organization().await?;
    let sha = store::sha256_hex(bytes);
    match transaction_of(bytes).as_deref() {
        Some("999") => {
            let (acks, findings) = x12_claims::read_999(bytes);
            let notes = x12_errors(&file, &findings)?;
            let mut s = store.import_999(actor, org, &sha, &file, &acks).await?;
            s.notes.extend(notes);
            Ok(s)
        }
        Some("277") => {
            let (acks, findings) = x12_claims::read_277ca(bytes);
            let notes = x12_errors(&file, &findings)?;
            let mut s = store.import_277ca(actor, org, &sha, &file, &acks).await?;
            s.notes.extend(notes);
            Ok(s)
        }
        Some(other) => {
            bail!("{file}: transaction set {other} is not an acknowledgment (999 or 277CA)")
        }
        None => bail!("{file}: no X12 interchange with a transaction set (ISA … ST) was found"),
    }
}

/// Posts an 835 file as of `today`.
pub async fn post_835(
    store: &Store,
    actor: &Actor,
    path: &Path,
    today: Date,
) -> Result<store::remits::PostSummary> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("reading {file}"))?;
    post_835_bytes(store, actor, &file, &bytes, today).await
}

/// Posts 835 bytes (named `file` in messages).
pub async fn post_835_bytes(
    store: &Store,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    today: Date,
) -> Result<store::remits::PostSummary> {
    match transaction_of(bytes).as_deref() {
        Some("835") => {}
        Some(other) => bail!("{file}: transaction set {other} is not a remittance (835)"),
        None => bail!("{file}: no X12 interchange with a transaction set (ISA … ST) was found"),
    }
    let (remits, findings) = x12_claims::read_835(bytes);
    let notes = x12_errors(file, &findings)?;
    let org = store.default_organization().await?;
    let sha = store::sha256_hex(bytes);
    let mut s = store.post_remittances(actor, org, &sha, file, today, &remits).await?;
    s.notes.extend(notes);
    Ok(s)
}
