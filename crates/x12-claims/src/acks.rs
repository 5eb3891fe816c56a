//! Acknowledgments: reading a 999 (005010X231A1) and a 277CA (005010X214) into the claim
//! model, and writing the 277CA for a received 837 (the payer side of the exchange).

use claim_model::{Cents, ClaimAck, GroupAck, SegmentError, SetAck, Text};
use code_sets::{Date, Library};
use x12::{Delimiters, EnvelopeWriter, Finding, Segment};

use crate::AckTime;

fn text(s: &Segment<'_>, n: usize) -> String {
    s.text(n).trim().to_string()
}

fn number(s: &Segment<'_>, n: usize) -> u32 {
    text(s, n).parse().unwrap_or(0)
}

/// Reads every 999 in `src`: one [`GroupAck`] per AK1 … AK9.
pub fn read_999(src: &[u8]) -> (Vec<GroupAck>, Vec<Finding>) {
    let src = x12::to_bytes(src);
    let (_, findings, segs) = x12::parse_with_segments(&src);
    let mut out: Vec<GroupAck> = Vec::new();
    let mut in_999 = false;
    for s in &segs {
        match s.id() {
            b"ST" => in_999 = s.element(1) == Some(b"999"),
            _ if !in_999 => {}
            b"AK1" => out.push(GroupAck {
                functional_id: text(s, 1),
                group_control: text(s, 2),
                version: text(s, 3),
                status: String::new(),
                counts: (0, 0, 0),
                sets: Vec::new(),
            }),
            b"AK2" => {
                if let Some(g) = out.last_mut() {
                    g.sets.push(SetAck {
                        set: text(s, 1),
                        control: text(s, 2),
                        status: String::new(),
                        syntax_errors: Vec::new(),
                        errors: Vec::new(),
                    });
                }
            }
            b"IK3" => {
                if let Some(set) = out.last_mut().and_then(|g| g.sets.last_mut()) {
                    set.errors.push(SegmentError {
                        segment: text(s, 1),
                        position: number(s, 2),
                        loop_id: text(s, 3),
                        code: text(s, 4),
                        elements: Vec::new(),
                    });
                }
            }
            b"IK4" => {
                if let Some(e) = out
                    .last_mut()
                    .and_then(|g| g.sets.last_mut())
                    .and_then(|set| set.errors.last_mut())
                {
                    let mut pos = s.components(1);
                    let element = std::str::from_utf8(pos.next().unwrap_or_default())
                        .ok()
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(0);
                    let component = pos
                        .next()
                        .and_then(|c| std::str::from_utf8(c).ok())
                        .and_then(|t| t.parse().ok());
                    e.elements.push((element, component, text(s, 3), text(s, 4)));
                }
            }
            b"IK5" => {
                if let Some(set) = out.last_mut().and_then(|g| g.sets.last_mut()) {
                    set.status = text(s, 1);
                    set.syntax_errors =
                        (2..=6).map(|n| text(s, n)).filter(|t| !t.is_empty()).collect();
                }
            }
            b"AK9" => {
                if let Some(g) = out.last_mut() {
                    g.status = text(s, 1);
                    g.counts = (number(s, 2), number(s, 3), number(s, 4));
                }
            }
            _ => {}
        }
    }
    (out, findings)
}

