//! Writing 837P (005010X222A1) and 837I (005010X223A2) from the claim model: one functional
//! group per claim kind, one transaction set per group, claims under their billing provider
//! (2000A) and subscriber (2000B) levels (at most 100 claims under one, as the guides allow), with
//! correct HL numbering, counts and control numbers. Large batches are formatted in runs of
//! claims on every core and appended in order. What the model does not carry (submitter contact, signature and assignment indicators) comes
//! from [`Submission`] or takes the usual value (`Y`).

use claim_model::{
    Adjustment, Claim, ClaimKind, DiagnosisKind, Frequency, OtherPayer, Party, Person,
    ProviderRole, ServiceLine, Subscriber, Text,
};
use code_sets::Date;
use x12::{Delimiters, EnvelopeWriter};

use crate::out::{Seg as Line, name_parts};

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

    /// A segment whose elements `f` writes straight into the reused buffer.
    fn build(&mut self, id: &[u8], f: impl FnOnce(&mut Line<'_>)) {
        let mut line = Line::new(&mut self.line, self.d, id);
        f(&mut line);
        line.put(self.w);
    }

    /// NM1 for a party: entity code, its name, and its NPI (or none).
    fn nm1_party(&mut self, entity: &str, p: &Party) {
        let (kind, last, first, middle, suffix) = name_parts(&p.name);
        let npi = p.npi.as_deref().unwrap_or_default();
        let q = if npi.is_empty() { "" } else { "XX" };
        self.put(seg(b"NM1", &[entity, kind, last, first, middle, "", suffix, q, npi]));
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
            let mut sex = [0u8; 4];
            let sex: &str = p.sex.encode_utf8(&mut sex);
            self.build(b"DMG", |l| {
                l.el("D8").date(b).el(sex);
            });
        }
    }

    fn cas(&mut self, adjustments: &[Adjustment]) {
        crate::out::cas(self.w, &mut self.line, adjustments);
    }
}

/// Writes `claims` as an interchange: 837P claims in one group, 837I claims in another. Large
/// batches are formatted on every core (the result is the same whatever the number).
pub fn write_837(claims: &[Claim], sub: &Submission, delimiters: Delimiters) -> Vec<u8> {
    write_837_threads(claims, sub, delimiters, crate::validate::default_threads())
}

/// Like [`write_837`], formatting on `threads` threads.
pub fn write_837_threads(
    claims: &[Claim],
    sub: &Submission,
    delimiters: Delimiters,
    threads: usize,
) -> Vec<u8> {
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
        write_set(&mut w, &of_kind, sub, kind, threads);
    }
    w.finish()
}

/// Claims that share a subscriber level (2000B, and 2000C when there is a patient), and the HL
/// numbers they are written with.
struct Level {
    claims: std::ops::Range<usize>,
    /// A new billing provider level (2000A) opens here, with this HL number.
    billing: Option<u32>,
    /// The billing provider level's HL number (the parent of the subscriber level).
    billing_hl: u32,
    /// The subscriber level's HL number (the patient level's is the next one).
    hl: u32,
}

/// Loop 2300 repeats at most 100 times in a subscriber or patient level (X222A1, X223A2).
const MAX_CLAIMS_PER_LEVEL: usize = 100;

/// Claims in a run of at least this many go to another thread.
const CLAIMS_PER_RUN: usize = 512;

