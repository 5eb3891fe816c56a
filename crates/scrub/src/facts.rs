//! What every rule needs to know about a claim, worked out once: the dates its codes are judged
//! on, each code's verdict against the release in force, the patient.

use claim_model::{Claim, ClaimKind, Person, Text};
use code_sets::{Date, Library, Status, System};

use crate::Context;

/// Where a code sits on the claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The n-th diagnosis (0-based; 0 is the principal or first-listed).
    Diagnosis(usize),
    /// The n-th ICD-10-PCS procedure (0-based).
    Procedure(usize),
    /// The procedure code of a service line (its LX number).
    Line(u32),
}

impl Place {
    /// The service line a finding about this code concerns.
    pub(crate) fn line(self) -> Option<u32> {
        match self {
            Place::Line(n) => Some(n),
            _ => None,
        }
    }

    /// How a biller would name the position ("diagnosis 2", "procedure 1", "line 3").
    pub(crate) fn describe(self) -> String {
        match self {
            Place::Diagnosis(0) => "principal/first diagnosis".to_string(),
            Place::Diagnosis(i) => format!("diagnosis {}", i + 1),
            Place::Procedure(i) => format!("ICD-10-PCS procedure {}", i + 1),
            Place::Line(n) => format!("line {n}"),
        }
    }
}

/// What a code is on its date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Valid and reportable.
    Ok,
    /// Not a code of its system (or not shaped like one); the reason says why.
    Invalid(String),
    /// A header (category) code, not reportable by itself.
    Header(String),
    /// A real code, but not on this date.
    NotOnDate(String),
    /// A missing or wrong 7th character or placeholder; with a likely intended code.
    Seventh(String, Option<String>),
    /// No installed release covers the date (or none of the system is installed).
    NoRelease(String),
    /// Not checked: the claim carries no date to judge it on (another rule says so).
    NoDate,
}

/// One code on the claim and its verdict.
#[derive(Clone, Debug)]
pub(crate) struct CodeCheck {
    pub(crate) place: Place,
    pub(crate) system: System,
    pub(crate) code: Text,
    pub(crate) verdict: Verdict,
}

/// What the rules share about one claim.
pub(crate) struct Facts<'a> {
    pub(crate) cx: &'a Context<'a>,
    /// The date diagnoses are judged on: the discharge (or statement-through) date for an
    /// institutional claim, the first date of service for a professional one.
    pub(crate) claim_date: Option<Date>,
    /// Every diagnosis, ICD-10-PCS procedure and line procedure code with its verdict.
    pub(crate) codes: Vec<CodeCheck>,
    /// The date the Medicare Code Editor judges the claim on (its discharge date).
    pub(crate) mce_date: Option<Date>,
    /// The Medicare Code Editor's edits on the claim (empty without lists for the date).
    pub(crate) mce: Vec<mce::Edit>,
    /// The sex conflicts by the last published MCE sex lists, for discharges after them (for
    /// the optional rule).
    pub(crate) mce_last_sex_lists: Vec<mce::Edit>,
    /// Per diagnosis (in claim order): its key and what the ICD-10-CM conventions say about it
    /// (empty for codes that are not valid on the date).
    pub(crate) dx: Vec<(Option<code_sets::CodeKey>, std::sync::Arc<crate::conventions::DxNotes>)>,
}

