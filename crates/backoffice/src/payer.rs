//! A test payer: answers a batch of claims the way a clearinghouse and a payer do, so that the
//! back office can be exercised end to end without one. It acknowledges the file (999), accepts
//! each claim into adjudication (277CA), and pays, adjusts and denies by a fixed rule on each
//! claim's patient control number, so that every run is the same:
//!
//! | share | what the payer does |
//! | --- | --- |
//! | 6 in 10 | pays 80 % of the allowed amount (80 % of the charge); 20 % coinsurance (PR-2); the rest contractual (CO-45). Medicare forwards half of the claims with another payer itself (CLP02 19, crossover) |
//! | 1 in 10 | applies the whole allowed amount to the deductible (PR-1): nothing paid |
//! | 1 in 10 | denies the last line as bundled (CO-97), pays the others |
//! | 2 in 10 | denies the claim: no authorization (CO-197), missing information (CO-16), timely filing (CO-29), not medically necessary (CO-50), or duplicate (CO-18) |
//!
//! A secondary claim is paid what the earlier payers left to the patient, the rest being their
//! adjudication (OA-23). [`reverse`] writes the reversal (CLP02 22) and corrected payment of
//! claims already paid.

use std::collections::BTreeMap;

use claim_model::{
    Adjustment, AdjustmentGroup, Cents, Claim, ClaimPayment, LinePayment, ProviderAdjustment,
    Remittance, Text,
};
use code_sets::Date;
use x12_claims::Submission;
use x12_claims::x12::Delimiters;

/// What the test payer does with one claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Pays with coinsurance and a contractual adjustment.
    Pay,
    /// Applies everything to the deductible.
    Deductible,
    /// Denies the last line.
    DenyLine,
    /// Denies the claim with this CARC.
    Deny(&'static str),
}

/// The decision for a patient control number.
pub fn decide(pcn: &str) -> Decision {
    let h = pcn.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    match h % 10 {
        0..=5 => Decision::Pay,
        6 => Decision::Deductible,
        7 => Decision::DenyLine,
        _ => Decision::Deny(["197", "16", "29", "50", "18"][(h / 10 % 5) as usize]),
    }
}

fn adj(group: AdjustmentGroup, reason: &str, cents: i64) -> Adjustment {
    Adjustment::new(group, reason, Cents(cents))
}

/// The payer's adjudication of one claim.
pub fn adjudicate(claim: &Claim) -> ClaimPayment {
    use AdjustmentGroup::{Contractual, Other, Patient};
    let pcn = claim.patient_control_number.as_str();
    let secondary = claim.subscriber.payer_responsibility != 'P';
    let decision = if secondary { Decision::Pay } else { decide(pcn) };
    let n = claim.lines.len();
    // What the earlier payers left to the patient, per line.
    let left_by_prior = |i: usize| -> i64 {
        claim.lines[i]
            .adjudications
            .iter()
            .flat_map(|a| &a.adjustments)
            .filter(|a| a.group == Patient)
            .map(|a| a.amount.0)
            .sum()
    };
    let mut lines = Vec::with_capacity(n);
    let mut claim_adjustments = Vec::new();
    for (i, l) in claim.lines.iter().enumerate() {
        let charge = l.charge.0;
        let allowed = charge * 8 / 10;
        let (paid, adjs) = if secondary {
            let owed = left_by_prior(i).min(charge);
            (owed, vec![adj(Other, "23", charge - owed)])
        } else {
            match decision {
                Decision::Pay => {
                    let paid = allowed * 8 / 10;
                    (
                        paid,
                        vec![
                            adj(Contractual, "45", charge - allowed),
                            adj(Patient, "2", allowed - paid),
                        ],
                    )
                }
                Decision::Deductible => {
                    (0, vec![adj(Contractual, "45", charge - allowed), adj(Patient, "1", allowed)])
                }
                Decision::DenyLine if i + 1 == n && n > 1 => {
                    (0, vec![adj(Contractual, "97", charge)])
                }
                Decision::DenyLine => {
                    let paid = allowed * 8 / 10;
                    (
                        paid,
                        vec![
                            adj(Contractual, "45", charge - allowed),
                            adj(Patient, "2", allowed - paid),
                        ],
                    )
                }
                Decision::Deny(_) => (0, vec![]),
            }
        };
        let adjs: Vec<Adjustment> = adjs.into_iter().filter(|a| a.amount != Cents::ZERO).collect();
        lines.push(LinePayment {
            procedure: if l.procedure.is_empty() {
                l.revenue_code.clone()
            } else {
                l.procedure.clone()
            },
            modifiers: l.modifiers.clone(),
            billed_procedure: None,
            charge: l.charge,
            paid: Cents(paid),
            units: Some(l.units),
            date: l.date_from,
            adjustments: adjs,
            remarks: if matches!(decision, Decision::DenyLine) && i + 1 == n {
                vec![Text::from("M15")]
            } else {
                vec![]
            },
        });
    }
    if let Decision::Deny(carc) = decision
        && !secondary
    {
        claim_adjustments.push(adj(Contractual, carc, claim.total_charge.0));
        for l in &mut lines {
            l.adjustments.clear();
        }
        // A claim-level denial: the lines are reported unpaid without their own adjustments.
        lines.clear();
    }
    let paid: i64 = lines.iter().map(|l| l.paid.0).sum();
    let pr: i64 = lines
        .iter()
        .flat_map(|l| &l.adjustments)
        .chain(&claim_adjustments)
        .filter(|a| a.group == Patient)
        .map(|a| a.amount.0)
        .sum();
    // Medicare forwards about half of the claims with a supplemental payer itself (crossover);
    // the others the provider bills to the secondary payer.
    let crossover = !secondary
        && claim.subscriber.filing_indicator == "MB"
        && !claim.other_payers.is_empty()
        && pcn.bytes().map(u32::from).sum::<u32>().is_multiple_of(2);
    let status = match decision {
        _ if secondary => "2",
        Decision::Deny(_) => "4",
        _ if crossover => "19",
        _ => "1",
    };
    ClaimPayment {
        patient_control_number: claim.patient_control_number.clone(),
        status: status.into(),
        charge: claim.total_charge,
        paid: Cents(paid),
        patient_responsibility: Cents(pr),
        payer_claim_number: format!("{}{}", claim.payer.id.get(..2).unwrap_or("PY"), pcn).into(),
        filing_indicator: claim.subscriber.filing_indicator.clone(),
        patient: None,
        adjustments: claim_adjustments,
        lines,
    }
}

