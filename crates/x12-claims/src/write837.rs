//! Writing 837P (005010X222A1) and 837I (005010X223A2) from the claim model: one functional
//! group per claim kind, one transaction set per group, claims under their billing provider
//! (2000A) and subscriber (2000B) levels, with correct HL numbering, counts and control numbers.
//! What the model does not carry (submitter contact, signature and assignment indicators) comes
//! from [`Submission`] or takes the usual value (`Y`).

use claim_model::{
    Adjustment, Claim, ClaimKind, DiagnosisKind, Frequency, OtherPayer, Party, Person,
    ProviderRole, ServiceLine, Subscriber, Text,
};
use x12::{Delimiters, EnvelopeWriter};

use compact_str::ToCompactString;

use crate::out::{comp, name_parts, span, units, ymd};

/// Who sends the batch to whom, and when.
#[derive(Clone, Debug)]
pub struct Submission {
    /// ISA05/ISA06: sender qualifier and ID.
    pub sender: (String, String),
    /// ISA07/ISA08: receiver qualifier and ID.
    pub receiver: (String, String),
    /// GS02 and GS03.
    pub application_ids: (String, String),
    /// ISA13 (and the base of GS06 and ST02).
    pub control: u32,
    /// `CCYYMMDD`, `HHMM`.
    pub date_time: (String, String),
    /// ISA15: `T` test or `P` production.
    pub usage: char,
    /// Submitter (1000A): name, ID (NM109), contact name, telephone.
    pub submitter: (String, String, String, String),
    /// Receiver (1000B): name and ID.
    pub receiver_name: (String, String),
    /// BHT03, the batch's reference.
    pub batch_id: String,
}

/// A segment's ID and elements, borrowed (written with trailing empty elements dropped, as X12
/// requires).
struct Seg<'a> {
    id: &'static [u8],
    el: &'a [&'a str],
}

fn seg<'a>(id: &'static [u8], el: &'a [&'a str]) -> Seg<'a> {
    Seg { id, el }
}

struct Out<'a> {
    w: &'a mut EnvelopeWriter,
    d: Delimiters,
    /// The segment being built, reused.
    line: Vec<u8>,
}

impl Out<'_> {
    fn put(&mut self, s: Seg<'_>) {
        crate::out::put(self.w, &mut self.line, s.id, s.el);
    }

    /// NM1 for a party: entity code, its name, and its NPI (or none).
    fn nm1_party(&mut self, entity: &str, p: &Party) {
        let (kind, last, first, middle, suffix) = name_parts(&p.name);
        let npi = p.npi.map(|n| n.to_compact_string()).unwrap_or_default();
        let q = if npi.is_empty() { "" } else { "XX" };
        self.put(seg(b"NM1", &[entity, kind, last, first, middle, "", suffix, q, &npi]));
    }

    fn nm1_person(&mut self, entity: &str, p: &Person, id_qualifier: &str) {
        let (kind, last, first, middle, suffix) = name_parts(&p.name);
        let q = if p.member_id.is_empty() { "" } else { id_qualifier };
        self.put(seg(b"NM1", &[entity, kind, last, first, middle, "", suffix, q, &p.member_id]));
    }

    fn address(&mut self, a: &Option<claim_model::Address>) {
        let Some(a) = a else { return };
        let l1 = a.lines.first().map(Text::as_str).unwrap_or_default();
        let l2 = a.lines.get(1).map(Text::as_str).unwrap_or_default();
        if !l1.is_empty() {
            self.put(seg(b"N3", &[l1, l2]));
        }
        self.put(seg(b"N4", &[&a.city, &a.state, &a.postal_code, &a.country]));
    }

    fn dmg(&mut self, p: &Person) {
        if let Some(b) = p.birth_date {
            self.put(seg(b"DMG", &["D8", &ymd(b), &p.sex.to_compact_string()]));
        }
    }

    fn cas(&mut self, adjustments: &[Adjustment]) {
        crate::out::cas(self.w, &mut self.line, adjustments);
    }
}

