//! SNIP level 4: the implementation guides' situational rules that span segments and loops,
//! checked on a transaction set whose segments the guide walk has placed in their loops.
//!
//! | rule | problem |
//! |---|---|
//! | X12-837-SIT-001 | a replacement or void (CLM05-3 7/8) without the payer's claim number (REF*F8) (in the 837 reader) |
//! | X12-837-SIT-002 | the subscriber is the patient (no 2000C) but SBR02 is not 18, or a patient loop 2000C follows a subscriber whose SBR02 is filled |
//! | X12-837-SIT-003 | pay-to address (2010AB) the same as the billing provider's address (warning) |
//! | X12-837-SIT-004 | claim-level rendering provider (2310B) the same as the billing provider (warning) |
//! | X12-837-SIT-005 | a secondary or tertiary claim (SBR01 S/T) without other-payer loops 2320/2330 |
//! | X12-837-SIT-006 | Medicare secondary (SBR01 not P, SBR09 MA/MB) without the insurance type code SBR05 |
//! | X12-837-SIT-007 | line adjudication (2430) paid amounts less the claim-level adjustments (2320 CAS) ≠ the other payer's paid amount (2320 AMT*D) |
//! | X12-837-SIT-008 | a line's charge ≠ the other payer's line paid amount plus its line adjustments (2430) |
//! | X12-835-SIT-001 | a reversal (CLP02 22) with a positive charge or payment |
//!
//! The referring-provider rule ("required when the service requires a referral") depends on the
//! payer's policy, not on the file; it is left to the scrubber.

use claim_model::Cents;
use x12::{Finding, Position, Segment};

fn amount(s: &Segment<'_>, n: usize) -> Option<Cents> {
    std::str::from_utf8(s.element(n)?).ok()?.trim().parse().ok()
}

fn el<'a>(s: &Segment<'a>, n: usize) -> &'a [u8] {
    s.element(n).unwrap_or_default()
}

fn at(s: &Segment<'_>, element: Option<u16>) -> Position {
    Position { element, component: None, ..s.pos }
}

/// Level-4 findings of one transaction set: `segs` from ST to SE, `loops` the loop of each.
pub(crate) fn check(set: &[u8], segs: &[Segment<'_>], loops: &[&'static str]) -> Vec<Finding> {
    let mut out = Vec::new();
    match set {
        b"837" => check_837(segs, loops, &mut out),
        b"835" => check_835(segs, &mut out),
        _ => {}
    }
    out
}

fn check_835(segs: &[Segment<'_>], out: &mut Vec<Finding>) {
    for s in segs.iter().filter(|s| s.id() == b"CLP" && el(s, 2) == b"22") {
        let charge = amount(s, 3).unwrap_or_default();
        let paid = amount(s, 4).unwrap_or_default();
        if charge > Cents::ZERO || paid > Cents::ZERO {
            out.push(Finding {
                pos: at(s, Some(if charge > Cents::ZERO { 3 } else { 4 })),
                rule: "X12-835-SIT-001",
                message: format!(
                    "claim {} is a reversal (CLP02 22) but its charge {charge} and payment {paid} \
                     are not negative; a reversal takes back the original amounts with the signs \
                     flipped",
                    String::from_utf8_lossy(el(s, 1))
                ),
            });
        }
    }
}

/// What the 837 checks remember while walking one transaction set.
#[derive(Default)]
struct State<'a> {
    billing_nm109: &'a [u8],
    billing_address: Vec<&'a [u8]>,
    pay_to_address: Vec<&'a [u8]>,
    pay_to_at: Option<Position>,
    /// The 2000B SBR, and whether a 2000C followed it.
    sbr: Option<Segment<'a>>,
    patient_level: bool,
    /// The open claim: its CLM, its 2320 loops (payer ID and paid amount), its lines.
    claim: Option<Claim<'a>>,
}

struct Claim<'a> {
    clm: Segment<'a>,
    other_payers: Vec<OtherPayer<'a>>,
    lines: Vec<Line<'a>>,
}

struct OtherPayer<'a> {
    sbr: Segment<'a>,
    paid: Option<Cents>,
    /// Claim-level adjustments (2320 CAS).
    adjusted: Cents,
    payer_id: &'a [u8],
}

struct Line<'a> {
    charge_seg: Option<Segment<'a>>,
    /// Per 2430: (payer ID, paid, adjustments total).
    adjudications: Vec<(&'a [u8], Cents, Cents, Segment<'a>)>,
}

