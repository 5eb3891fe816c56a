//! 837P (005010X222A1) and 837I (005010X223A2) claims → [`Claim`].
//!
//! The reader follows the HL hierarchy (20 billing provider, 22 subscriber, 23 patient) and the
//! claim loops by the segments that open them (CLM, LX, SBR inside a claim for 2320, SVD for
//! 2430). It keeps every claim it can read and reports problems as findings: a batch with bad
//! claims still yields the good ones.

use claim_model::{
    Address, Cents, Claim, ClaimKind, CodedValue, Diagnosis, DiagnosisKind, Frequency,
    LineAdjudication, Name, OtherPayer, Party, Payer, Person, Poa, Procedure, ProviderRole,
    ServiceLine, Subscriber, Text, Units,
};
use code_sets::Date;
use x12::{Finding, Position, Segment, Split};

use crate::fields::{Fields, Set, comp_slices, text, text_of};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Loop {
    Header,
    Billing,
    Subscriber,
    Patient,
    Claim,
    OtherPayer,
    Line,
    LineAdjudication,
}

fn name(seg: &Split<'_>) -> Name {
    if seg.text(2).trim() == "1" {
        Name::Person {
            last: text(seg, 3),
            first: text(seg, 4),
            middle: text(seg, 5),
            suffix: text(seg, 7),
        }
    } else {
        Name::Organization(text(seg, 3))
    }
}

fn party(seg: &Split<'_>) -> Party {
    let npi = (seg.text(8).trim() == "XX").then(|| text(seg, 9)).filter(|n| !n.is_empty());
    Party {
        name: name(seg),
        npi,
        tax_id: Text::default(),
        taxonomy: Text::default(),
        address: None,
    }
}

fn person(seg: &Split<'_>) -> Person {
    Person { name: name(seg), member_id: text(seg, 9), birth_date: None, sex: 'U', address: None }
}

fn empty_subscriber() -> Subscriber {
    Subscriber {
        person: Person {
            name: Name::Organization(Text::default()),
            member_id: Text::default(),
            birth_date: None,
            sex: 'U',
            address: None,
        },
        payer_responsibility: ' ',
        relationship: Text::default(),
        group_number: Text::default(),
        insurance_type: Text::default(),
        filing_indicator: Text::default(),
    }
}

fn sbr(seg: &Split<'_>) -> Subscriber {
    Subscriber {
        payer_responsibility: seg.text(1).trim().chars().next().unwrap_or(' '),
        relationship: text(seg, 2),
        group_number: text(seg, 3),
        insurance_type: text(seg, 5),
        filing_indicator: text(seg, 9),
        ..empty_subscriber()
    }
}

/// What an address segment (N3/N4) should fill, given the loop and the last NM1.
enum AddressTarget {
    None,
    Billing,
    PayTo,
    Subscriber,
    Patient,
    Payer,
    ClaimProvider,
}

/// Reads every 837 transaction set in `src` into claims: the envelope findings first, then the
/// reader's, set by set. Transaction sets are read on every core.
pub fn read_837(src: &[u8]) -> (Vec<Claim>, Vec<Finding>) {
    read_837_threads(src, crate::validate::default_threads())
}

/// Like [`read_837`], reading transaction sets on `threads` threads (the result is the same
/// whatever the number).
pub fn read_837_threads(src: &[u8], threads: usize) -> (Vec<Claim>, Vec<Finding>) {
    let src = x12::to_bytes(src);
    let mut env = x12::EnvelopeParser::new(&[], false);
    let mut claims = Vec::new();
    let mut read_findings = Vec::new();
    if threads <= 1 {
        // Each set read as soon as it closes, from a buffer reused from set to set.
        let mut set = Vec::new();
        each_set(&src, &mut env, &mut set, |set| {
            read_claims(set, false, &mut claims, &mut read_findings);
        });
    } else {
        read_sets_on_threads(&src, &mut env, threads, &mut claims, &mut read_findings);
    }
    let (_, mut findings) = env.finish();
    findings.extend(read_findings);
    (claims, findings)
}

