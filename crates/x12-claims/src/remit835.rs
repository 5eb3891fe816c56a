//! 835 remittance advice → [`Remittance`].

use claim_model::{Cents, ClaimPayment, LinePayment, ProviderAdjustment, Remittance, Text};
use x12::{Finding, Position, Segment, Split};

use crate::fields::{Fields, Set};

fn finding(pos: Position, element: Option<u16>, rule: &'static str, message: String) -> Finding {
    Finding { pos: Position { element, ..pos }, rule, message }
}

fn procedure(seg: &Split<'_>, n: usize) -> (Text, Vec<Text>) {
    let mut comps = seg.components(n).map(|c| Text::from(String::from_utf8_lossy(c).trim()));
    let _qualifier = comps.next();
    let code = comps.next().unwrap_or_default();
    let modifiers = comps.take(4).filter(|m| !m.is_empty()).collect();
    (code, modifiers)
}

#[derive(Clone, Copy)]
enum Party835 {
    None,
    Payer,
    Payee,
}

/// Reads every 835 transaction set in `src`. Segments of other transaction sets are ignored;
/// problems (and imbalances) come back as findings, never as a panic.
pub fn read_835(src: &[u8]) -> (Vec<Remittance>, Vec<Finding>) {
    let src = x12::to_bytes(src);
    let (_, mut findings, segs) = x12::parse_with_segments(&src);
    let (remits, more) = remittances_of(&segs);
    findings.extend(more);
    (remits, findings)
}