/// The remittances for a batch's claims: one 835 transaction set per payer, paid on `date`,
/// with trace numbers starting `trace`. A payer with ten or more claims adds a PLB of interest.
pub fn remittances(claims: &[Claim], date: Date, trace: &str) -> Vec<Remittance> {
    let mut by_payer: BTreeMap<(String, String), Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        by_payer.entry((c.payer.name.to_string(), c.payer.id.to_string())).or_default().push(c);
    }
    by_payer
        .into_iter()
        .enumerate()
        .map(|(n, ((name, id), claims))| {
            let payments: Vec<ClaimPayment> = claims.iter().map(|c| adjudicate(c)).collect();
            let paid: i64 = payments.iter().map(|p| p.paid.0).sum();
            let billing = claims[0].provider(claim_model::ProviderRole::Billing);
            let payee_npi = billing.and_then(|b| b.npi.clone()).unwrap_or_default();
            let payee_name = billing
                .map(|b| match &b.name {
                    claim_model::Name::Organization(o) => o.clone(),
                    claim_model::Name::Person { last, .. } => last.clone(),
                })
                .unwrap_or_default();
            let plb = if claims.len() >= 10 {
                vec![ProviderAdjustment {
                    provider: payee_npi.clone(),
                    date: Some(date),
                    reason: "L6".into(),
                    reference: Text::default(),
                    amount: Cents(-125),
                }]
            } else {
                vec![]
            };
            let plb_total: i64 = plb.iter().map(|p| p.amount.0).sum();
            Remittance {
                payment: Cents(paid - plb_total),
                method: if paid - plb_total > 0 { "ACH".into() } else { "NON".into() },
                date: Some(date),
                trace: format!("{trace}{:03}", n + 1).into(),
                payer: (name.into(), id.into()),
                payee: (payee_name, payee_npi),
                payer_address: None,
                payee_address: None,
                claims: payments,
                provider_adjustments: plb,
            }
        })
        .collect()
}

/// The payer's envelope.
pub fn submission(control: u32, date: Date) -> Submission {
    Submission {
        sender: ("ZZ".into(), "TESTPAYER".into()),
        receiver: ("ZZ".into(), "TESTSUBMITTER".into()),
        application_ids: ("TESTPAYER".into(), "TESTSUBMITTER".into()),
        control,
        date_time: (format!("{:08}", date.as_yyyymmdd()), "1200".into()),
        usage: 'T',
        submitter: (
            "Test Payer".into(),
            "TP01".into(),
            "Provider Services".into(),
            "5555550199".into(),
        ),
        receiver_name: ("Submitter".into(), "SB01".into()),
        batch_id: control.to_string(),
    }
}

/// The 835 file for the claims of an 837 batch.
pub fn answer_835(batch: &[u8], date: Date, control: u32) -> anyhow::Result<Vec<u8>> {
    let (claims, _) = x12_claims::read_837(batch);
    Ok(x12_claims::write_835(
        &remittances(&claims, date, &format!("T{control}")),
        &submission(control, date),
        Delimiters::default(),
    ))
}