fn write_set(
    w: &mut EnvelopeWriter,
    claims: &[&Claim],
    sub: &Submission,
    kind: ClaimKind,
    threads: usize,
) {
    let d = w.delimiters();
    let mut o = Out { w, d, line: Vec::with_capacity(256) };
    let (sname, sid, contact, phone) = &sub.submitter;
    o.put(seg(b"BHT", &["0019", "00", &sub.batch_id, &sub.date_time.0, &sub.date_time.1, "CH"]));
    o.put(seg(b"NM1", &["41", "2", sname, "", "", "", "", "46", sid]));
    o.put(seg(b"PER", &["IC", contact, "TE", phone]));
    o.put(seg(
        b"NM1",
        &["40", "2", &sub.receiver_name.0, "", "", "", "", "46", &sub.receiver_name.1],
    ));
    let levels = plan(claims, threads);
    // Pieces of at most CLAIMS_PER_RUN claims (a level's first piece writes its HL levels),
    // gathered into runs of about as many claims, formatted apart and appended in order.
    let mut pieces: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (k, l) in levels.iter().enumerate() {
        let mut from = l.claims.start;
        loop {
            let to = (from + CLAIMS_PER_RUN).min(l.claims.end);
            pieces.push((k, from..to));
            from = to;
            if from >= l.claims.end {
                break;
            }
        }
    }
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut in_run) = (0, 0);
    for (k, (_, r)) in pieces.iter().enumerate() {
        in_run += r.len();
        if in_run >= CLAIMS_PER_RUN {
            runs.push(start..k + 1);
            start = k + 1;
            in_run = 0;
        }
    }
    if start < pieces.len() {
        runs.push(start..pieces.len());
    }
    let write_pieces = |o: &mut Out<'_>, ps: &[(usize, std::ops::Range<usize>)]| {
        for (k, r) in ps {
            let level = &levels[*k];
            if r.start == level.claims.start {
                write_level(o, claims, level, kind);
            }
            for c in &claims[r.clone()] {
                claim(o, c);
            }
        }
    };
    if threads <= 1 || runs.len() <= 1 {
        write_pieces(&mut o, &pieces);
        return;
    }
    let template = o.w.part();
    let parts = crate::parallel::map_runs_in_order(&runs, threads, |rs| {
        let mut part = template.part();
        // A claim with two lines takes about 170 bytes: room for more than that, made once
        // (a run is a few hundred claims).
        let in_run: usize = rs.iter().flat_map(|r| &pieces[r.clone()]).map(|(_, c)| c.len()).sum();
        part.reserve(in_run * 400);
        let mut po = Out { w: &mut part, d, line: Vec::with_capacity(256) };
        for r in rs {
            write_pieces(&mut po, &pieces[r.clone()]);
        }
        part
    });
    o.w.append(parts);
}

/// Where each billing provider and subscriber level starts, and its HL numbers. Whether each
/// claim shares its neighbour's billing provider and subscriber is worked out on `threads`
/// threads (comparing parties is most of the work); the levels follow in one pass.
fn plan(claims: &[&Claim], threads: usize) -> Vec<Level> {
    // For each claim after the first: (same billing and pay-to as the previous claim, same
    // subscriber level too).
    let pairs: Vec<usize> = (1..claims.len()).collect();
    let same: Vec<(bool, bool)> = crate::parallel::map_runs_in_order(&pairs, threads, |run| {
        run.iter()
            .map(|&j| {
                let (a, b) = (claims[j - 1], claims[j]);
                let provider = a.provider(ProviderRole::Billing)
                    == b.provider(ProviderRole::Billing)
                    && a.provider(ProviderRole::PayTo) == b.provider(ProviderRole::PayTo);
                let level = provider
                    && a.subscriber == b.subscriber
                    && a.patient == b.patient
                    && a.payer == b.payer;
                (provider, level)
            })
            .collect::<Vec<_>>()
    })
    .concat();
    let mut levels = Vec::new();
    let mut hl = 0u32;
    let mut billing_hl = 0u32;
    let mut i = 0;
    while i < claims.len() {
        let c = claims[i];
        let mut opens = None;
        if i == 0 || !same[i - 1].0 {
            hl += 1;
            billing_hl = hl;
            opens = Some(hl);
        }
        // Claims of the same subscriber (and patient) share the 2000B (and 2000C), up to the
        // 100 claims (loop 2300 repeats) the guides allow under one; more open another.
        let mut j = i + 1;
        while j < claims.len() && j - i < MAX_CLAIMS_PER_LEVEL && same[j - 1].1 {
            j += 1;
        }
        hl += 1;
        levels.push(Level { claims: i..j, billing: opens, billing_hl, hl });
        if c.patient.is_some() {
            hl += 1;
        }
        i = j;
    }
    levels
}

