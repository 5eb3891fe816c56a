//! Eligibility and claim status: writing 270 inquiries (005010X279A1) and 276 status requests
//! (005010X212), reading 271 eligibility responses and 277 status responses into the claim model.

use claim_model::{
    Benefit, Cents, Claim, EligibilityRequest, EligibilityResponse, Name, Party, Payer, Person,
    ProviderRole, Text,
};
use code_sets::Date;
use x12::{Delimiters, EnvelopeWriter, Finding, Segment};

use crate::Submission;
use crate::out::{name_parts, put, ymd};

/// Element `n` trimmed, as the text type of the field it fills (the model's inline `Text` or a
/// `String`).
fn text<T: for<'x> From<&'x str>>(s: &Segment<'_>, n: usize) -> T {
    T::from(s.text(n).trim())
}

/// A person not named in the file.
fn nobody() -> Person {
    Person {
        name: Name::Organization(Default::default()),
        member_id: Default::default(),
        birth_date: None,
        sex: 'U',
        address: None,
    }
}

fn person_of(s: &Segment<'_>) -> Person {
    let name = if s.element(2) == Some(b"2") {
        Name::Organization(text(s, 3))
    } else {
        Name::Person { last: text(s, 3), first: text(s, 4), middle: text(s, 5), suffix: text(s, 7) }
    };
    Person { name, member_id: text(s, 9), birth_date: None, sex: 'U', address: None }
}

fn envelope(
    sub: &Submission,
    delimiters: Delimiters,
    functional: &str,
    version: &str,
) -> EnvelopeWriter {
    let mut w = crate::out::interchange(sub, delimiters);
    crate::out::group(&mut w, sub, functional, sub.control, version);
    w
}

/// Writes 270 inquiries, one transaction set each.
pub fn write_270(
    requests: &[EligibilityRequest],
    sub: &Submission,
    delimiters: Delimiters,
) -> Vec<u8> {
    let mut w = envelope(sub, delimiters, "HS", "005010X279A1");
    let mut line = Vec::with_capacity(128);
    for (n, r) in requests.iter().enumerate() {
        let l = &mut line;
        w.transaction("270", &format!("{:04}", n + 1), "005010X279A1");
        put(&mut w, l, b"BHT", &["0022", "13", &sub.batch_id, &sub.date_time.0, &sub.date_time.1]);
        put(&mut w, l, b"HL", &["1", "", "20", "1"]);
        put(&mut w, l, b"NM1", &["PR", "2", &r.payer.name, "", "", "", "", "PI", &r.payer.id]);
        put(&mut w, l, b"HL", &["2", "1", "21", "1"]);
        let (kind, last, first, middle, suffix) = name_parts(&r.provider.name);
        let npi = r.provider.npi.as_deref().unwrap_or_default().to_string();
        put(&mut w, l, b"NM1", &["1P", kind, last, first, middle, "", suffix, "XX", &npi]);
        let has_dependent = r.dependent.is_some();
        put(&mut w, l, b"HL", &["3", "2", "22", if has_dependent { "1" } else { "0" }]);
        if !has_dependent {
            put(
                &mut w,
                l,
                b"TRN",
                &["1", &r.trace, &format!("9{:0>9}", npi.get(..9).unwrap_or(""))],
            );
        }
        let s = &r.subscriber;
        let (kind, last, first, middle, suffix) = name_parts(&s.name);
        put(&mut w, l, b"NM1", &["IL", kind, last, first, middle, "", suffix, "MI", &s.member_id]);
        let eq = |w: &mut EnvelopeWriter, l: &mut Vec<u8>| {
            for st in &r.service_types {
                put(w, l, b"EQ", &[st]);
            }
            if r.service_types.is_empty() {
                put(w, l, b"EQ", &["30"]);
            }
        };
        if let Some(b) = s.birth_date.filter(|_| !has_dependent) {
            put(&mut w, l, b"DMG", &["D8", &ymd(b), &s.sex.to_string()]);
        }
        if let Some(d) = r.date.filter(|_| !has_dependent) {
            put(&mut w, l, b"DTP", &["291", "D8", &ymd(d)]);
        }
        match &r.dependent {
            None => eq(&mut w, l),
            Some(dep) => {
                put(&mut w, l, b"HL", &["4", "3", "23", "0"]);
                put(
                    &mut w,
                    l,
                    b"TRN",
                    &["1", &r.trace, &format!("9{:0>9}", npi.get(..9).unwrap_or(""))],
                );
                let (kind, last, first, middle, suffix) = name_parts(&dep.name);
                put(&mut w, l, b"NM1", &["03", kind, last, first, middle, "", suffix]);
                if let Some(b) = dep.birth_date {
                    put(&mut w, l, b"DMG", &["D8", &ymd(b), &dep.sex.to_string()]);
                }
                if let Some(d) = r.date {
                    put(&mut w, l, b"DTP", &["291", "D8", &ymd(d)]);
                }
                eq(&mut w, l);
            }
        }
    }
    w.finish()
}