fn check_837(segs: &[Segment<'_>], loops: &[&'static str], out: &mut Vec<Finding>) {
    let mut st = State::default();
    for (i, s) in segs.iter().enumerate() {
        let lp = loops.get(i).copied().unwrap_or("");
        let id = s.id();
        match (lp, id) {
            ("2010AA", b"NM1") => {
                st.billing_nm109 = el(s, 9);
                st.billing_address.clear();
            }
            ("2010AA", b"N3" | b"N4") => st.billing_address.extend(s.elements()),
            ("2010AB", b"NM1") => {
                st.pay_to_address.clear();
                st.pay_to_at = Some(s.pos);
            }
            ("2010AB", b"N3" | b"N4") => {
                st.pay_to_address.extend(s.elements());
                if id == b"N4"
                    && st.pay_to_address == st.billing_address
                    && let Some(pos) = st.pay_to_at
                {
                    out.push(Finding {
                        pos,
                        rule: "X12-837-SIT-003",
                        message: "the pay-to address (loop 2010AB) is the billing provider's \
                                  address; send loop 2010AB only when payments go elsewhere"
                            .into(),
                    });
                }
            }
            ("2000B", b"HL") => {
                finish_claim(&mut st, out);
                finish_subscriber(&mut st, out);
            }
            ("2000B", b"SBR") => {
                st.sbr = Some(*s);
                st.patient_level = false;
                check_medicare_secondary(s, out);
            }
            ("2000C", b"HL") => {
                finish_claim(&mut st, out);
                st.patient_level = true;
                if let Some(sbr) = st.sbr
                    && !el(&sbr, 2).is_empty()
                {
                    out.push(Finding {
                        pos: at(&sbr, Some(2)),
                        rule: "X12-837-SIT-002",
                        message:
                            "a patient loop (2000C) follows this subscriber, so the patient is \
                                  not the subscriber: leave SBR02 empty (the relationship goes in \
                                  PAT01)"
                                .into(),
                    });
                }
            }
            ("2300", b"CLM") => {
                finish_claim(&mut st, out);
                st.claim = Some(Claim { clm: *s, other_payers: Vec::new(), lines: Vec::new() });
            }
            ("2310B", b"NM1") if !st.billing_nm109.is_empty() && el(s, 9) == st.billing_nm109 => {
                out.push(Finding {
                    pos: at(s, Some(9)),
                    rule: "X12-837-SIT-004",
                    message: "the claim-level rendering provider (loop 2310B) is the billing \
                              provider; send loop 2310B only when someone else rendered the care"
                        .into(),
                });
            }
            ("2320", b"SBR") => {
                if let Some(c) = st.claim.as_mut() {
                    c.other_payers.push(OtherPayer {
                        sbr: *s,
                        paid: None,
                        adjusted: Cents::ZERO,
                        payer_id: b"",
                    });
                }
            }
            ("2320", b"CAS") => {
                if let Some(p) = st.claim.as_mut().and_then(|c| c.other_payers.last_mut()) {
                    p.adjusted += cas_total(s);
                }
            }
            ("2320", b"AMT") if el(s, 1) == b"D" => {
                if let Some(p) = st.claim.as_mut().and_then(|c| c.other_payers.last_mut()) {
                    p.paid = amount(s, 2);
                }
            }
            ("2330B", b"NM1") => {
                if let Some(p) = st.claim.as_mut().and_then(|c| c.other_payers.last_mut()) {
                    p.payer_id = el(s, 9);
                }
            }
            ("2400", b"LX") => {
                if let Some(c) = st.claim.as_mut() {
                    c.lines.push(Line { charge_seg: None, adjudications: Vec::new() });
                }
            }
            ("2400", b"SV1" | b"SV2") => {
                if let Some(l) = st.claim.as_mut().and_then(|c| c.lines.last_mut()) {
                    l.charge_seg = Some(*s);
                }
            }
            ("2430", b"SVD") => {
                if let Some(l) = st.claim.as_mut().and_then(|c| c.lines.last_mut()) {
                    l.adjudications.push((
                        el(s, 1),
                        amount(s, 2).unwrap_or_default(),
                        Cents::ZERO,
                        *s,
                    ));
                }
            }
            ("2430", b"CAS") => {
                if let Some(a) = st
                    .claim
                    .as_mut()
                    .and_then(|c| c.lines.last_mut())
                    .and_then(|l| l.adjudications.last_mut())
                {
                    a.2 += cas_total(s);
                }
            }
            _ => {}
        }
    }
    finish_claim(&mut st, out);
    finish_subscriber(&mut st, out);
}