/// The HL levels of one subscriber level (opening its billing provider level first when it is
/// new), before its claims.
fn write_level(o: &mut Out<'_>, claims: &[&Claim], level: &Level, kind: ClaimKind) {
    let Some(&c) = claims.get(level.claims.start) else { return };
    if let Some(hl) = level.billing {
        o.build(b"HL", |l| {
            l.num(u64::from(hl)).els(&["", "20", "1"]);
        });
        if let Some(b) = c.provider(ProviderRole::Billing) {
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
    }
    let has_patient = c.patient.is_some();
    o.build(b"HL", |l| {
        l.num(u64::from(level.hl)).num(u64::from(level.billing_hl));
        l.els(&["22", if has_patient { "1" } else { "0" }]);
    });
    sbr(o, &c.subscriber, !has_patient, kind);
    o.nm1_person("IL", &c.subscriber.person, "MI");
    o.address(&c.subscriber.person.address);
    o.dmg(&c.subscriber.person);
    o.put(seg(b"NM1", &["PR", "2", &c.payer.name, "", "", "", "", "PI", &c.payer.id]));
    o.address(&c.payer.address);
    if let Some((patient, rel)) = &c.patient {
        o.build(b"HL", |l| {
            l.num(u64::from(level.hl + 1)).num(u64::from(level.hl)).els(&["23", "0"]);
        });
        o.put(seg(b"PAT", &[rel]));
        o.nm1_person("QC", patient, "MI");
        o.address(&patient.address);
        o.dmg(patient);
    }
}

/// A character as a string slice, in `buf`.
fn ch(c: char, buf: &mut [u8; 4]) -> &str {
    c.encode_utf8(buf)
}

fn sbr(o: &mut Out<'_>, s: &Subscriber, is_patient: bool, kind: ClaimKind) {
    let mut buf = [0u8; 4];
    let resp = ch(s.payer_responsibility, &mut buf);
    let rel = if is_patient { "18" } else { "" };
    let _ = kind;
    o.put(seg(
        b"SBR",
        &[resp, rel, &s.group_number, "", &s.insurance_type, "", "", "", &s.filing_indicator],
    ));
}

fn dtp(o: &mut Out<'_>, qualifier: &str, date: Date) {
    o.build(b"DTP", |l| {
        l.els(&[qualifier, "D8"]).date(date);
    });
}

fn dtp_span(o: &mut Out<'_>, qualifier: &str, from: Date, to: Date) {
    o.build(b"DTP", |l| {
        l.els(&[qualifier, "RD8"]).span(from, to);
    });
}

fn claim(o: &mut Out<'_>, c: &Claim) {
    let inst = c.kind == ClaimKind::Institutional;
    let mut buf = [0u8; 4];
    let freq = ch(c.frequency.code(), &mut buf);
    let facility = if inst { &c.facility_type } else { &c.place_of_service };
    let clm05 = [facility.as_str(), if inst { "A" } else { "B" }, freq];
    o.build(b"CLM", |l| {
        l.el(&c.patient_control_number).cents(c.total_charge).els(&["", ""]).comp(&clm05);
        l.els(if inst { &["", "A", "Y", "Y"] } else { &["Y", "A", "Y", "Y"] });
    });
    if inst {
        if let (Some(f), Some(t)) = (c.from, c.to) {
            dtp_span(o, "434", f, t);
        }
        if let Some(a) = c.admission {
            dtp(o, "435", a);
        }
        o.put(seg(b"CL1", &["", "", &c.discharge_status]));
    } else {
        // Hospital visits billed on an 837P carry the admission and discharge dates.
        if let Some(a) = c.admission {
            dtp(o, "435", a);
        }
        if let Some(dc) = c.discharge {
            dtp(o, "096", dc);
        }
    }
    if matches!(c.frequency, Frequency::Replacement | Frequency::Void)
        || !c.original_claim_number.is_empty()
    {
        o.put(seg(b"REF", &["F8", &c.original_claim_number]));
    }
    // Diagnoses. 837P: principal (ABK) first, then the others, up to twelve per HI. 837I: each
    // kind in its own HI segments, in the guide's order (principal alone, admitting, reasons
    // for visit, external causes, then the other diagnoses twelve per HI), and the principal
    // procedure (BBR) in its own HI before the others (BBQ).
    let dx_comp = |l: &mut Line<'_>, dx: &claim_model::Diagnosis| {
        let q = match dx.kind {
            DiagnosisKind::Principal => "ABK",
            DiagnosisKind::Other => "ABF",
            DiagnosisKind::Admitting => "ABJ",
            DiagnosisKind::ReasonForVisit => "APR",
            DiagnosisKind::ExternalCause => "ABN",
        };
        let mut buf = [0u8; 4];
        let poa = dx.poa.map_or("", |p| ch(p.code(), &mut buf));
        l.comp(&[q, &dx.code, "", "", "", "", "", "", poa]);
    };
    let px_comp = |l: &mut Line<'_>, p: &claim_model::Procedure| {
        let q = if p.principal { "BBR" } else { "BBQ" };
        match p.date {
            Some(date) => l.comp_with(|b, sep| {
                for part in [q, &p.code, "D8"] {
                    b.extend_from_slice(part.as_bytes());
                    b.push(sep);
                }
                crate::out::push_date(b, date);
            }),
            None => l.comp(&[q, &p.code]),
        };
    };
    if c.kind == ClaimKind::Institutional {
        for (kind, per) in [
            (DiagnosisKind::Principal, 1),
            (DiagnosisKind::Admitting, 1),
            (DiagnosisKind::ReasonForVisit, 3),
            (DiagnosisKind::ExternalCause, 12),
            (DiagnosisKind::Other, 12),
        ] {
            // The DRG's HI stands between the external causes and the other diagnoses.
            if kind == DiagnosisKind::Other && !c.drg.is_empty() {
                put_hi(o, std::slice::from_ref(&c.drg), |l, drg| {
                    l.comp(&["DR", drg]);
                });
            }
            let of_kind: Vec<&claim_model::Diagnosis> =
                c.diagnoses.iter().filter(|d| d.kind == kind).collect();
            put_hi_per(o, &of_kind, per, |l, d| dx_comp(l, d));
        }
        for principal in [true, false] {
            let of_kind: Vec<&claim_model::Procedure> =
                c.procedures.iter().filter(|p| p.principal == principal).collect();
            put_hi_per(o, &of_kind, if principal { 1 } else { 12 }, |l, p| px_comp(l, p));
        }
    } else {
        put_hi(o, &c.diagnoses, dx_comp);
        put_hi(o, &c.procedures, px_comp);
    }
    put_hi(o, &c.occurrences, |l, v| {
        let dated = |b: &mut Vec<u8>, sep: u8, q: &str, format: &str| {
            for part in [q, &v.code, format] {
                b.extend_from_slice(part.as_bytes());
                b.push(sep);
            }
        };
        match (v.from, v.to) {
            (Some(f), Some(t)) if f != t => l.comp_with(|b, sep| {
                dated(b, sep, "BI", "RD8");
                crate::out::push_date(b, f);
                b.push(b'-');
                crate::out::push_date(b, t);
            }),
            (Some(f), _) => l.comp_with(|b, sep| {
                dated(b, sep, "BH", "D8");
                crate::out::push_date(b, f);
            }),
            _ => l.comp(&["BH", &v.code]),
        };
    });
    put_hi(o, &c.values, |l, v| match v.amount {
        Some(a) => {
            l.comp_with(|b, sep| {
                for part in ["BE", &v.code, "", ""] {
                    b.extend_from_slice(part.as_bytes());
                    b.push(sep);
                }
                crate::out::push_cents(b, a);
            });
        }
        None => {
            l.comp(&["BE", &v.code]);
        }
    });
    put_hi(o, &c.condition_codes, |l, cc| {
        l.comp(&["BG", cc]);
    });
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