/// The 999 for an 837 batch.
pub fn answer_999(batch: &[u8], date: Date) -> Option<Vec<u8>> {
    x12_claims::ack_999(batch, &ack_time(date))
}

/// The 277CA for an 837 batch (every claim judged by its level 3–4 findings).
pub fn answer_277ca(batch: &[u8], date: Date) -> Option<Vec<u8>> {
    x12_claims::ack_277ca(batch, &ack_time(date), None)
}

fn ack_time(date: Date) -> x12_claims::AckTime {
    let d = format!("{:08}", date.as_yyyymmdd());
    x12_claims::AckTime { isa: (d[2..].to_string(), "1200".into()), gs: (d, "1200".into()) }
}

/// The reversal (CLP02 22, every amount negated) and corrected payment (one dollar more, from
/// the contractual adjustment) of paid claims of an earlier remittance.
pub fn reverse(original: &Remittance, pcns: &[&str], date: Date, trace: &str) -> Remittance {
    let mut claims = Vec::new();
    for c in original
        .claims
        .iter()
        .filter(|c| pcns.contains(&c.patient_control_number.as_str()) && c.paid > Cents::ZERO)
    {
        let mut rev = c.clone();
        rev.status = "22".into();
        rev.charge = -rev.charge;
        rev.paid = -rev.paid;
        rev.patient_responsibility = -rev.patient_responsibility;
        for a in rev
            .adjustments
            .iter_mut()
            .chain(rev.lines.iter_mut().flat_map(|l| l.adjustments.iter_mut()))
        {
            a.amount = -a.amount;
        }
        for l in &mut rev.lines {
            l.charge = -l.charge;
            l.paid = -l.paid;
        }
        let mut fixed = c.clone();
        if let Some(l) = fixed
            .lines
            .iter_mut()
            .find(|l| l.adjustments.iter().any(|a| a.reason == "45" && a.amount.0 >= 100))
        {
            l.paid += Cents(100);
            if let Some(a) = l.adjustments.iter_mut().find(|a| a.reason == "45") {
                a.amount -= Cents(100);
            }
            fixed.paid += Cents(100);
        }
        claims.push(rev);
        claims.push(fixed);
    }
    let paid: i64 = claims.iter().map(|c| c.paid.0).sum();
    Remittance {
        payment: Cents(paid),
        method: if paid > 0 { "ACH".into() } else { "NON".into() },
        date: Some(date),
        trace: trace.into(),
        claims,
        provider_adjustments: vec![],
        ..original.clone()
    }
}

/// The secondary payers' remittances for claims the primary forwarded (CLP02 19): each pays
/// what the primary left to the patient, under the original claim's patient control number, as
/// a crossover 835 does.
pub fn crossovers(
    claims: &[Claim],
    primary: &[Remittance],
    date: Date,
    trace: &str,
) -> Vec<Remittance> {
    let mut out: BTreeMap<(String, String), Vec<ClaimPayment>> = BTreeMap::new();
    for p in primary.iter().flat_map(|r| &r.claims).filter(|c| c.status == "19") {
        let Some(claim) =
            claims.iter().find(|c| c.patient_control_number == p.patient_control_number)
        else {
            continue;
        };
        let Some(other) = claim.other_payers.first() else { continue };
        let mut lines = Vec::new();
        for l in &p.lines {
            let pr: i64 = l
                .adjustments
                .iter()
                .filter(|a| a.group == AdjustmentGroup::Patient)
                .map(|a| a.amount.0)
                .sum();
            lines.push(LinePayment {
                paid: Cents(pr),
                adjustments: vec![adj(AdjustmentGroup::Other, "23", l.charge.0 - pr)]
                    .into_iter()
                    .filter(|a| a.amount != Cents::ZERO)
                    .collect(),
                remarks: vec![],
                ..l.clone()
            });
        }
        let paid: i64 = lines.iter().map(|l| l.paid.0).sum();
        out.entry((other.payer.name.to_string(), other.payer.id.to_string())).or_default().push(
            ClaimPayment {
                status: "2".into(),
                paid: Cents(paid),
                patient_responsibility: Cents::ZERO,
                payer_claim_number: format!("XO{}", p.patient_control_number).into(),
                filing_indicator: "CI".into(),
                adjustments: vec![],
                lines,
                ..p.clone()
            },
        );
    }
    out.into_iter()
        .enumerate()
        .map(|(n, ((name, id), claims))| {
            let paid: i64 = claims.iter().map(|c| c.paid.0).sum();
            Remittance {
                payment: Cents(paid),
                method: "ACH".into(),
                date: Some(date),
                trace: format!("{trace}{:03}", n + 1).into(),
                payer: (name.into(), id.into()),
                payee: primary.first().map(|r| r.payee.clone()).unwrap_or_default(),
                payer_address: None,
                payee_address: None,
                claims,
                provider_adjustments: vec![],
            }
        })
        .collect()
}
