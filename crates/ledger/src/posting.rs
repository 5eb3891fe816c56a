//! What an 835 claim payment (CLP) means for a claim's journal.
//!
//! Rules (each is a test in this module or in `tests/invariants.rs`):
//! - CLP04, the amount paid, is a payment from the payer that sent the 835, split over the lines
//!   its SVC loops match (what no line matches is posted at claim level).
//! - CAS amounts in group PR (patient responsibility: deductible, coinsurance, copay) are not
//!   written off: they move from the payer to the next party, the next payer when the patient has
//!   one for the claim, else the patient.
//! - CAS amounts in the other groups (CO, PI, OA, OI, CR) are written off, except on a denial
//!   (CLP02 = 4, or nothing paid with no patient responsibility): a denial leaves the balance with
//!   the payer, to be appealed, corrected or written off by a biller, and is reported back as the
//!   denial's reasons.
//! - On a claim adjudicated by a later payer, CARC 23 (the impact of the prior payer's
//!   adjudication) repeats what the prior payer already settled and is not posted again.
//! - A reversal (CLP02 = 22) undoes exactly what the reversed payment posted
//!   ([`reverse_entries`]); the store finds those entries by the payer's claim number.
//! - Statuses 19, 20 and 21 (processed and forwarded to the next payer) and 23 (not our claim,
//!   forwarded) mark the claim as crossed over: the next payer is not billed by us.

use claim_model::{AdjustmentGroup, ClaimPayment, LinePayment, Remittance};
use code_sets::Date;

use crate::{Cents, Entry, EntryKind, Party, PayerId};

/// A claim line as billed, for matching the 835's service lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineToPost {
    /// HCPCS/CPT code (may be empty on an institutional line billed by revenue code alone).
    pub procedure: String,
    /// Modifiers.
    pub modifiers: Vec<String>,
    /// Revenue code (837I).
    pub revenue_code: String,
    /// Charge.
    pub charge: Cents,
}

/// The claim a CLP is posted to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimToPost<'a> {
    /// The payer whose 835 this is (the payer the claim was billed to).
    pub payer: PayerId,
    /// That payer's rank for the claim (1 primary, 2 secondary, 3 tertiary).
    pub rank: u8,
    /// Where patient responsibility goes: the next payer, or the patient.
    pub next: Party,
    /// The lines as billed.
    pub lines: &'a [LineToPost],
}

/// How the payer decided the claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Adjudication {
    /// Paid in full as allowed (write-offs and patient responsibility aside).
    Paid,
    /// Paid, with some lines denied.
    PartiallyPaid,
    /// Nothing paid: denied.
    Denied,
    /// A reversal of an earlier payment.
    Reversed,
    /// Processed and forwarded to the next payer (crossover), or forwarded as not theirs.
    Forwarded,
}

impl Adjudication {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Adjudication::Paid => "paid",
            Adjudication::PartiallyPaid => "partially_paid",
            Adjudication::Denied => "denied",
            Adjudication::Reversed => "reversed",
            Adjudication::Forwarded => "forwarded",
        }
    }
}

/// One denial reason reported back from a posting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DenialReason {
    /// CAS group.
    pub group: String,
    /// CARC.
    pub carc: String,
    /// Remark codes of the line (or claim) it came with.
    pub remarks: Vec<String>,
    /// The amount the payer did not pay for this reason.
    pub amount: Cents,
    /// The line (0-based) it concerns, if any.
    pub line: Option<u32>,
}

/// What posting one CLP does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posted {
    /// The journal entries to append (empty for a reversal: see [`reverse_entries`]).
    pub entries: Vec<Entry>,
    /// The payer's decision.
    pub adjudication: Adjudication,
    /// Paid (CLP04).
    pub paid: Cents,
    /// Written off (CO, PI, OA, OI, CR posted).
    pub adjusted: Cents,
    /// Patient responsibility (PR) moved to the next party.
    pub patient_responsibility: Cents,
    /// Why the payer denied the claim or some of its lines (not written off).
    pub denials: Vec<DenialReason>,
    /// For each SVC of the CLP, the claim line it matched.
    pub line_of_svc: Vec<Option<u32>>,
    /// What the posting could not place exactly, in words.
    pub notes: Vec<String>,
}