/// Reads every 277 in `src` — claim acknowledgments (277CA, 005010X214) and claim status
/// responses (005010X212) alike: one [`ClaimAck`] per claim (loop 2200D, or 2200E for a
/// dependent), with its first status.
pub fn read_277ca(src: &[u8]) -> (Vec<ClaimAck>, Vec<Finding>) {
    let src = x12::to_bytes(src);
    let (_, findings, segs) = x12::parse_with_segments(&src);
    let mut out: Vec<ClaimAck> = Vec::new();
    let mut in_277 = false;
    let mut level = String::new();
    // Inside a claim's 2200D (before any 2220D service line).
    let mut in_claim = false;
    let mut status_seen = false;
    for s in &segs {
        match s.id() {
            b"ST" => in_277 = s.element(1) == Some(b"277"),
            _ if !in_277 => {}
            b"HL" => {
                level = text(s, 3);
                in_claim = false;
            }
            // The claim level: PT in a 277CA, subscriber (22) or dependent (23) in a 277.
            b"TRN"
                if matches!(level.as_str(), "PT" | "22" | "23") && s.element(1) == Some(b"2") =>
            {
                in_claim = true;
                status_seen = false;
                out.push(ClaimAck {
                    patient_control_number: text(s, 2),
                    category: String::new(),
                    status: String::new(),
                    entity: String::new(),
                    accepted: false,
                    charge: None,
                    paid: None,
                    date: None,
                    payer_claim_number: String::new(),
                    message: String::new(),
                });
            }
            b"SVC" => in_claim = false,
            b"STC" if in_claim && !status_seen => {
                status_seen = true;
                if let Some(a) = out.last_mut() {
                    let mut c = s.components(1);
                    let part = |b: Option<&[u8]>| {
                        String::from_utf8_lossy(b.unwrap_or_default()).trim().to_string()
                    };
                    a.category = part(c.next());
                    a.status = part(c.next());
                    a.entity = part(c.next());
                    a.accepted = ClaimAck::category_accepts(&a.category);
                    a.date = Date::from_yyyymmdd(&text(s, 2));
                    a.charge = text(s, 4).parse::<Cents>().ok();
                    a.paid = text(s, 5).parse::<Cents>().ok();
                    a.message = text(s, 12);
                }
            }
            b"REF" if in_claim && s.element(1) == Some(b"1K") => {
                if let Some(a) = out.last_mut() {
                    a.payer_claim_number = text(s, 2);
                }
            }
            _ => {}
        }
    }
    (out, findings)
}

/// Writes the 277CA for a received 837 file: every claim of every 837 set the 999 would accept
/// (no level 1–2 errors) is acknowledged as accepted (`A1:20`, or `A2:20` with no errors at all)
/// or rejected (`A7:21`, with the first finding's rule and message in STC12) by the findings of
/// levels 3–5 that fall inside it. `codes` are the installed releases for level 5. `None` when
/// the file has no 837 to acknowledge.
pub fn ack_277ca(src: &[u8], time: &AckTime, codes: Option<&Library>) -> Option<Vec<u8>> {
    let bytes = x12::to_bytes(src);
    let report = crate::validate_with(&bytes, 5, codes);
    let (doc, _, segs) = x12::parse_with_segments(&bytes);
    let mut w = crate::out::reply_writer(&bytes, &doc, time)?;
    let d = doc.interchanges.first()?.delimiters;
    let out_delims = w.delimiters();
    let today = time.gs.0.clone();
    let mut n_sets = 0u32;
    for (gi, g) in doc.interchanges.iter().flat_map(|ic| ic.groups.iter()).enumerate() {
        let gs = doc.segments[g.gs];
        let sets: Vec<_> = g
            .transactions
            .iter()
            .filter(|t| t.set_id(&bytes) == b"837")
            .filter_map(|t| {
                let r = report.transactions.iter().find(|r| r.first == t.st as u64 + 1)?;
                // Rejected by the 999: no 277CA for it.
                (!r.issues.iter().any(|i| i.level <= 2)).then_some((t, r))
            })
            .collect();
        if sets.is_empty() {
            continue;
        }
        w.group(
            "HN",
            &gs.text(&bytes, &d, 3),
            &gs.text(&bytes, &d, 2),
            (&time.gs.0, &time.gs.1),
            gi as u32 + 1,
            "005010X214",
        );
        for (t, r) in sets {
            n_sets += 1;
            let span = t.segments.start.min(segs.len())..t.segments.end.min(segs.len());
            let set_segs = &segs[span];
            write_set(&mut w, set_segs, r, (n_sets, &today, &time.gs.1), out_delims);
        }
    }
    (n_sets > 0).then(|| w.finish())
}