/// Writes `claims` as an interchange: 837P claims in one group, 837I claims in another.
pub fn write_837(claims: &[Claim], sub: &Submission, delimiters: Delimiters) -> Vec<u8> {
    let mut w = crate::out::interchange(sub, delimiters);
    let mut group = 0u32;
    for (kind, version) in
        [(ClaimKind::Professional, "005010X222A1"), (ClaimKind::Institutional, "005010X223A2")]
    {
        let of_kind: Vec<&Claim> = claims.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        group += 1;
        let control = sub.control.wrapping_mul(10).wrapping_add(group);
        crate::out::group(&mut w, sub, "HC", control, version);
        w.transaction("837", &format!("{group:04}"), version);
        let mut out = Out { w: &mut w, d: delimiters, line: Vec::with_capacity(256) };
        write_set(&mut out, &of_kind, sub, kind);
    }
    w.finish()
}

fn write_set(o: &mut Out<'_>, claims: &[&Claim], sub: &Submission, kind: ClaimKind) {
    let (sname, sid, contact, phone) = &sub.submitter;
    o.put(seg(b"BHT", &["0019", "00", &sub.batch_id, &sub.date_time.0, &sub.date_time.1, "CH"]));
    o.put(seg(b"NM1", &["41", "2", sname, "", "", "", "", "46", sid]));
    o.put(seg(b"PER", &["IC", contact, "TE", phone]));
    o.put(seg(
        b"NM1",
        &["40", "2", &sub.receiver_name.0, "", "", "", "", "46", &sub.receiver_name.1],
    ));
    let mut hl = 0u32;
    let mut billing_hl = 0u32;
    let mut last_billing: Option<&Party> = None;
    let mut last_pay_to: Option<&Party> = None;
    let mut i = 0;
    while i < claims.len() {
        let c = claims[i];
        let billing = c.provider(ProviderRole::Billing);
        let pay_to = c.provider(ProviderRole::PayTo);
        if i == 0 || billing != last_billing || pay_to != last_pay_to {
            hl += 1;
            billing_hl = hl;
            o.put(seg(b"HL", &[&hl.to_compact_string(), "", "20", "1"]));
            if let Some(b) = billing {
                if !b.taxonomy.is_empty() {
                    o.put(seg(b"PRV", &["BI", "PXC", &b.taxonomy]));
                }
                o.nm1_party("85", b);
                o.address(&b.address);
                if !b.tax_id.is_empty() {
                    o.put(seg(b"REF", &["EI", &b.tax_id]));
                }
            }
            if let Some(p) = c.provider(ProviderRole::PayTo) {
                let (kind, name, ..) = name_parts(&p.name);
                o.put(seg(b"NM1", &["87", kind, name]));
                o.address(&p.address);
            }
            last_billing = billing;
            last_pay_to = pay_to;
        }
        // Claims of the same subscriber (and patient) share the 2000B (and 2000C).
        let mut j = i + 1;
        while j < claims.len()
            && claims[j].provider(ProviderRole::Billing) == billing
            && claims[j].provider(ProviderRole::PayTo) == pay_to
            && claims[j].subscriber == c.subscriber
            && claims[j].patient == c.patient
            && claims[j].payer == c.payer
        {
            j += 1;
        }
        hl += 1;
        let has_patient = c.patient.is_some();
        o.put(seg(
            b"HL",
            &[
                &hl.to_compact_string(),
                &billing_hl.to_compact_string(),
                "22",
                if has_patient { "1" } else { "0" },
            ],
        ));
        sbr(o, &c.subscriber, !has_patient, kind);
        o.nm1_person("IL", &c.subscriber.person, "MI");
        o.address(&c.subscriber.person.address);
        o.dmg(&c.subscriber.person);
        o.put(seg(b"NM1", &["PR", "2", &c.payer.name, "", "", "", "", "PI", &c.payer.id]));
        o.address(&c.payer.address);
        if let Some((patient, rel)) = &c.patient {
            let subscriber_hl = hl;
            hl += 1;
            o.put(seg(
                b"HL",
                &[&hl.to_compact_string(), &subscriber_hl.to_compact_string(), "23", "0"],
            ));
            o.put(seg(b"PAT", &[rel]));
            o.nm1_person("QC", patient, "MI");
            o.address(&patient.address);
            o.dmg(patient);
        }
        for c in &claims[i..j] {
            claim(o, c);
        }
        i = j;
    }
}

fn sbr(o: &mut Out<'_>, s: &Subscriber, is_patient: bool, kind: ClaimKind) {
    let resp = s.payer_responsibility.to_compact_string();
    let rel = if is_patient { "18" } else { "" };
    let _ = kind;
    o.put(seg(
        b"SBR",
        &[&resp, rel, &s.group_number, "", &s.insurance_type, "", "", "", &s.filing_indicator],
    ));
}