/// CARC 23: the impact of prior payer(s) adjudication.
const PRIOR_PAYER: &str = "23";
/// CARCs that reduce payment without denying the service (contract rate, sequestration, prior
/// payer, deductible and coinsurance are PR anyway).
const NOT_DENIALS: &[&str] = &["45", "253", "23", "59", "94", "144", "131", "42", "104"];

/// A way of matching a billed line to a service line.
type LineTest<'a> = dyn Fn(&LineToPost, &LinePayment) -> bool + 'a;

/// Matches an 835's service lines to the claim's lines: by code, modifiers and charge, then code
/// and charge, then code (the payer's SVC06 original code when it changed the code), then
/// revenue code; each claim line is used once unless the payer unbundled it (several SVCs naming
/// the same original code).
pub fn match_lines(lines: &[LineToPost], svcs: &[LinePayment]) -> Vec<Option<u32>> {
    let mut used = vec![false; lines.len()];
    let mut out = vec![None; svcs.len()];
    let billed =
        |s: &LinePayment| s.billed_procedure.clone().unwrap_or_else(|| s.procedure.clone());
    let passes: [&LineTest<'_>; 4] = [
        &|l, s| {
            l.procedure == billed(s).as_str()
                && l.charge == s.charge
                && l.modifiers.iter().map(String::as_str).eq(s.modifiers.iter().map(|m| m.as_str()))
        },
        &|l, s| l.procedure == billed(s).as_str() && l.charge == s.charge,
        &|l, s| !l.procedure.is_empty() && l.procedure == billed(s).as_str(),
        &|l, s| !l.revenue_code.is_empty() && l.revenue_code == billed(s).as_str(),
    ];
    for pass in passes {
        for (si, s) in svcs.iter().enumerate() {
            if out[si].is_some() {
                continue;
            }
            if let Some(li) = (0..lines.len()).find(|&li| !used[li] && pass(&lines[li], s)) {
                used[li] = true;
                out[si] = Some(li as u32);
            }
        }
    }
    // Unbundled: several SVCs carrying one billed line's code as their SVC06.
    for (si, s) in svcs.iter().enumerate() {
        if out[si].is_none()
            && let Some(orig) = &s.billed_procedure
        {
            out[si] = lines.iter().position(|l| l.procedure == orig.as_str()).map(|i| i as u32);
        }
    }
    out
}