/// HI segments for `items`, twelve composites each, every composite written by `f`.
fn put_hi<T>(o: &mut Out<'_>, items: &[T], f: impl Fn(&mut Line<'_>, &T)) {
    put_hi_per(o, items, 12, f);
}

/// HI segments for `items`, `per` composites each.
fn put_hi_per<T>(o: &mut Out<'_>, items: &[T], per: usize, f: impl Fn(&mut Line<'_>, &T)) {
    for chunk in items.chunks(per) {
        o.build(b"HI", |l| {
            for item in chunk {
                f(l, item);
            }
        });
    }
}

fn other_payer(o: &mut Out<'_>, op: &OtherPayer) {
    let s = &op.subscriber;
    let mut buf = [0u8; 4];
    let resp = ch(s.payer_responsibility, &mut buf);
    let rel = if s.relationship.is_empty() { "18" } else { &s.relationship };
    o.put(seg(
        b"SBR",
        &[resp, rel, &s.group_number, "", &s.insurance_type, "", "", "", &s.filing_indicator],
    ));
    o.cas(&op.adjustments);
    if let Some(p) = op.paid {
        o.build(b"AMT", |l| {
            l.el("D").cents(p);
        });
    }
    o.put(seg(b"OI", &["", "", "Y", "P", "", "Y"]));
    o.nm1_person("IL", &s.person, "MI");
    o.put(seg(b"NM1", &["PR", "2", &op.payer.name, "", "", "", "", "PI", &op.payer.id]));
    if !op.claim_control_number.is_empty() {
        o.put(seg(b"REF", &["F8", &op.claim_control_number]));
    }
}