/// Tokenizes `src` through the envelope checks and hands each transaction set (ST to SE, or to
/// where it was cut off) to `on_set` as it closes; `set` is the buffer the set is gathered in.
/// Each set is read on its own: a set's loops never reach into the next.
fn each_set<'a>(
    src: &'a [u8],
    env: &mut x12::EnvelopeParser<'_>,
    set: &mut Vec<Segment<'a>>,
    mut on_set: impl FnMut(&[Segment<'a>]),
) {
    for item in x12::Tokenizer::new(src) {
        let seg = match item {
            Ok(seg) => seg,
            Err(e) => {
                env.error(&e);
                break;
            }
        };
        env.push(seg);
        let id = seg.id();
        if matches!(id, b"ST" | b"GE" | b"IEA" | b"GS" | b"ISA") {
            // The open set (if any) ends here; an ST opens the next.
            if !set.is_empty() {
                on_set(set);
                set.clear();
            }
            if id == b"ST" {
                set.push(seg);
            }
        } else if !set.is_empty() {
            set.push(seg);
        }
    }
    if !set.is_empty() {
        on_set(set);
        set.clear();
    }
}

/// Reads the claims of an 837 from `input` one transaction set at a time, in constant memory:
/// each set's segments are copied out of the stream, read when the set closes, and its claims
/// handed to `on_claim` in file order. Returns the envelope and reader findings (a batch with bad
/// claims yields the good claims and findings for the bad ones), or the read error.
pub fn read_837_each<R: std::io::Read>(
    input: R,
    mut on_claim: impl FnMut(Claim),
) -> Result<Vec<Finding>, std::io::Error> {
    let mut reader = x12::SegmentReader::new(input);
    let mut env = x12::EnvelopeParser::new(&[], false);
    let mut findings = Vec::new();
    // The open set: its bytes and, per segment, its range, position, delimiters, terminator.
    let mut bytes: Vec<u8> = Vec::new();
    let mut segs: Vec<(std::ops::Range<usize>, Position, x12::Delimiters, bool)> = Vec::new();
    let mut claims: Vec<Claim> = Vec::new();
    let mut close = |bytes: &mut Vec<u8>,
                     segs: &mut Vec<(std::ops::Range<usize>, Position, x12::Delimiters, bool)>,
                     findings: &mut Vec<Finding>| {
        if segs.is_empty() {
            return;
        }
        let view: Vec<Segment<'_>> = segs
            .iter()
            .map(|(r, pos, delimiters, terminated)| Segment {
                raw: &bytes[r.clone()],
                pos: *pos,
                delimiters: *delimiters,
                terminated: *terminated,
            })
            .collect();
        read_claims(&view, false, &mut claims, findings);
        for c in claims.drain(..) {
            on_claim(c);
        }
        bytes.clear();
        segs.clear();
    };
    while let Some(item) = reader.next() {
        let seg = match item {
            Ok(seg) => seg,
            Err(x12::Error::Io(e)) => return Err(std::io::Error::other(e)),
            Err(e) => {
                env.error(&e);
                break;
            }
        };
        env.push(seg);
        let id = seg.id();
        if matches!(id, b"ST" | b"GE" | b"IEA" | b"GS" | b"ISA") {
            close(&mut bytes, &mut segs, &mut findings);
            if id != b"ST" {
                continue;
            }
        } else if segs.is_empty() {
            continue;
        }
        let start = bytes.len();
        bytes.extend_from_slice(seg.raw);
        segs.push((start..bytes.len(), seg.pos, seg.delimiters, seg.terminated));
    }
    close(&mut bytes, &mut segs, &mut findings);
    let (_, mut out) = env.finish();
    out.extend(findings);
    Ok(out)
}

/// Segments of whole transaction sets gathered before they go to a worker thread.
const SEGMENTS_PER_BATCH: usize = 8192;

/// Like the one-thread read, with batches of sets read on `threads` worker threads while this
/// thread goes on tokenizing; the claims and findings come back in file order.
fn read_sets_on_threads<'a>(
    src: &'a [u8],
    env: &mut x12::EnvelopeParser<'_>,
    threads: usize,
    claims: &mut Vec<Claim>,
    findings: &mut Vec<Finding>,
) {
    type Batch<'s> = (u64, Vec<Segment<'s>>, Vec<std::ops::Range<usize>>);
    let (jobs_tx, jobs_rx) = std::sync::mpsc::sync_channel::<Batch<'a>>(2 * threads);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(u64, (Vec<Claim>, Vec<Finding>))>();
    let jobs_rx = std::sync::Mutex::new(jobs_rx);
    let work = |(seq, segs, sets): Batch<'a>| {
        let (mut c, mut f) = (Vec::new(), Vec::new());
        for r in sets {
            read_claims(&segs[r], false, &mut c, &mut f);
        }
        (seq, (c, f))
    };
    let mut done: std::collections::BTreeMap<u64, (Vec<Claim>, Vec<Finding>)> = Default::default();
    std::thread::scope(|scope| {
        crate::parallel::workers(scope, threads, &jobs_rx, &done_tx, &work);
        drop(done_tx);
        let mut batch: Vec<Segment<'a>> = Vec::with_capacity(SEGMENTS_PER_BATCH * 2);
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        let mut sent = 0u64;
        let mut set = Vec::new();
        let mut send = |batch: &mut Vec<Segment<'a>>, ranges: &mut Vec<std::ops::Range<usize>>| {
            let job = (sent, std::mem::take(batch), std::mem::take(ranges));
            if jobs_tx.send(job).is_ok() {
                sent += 1;
            }
            *batch = Vec::with_capacity(SEGMENTS_PER_BATCH * 2);
        };
        each_set(src, env, &mut set, |s| {
            ranges.push(batch.len()..batch.len() + s.len());
            batch.extend_from_slice(s);
            if batch.len() >= SEGMENTS_PER_BATCH {
                send(&mut batch, &mut ranges);
            }
        });
        if !ranges.is_empty() {
            send(&mut batch, &mut ranges);
        }
        // Closing the queue lets the workers end once it is empty.
        drop(jobs_tx);
        done.extend(done_rx);
    });
    claims.reserve(done.values().map(|(c, _)| c.len()).sum());
    for (_, (c, f)) in done {
        claims.extend(c);
        findings.extend(f);
    }
}