/// Posts one CLP to a claim. `effective` is the payment's date (BPR16).
pub fn post_claim(claim: &ClaimToPost<'_>, pay: &ClaimPayment, effective: Date) -> Posted {
    let line_of_svc = match_lines(claim.lines, &pay.lines);
    let mut posted = Posted {
        entries: Vec::new(),
        adjudication: Adjudication::Paid,
        paid: pay.paid,
        adjusted: Cents::ZERO,
        patient_responsibility: Cents::ZERO,
        denials: Vec::new(),
        line_of_svc,
        notes: Vec::new(),
    };
    if pay.is_reversal() {
        posted.adjudication = Adjudication::Reversed;
        return posted;
    }
    let payer = Party::Payer(claim.payer);
    let status = pay.status.as_str();
    let pr_total: Cents = all_adjustments(pay)
        .filter(|(a, _, _)| a.group == AdjustmentGroup::Patient)
        .map(|(a, _, _)| a.amount)
        .sum();
    let claim_denied = status == "4" || (pay.paid == Cents::ZERO && pr_total == Cents::ZERO);
    let forwarded = matches!(status, "19" | "20" | "21" | "23");

    // Payments: per matched line, the rest at claim level.
    let mut line_paid = Cents::ZERO;
    for (s, line) in pay.lines.iter().zip(&posted.line_of_svc) {
        if s.paid != Cents::ZERO {
            line_paid += s.paid;
            posted.entries.push(entry(
                EntryKind::Payment,
                payer,
                -s.paid,
                *line,
                "",
                "",
                effective,
            ));
        }
        if line.is_none() {
            posted.notes.push(format!(
                "service line {} ({}) matches no line of the claim: posted at claim level",
                s.procedure, s.charge
            ));
        }
    }
    let rest = pay.paid - line_paid;
    if rest != Cents::ZERO {
        posted.entries.push(entry(EntryKind::Payment, payer, -rest, None, "", "", effective));
    }

    let mut line_denied = false;
    let svc_lines = &posted.line_of_svc;
    let adjustments: Vec<_> = all_adjustments(pay)
        .map(|(a, svc, remarks)| (a.clone(), svc.and_then(|i| svc_lines[i]), svc, remarks))
        .collect();
    for (a, line, svc, remarks) in adjustments {
        let reason = a.reason.to_string();
        if a.group == AdjustmentGroup::Patient {
            posted.patient_responsibility += a.amount;
            posted.entries.push(entry(
                EntryKind::Transfer,
                payer,
                -a.amount,
                line,
                "PR",
                &reason,
                effective,
            ));
            posted.entries.push(entry(
                EntryKind::Transfer,
                claim.next,
                a.amount,
                line,
                "PR",
                &reason,
                effective,
            ));
            continue;
        }
        if claim.rank > 1 && reason == PRIOR_PAYER {
            posted.notes.push(format!(
                "{} {} {}: the prior payer's adjudication, already posted from its remittance",
                a.group.code(),
                reason,
                a.amount
            ));
            continue;
        }
        let svc_denied = svc.is_some_and(|i| {
            pay.lines[i].paid == Cents::ZERO && !NOT_DENIALS.contains(&reason.as_str())
        });
        if claim_denied || svc_denied {
            line_denied |= svc_denied;
            posted.denials.push(DenialReason {
                group: a.group.code().to_string(),
                carc: reason,
                remarks,
                amount: a.amount,
                line,
            });
            continue;
        }
        posted.adjusted += a.amount;
        posted.entries.push(entry(
            EntryKind::Adjustment,
            payer,
            -a.amount,
            line,
            a.group.code(),
            &reason,
            effective,
        ));
    }
    posted.adjudication = if forwarded {
        Adjudication::Forwarded
    } else if claim_denied {
        Adjudication::Denied
    } else if line_denied {
        Adjudication::PartiallyPaid
    } else {
        Adjudication::Paid
    };
    let imbalance = pay.imbalance();
    if imbalance != Cents::ZERO {
        posted.notes.push(format!(
            "the payer's figures do not balance: charge {} − paid {} − adjustments leaves {}",
            pay.charge, pay.paid, imbalance
        ));
    }
    posted
}

/// Every CAS of a CLP (claim level, then each SVC's), with the SVC index and its remark codes.
fn all_adjustments(
    pay: &ClaimPayment,
) -> impl Iterator<Item = (&claim_model::Adjustment, Option<usize>, Vec<String>)> {
    pay.adjustments.iter().map(|a| (a, None, Vec::new())).chain(
        pay.lines.iter().enumerate().flat_map(|(i, l)| {
            let remarks: Vec<String> = l.remarks.iter().map(|r| r.to_string()).collect();
            l.adjustments.iter().map(move |a| (a, Some(i), remarks.clone()))
        }),
    )
}

fn entry(
    kind: EntryKind,
    party: Party,
    amount: Cents,
    line: Option<u32>,
    group: &str,
    reason: &str,
    effective: Date,
) -> Entry {
    Entry { kind, party, amount, line, group: group.into(), reason: reason.into(), effective }
}