/// Reads every 271 in `src`: one [`EligibilityResponse`] per subscriber or dependent level.
pub fn read_271(src: &[u8]) -> (Vec<EligibilityResponse>, Vec<Finding>) {
    let src = x12::to_bytes(src);
    let (_, findings, segs) = x12::parse_with_segments(&src);
    let mut out: Vec<EligibilityResponse> = Vec::new();
    let mut in_271 = false;
    let mut level = String::new();
    let mut payer = Payer { name: Text::default(), id: Text::default(), address: None };
    let mut subscriber: Option<Person> = None;
    let mut pending_rejections: Vec<String> = Vec::new();
    let mut in_entity = false;
    for s in &segs {
        let id = s.id();
        if id == b"ST" {
            in_271 = s.element(1) == Some(b"271");
            continue;
        }
        if !in_271 {
            continue;
        }
        match id {
            b"HL" => {
                level = text(s, 3);
                in_entity = false;
                if level == "22" || level == "23" {
                    out.push(EligibilityResponse {
                        traces: Vec::new(),
                        payer: payer.clone(),
                        subscriber: subscriber.clone().unwrap_or_else(nobody),
                        dependent: None,
                        rejections: std::mem::take(&mut pending_rejections),
                        benefits: Vec::new(),
                    });
                }
            }
            b"LS" => in_entity = true,
            b"LE" => in_entity = false,
            b"NM1" if !in_entity => match (level.as_str(), s.element(1)) {
                ("20", _) => payer = Payer { name: text(s, 3), id: text(s, 9), address: None },
                ("22", Some(b"IL")) => {
                    let p = person_of(s);
                    subscriber = Some(p.clone());
                    if let Some(r) = out.last_mut() {
                        r.subscriber = p;
                    }
                }
                ("23", _) => {
                    if let Some(r) = out.last_mut() {
                        r.dependent = Some(person_of(s));
                    }
                }
                _ => {}
            },
            b"TRN" => {
                if let Some(r) = out.last_mut().filter(|_| level == "22" || level == "23") {
                    r.traces.push(text(s, 2));
                }
            }
            b"DMG" => {
                let target = out.last_mut().and_then(|r| match level.as_str() {
                    "22" => Some(&mut r.subscriber),
                    "23" => r.dependent.as_mut(),
                    _ => None,
                });
                if let Some(p) = target {
                    p.birth_date = Date::from_yyyymmdd(&text::<String>(s, 2));
                    p.sex = text::<String>(s, 3).chars().next().unwrap_or('U');
                }
            }
            b"AAA" => {
                let code = text(s, 3);
                match out.last_mut().filter(|_| level == "22" || level == "23") {
                    Some(r) => r.rejections.push(code),
                    None => pending_rejections.push(code),
                }
            }
            b"EB" => {
                if let Some(r) = out.last_mut() {
                    let d = s.delimiters;
                    let types = s.element(3).unwrap_or_default();
                    let sep = d.repetition.unwrap_or(d.component);
                    r.benefits.push(Benefit {
                        info: text(s, 1),
                        coverage_level: text(s, 2),
                        service_types: types
                            .split(|b| *b == sep)
                            .filter(|t| !t.is_empty())
                            .map(|t| String::from_utf8_lossy(t).into_owned())
                            .collect(),
                        insurance_type: text(s, 4),
                        plan: text(s, 5),
                        period: text(s, 6),
                        amount: text::<String>(s, 7).parse::<Cents>().ok(),
                        percent: text(s, 8),
                        in_network: match s.element(12) {
                            Some(b"Y") => Some(true),
                            Some(b"N") => Some(false),
                            _ => None,
                        },
                        messages: Vec::new(),
                    });
                }
            }
            b"MSG" => {
                if let Some(b) = out.last_mut().and_then(|r| r.benefits.last_mut()) {
                    b.messages.push(text(s, 1));
                }
            }
            _ => {}
        }
    }
    if !pending_rejections.is_empty() {
        // Rejected above the subscriber level (the receiver or the source): no member level.
        match out.last_mut() {
            Some(r) => r.rejections.append(&mut pending_rejections),
            None => out.push(EligibilityResponse {
                traces: Vec::new(),
                payer,
                subscriber: subscriber.unwrap_or_else(nobody),
                dependent: None,
                rejections: pending_rejections,
                benefits: Vec::new(),
            }),
        }
    }
    (out, findings)
}