/// The claims of the 837 transaction sets among `segs` (a file's or one transaction set's
/// segments, in order), with the reader's own findings (not the envelope checks).
pub fn claims_of(segs: &[Segment<'_>]) -> (Vec<Claim>, Vec<Finding>) {
    let mut out = (Vec::new(), Vec::new());
    read_claims(segs, false, &mut out.0, &mut out.1);
    out
}

/// The reader's findings alone, for validation: the claims are built without copies of their
/// billing provider, subscriber, patient and payer (which the checks do not look at).
pub(crate) fn claim_findings(segs: &[Segment<'_>]) -> Vec<Finding> {
    let mut findings = Vec::new();
    read_claims(segs, true, &mut Vec::new(), &mut findings);
    findings
}

/// Reads the claims of `segs`, appending them to `claims` and the findings to `findings`.
fn read_claims(
    segs: &[Segment<'_>],
    checks_only: bool,
    claims: &mut Vec<Claim>,
    findings: &mut Vec<Finding>,
) {
    let first_claim = claims.len();
    let mut positions: Vec<Position> = Vec::new();
    let mut r = Fields { findings, set: Set::Claim837 };

    let mut kind = ClaimKind::Professional;
    let mut in_837 = false;
    let mut lp = Loop::Header;
    let mut billing: Option<Party> = None;
    let mut pay_to: Option<Party> = None;
    let mut subscriber = empty_subscriber();
    let mut payer = Payer { name: Text::default(), id: Text::default(), address: None };
    let mut patient: Option<(Person, Text)> = None;
    let mut target = AddressTarget::None;
    let mut claim: Option<Claim> = None;

    let flush = |claim: &mut Option<Claim>, claims: &mut Vec<Claim>| {
        if let Some(c) = claim.take() {
            claims.push(c);
        }
    };

    for &seg in segs {
        // For the checks alone, names, addresses, contacts, diagnosis codes and drug
        // identifiers are not read (they yield no finding): only the billing provider's NM1,
        // whose absence is one.
        if checks_only
            && match seg.id() {
                b"N3" | b"N4" | b"PER" | b"PRV" | b"HI" | b"LIN" | b"CTP" => true,
                b"NM1" => lp != Loop::Billing,
                _ => false,
            }
        {
            continue;
        }
        let seg = Split::new(seg);
        let id = seg.id();
        if id == b"ST" {
            in_837 = seg.element(1) == Some(b"837");
            let version = text(&seg, 3);
            kind = if version.contains("X223") {
                ClaimKind::Institutional
            } else {
                ClaimKind::Professional
            };
            lp = Loop::Header;
            continue;
        }
        if !in_837 {
            continue;
        }
        match id {
            b"GS" | b"GE" | b"IEA" | b"ISA" => {}
            b"SE" => {
                flush(&mut claim, claims);
                in_837 = false;
            }
            b"HL" => {
                flush(&mut claim, claims);
                match &*seg.text(3) {
                    "20" => {
                        lp = Loop::Billing;
                        billing = None;
                        pay_to = None;
                    }
                    "22" => {
                        lp = Loop::Subscriber;
                        patient = None;
                    }
                    "23" => lp = Loop::Patient,
                    other => r.find(
                        seg.pos,
                        Some(3),
                        "X12-837-HL-001",
                        format!("HL03 {other:?} is not 20, 22 or 23"),
                    ),
                }
            }
            b"SBR" if matches!(lp, Loop::Subscriber) => subscriber = sbr(&seg),
            b"SBR" if claim.is_some() => {
                lp = Loop::OtherPayer;
                if let Some(c) = claim.as_mut() {
                    c.other_payers.push(OtherPayer {
                        subscriber: sbr(&seg),
                        payer: Payer { name: Text::default(), id: Text::default(), address: None },
                        paid: None,
                        adjustments: Vec::new(),
                        claim_control_number: Text::default(),
                    });
                }
            }
            b"PAT" if matches!(lp, Loop::Patient) => {
                patient = Some((person(&seg), text(&seg, 1)));
            }
            b"NM1" => {
                let code = seg.text(1);
                let code = code.trim();
                match (lp, code) {
                    (Loop::Billing, "85") => {
                        billing = Some(party(&seg));
                        target = AddressTarget::Billing;
                    }
                    (Loop::Billing, "87") => {
                        pay_to = Some(party(&seg));
                        target = AddressTarget::PayTo;
                    }
                    (Loop::Subscriber, "IL") => {
                        subscriber.person = person(&seg);
                        target = AddressTarget::Subscriber;
                    }
                    (Loop::Subscriber, "PR") => {
                        payer = Payer { name: text(&seg, 3), id: text(&seg, 9), address: None };
                        target = AddressTarget::Payer;
                    }
                    (Loop::Patient, "QC") => {
                        let rel = patient.as_ref().map(|p| p.1.clone()).unwrap_or_default();
                        patient = Some((person(&seg), rel));
                        target = AddressTarget::Patient;
                    }
                    (Loop::OtherPayer, "IL" | "PR") => {
                        if let Some(op) = claim.as_mut().and_then(|c| c.other_payers.last_mut()) {
                            if code == "IL" {
                                op.subscriber.person = person(&seg);
                            } else {
                                op.payer =
                                    Payer { name: text(&seg, 3), id: text(&seg, 9), address: None };
                            }
                        }
                        target = AddressTarget::None;
                    }
                    (Loop::Claim | Loop::Line, _) => {
                        let role = match code {
                            "DN" | "P3" => Some(ProviderRole::Referring),
                            "82" => Some(ProviderRole::Rendering),
                            "77" | "FA" => Some(ProviderRole::ServiceFacility),
                            "71" => Some(ProviderRole::Attending),
                            "72" => Some(ProviderRole::Operating),
                            "DQ" => Some(ProviderRole::Supervising),
                            _ => None,
                        };
                        if role.is_none() {
                            // Ambulance locations, ordering and purchased-service providers: not
                            // in the model; their N3/N4 must not land on the last provider.
                            target = AddressTarget::None;
                        }
                        if let (Some(role), Some(c)) = (role, claim.as_mut()) {
                            if lp == Loop::Line && role == ProviderRole::Rendering {
                                if let Some(l) = c.lines.last_mut() {
                                    l.rendering = Some(Box::new(party(&seg)));
                                }
                                target = AddressTarget::None;
                            } else {
                                c.providers.push((role, party(&seg)));
                                target = AddressTarget::ClaimProvider;
                            }
                        }
                    }
                    _ => target = AddressTarget::None,
                }
            }
            b"N3" | b"N4" => {
                let apply = |a: &mut Option<Address>| {
                    let a = a.get_or_insert_with(Address::default);
                    if id == b"N3" {
                        a.lines = [text(&seg, 1), text(&seg, 2)]
                            .into_iter()
                            .filter(|l| !l.is_empty())
                            .collect();
                    } else {
                        a.city = text(&seg, 1);
                        a.state = text(&seg, 2);
                        a.postal_code = text(&seg, 3);
                        a.country = text(&seg, 4);
                    }
                };
                match target {
                    AddressTarget::Billing => {
                        if let Some(p) = billing.as_mut() {
                            apply(&mut p.address)
                        }
                    }
                    AddressTarget::PayTo => {
                        if let Some(p) = pay_to.as_mut() {
                            apply(&mut p.address)
                        }
                    }
                    AddressTarget::Subscriber => apply(&mut subscriber.person.address),
                    AddressTarget::Patient => {
                        if let Some(p) = patient.as_mut() {
                            apply(&mut p.0.address)
                        }
                    }
                    AddressTarget::Payer => apply(&mut payer.address),
                    AddressTarget::ClaimProvider => {
                        if let Some(p) = claim.as_mut().and_then(|c| c.providers.last_mut()) {
                            apply(&mut p.1.address)
                        }
                    }
                    AddressTarget::None => {}
                }
            }
            b"DMG" => {
                let birth = r.date(&seg, 2);
                let sex = seg.text(3).trim().chars().next().unwrap_or('U');
                match lp {
                    Loop::Subscriber => {
                        subscriber.person.birth_date = birth;
                        subscriber.person.sex = sex;
                    }
                    Loop::Patient => {
                        if let Some(p) = patient.as_mut() {
                            p.0.birth_date = birth;
                            p.0.sex = sex;
                        }
                    }
                    _ => {}
                }
            }
            b"REF" if lp == Loop::Billing && matches!(&*seg.text(1), "EI" | "SY") => {
                if let Some(b) = billing.as_mut() {
                    b.tax_id = text(&seg, 2);
                }
            }
            b"PRV" if lp == Loop::Billing => {
                if let Some(b) = billing.as_mut() {
                    b.taxonomy = text(&seg, 3);
                }
            }
            b"CLM" => {
                flush(&mut claim, claims);
                lp = Loop::Claim;
                positions.push(seg.pos);
                let (facility, _) = comp_slices::<3>(&seg, 5);
                let freq =
                    text_of(facility[2]).chars().next().map_or(Frequency::Original, |f| match f {
                        '1' => Frequency::Original,
                        '7' => Frequency::Replacement,
                        '8' => Frequency::Void,
                        c => Frequency::Other(c),
                    });
                let facility = text_of(facility[0]);
                let mut providers = Vec::new();
                if let Some(b) = billing.as_ref() {
                    if !checks_only {
                        providers.push((ProviderRole::Billing, b.clone()));
                    }
                } else {
                    r.find(
                        seg.pos,
                        None,
                        "X12-837-STR-001",
                        "claim without a billing provider (loop 2010AA)".into(),
                    );
                }
                if let Some(p) = pay_to.as_ref().filter(|_| !checks_only) {
                    providers.push((ProviderRole::PayTo, p.clone()));
                }
                claim = Some(Claim {
                    kind,
                    patient_control_number: text(&seg, 1),
                    total_charge: r.money(&seg, 2),
                    place_of_service: if kind == ClaimKind::Professional {
                        facility.clone()
                    } else {
                        Text::default()
                    },
                    facility_type: if kind == ClaimKind::Institutional {
                        facility
                    } else {
                        Text::default()
                    },
                    frequency: freq,
                    original_claim_number: Text::default(),
                    providers,
                    subscriber: if checks_only { empty_subscriber() } else { subscriber.clone() },
                    patient: if checks_only { None } else { patient.clone() },
                    payer: if checks_only {
                        Payer { name: Text::default(), id: Text::default(), address: None }
                    } else {
                        payer.clone()
                    },
                    diagnoses: Vec::new(),
                    procedures: Vec::new(),
                    from: None,
                    to: None,
                    admission: None,
                    discharge: None,
                    discharge_status: Text::default(),
                    condition_codes: Vec::new(),
                    drg: Text::default(),
                    occurrences: Vec::new(),
                    values: Vec::new(),
                    lines: Vec::new(),
                    other_payers: Vec::new(),
                });
            }
            _ => {
                let Some(c) = claim.as_mut() else { continue };
                match id {
                    b"REF" if lp == Loop::Claim && seg.text(1).trim() == "F8" => {
                        c.original_claim_number = text(&seg, 2)
                    }
                    b"REF" if lp == Loop::OtherPayer && seg.text(1).trim() == "F8" => {
                        if let Some(op) = c.other_payers.last_mut() {
                            op.claim_control_number = text(&seg, 2);
                        }
                    }
                    b"CL1" => c.discharge_status = text(&seg, 3),
                    b"DTP" => {
                        let q = text(&seg, 1);
                        let fmt = text(&seg, 2);
                        let v = text(&seg, 3);
                        let (from, to) = match fmt.as_str() {
                            "RD8" => {
                                let (a, b) = v.split_once('-').unwrap_or((&v, &v));
                                (Date::from_yyyymmdd(a), Date::from_yyyymmdd(b))
                            }
                            "D8" | "DT" => {
                                let d = r.date(&seg, 3);
                                (d, d)
                            }
                            // TM (a time) and other formats carry no date.
                            _ => (None, None),
                        };
                        match (lp, q.as_str()) {
                            (Loop::Claim, "434") => {
                                c.from = from;
                                c.to = to;
                            }
                            (Loop::Claim, "435") => c.admission = from,
                            (Loop::Claim, "096") => c.discharge = from,
                            (Loop::Claim, "472") => {
                                c.from = from;
                                c.to = to;
                            }
                            (Loop::Line, "472") => {
                                if let Some(l) = c.lines.last_mut() {
                                    l.date_from = from;
                                    l.date_to = to;
                                }
                                if c.from.is_none_or(|f| from.is_some_and(|d| d < f)) {
                                    c.from = from;
                                }
                                if c.to.is_none_or(|t| to.is_some_and(|d| d > t)) {
                                    c.to = to;
                                }
                            }
                            (Loop::LineAdjudication, "573") => {
                                if let Some(a) =
                                    c.lines.last_mut().and_then(|l| l.adjudications.last_mut())
                                {
                                    a.date = from;
                                }
                            }
                            _ => {}
                        }
                    }
                    b"HI" => {
                        for n in 1..=12 {
                            let (raw, count) = comp_slices::<9>(&seg, n);
                            if count < 2 {
                                continue;
                            }
                            let (q, code) = (text_of(raw[0]), text_of(raw[1]));
                            let part = |k: usize| (k < count).then(|| text_of(raw[k]));
                            let poa = part(8).and_then(|p| match p.as_str() {
                                "Y" => Some(Poa::Yes),
                                "N" => Some(Poa::No),
                                "U" => Some(Poa::Unknown),
                                "W" => Some(Poa::Undetermined),
                                "1" => Some(Poa::Exempt),
                                _ => None,
                            });
                            let dx = |kind| Diagnosis { code: code.clone(), kind, poa };
                            match q.as_str() {
                                "ABK" | "BK" => c.diagnoses.insert(0, dx(DiagnosisKind::Principal)),
                                "ABF" | "BF" => c.diagnoses.push(dx(DiagnosisKind::Other)),
                                "ABJ" | "BJ" => c.diagnoses.push(dx(DiagnosisKind::Admitting)),
                                "APR" | "PR" => c.diagnoses.push(dx(DiagnosisKind::ReasonForVisit)),
                                "ABN" | "BN" => c.diagnoses.push(dx(DiagnosisKind::ExternalCause)),
                                "BBR" | "BR" | "CAH" | "BBQ" | "BQ" => {
                                    c.procedures.push(Procedure {
                                        code: code.clone(),
                                        principal: matches!(q.as_str(), "BBR" | "BR" | "CAH"),
                                        date: part(3).and_then(|d| Date::from_yyyymmdd(&d)),
                                    })
                                }
                                "BG" => c.condition_codes.push(code.clone()),
                                "DR" => c.drg = code.clone(),
                                "BH" | "BI" => {
                                    let span = part(3).unwrap_or_default();
                                    let (a, b) = span.split_once('-').unwrap_or((&span, &span));
                                    c.occurrences.push(CodedValue {
                                        code: code.clone(),
                                        from: Date::from_yyyymmdd(a),
                                        to: Date::from_yyyymmdd(b),
                                        amount: None,
                                    });
                                }
                                "BE" => c.values.push(CodedValue {
                                    code: code.clone(),
                                    from: None,
                                    to: None,
                                    amount: part(4).and_then(|a| a.parse().ok()),
                                }),
                                _ => {}
                            }
                        }
                    }
                    b"LX" => {
                        lp = Loop::Line;
                        let number = text(&seg, 1).parse().unwrap_or(c.lines.len() as u32 + 1);
                        c.lines.push(ServiceLine {
                            number,
                            procedure: Text::default(),
                            modifiers: Vec::new(),
                            charge: Cents::ZERO,
                            units: Units(0),
                            unit_basis: Text::default(),
                            place_of_service: Text::default(),
                            diagnosis_pointers: Vec::new(),
                            revenue_code: Text::default(),
                            ndc: None,
                            date_from: None,
                            date_to: None,
                            rendering: None,
                            adjudications: Vec::new(),
                        });
                    }
                    b"SV1" | b"SV2" => {
                        let prof = id == b"SV1";
                        let proc_el = if prof { 1 } else { 2 };
                        let (p, pn) = if checks_only {
                            Default::default()
                        } else {
                            comp_slices::<6>(&seg, proc_el)
                        };
                        let charge = r.money(&seg, if prof { 2 } else { 3 });
                        let units = r.units(&seg, if prof { 4 } else { 5 }).unwrap_or_default();
                        let Some(l) = c.lines.last_mut() else {
                            r.find(
                                seg.pos,
                                None,
                                "X12-837-STR-002",
                                "service line without LX".into(),
                            );
                            continue;
                        };
                        l.charge = charge;
                        l.units = units;
                        if checks_only {
                            // The codes yield no finding here (the walk checks them).
                            continue;
                        }
                        l.procedure = text_of(p[1]);
                        l.modifiers = p[2..pn.max(2)]
                            .iter()
                            .map(|m| text_of(m))
                            .filter(|m| !m.is_empty())
                            .collect();
                        l.unit_basis = text(&seg, if prof { 3 } else { 4 });
                        if prof {
                            l.place_of_service = text(&seg, 5);
                            l.diagnosis_pointers =
                                seg.components(7).filter_map(|p| text_of(p).parse().ok()).collect();
                        } else {
                            l.revenue_code = text(&seg, 1);
                        }
                    }
                    b"LIN" => {
                        if let Some(l) = c.lines.last_mut() {
                            l.ndc = Some((text(&seg, 3), Text::default()));
                        }
                    }
                    b"CTP" => {
                        if let Some((_, q)) = c.lines.last_mut().and_then(|l| l.ndc.as_mut()) {
                            *q = compact_str::format_compact!(
                                "{} {}",
                                text(&seg, 4),
                                text_of(comp_slices::<1>(&seg, 5).0[0])
                            );
                        }
                    }
                    b"SVD" => {
                        lp = Loop::LineAdjudication;
                        let paid = r.money(&seg, 2);
                        if let Some(l) = c.lines.last_mut() {
                            l.adjudications.push(LineAdjudication {
                                payer_id: text(&seg, 1),
                                paid,
                                adjustments: Vec::new(),
                                date: None,
                            });
                        }
                    }
                    b"CAS" => {
                        let mut adj = Vec::new();
                        r.cas(&seg, &mut adj);
                        match lp {
                            Loop::LineAdjudication => {
                                if let Some(a) =
                                    c.lines.last_mut().and_then(|l| l.adjudications.last_mut())
                                {
                                    a.adjustments.extend(adj);
                                }
                            }
                            Loop::OtherPayer => {
                                if let Some(op) = c.other_payers.last_mut() {
                                    op.adjustments.extend(adj);
                                }
                            }
                            _ => r.find(
                                seg.pos,
                                None,
                                "X12-837-STR-003",
                                "CAS outside loops 2320 and 2430".into(),
                            ),
                        }
                    }
                    b"AMT" if lp == Loop::OtherPayer && seg.text(1).trim() == "D" => {
                        let paid = r.money(&seg, 2);
                        if let Some(op) = c.other_payers.last_mut() {
                            op.paid = Some(paid);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    flush(&mut claim, claims);
    for (c, pos) in claims[first_claim..].iter().zip(&positions) {
        let lines = c.line_total();
        if !c.lines.is_empty() && lines != c.total_charge {
            r.find(
                *pos,
                Some(2),
                "X12-837-BAL-001",
                format!(
                    "claim {}: CLM02 total {} ≠ the sum of its line charges {}",
                    c.patient_control_number, c.total_charge, lines
                ),
            );
        }
        if matches!(c.frequency, Frequency::Replacement | Frequency::Void)
            && c.original_claim_number.is_empty()
        {
            r.find(*pos, Some(5), "X12-837-SIT-001", format!(
                "claim {}: a replacement (7) or void (8) needs REF*F8 with the payer's original claim number",
                c.patient_control_number
            ));
        }
    }
}