impl<'a> Facts<'a> {
    pub(crate) fn of(
        claim: &Claim,
        cx: &'a Context<'a>,
        notes: &crate::conventions::NotesCache,
    ) -> Facts<'a> {
        let claim_date = claim_date(claim);
        let lib = cx.codes;
        let mut codes = Vec::with_capacity(claim.diagnoses.len() + claim.lines.len());
        for (i, d) in claim.diagnoses.iter().enumerate() {
            codes.push(CodeCheck {
                place: Place::Diagnosis(i),
                system: System::Icd10Cm,
                code: d.code.clone(),
                verdict: claim_date
                    .map_or(Verdict::NoDate, |date| verdict(lib, System::Icd10Cm, &d.code, date)),
            });
        }
        for (i, p) in claim.procedures.iter().enumerate() {
            // Inpatient procedures follow the discharge date, like the diagnoses.
            let date = claim.discharge.or(claim_date).or(p.date);
            codes.push(CodeCheck {
                place: Place::Procedure(i),
                system: System::Icd10Pcs,
                code: p.code.clone(),
                verdict: date
                    .map_or(Verdict::NoDate, |date| verdict(lib, System::Icd10Pcs, &p.code, date)),
            });
        }
        for l in &claim.lines {
            if l.procedure.is_empty() {
                continue;
            }
            let system = line_system(&l.procedure);
            let date = l.date_from.or(claim.from);
            let verdict = match (system, date) {
                (None, _) => Verdict::Invalid(format!(
                    "{:?} is not shaped like a HCPCS (a letter and four digits) or CPT code (five \
                     characters)",
                    l.procedure.as_str()
                )),
                (Some(_), None) => Verdict::NoDate,
                (Some(s), Some(date)) => verdict(lib, s, &l.procedure, date),
            };
            codes.push(CodeCheck {
                place: Place::Line(l.number),
                system: system.unwrap_or(System::Hcpcs),
                code: l.procedure.clone(),
                verdict,
            });
        }
        let mce_date = claim.discharge.or(claim_date);
        let (mce, mce_last_sex_lists) = match (cx.mce, mce_date) {
            (Some(tables), Some(date)) => mce_edits(claim, tables, date),
            _ => (Vec::new(), Vec::new()),
        };
        let keys = crate::conventions::dx_keys(claim);
        let dx = keys
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                let ok = codes.get(i).is_some_and(|c| c.verdict == Verdict::Ok);
                let notes = match (k, claim_date) {
                    (Some(k), Some(date)) if ok => notes.get(cx.codes, &k, date),
                    _ => Default::default(),
                };
                (k, notes)
            })
            .collect();
        Facts { cx, claim_date, codes, mce_date, mce, mce_last_sex_lists, dx }
    }
}

/// The MCE's edits on the claim on `date`, and the sex conflicts by the last published sex lists
/// when `date` is after them.
fn mce_edits(claim: &Claim, tables: &mce::Tables, date: Date) -> (Vec<mce::Edit>, Vec<mce::Edit>) {
    use claim_model::DiagnosisKind;
    let person = patient(claim);
    // The principal (or first-listed) diagnosis, then the other diagnoses the MCE reads
    // (admitting and reason-for-visit codes are not secondary diagnoses).
    let principal =
        claim.diagnoses.iter().position(|d| d.kind == DiagnosisKind::Principal).unwrap_or(0);
    let Some(pdx) = claim.diagnoses.get(principal) else {
        return (Vec::new(), Vec::new());
    };
    let sdx: Vec<&str> = claim
        .diagnoses
        .iter()
        .enumerate()
        .filter(|(i, d)| {
            *i != principal && matches!(d.kind, DiagnosisKind::Other | DiagnosisKind::ExternalCause)
        })
        .map(|(_, d)| d.code.as_str())
        .collect();
    let start = claim.admission.or(claim.from).unwrap_or(date);
    let input = mce::Claim {
        discharge: date,
        admission: claim.admission,
        age: person.birth_date.and_then(|b| b.years_until(start)),
        sex: person.sex,
        pdx: &pdx.code,
        sdx,
        procedures: claim.procedures.iter().map(|p| p.code.as_str()).collect(),
        discharge_status: if claim.kind == ClaimKind::Institutional {
            &claim.discharge_status
        } else {
            "01"
        },
    };
    let edits = tables.edit(&input);
    let last = match tables.sex_lists_last_day() {
        Some(last) if date > last => {
            let old = mce::Claim { discharge: last, admission: None, ..input };
            tables.edit(&old).into_iter().filter(|e| e.edit == mce::EditName::SexConflict).collect()
        }
        _ => Vec::new(),
    };
    (edits, last)
}

/// The date a claim's diagnoses are judged on.
pub(crate) fn claim_date(claim: &Claim) -> Option<Date> {
    let first_line = claim.lines.iter().filter_map(|l| l.date_from).min();
    match claim.kind {
        ClaimKind::Institutional => claim.discharge.or(claim.to).or(claim.from).or(first_line),
        ClaimKind::Professional => claim.from.or(first_line).or(claim.to),
    }
}

/// The patient: the 2000C patient when there is one, else the subscriber.
pub(crate) fn patient(claim: &Claim) -> &Person {
    claim.patient.as_ref().map_or(&claim.subscriber.person, |(p, _)| p)
}

/// Which system a line's procedure code belongs to by its shape: a letter and four digits is
/// HCPCS Level II; five digits, or four digits and F, T, U or M, is CPT.
pub(crate) fn line_system(code: &str) -> Option<System> {
    let b = code.as_bytes();
    if b.len() != 5 {
        return None;
    }
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if b[0].is_ascii_uppercase() && digits(&b[1..]) {
        Some(System::Hcpcs)
    } else if digits(&b[..4])
        && (b[4].is_ascii_digit() || matches!(b[4], b'F' | b'T' | b'U' | b'M'))
    {
        Some(System::Cpt)
    } else {
        None
    }
}