/// One 277 set for one received 837 set.
fn write_set(
    w: &mut EnvelopeWriter,
    segs: &[Segment<'_>],
    report: &crate::TransactionReport,
    (n, today, now): (u32, &str, &str),
    delims: Delimiters,
) {
    let comp = char::from(delims.component);
    let is_delim = |c: char| {
        let b = u32::from(c);
        [delims.element, delims.component, delims.segment]
            .into_iter()
            .chain(delims.repetition)
            .any(|d| u32::from(d) == b)
    };
    let el = |s: &Segment<'_>, i: usize| s.text(i).trim().to_string();
    let find = |id: &[u8], q: &[u8]| segs.iter().find(|s| s.id() == id && s.element(1) == Some(q));
    let receiver = find(b"NM1", b"40");
    let submitter = find(b"NM1", b"41");
    let bht = segs.iter().find(|s| s.id() == b"BHT");
    let (claims, _) = crate::claims_of(segs);
    // Each CLM's span in the set, in order, and the errors of levels 3–5 inside it.
    let clm_at: Vec<usize> =
        segs.iter().enumerate().filter(|(_, s)| s.id() == b"CLM").map(|(i, _)| i).collect();
    // For each segment, the billing provider's NM1*85 last seen before it (one pass, not a
    // search back from every claim).
    let billing_before: Vec<Option<usize>> = {
        let mut last = None;
        segs.iter()
            .enumerate()
            .map(|(j, s)| {
                let before = last;
                if s.id() == b"NM1" && s.element(1) == Some(b"85") {
                    last = Some(j);
                }
                before
            })
            .collect()
    };
    let first = report.first;
    let verdicts: Vec<Option<&crate::Issue>> = clm_at
        .iter()
        .map(|&i| {
            let end = (i + 1..segs.len())
                .find(|&j| matches!(segs[j].id(), b"CLM" | b"HL" | b"SE"))
                .unwrap_or(segs.len());
            let (from, to) = (first + i as u64, first + end as u64);
            report
                .issues
                .iter()
                .find(|x| x.level >= 3 && (from..to).contains(&x.finding.pos.segment_index))
        })
        .collect();
    let control = format!("{n:04}");
    w.transaction("277", &control, "005010X214");
    let trace = bht.map(|b| el(b, 3)).unwrap_or_default();
    w.segment(b"BHT", &[b"0085", b"08", trace.as_bytes(), today.as_bytes(), now.as_bytes(), b"TH"]);
    // 2000A information source: the receiver of the 837 (payer or clearinghouse).
    w.segment(b"HL", &[b"1", b"", b"20", b"1"]);
    let (rname, rid) = receiver.map(|r| (el(r, 3), el(r, 9))).unwrap_or_default();
    w.segment(b"NM1", &[b"AY", b"2", rname.as_bytes(), b"", b"", b"", b"", b"46", rid.as_bytes()]);
    w.segment(b"TRN", &[b"1", control.as_bytes()]);
    w.segment(b"DTP", &[b"050", b"D8", today.as_bytes()]);
    w.segment(b"DTP", &[b"009", b"D8", today.as_bytes()]);
    // 2000B information receiver: the submitter, with the batch totals.
    w.segment(b"HL", &[b"2", b"1", b"21", b"1"]);
    let (sname, sid) = submitter.map(|s| (el(s, 3), el(s, 9))).unwrap_or_default();
    w.segment(b"NM1", &[b"41", b"2", sname.as_bytes(), b"", b"", b"", b"", b"46", sid.as_bytes()]);
    w.segment(b"TRN", &[b"2", trace.as_bytes()]);
    let accepted: Vec<bool> = verdicts.iter().map(Option::is_none).collect();
    let sum = |want: bool| -> Cents {
        claims.iter().zip(&accepted).filter(|(_, a)| **a == want).map(|(c, _)| c.total_charge).sum()
    };
    let count = |want: bool| accepted.iter().filter(|a| **a == want).count().to_string();
    let stc_batch = format!("A1{comp}19{comp}PR");
    w.segment(
        b"STC",
        &[stc_batch.as_bytes(), today.as_bytes(), b"WQ", sum(true).to_x12().as_bytes()],
    );
    w.segment(b"QTY", &[b"90", count(true).as_bytes()]);
    w.segment(b"QTY", &[b"AA", count(false).as_bytes()]);
    w.segment(b"AMT", &[b"YU", sum(true).to_x12().as_bytes()]);
    w.segment(b"AMT", &[b"YY", sum(false).to_x12().as_bytes()]);
    // 2000C billing provider and 2000D patients: one provider level per billing provider.
    let mut hl = 2u32;
    let mut provider_hl = 0u32;
    let mut last_billing = String::new();
    for (k, claim) in claims.iter().enumerate() {
        // The billing provider as sent (NM1*85 before this claim), even when its NPI is wrong.
        let nm1 = clm_at.get(k).and_then(|&i| billing_before[i]).map(|j| &segs[j]);
        let (name, qualifier, id) = match nm1 {
            Some(n) => {
                let name = el(n, 3);
                let q = el(n, 8);
                (name, if q.is_empty() { "XX".to_string() } else { q }, el(n, 9))
            }
            None => (String::new(), "XX".to_string(), String::new()),
        };
        let npi = format!("{qualifier}{id}");
        if k == 0 || npi != last_billing {
            hl += 1;
            provider_hl = hl;
            let h = hl.to_string();
            w.segment(b"HL", &[h.as_bytes(), b"2", b"19", b"1"]);
            let kind = nm1.map(|n| el(n, 2)).filter(|k| k == "1" || k == "2");
            let kind = kind.unwrap_or_else(|| "2".to_string());
            w.segment(
                b"NM1",
                &[
                    b"85",
                    kind.as_bytes(),
                    name.as_bytes(),
                    b"",
                    b"",
                    b"",
                    b"",
                    qualifier.as_bytes(),
                    id.as_bytes(),
                ],
            );
            w.segment(b"TRN", &[b"1", b"0"]);
            last_billing = npi;
        }
        hl += 1;
        let (h, parent) = (hl.to_string(), provider_hl.to_string());
        w.segment(b"HL", &[h.as_bytes(), parent.as_bytes(), b"PT"]);
        let person = claim.patient.as_ref().map_or(&claim.subscriber.person, |(p, _)| p);
        let (last, first) = match &person.name {
            claim_model::Name::Person { last, first, .. } => (last.clone(), first.clone()),
            claim_model::Name::Organization(o) => (o.clone(), Text::default()),
        };
        let member = claim.subscriber.person.member_id.clone();
        w.segment(
            b"NM1",
            &[
                b"QC",
                b"1",
                last.as_bytes(),
                first.as_bytes(),
                b"",
                b"",
                b"",
                b"MI",
                member.as_bytes(),
            ],
        );
        w.segment(b"TRN", &[b"2", claim.patient_control_number.as_bytes()]);
        let charge = claim.total_charge.to_x12();
        match verdicts.get(k).copied().flatten() {
            None => {
                let stc = format!("A1{comp}20{comp}PR");
                w.segment(b"STC", &[stc.as_bytes(), today.as_bytes(), b"WQ", charge.as_bytes()]);
                let payer_number = format!("{}{:04}", trace, k + 1);
                w.segment(b"REF", &[b"1K", payer_number.as_bytes()]);
            }
            Some(issue) => {
                let stc = format!("A7{comp}21{comp}PR");
                let message: String = format!("{}: {}", issue.finding.rule, issue.finding.message)
                    .chars()
                    .filter(|c| !is_delim(*c) && !c.is_control())
                    .take(264)
                    .collect();
                w.segment(
                    b"STC",
                    &[
                        stc.as_bytes(),
                        today.as_bytes(),
                        b"U",
                        charge.as_bytes(),
                        b"",
                        b"",
                        b"",
                        b"",
                        b"",
                        b"",
                        b"",
                        message.as_bytes(),
                    ],
                );
            }
        }
        if let (Some(from), Some(to)) = (claim.from, claim.to) {
            let span = format!("{}-{}", from.as_yyyymmdd(), to.as_yyyymmdd());
            w.segment(b"DTP", &[b"472", b"RD8", span.as_bytes()]);
        }
    }
}