/// The amounts of a CAS segment's six reason/amount/quantity triplets.
fn cas_total(s: &Segment<'_>) -> Cents {
    (0..6).map(|k| amount(s, 3 + 3 * k).unwrap_or_default()).sum()
}

fn check_medicare_secondary(sbr: &Segment<'_>, out: &mut Vec<Finding>) {
    let medicare = matches!(el(sbr, 9), b"MA" | b"MB");
    let not_primary = !matches!(el(sbr, 1), b"P" | b"");
    if medicare && not_primary && el(sbr, 5).is_empty() {
        out.push(Finding {
            pos: at(sbr, Some(5)),
            rule: "X12-837-SIT-006",
            message: "Medicare is billed as a secondary payer here but SBR05 (the Medicare \
                      secondary payer type, e.g. 12 working aged, 13 ESRD, 14 no-fault, 47 other \
                      liability) is empty"
                .into(),
        });
    }
}

fn finish_subscriber(st: &mut State<'_>, out: &mut Vec<Finding>) {
    if let Some(sbr) = st.sbr.take()
        && !st.patient_level
        && el(&sbr, 2) != b"18"
    {
        out.push(Finding {
            pos: at(&sbr, Some(2)),
            rule: "X12-837-SIT-002",
            message: "no patient loop (2000C) follows this subscriber, so the subscriber is the \
                      patient: SBR02 must be 18 (self)"
                .into(),
        });
    }
    st.patient_level = false;
}