fn line(o: &mut Out<'_>, c: &Claim, l: &ServiceLine) {
    o.build(b"LX", |b| {
        b.num(u64::from(l.number));
    });
    let mut proc_parts: [&str; 6] = ["HC", &l.procedure, "", "", "", ""];
    for (slot, m) in proc_parts[2..].iter_mut().zip(&l.modifiers) {
        *slot = m;
    }
    let procedure: &[&str] = if l.procedure.is_empty() { &[] } else { &proc_parts };
    let basis = if l.unit_basis.is_empty() { "UN" } else { &l.unit_basis };
    if c.kind == ClaimKind::Institutional {
        o.build(b"SV2", |b| {
            b.el(&l.revenue_code).comp(procedure).cents(l.charge).el(basis).units(l.units);
        });
    } else {
        o.build(b"SV1", |b| {
            b.comp(procedure).cents(l.charge).el(basis).units(l.units);
            b.el(&l.place_of_service).el("");
            b.comp_with(|buf, sep| {
                for (i, p) in l.diagnosis_pointers.iter().enumerate() {
                    if i > 0 {
                        buf.push(sep);
                    }
                    crate::out::push_u64(buf, u64::from(*p));
                }
            });
        });
    }
    match (l.date_from, l.date_to) {
        (Some(f), Some(t)) if f != t => dtp_span(o, "472", f, t),
        (Some(f), _) => dtp(o, "472", f),
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
        o.build(b"SVD", |b| {
            b.el(&a.payer_id).cents(a.paid).comp(&proc_parts).el("").units(l.units);
        });
        o.cas(&a.adjustments);
        if let Some(date) = a.date {
            dtp(o, "573", date);
        }
    }
}