fn claim(o: &mut Out<'_>, c: &Claim) {
    let d = o.d;
    let inst = c.kind == ClaimKind::Institutional;
    let freq = c.frequency.code().to_compact_string();
    let facility = if inst { &c.facility_type } else { &c.place_of_service };
    let clm05 = comp(&d, &[facility, if inst { "A" } else { "B" }, &freq]);
    let total = c.total_charge.to_x12();
    if inst {
        o.put(seg(b"CLM", &[&c.patient_control_number, &total, "", "", &clm05, "", "A", "Y", "Y"]));
        if let (Some(f), Some(t)) = (c.from, c.to) {
            o.put(seg(b"DTP", &["434", "RD8", &span(f, t)]));
        }
        if let Some(a) = c.admission {
            o.put(seg(b"DTP", &["435", "D8", &ymd(a)]));
        }
        o.put(seg(b"CL1", &["", "", &c.discharge_status]));
    } else {
        o.put(seg(
            b"CLM",
            &[&c.patient_control_number, &total, "", "", &clm05, "Y", "A", "Y", "Y"],
        ));
        // Hospital visits billed on an 837P carry the admission and discharge dates.
        if let Some(a) = c.admission {
            o.put(seg(b"DTP", &["435", "D8", &ymd(a)]));
        }
        if let Some(dc) = c.discharge {
            o.put(seg(b"DTP", &["096", "D8", &ymd(dc)]));
        }
    }
    if matches!(c.frequency, Frequency::Replacement | Frequency::Void)
        || !c.original_claim_number.is_empty()
    {
        o.put(seg(b"REF", &["F8", &c.original_claim_number]));
    }
    // Diagnoses: principal (ABK) first, then the others, up to twelve per HI.
    let mut hi: Vec<Text> = Vec::new();
    for dx in &c.diagnoses {
        let q = match dx.kind {
            DiagnosisKind::Principal => "ABK",
            DiagnosisKind::Other => "ABF",
            DiagnosisKind::Admitting => "ABJ",
            DiagnosisKind::ReasonForVisit => "APR",
            DiagnosisKind::ExternalCause => "ABN",
        };
        let poa = dx.poa.map(|p| p.code().to_compact_string()).unwrap_or_default();
        hi.push(comp(&d, &[q, &dx.code, "", "", "", "", "", "", &poa]));
    }
    put_hi(o, &hi);
    let procs: Vec<Text> = c
        .procedures
        .iter()
        .map(|p| {
            let date = p.date.map(ymd).unwrap_or_default();
            let q = if p.principal { "BBR" } else { "BBQ" };
            comp(&d, &[q, &p.code, if date.is_empty() { "" } else { "D8" }, &date])
        })
        .collect();
    put_hi(o, &procs);
    let occurrences: Vec<Text> = c
        .occurrences
        .iter()
        .map(|v| match (v.from, v.to) {
            (Some(f), Some(t)) if f != t => comp(&d, &["BI", &v.code, "RD8", &span(f, t)]),
            (Some(f), _) => comp(&d, &["BH", &v.code, "D8", &ymd(f)]),
            _ => comp(&d, &["BH", &v.code]),
        })
        .collect();
    put_hi(o, &occurrences);
    let values: Vec<Text> = c
        .values
        .iter()
        .map(|v| {
            comp(&d, &["BE", &v.code, "", "", &v.amount.map(|a| a.to_x12()).unwrap_or_default()])
        })
        .collect();
    put_hi(o, &values);
    let conditions: Vec<Text> = c.condition_codes.iter().map(|cc| comp(&d, &["BG", cc])).collect();
    put_hi(o, &conditions);
    // Claim-level providers.
    let order: &[(ProviderRole, &str)] = if c.kind == ClaimKind::Institutional {
        &[
            (ProviderRole::Attending, "71"),
            (ProviderRole::Operating, "72"),
            (ProviderRole::Rendering, "82"),
            (ProviderRole::ServiceFacility, "77"),
            (ProviderRole::Referring, "DN"),
        ]
    } else {
        &[
            (ProviderRole::Referring, "DN"),
            (ProviderRole::Rendering, "82"),
            (ProviderRole::ServiceFacility, "77"),
            (ProviderRole::Supervising, "DQ"),
        ]
    };
    for (role, entity) in order {
        for (_, p) in c.providers.iter().filter(|(r, _)| r == role) {
            o.nm1_party(entity, p);
            if *role == ProviderRole::Rendering && !p.taxonomy.is_empty() && !inst {
                o.put(seg(b"PRV", &["PE", "PXC", &p.taxonomy]));
            }
            if *role == ProviderRole::ServiceFacility {
                o.address(&p.address);
            }
        }
    }
    for op in &c.other_payers {
        other_payer(o, op);
    }
    for l in &c.lines {
        line(o, c, l);
    }
}