/// The remittances of the 835 transaction sets among `segs` (a file's or one transaction set's
/// segments, in order), with the reader's own findings (not the envelope checks).
pub fn remittances_of(segs: &[Segment<'_>]) -> (Vec<Remittance>, Vec<Finding>) {
    read_remits(segs, false)
}

/// The reader's findings alone, for validation (names and addresses, which yield none, are not
/// read).
pub(crate) fn remit_findings(segs: &[Segment<'_>]) -> Vec<Finding> {
    read_remits(segs, true).1
}

fn read_remits(segs: &[Segment<'_>], checks_only: bool) -> (Vec<Remittance>, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut remits = Vec::new();
    let mut cur: Option<Remittance> = None;
    let mut in_line = false;
    // Where each claim (CLP) and line (SVC) of the open remittance stands, for findings.
    let mut clp_pos: Vec<(Position, Vec<Position>)> = Vec::new();
    let mut ctx_findings = Vec::new();
    {
        let mut c = Fields { findings: &mut ctx_findings, set: Set::Remit835 };
        // Whose address the next N3/N4 is.
        let mut party = Party835::None;
        for &seg in segs {
            if checks_only && matches!(seg.id(), b"N1" | b"N3" | b"N4" | b"NM1" | b"PER") {
                continue;
            }
            let seg = Split::new(seg);
            match seg.id() {
                b"ST" if seg.element(1) == Some(b"835") => {
                    cur = Some(Remittance {
                        payment: Cents::ZERO,
                        method: Text::default(),
                        date: None,
                        trace: Text::default(),
                        payer: Default::default(),
                        payee: Default::default(),
                        payer_address: None,
                        payee_address: None,
                        claims: Vec::new(),
                        provider_adjustments: Vec::new(),
                    });
                    in_line = false;
                    clp_pos.clear();
                }
                b"SE" if cur.is_some() => {
                    if let Some(r) = cur.take() {
                        check_balance(&r, seg.pos, &clp_pos, c.findings);
                        remits.push(r);
                    }
                }
                _ => {}
            }
            let Some(r) = cur.as_mut() else { continue };
            match seg.id() {
                b"BPR" => {
                    r.payment = c.money(&seg, 2);
                    r.method = Text::from(seg.text(4).trim());
                    r.date = c.date(&seg, 16);
                }
                b"TRN" => r.trace = Text::from(seg.text(2).trim()),
                b"N1" => {
                    let who = (Text::from(seg.text(2).trim()), Text::from(seg.text(4).trim()));
                    party = match &*seg.text(1) {
                        "PR" => {
                            r.payer = who;
                            Party835::Payer
                        }
                        "PE" => {
                            r.payee = who;
                            Party835::Payee
                        }
                        _ => Party835::None,
                    };
                }
                b"N3" | b"N4" => {
                    let slot = match party {
                        Party835::Payer => &mut r.payer_address,
                        Party835::Payee => &mut r.payee_address,
                        Party835::None => continue,
                    };
                    let a = slot.get_or_insert_with(claim_model::Address::default);
                    let t = |n| Text::from(seg.text(n).trim());
                    if seg.id() == b"N3" {
                        a.lines = [t(1), t(2)].into_iter().filter(|l| !l.is_empty()).collect();
                    } else {
                        a.city = t(1);
                        a.state = t(2);
                        a.postal_code = t(3);
                        a.country = t(4);
                    }
                }
                b"NM1" if seg.element(1) == Some(b"QC") => {
                    if let Some(claim) = r.claims.last_mut() {
                        let t = |n| Text::from(seg.text(n).trim());
                        claim.patient = Some(if seg.element(2) == Some(b"2") {
                            claim_model::Name::Organization(t(3))
                        } else {
                            claim_model::Name::Person {
                                last: t(3),
                                first: t(4),
                                middle: t(5),
                                suffix: t(7),
                            }
                        });
                    }
                }
                b"CLP" => {
                    in_line = false;
                    party = Party835::None;
                    clp_pos.push((seg.pos, Vec::new()));
                    r.claims.push(ClaimPayment {
                        patient_control_number: Text::from(seg.text(1).trim()),
                        status: Text::from(seg.text(2).trim()),
                        charge: c.money(&seg, 3),
                        paid: c.money(&seg, 4),
                        patient_responsibility: c.money(&seg, 5),
                        payer_claim_number: Text::from(seg.text(7).trim()),
                        filing_indicator: Text::from(seg.text(6).trim()),
                        patient: None,
                        adjustments: Vec::new(),
                        lines: Vec::new(),
                    });
                }
                b"SVC" => {
                    let Some(claim) = r.claims.last_mut() else {
                        c.findings.push(finding(
                            seg.pos,
                            None,
                            "X12-835-STR-001",
                            "SVC before any CLP".into(),
                        ));
                        continue;
                    };
                    in_line = true;
                    if let Some((_, lines)) = clp_pos.last_mut() {
                        lines.push(seg.pos);
                    }
                    let (code, modifiers) = procedure(&seg, 1);
                    let billed =
                        seg.element(6).filter(|e| !e.is_empty()).map(|_| procedure(&seg, 6).0);
                    let line = LinePayment {
                        procedure: code,
                        modifiers,
                        billed_procedure: billed,
                        charge: c.money(&seg, 2),
                        paid: c.money(&seg, 3),
                        units: c.units(&seg, 5),
                        date: None,
                        adjustments: Vec::new(),
                        remarks: Vec::new(),
                    };
                    claim.lines.push(line);
                }
                b"CAS" => {
                    let Some(claim) = r.claims.last_mut() else {
                        c.findings.push(finding(
                            seg.pos,
                            None,
                            "X12-835-STR-002",
                            "CAS before any CLP".into(),
                        ));
                        continue;
                    };
                    match (in_line, claim.lines.last_mut()) {
                        (true, Some(line)) => c.cas(&seg, &mut line.adjustments),
                        _ => c.cas(&seg, &mut claim.adjustments),
                    }
                }
                b"DTM" if in_line => {
                    if matches!(&*seg.text(1), "472" | "150")
                        && let Some(line) = r.claims.last_mut().and_then(|cl| cl.lines.last_mut())
                        && line.date.is_none()
                    {
                        line.date = c.date(&seg, 2);
                    }
                }
                b"LQ" if in_line => {
                    if let Some(line) = r.claims.last_mut().and_then(|cl| cl.lines.last_mut()) {
                        line.remarks.push(Text::from(seg.text(2).trim()));
                    }
                }
                b"PLB" => {
                    let provider = Text::from(seg.text(1).trim());
                    let date = c.date(&seg, 2);
                    for k in 0..6 {
                        let e = 3 + 2 * k;
                        let Some(reason) = seg.element(e).filter(|x| !x.is_empty()) else {
                            continue;
                        };
                        let mut comps = reason.split(|&b| b == seg.delimiters.component);
                        let code = Text::from(
                            String::from_utf8_lossy(comps.next().unwrap_or_default()).trim(),
                        );
                        let reference = Text::from(
                            String::from_utf8_lossy(comps.next().unwrap_or_default()).trim(),
                        );
                        let amount = c.money(&seg, e + 1);
                        r.provider_adjustments.push(ProviderAdjustment {
                            provider: provider.clone(),
                            date,
                            reason: code,
                            reference,
                            amount,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    findings.extend(ctx_findings);
    (remits, findings)
}

fn check_balance(
    r: &Remittance,
    se: Position,
    at: &[(Position, Vec<Position>)],
    findings: &mut Vec<Finding>,
) {
    for (ci, claim) in r.claims.iter().enumerate() {
        let clp = at.get(ci).map_or(se, |p| p.0);
        let off = claim.imbalance();
        if off != Cents::ZERO {
            findings.push(finding(clp, None, "X12-835-BAL-001", format!(
                "claim {}: charge {} ≠ paid {} + adjustments (off by {off}); CLP03 must equal CLP04 plus every CAS amount",
                claim.patient_control_number, claim.charge, claim.paid
            )));
        }
        for (i, line) in claim.lines.iter().enumerate() {
            let adj: Cents = line.adjustments.iter().map(|a| a.amount).sum();
            let off = line.charge - line.paid - adj;
            if off != Cents::ZERO && !line.adjustments.is_empty() {
                findings.push(finding(
                    se,
                    None,
                    "X12-835-BAL-002",
                    format!(
                        "claim {} line {} ({}): charge {} ≠ paid {} + adjustments (off by {off})",
                        claim.patient_control_number,
                        i + 1,
                        line.procedure,
                        line.charge,
                        line.paid
                    ),
                ));
            }
        }
    }
    let off = r.imbalance();
    if off != Cents::ZERO {
        findings.push(finding(
            se,
            None,
            "X12-835-BAL-003",
            format!("BPR02 {} ≠ Σ CLP04 − Σ PLB (off by {off})", r.payment),
        ));
    }
}