/// The entries that undo `original` (a reversal or a take-back): each negated, on `effective`.
pub fn reverse_entries(original: &[Entry], effective: Date) -> Vec<Entry> {
    original
        .iter()
        .filter(|e| e.kind != EntryKind::Charge)
        .map(|e| Entry { amount: -e.amount, effective, ..e.clone() })
        .collect()
}

/// A remittance's deposit check: what was paid on claims, less provider-level adjustments,
/// against BPR02.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deposit {
    /// Σ CLP04.
    pub claims_paid: Cents,
    /// Σ PLB amounts (positive: withheld).
    pub provider_adjustments: Cents,
    /// BPR02.
    pub expected: Cents,
}

impl Deposit {
    /// Of one 835 transaction set.
    pub fn of(remit: &Remittance) -> Deposit {
        Deposit {
            claims_paid: remit.claims.iter().map(|c| c.paid).sum(),
            provider_adjustments: remit.provider_adjustments.iter().map(|p| p.amount).sum(),
            expected: remit.payment,
        }
    }

    /// True when Σ CLP04 − Σ PLB = BPR02.
    pub fn balanced(&self) -> bool {
        self.claims_paid - self.provider_adjustments == self.expected
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claim_model::{Adjustment, Text};

    fn day() -> Date {
        Date::from_ymd(2026, 6, 1).unwrap()
    }

    fn adj(group: &str, reason: &str, cents: i64) -> Adjustment {
        Adjustment::new(AdjustmentGroup::from_code(group).unwrap(), reason, Cents(cents))
    }

    fn svc(code: &str, charge: i64, paid: i64, adjs: Vec<Adjustment>) -> LinePayment {
        LinePayment {
            procedure: code.into(),
            modifiers: vec![],
            billed_procedure: None,
            charge: Cents(charge),
            paid: Cents(paid),
            units: None,
            date: None,
            adjustments: adjs,
            remarks: vec![Text::from("N130")],
        }
    }

    fn clp(status: &str, charge: i64, paid: i64, lines: Vec<LinePayment>) -> ClaimPayment {
        ClaimPayment {
            patient_control_number: "A1".into(),
            status: status.into(),
            charge: Cents(charge),
            paid: Cents(paid),
            patient_responsibility: Cents::ZERO,
            payer_claim_number: "PCN".into(),
            filing_indicator: "CI".into(),
            patient: None,
            adjustments: vec![],
            lines,
        }
    }

    fn lines() -> Vec<LineToPost> {
        vec![
            LineToPost { procedure: "99213".into(), charge: Cents(15000), ..Default::default() },
            LineToPost { procedure: "85025".into(), charge: Cents(5000), ..Default::default() },
        ]
    }

    fn sum(entries: &[Entry], party: Party) -> Cents {
        entries.iter().filter(|e| e.party == party).map(|e| e.amount).sum()
    }

    #[test]
    fn paid_claim_writes_off_contractual_and_moves_patient_share() {
        let lines = lines();
        let c = ClaimToPost { payer: PayerId(1), rank: 1, next: Party::Patient, lines: &lines };
        let pay = clp(
            "1",
            20000,
            12000,
            vec![
                svc("99213", 15000, 9000, vec![adj("CO", "45", 4000), adj("PR", "2", 2000)]),
                svc("85025", 5000, 3000, vec![adj("CO", "45", 2000)]),
            ],
        );
        let p = post_claim(&c, &pay, day());
        assert_eq!(p.adjudication, Adjudication::Paid);
        assert_eq!(p.line_of_svc, vec![Some(0), Some(1)]);
        assert_eq!(
            (p.paid, p.adjusted, p.patient_responsibility),
            (Cents(12000), Cents(6000), Cents(2000))
        );
        // After the charge of 200.00 on the payer, the payer owes nothing and the patient 20.00.
        assert_eq!(Cents(20000) + sum(&p.entries, Party::Payer(PayerId(1))), Cents::ZERO);
        assert_eq!(sum(&p.entries, Party::Patient), Cents(2000));
    }

    #[test]
    fn denial_is_not_written_off() {
        let lines = lines();
        let c = ClaimToPost { payer: PayerId(1), rank: 1, next: Party::Patient, lines: &lines };
        let mut pay = clp("4", 20000, 0, vec![]);
        pay.adjustments = vec![adj("CO", "197", 20000)];
        let p = post_claim(&c, &pay, day());
        assert_eq!(p.adjudication, Adjudication::Denied);
        assert!(p.entries.is_empty());
        assert_eq!(p.denials.len(), 1);
        assert_eq!(p.denials[0].carc, "197");
    }

    #[test]
    fn line_denial_makes_a_partial_payment() {
        let lines = lines();
        let c = ClaimToPost { payer: PayerId(1), rank: 1, next: Party::Patient, lines: &lines };
        let pay = clp(
            "1",
            20000,
            11000,
            vec![
                svc("99213", 15000, 11000, vec![adj("CO", "45", 4000)]),
                svc("85025", 5000, 0, vec![adj("CO", "97", 5000)]),
            ],
        );
        let p = post_claim(&c, &pay, day());
        assert_eq!(p.adjudication, Adjudication::PartiallyPaid);
        assert_eq!(p.adjusted, Cents(4000));
        assert_eq!(p.denials[0].line, Some(1));
        assert_eq!(p.denials[0].remarks, vec!["N130".to_string()]);
    }

    #[test]
    fn secondary_skips_prior_payer_adjudication() {
        let lines = lines();
        let c = ClaimToPost { payer: PayerId(2), rank: 2, next: Party::Patient, lines: &lines };
        let mut pay = clp("2", 20000, 1500, vec![]);
        pay.adjustments = vec![adj("OA", "23", 18000), adj("PR", "3", 500)];
        let p = post_claim(&c, &pay, day());
        // The secondary was owed the 20.00 the primary moved to it.
        assert_eq!(Cents(2000) + sum(&p.entries, Party::Payer(PayerId(2))), Cents::ZERO);
        assert_eq!(sum(&p.entries, Party::Patient), Cents(500));
        assert_eq!(p.notes.len(), 1);
    }

    #[test]
    fn forwarded_and_reversal() {
        let lines = lines();
        let c = ClaimToPost {
            payer: PayerId(1),
            rank: 1,
            next: Party::Payer(PayerId(2)),
            lines: &lines,
        };
        let mut pay = clp("19", 20000, 16000, vec![]);
        pay.adjustments = vec![adj("PR", "2", 4000)];
        let p = post_claim(&c, &pay, day());
        assert_eq!(p.adjudication, Adjudication::Forwarded);
        assert_eq!(sum(&p.entries, Party::Payer(PayerId(2))), Cents(4000));
        let undo = reverse_entries(&p.entries, day());
        let all: Vec<Entry> = p.entries.iter().chain(&undo).cloned().collect();
        assert_eq!(sum(&all, Party::Payer(PayerId(1))), Cents::ZERO);
        assert_eq!(sum(&all, Party::Payer(PayerId(2))), Cents::ZERO);
        let rev = post_claim(&c, &clp("22", -20000, -16000, vec![]), day());
        assert_eq!(rev.adjudication, Adjudication::Reversed);
    }

    #[test]
    fn unbundled_and_changed_codes_match_the_billed_line() {
        let lines = lines();
        let mut a = svc("99212", 15000, 5000, vec![]);
        a.billed_procedure = Some("99213".into());
        let mut b = svc("36415", 0, 300, vec![]);
        b.billed_procedure = Some("85025".into());
        let mut c = svc("85027", 5000, 2000, vec![]);
        c.billed_procedure = Some("85025".into());
        assert_eq!(match_lines(&lines, &[a, b, c]), vec![Some(0), Some(1), Some(1)]);
    }
}