fn finish_claim(st: &mut State<'_>, out: &mut Vec<Finding>) {
    let Some(c) = st.claim.take() else { return };
    let responsibility = st.sbr.as_ref().map(|s| el(s, 1)).unwrap_or_default();
    if !matches!(responsibility, b"P" | b"") && c.other_payers.is_empty() {
        out.push(Finding {
            pos: at(&c.clm, None),
            rule: "X12-837-SIT-005",
            message: format!(
                "claim {} goes to a {} payer (SBR01 {}) but has no other-payer loops (2320/2330) \
                 saying what the earlier payer did",
                String::from_utf8_lossy(el(&c.clm, 1)),
                if responsibility == b"S" { "secondary" } else { "non-primary" },
                String::from_utf8_lossy(responsibility)
            ),
        });
    }
    for p in &c.other_payers {
        let Some(paid) = p.paid else { continue };
        let lines: Vec<&(&[u8], Cents, Cents, Segment<'_>)> = c
            .lines
            .iter()
            .flat_map(|l| &l.adjudications)
            .filter(|a| !p.payer_id.is_empty() && a.0 == p.payer_id)
            .collect();
        if lines.is_empty() {
            continue;
        }
        let sum: Cents = lines.iter().map(|a| a.1).sum();
        if sum - p.adjusted != paid {
            out.push(Finding {
                pos: at(&p.sbr, None),
                rule: "X12-837-SIT-007",
                message: format!(
                    "payer {} paid {paid} on the claim (2320 AMT*D) but its line payments (2430 \
                     SVD02) {sum} less its claim-level adjustments (2320 CAS) {} make {}",
                    String::from_utf8_lossy(p.payer_id),
                    p.adjusted,
                    sum - p.adjusted
                ),
            });
        }
    }
    for l in &c.lines {
        let Some(sv) = l.charge_seg else { continue };
        // SV102 (professional) or SV203 (institutional).
        let charge = if sv.id() == b"SV1" { amount(&sv, 2) } else { amount(&sv, 3) };
        let Some(charge) = charge else { continue };
        for (payer, paid, adjusted, svd) in &l.adjudications {
            if *paid + *adjusted != charge {
                out.push(Finding {
                    pos: at(svd, Some(2)),
                    rule: "X12-837-SIT-008",
                    message: format!(
                        "the line charge {charge} ≠ payer {}'s line payment {paid} plus its line \
                         adjustments {adjusted} (2430 SVD02 + CAS)",
                        String::from_utf8_lossy(payer)
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::guide;

    const ISA: &str = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*T*:~GS*HC*A*B*20260101*1200*1*X*005010X222A1~";

    const CLAIM: &str = "ST*837*0001*005010X222A1~BHT*0019*00*1*20260101*1200*CH~\
NM1*41*2*BILLING SVC*****46*S1~PER*IC*DESK*TE*5555551212~NM1*40*2*PAYER*****46*R1~\
HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*CITY*ST*12345~REF*EI*123456789~\
HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER*****PI*P1~\
CLM*A1*100***11:B:1*Y*A*Y*Y~HI*ABK:J109~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260101~SE*21*0001~";

    fn rules(body: &str) -> Vec<&'static str> {
        let edi = format!("{ISA}{body}");
        let segs: Vec<Segment<'_>> =
            x12::Tokenizer::new(edi.as_bytes()).map(Result::unwrap).collect();
        let st = segs.iter().position(|s| s.id() == b"ST").unwrap();
        let se = segs.iter().position(|s| s.id() == b"SE").unwrap();
        let set = &segs[st..=se];
        let g = guide("837", "005010X222A1").or(guide("835", "005010X221A1")).unwrap();
        let g = if set[0].element(1) == Some(b"835") {
            guide("835", "005010X221A1").unwrap()
        } else {
            g
        };
        let w = crate::walk::walk(g, set);
        check(set[0].element(1).unwrap(), set, &w.loops).iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_clean_claim_has_no_level_4_findings() {
        assert!(rules(CLAIM).is_empty(), "{:?}", rules(CLAIM));
    }

    #[test]
    fn each_rule_fires_and_stays_quiet() {
        // SIT-002: subscriber is patient but SBR02 empty.
        assert_eq!(rules(&CLAIM.replace("SBR*P*18*", "SBR*P**")), ["X12-837-SIT-002"]);
        // SIT-003: pay-to address equal to billing address.
        let pay_to = CLAIM.replace(
            "REF*EI*123456789~",
            "REF*EI*123456789~NM1*87*2~N3*1 MAIN ST~N4*CITY*ST*12345~",
        );
        assert_eq!(rules(&pay_to), ["X12-837-SIT-003"]);
        assert!(rules(&pay_to.replace("NM1*87*2~N3*1 MAIN ST", "NM1*87*2~N3*PO BOX 9")).is_empty());
        // SIT-004: rendering = billing.
        let rendering =
            CLAIM.replace("HI*ABK:J109~", "HI*ABK:J109~NM1*82*1*DOC*A****XX*1234567893~");
        assert_eq!(rules(&rendering), ["X12-837-SIT-004"]);
        assert!(rules(&rendering.replace("XX*1234567893~LX", "XX*1999999984~LX")).is_empty());
        // SIT-005: secondary without 2320.
        assert_eq!(rules(&CLAIM.replace("SBR*P*18*", "SBR*S*18*")), ["X12-837-SIT-005"]);
        // SIT-006: Medicare secondary without SBR05.
        let mcr = CLAIM.replace("SBR*P*18*******CI", "SBR*S*18*******MB");
        assert!(rules(&mcr).contains(&"X12-837-SIT-006"));
        assert!(
            !rules(&mcr.replace("SBR*S*18*****", "SBR*S*18***12**")).contains(&"X12-837-SIT-006")
        );
        // SIT-007/008: COB with line adjudication.
        let cob = CLAIM.replace("SBR*P*18*", "SBR*S*18*").replace(
            "HI*ABK:J109~",
            "HI*ABK:J109~SBR*P*18*******CI~AMT*D*80~OI***Y*P**Y~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*FIRST*****PI*P0~",
        )
        .replace(
            "DTP*472*D8*20260101~SE",
            "DTP*472*D8*20260101~SVD*P0*80*HC:99213**1~CAS*CO*45*20~DTP*573*D8*20260110~SE",
        );
        assert!(rules(&cob).is_empty(), "{:?}", rules(&cob));
        assert_eq!(rules(&cob.replace("AMT*D*80", "AMT*D*90")), ["X12-837-SIT-007"]);
        assert_eq!(rules(&cob.replace("CAS*CO*45*20", "CAS*CO*45*10")), ["X12-837-SIT-008"]);
    }

    #[test]
    fn reversals_are_negative() {
        let remit = "ST*835*0001~BPR*I*0*C*NON************20260115~TRN*1*EFT1*1512345678~\
N1*PR*PAYER A~N3*1 PAYER WAY~N4*CITY*ST*12345~PER*BL*EDI*TE*5555551212~N1*PE*CLINIC*XX*1234567893~\
LX*1~CLP*PAT1*22*-100*-80**12*C9~NM1*QC*1*DOE*JANE~SE*12*0001~";
        assert!(rules(remit).is_empty(), "{:?}", rules(remit));
        assert_eq!(rules(&remit.replace("*22*-100*-80*", "*22*100*80*")), ["X12-835-SIT-001"]);
    }
}