fn put_hi(o: &mut Out<'_>, items: &[Text]) {
    for chunk in items.chunks(12) {
        let refs: Vec<&str> = chunk.iter().map(Text::as_str).collect();
        o.put(seg(b"HI", &refs));
    }
}

fn other_payer(o: &mut Out<'_>, op: &OtherPayer) {
    let s = &op.subscriber;
    let resp = s.payer_responsibility.to_compact_string();
    let rel = if s.relationship.is_empty() { "18" } else { &s.relationship };
    o.put(seg(
        b"SBR",
        &[&resp, rel, &s.group_number, "", &s.insurance_type, "", "", "", &s.filing_indicator],
    ));
    o.cas(&op.adjustments);
    if let Some(p) = op.paid {
        o.put(seg(b"AMT", &["D", &p.to_x12()]));
    }
    o.put(seg(b"OI", &["", "", "Y", "P", "", "Y"]));
    o.nm1_person("IL", &s.person, "MI");
    o.put(seg(b"NM1", &["PR", "2", &op.payer.name, "", "", "", "", "PI", &op.payer.id]));
    if !op.claim_control_number.is_empty() {
        o.put(seg(b"REF", &["F8", &op.claim_control_number]));
    }
}

fn line(o: &mut Out<'_>, c: &Claim, l: &ServiceLine) {
    let d = o.d;
    o.put(seg(b"LX", &[&l.number.to_compact_string()]));
    let mods: Vec<&str> = l.modifiers.iter().map(Text::as_str).take(4).collect();
    let mut proc_parts: Vec<&str> = vec!["HC", &l.procedure];
    proc_parts.extend(&mods);
    let procedure = if l.procedure.is_empty() { Text::default() } else { comp(&d, &proc_parts) };
    let basis = if l.unit_basis.is_empty() { "UN" } else { &l.unit_basis };
    if c.kind == ClaimKind::Institutional {
        o.put(seg(
            b"SV2",
            &[&l.revenue_code, &procedure, &l.charge.to_x12(), basis, &units(l.units)],
        ));
    } else {
        let pointers: Vec<Text> =
            l.diagnosis_pointers.iter().map(|p| p.to_compact_string()).collect();
        let pointers: Vec<&str> = pointers.iter().map(Text::as_str).collect();
        o.put(seg(
            b"SV1",
            &[
                &procedure,
                &l.charge.to_x12(),
                basis,
                &units(l.units),
                &l.place_of_service,
                "",
                &comp(&d, &pointers),
            ],
        ));
    }
    match (l.date_from, l.date_to) {
        (Some(f), Some(t)) if f != t => o.put(seg(b"DTP", &["472", "RD8", &span(f, t)])),
        (Some(f), _) => o.put(seg(b"DTP", &["472", "D8", &ymd(f)])),
        _ => {}
    }
    if let Some((ndc, qty)) = &l.ndc {
        o.put(seg(b"LIN", &["", "N4", ndc]));
        let (q, unit) = qty.split_once(' ').unwrap_or((qty, ""));
        if !q.is_empty() {
            o.put(seg(b"CTP", &["", "", "", q, unit]));
        }
    }
    if let Some(r) = &l.rendering {
        o.nm1_party("82", r);
    }
    for a in &l.adjudications {
        let procedure = comp(&d, &proc_parts);
        o.put(seg(b"SVD", &[&a.payer_id, &a.paid.to_x12(), &procedure, "", &units(l.units)]));
        o.cas(&a.adjustments);
        if let Some(date) = a.date {
            o.put(seg(b"DTP", &["573", "D8", &ymd(date)]));
        }
    }
}