/// The verdict on one code on one date.
pub(crate) fn verdict(lib: &Library, system: System, code: &str, date: Date) -> Verdict {
    let name = system.display_name();
    let key = match system.normalize(code) {
        Ok(k) => k,
        Err(why) => return Verdict::Invalid(why),
    };
    let display = system.display_code(&key);
    match lib.in_force(system, date) {
        // CPT without a CPT or PFS release: checked by its shape only.
        None if system == System::Cpt => return Verdict::Ok,
        None => {
            return Verdict::NoRelease(format!("no {name} release is installed"));
        }
        Some((r, false)) => {
            return Verdict::NoRelease(format!(
                "no installed {name} release is in force on {date} (the oldest installed, {}, starts \
                 on {})",
                r.meta.label, r.meta.effective_from
            ));
        }
        Some(_) => {}
    }
    // The fast path: a billable code in the release in force, within its own dates (HCPCS).
    if let Some(found) = lib.lookup(system, &key, date)
        && found.billable
        && found.in_force_on(date)
    {
        return Verdict::Ok;
    }
    let Ok(info) = lib.show(Some(system), code, date) else {
        return Verdict::Invalid(format!("{display} is not a {name} code"));
    };
    match info.status {
        Status::Billable | Status::Modifier | Status::FormatOnly => Verdict::Ok,
        Status::NotValidOnDate { reason } => Verdict::NotOnDate(reason),
        Status::Header => {
            if system == System::Icd10Cm && !info.seventh_characters.is_empty() && key.len() < 7 {
                let allowed: Vec<String> =
                    info.seventh_characters.iter().map(|(c, _)| c.to_string()).collect();
                let first = info
                    .seventh_characters
                    .first()
                    .map_or(String::new(), |(c, m)| format!("; {c} is the {m}"));
                return Verdict::Seventh(
                    format!("{display} needs a 7th character ({}{first})", allowed.join(", ")),
                    None,
                );
            }
            let kids: Vec<&str> =
                info.children.iter().take(6).map(|(c, _, _)| c.as_str()).collect();
            let more = if info.children.len() > 6 { ", …" } else { "" };
            Verdict::Header(format!(
                "{display} is a category, not a complete code; report one of the codes under it \
                 ({}{more})",
                kids.join(", ")
            ))
        }
        Status::NotACode { reason } => {
            if system == System::Icd10Cm
                && let Some(v) = seventh_problem(lib, &key, date)
            {
                return v;
            }
            Verdict::Invalid(reason)
        }
    }
}

/// For an ICD-10-CM code that is not in the release: when its nearest existing ancestor takes a
/// 7th character, what is wrong with the 7th character or the placeholder X.
fn seventh_problem(lib: &Library, key: &code_sets::CodeKey, date: Date) -> Option<Verdict> {
    let s = key.as_str();
    let ancestor = (3..s.len()).rev().find_map(|n| {
        let info = lib.show(Some(System::Icd10Cm), &s[..n], date).ok()?;
        (info.valid).then_some((n, info))
    })?;
    let (n, info) = ancestor;
    if info.seventh_characters.is_empty() {
        return None;
    }
    let parent = System::Icd10Cm.display_code(&code_sets::CodeKey::new(&s[..n])?);
    let allowed: String = info.seventh_characters.iter().map(|(c, _)| *c).collect();
    let last = s.chars().last()?;
    if s.len() == 7 && !allowed.contains(last) {
        return Some(Verdict::Seventh(
            format!(
                "{last} is not a 7th character for {parent} (allowed: {})",
                allowed.chars().map(String::from).collect::<Vec<_>>().join(", ")
            ),
            None,
        ));
    }
    // A 7th character after too few characters: the placeholder X is missing.
    if allowed.contains(last) && s.len() <= 7 {
        let body = &s[..s.len() - 1];
        if body.len() < 6 {
            // The placeholder stands where a level is missing: try each place for the X's.
            let pad = "X".repeat(6 - body.len());
            let suggestion = (3..=body.len()).rev().find_map(|at| {
                let candidate = format!("{}{pad}{}{last}", &body[..at], &body[at..]);
                let key = code_sets::CodeKey::new(&candidate)?;
                let found = lib.lookup(System::Icd10Cm, &key, date)?;
                found.billable.then(|| System::Icd10Cm.display_code(&key))
            });
            let display = System::Icd10Cm.display_code(key);
            let message = match &suggestion {
                Some(s) => format!(
                    "{display} is missing the placeholder X before its 7th character: the code is {s}"
                ),
                None => format!(
                    "{display} is not a code: a 7th character needs six characters before it \
                     (placeholder X where a level is missing)"
                ),
            };
            return Some(Verdict::Seventh(message, suggestion));
        }
    }
    None
}