/// Writes 276 status requests: one per claim, with the payer's claim number when known (from a
/// 277CA or an 835), in one transaction set per billing provider and payer.
pub fn write_276(claims: &[(&Claim, &str)], sub: &Submission, delimiters: Delimiters) -> Vec<u8> {
    let mut w = envelope(sub, delimiters, "HR", "005010X212");
    let mut line = Vec::with_capacity(128);
    for (n, (c, payer_number)) in claims.iter().enumerate() {
        let l = &mut line;
        w.transaction("276", &format!("{:04}", n + 1), "005010X212");
        put(&mut w, l, b"BHT", &["0010", "13", &sub.batch_id, &sub.date_time.0, &sub.date_time.1]);
        put(&mut w, l, b"HL", &["1", "", "20", "1"]);
        put(&mut w, l, b"NM1", &["PR", "2", &c.payer.name, "", "", "", "", "PI", &c.payer.id]);
        put(&mut w, l, b"HL", &["2", "1", "21", "1"]);
        let (name, id) = (&sub.submitter.0, &sub.submitter.1);
        put(&mut w, l, b"NM1", &["41", "2", name, "", "", "", "", "46", id]);
        put(&mut w, l, b"HL", &["3", "2", "19", "1"]);
        let billing: Option<&Party> = c.provider(ProviderRole::Billing);
        let (kind, last, first, middle, suffix) =
            billing.map_or(("2", "", "", "", ""), |b| name_parts(&b.name));
        // The NPI, or the tax ID when the NPI is missing.
        let (q, id) = match billing {
            Some(Party { npi: Some(n), .. }) if !n.is_empty() => ("XX", n.to_string()),
            Some(b) if !b.tax_id.is_empty() => ("FI", b.tax_id.to_string()),
            _ => ("XX", String::new()),
        };
        put(&mut w, l, b"NM1", &["1P", kind, last, first, middle, "", suffix, q, &id]);
        let patient = c.patient.as_ref();
        put(&mut w, l, b"HL", &["4", "3", "22", if patient.is_some() { "1" } else { "0" }]);
        let s = &c.subscriber.person;
        if let (None, Some(b)) = (patient, s.birth_date) {
            put(&mut w, l, b"DMG", &["D8", &ymd(b), &s.sex.to_string()]);
        }
        let (kind, last, first, middle, suffix) = name_parts(&s.name);
        put(&mut w, l, b"NM1", &["IL", kind, last, first, middle, "", suffix, "MI", &s.member_id]);
        let status = |w: &mut EnvelopeWriter, l: &mut Vec<u8>| {
            put(w, l, b"TRN", &["1", &c.patient_control_number]);
            if !payer_number.is_empty() {
                put(w, l, b"REF", &["1K", payer_number]);
            }
            if c.kind == claim_model::ClaimKind::Institutional && !c.facility_type.is_empty() {
                let tob = format!("{}{}", c.facility_type, c.frequency.code());
                put(w, l, b"REF", &["BLT", &tob]);
            }
            put(w, l, b"REF", &["EJ", &c.patient_control_number]);
            put(w, l, b"AMT", &["T3", &c.total_charge.to_x12()]);
            match (c.from, c.to) {
                (Some(f), Some(t)) if f != t => {
                    put(w, l, b"DTP", &["472", "RD8", &format!("{}-{}", ymd(f), ymd(t))])
                }
                (Some(f), _) => put(w, l, b"DTP", &["472", "D8", &ymd(f)]),
                _ => {}
            }
        };
        match patient {
            None => status(&mut w, l),
            Some((p, _)) => {
                put(&mut w, l, b"HL", &["5", "4", "23"]);
                if let Some(b) = p.birth_date {
                    put(&mut w, l, b"DMG", &["D8", &ymd(b), &p.sex.to_string()]);
                }
                let (kind, last, first, middle, suffix) = name_parts(&p.name);
                put(&mut w, l, b"NM1", &["QC", kind, last, first, middle, "", suffix]);
                status(&mut w, l);
            }
        }
    }
    w.finish()
}
