//! SNIP level 5: the external code sets an 837 or 835 carries, checked through the code-set
//! engine on the date of service — ICD-10-CM diagnoses, ICD-10-PCS procedures, HCPCS and CPT
//! procedure codes — and the code lists that need no release: NPI check digits, place of
//! service, taxonomy code format. When no installed release covers the date (or none of the
//! system is installed) the finding is a warning that says so: a file is never failed for codes
//! that could not be checked.
//!
//! | rule | problem |
//! |---|---|
//! | X12-CODE-001 | a diagnosis that is not an ICD-10-CM code |
//! | X12-CODE-002 | an ICD-10-CM category or subcategory (not billable: more characters needed) |
//! | X12-CODE-003 | a code that exists, but not on the date of service (added later, deleted earlier) |
//! | X12-CODE-004 | a procedure that is not an ICD-10-PCS code, or a PCS table not a code |
//! | X12-CODE-005 | a HCPCS or CPT procedure code that does not exist |
//! | X12-CODE-006 | an ICD-9 qualifier (BK, BF, BR…) on a claim for services since 2015-10-01 |
//! | X12-CODE-007 | an NPI whose check digit is wrong |
//! | X12-CODE-008 | a place of service code CMS has not assigned |
//! | X12-CODE-009 | a provider taxonomy code not shaped like one (3 digits, 6 letters or digits, X) |
//! | X12-CODE-010 | warning: no installed release of the code set covers the date of service |
//! | X12-CODE-011 | warning: no release of the code set is installed; those codes were not checked |

use code_sets::{Date, Library, Status, System};
use x12::{Finding, Position, Segment};

/// ICD-10 started here: ICD-9 qualifiers are wrong for services on or after it.
const ICD10_START: u32 = 20151001;

fn el<'a>(s: &Segment<'a>, n: usize) -> &'a [u8] {
    s.element(n).unwrap_or_default()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}

fn date_of(v: &[u8]) -> Option<Date> {
    // D8 (CCYYMMDD) or the start of RD8 (CCYYMMDD-CCYYMMDD).
    Date::from_yyyymmdd(std::str::from_utf8(v.get(..8)?).ok()?)
}

struct Checker<'l> {
    lib: &'l Library,
    out: Vec<Finding>,
    /// Systems already reported as not installed (once per transaction set).
    missing: Vec<System>,
}

impl Checker<'_> {
    fn push(&mut self, pos: Position, rule: &'static str, message: String) {
        self.out.push(Finding { pos, rule, message });
    }

    /// Checks one code of `system` on `date`; `what` names it for the message.
    fn code(&mut self, pos: Position, system: System, raw: &[u8], date: Date, what: &str) {
        let code = text(raw);
        if code.is_empty() {
            return;
        }
        let lib = self.lib;
        // Fast path: the code is in the release in force and billable.
        if let Ok(key) = system.normalize(&code)
            && let Some(l) = lib.lookup(system, &key, date)
            && l.billable
        {
            if !l.release_covers_date {
                self.no_cover(pos, system, date);
            }
            return;
        }
        let info = match lib.show(Some(system), &code, date) {
            Ok(info) => info,
            Err(code_sets::ShowError::NoRelease(_)) => {
                self.not_installed(pos, system);
                return;
            }
            Err(code_sets::ShowError::Malformed(why)) => {
                let rule = invalid_rule(system);
                self.push(
                    pos,
                    rule,
                    format!("{what} {code} is not a{} code: {why}", article(system)),
                );
                return;
            }
            Err(_) => return,
        };
        if info.status == Status::FormatOnly {
            // CPT without a CPT or PFS release: shaped right, existence unknown.
            self.not_installed(pos, system);
            return;
        }
        if !info.release_covers_date {
            self.no_cover(pos, system, date);
            return;
        }
        match info.status {
            Status::Billable | Status::Modifier | Status::FormatOnly => {}
            Status::Header => self.push(
                pos,
                if system == System::Icd10Pcs { "X12-CODE-004" } else { "X12-CODE-002" },
                format!(
                    "{what} {} is a category, not a billable code: use one of its more specific \
                     codes (superbill codes browse {})",
                    info.code, info.code
                ),
            ),
            Status::NotValidOnDate { reason } => self.push(
                pos,
                "X12-CODE-003",
                format!("{what} {} is not valid on {date}: {reason}", info.code),
            ),
            Status::NotACode { reason } => self.push(
                pos,
                invalid_rule(system),
                format!("{what} {code} is not a{} code: {reason}", article(system)),
            ),
        }
    }

    fn not_installed(&mut self, pos: Position, system: System) {
        if self.missing.contains(&system) {
            return;
        }
        self.missing.push(system);
        self.push(
            pos,
            "X12-CODE-011",
            format!(
                "no {system} release is installed, so {system} codes were not checked \
                 (superbill data import …)"
            ),
        );
    }

    fn no_cover(&mut self, pos: Position, system: System, date: Date) {
        if self.out.iter().any(|f| f.rule == "X12-CODE-010" && f.message.contains(system.id())) {
            return;
        }
        self.push(
            pos,
            "X12-CODE-010",
            format!(
                "no installed {system} release covers {date}: codes were checked against the \
                 nearest release only; install the release in force on that date"
            ),
        );
    }
}

fn invalid_rule(system: System) -> &'static str {
    match system {
        System::Icd10Cm => "X12-CODE-001",
        System::Icd10Pcs => "X12-CODE-004",
        System::Hcpcs | System::Cpt => "X12-CODE-005",
    }
}

fn article(system: System) -> &'static str {
    match system {
        System::Icd10Cm | System::Icd10Pcs => "n ICD-10",
        System::Hcpcs => " HCPCS",
        System::Cpt => " CPT",
    }
}

fn at(s: &Segment<'_>, element: usize, component: Option<usize>) -> Position {
    Position { element: Some(element as u16), component: component.map(|c| c as u16), ..s.pos }
}

/// The system of a procedure code sent with qualifier HC: HCPCS Level II (a letter and four
/// digits) or CPT (five digits, or four digits and F/T/U).
fn hc_system(code: &[u8]) -> System {
    if code.first().is_some_and(u8::is_ascii_alphabetic) { System::Hcpcs } else { System::Cpt }
}

/// Level-5 findings of one transaction set: `segs` from ST to SE, `loops` the loop of each.
pub(crate) fn check(
    set: &[u8],
    segs: &[Segment<'_>],
    loops: &[&'static str],
    lib: Option<&Library>,
) -> Vec<Finding> {
    // No library: an empty one (formats are still checked; every system is "not installed").
    let empty = Library::default();
    let mut c = Checker { lib: lib.unwrap_or(&empty), out: Vec::new(), missing: Vec::new() };
    // NPIs, taxonomy codes: every transaction.
    for s in segs {
        match s.id() {
            b"NM1" if el(s, 8) == b"XX" => npi(&mut c, s, 9),
            b"N1" if el(s, 3) == b"XX" => npi(&mut c, s, 4),
            b"PRV" if el(s, 2) == b"PXC" => {
                let t = el(s, 3);
                let ok = std::str::from_utf8(t).is_ok_and(code_sets::reference::is_taxonomy_shaped);
                if !ok {
                    c.push(
                        at(s, 3, None),
                        "X12-CODE-009",
                        format!(
                            "taxonomy code {:?} is not shaped like one (3 digits, 6 letters or \
                             digits, then X, as 207Q00000X)",
                            text(t)
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    match set {
        b"837" => claims(&mut c, segs, loops),
        b"835" => remits(&mut c, segs),
        _ => {}
    }
    c.out
}

fn npi(c: &mut Checker<'_>, s: &Segment<'_>, n: usize) {
    let v = text(el(s, n));
    if !v.is_empty() && v.parse::<claim_model::Npi>().is_err() {
        c.push(
            at(s, n, None),
            "X12-CODE-007",
            format!("NPI {v} is not a valid NPI (ten digits whose last is the Luhn check digit with prefix 80840)"),
        );
    }
}

fn claims(c: &mut Checker<'_>, segs: &[Segment<'_>], loops: &[&'static str]) {
    // Claim by claim: the claim's dates first, then its codes.
    let mut i = 0;
    while i < segs.len() {
        if segs[i].id() != b"CLM" {
            i += 1;
            continue;
        }
        let end = (i + 1..segs.len())
            .find(|&j| matches!(segs[j].id(), b"CLM" | b"HL" | b"SE"))
            .unwrap_or(segs.len());
        claim(c, &segs[i..end], &loops[i.min(loops.len())..end.min(loops.len())]);
        i = end;
    }
}

fn claim(c: &mut Checker<'_>, segs: &[Segment<'_>], loops: &[&'static str]) {
    let clm = &segs[0];
    let institutional = clm.components(5).nth(1) == Some(b"A");
    // Date of the claim: statement through date (837I), else the earliest line date.
    let mut line_dates: Vec<Date> = Vec::new();
    let mut through = None;
    for (s, lp) in segs.iter().zip(loops.iter().chain(std::iter::repeat(&""))) {
        if s.id() == b"DTP" {
            match (*lp, el(s, 1)) {
                ("2400", b"472") => line_dates.extend(date_of(el(s, 3))),
                ("2300", b"434") => {
                    through = el(s, 3).get(9..).and_then(date_of).or_else(|| date_of(el(s, 3)))
                }
                _ => {}
            }
        }
    }
    let claim_date = if institutional { through } else { None }
        .or_else(|| line_dates.iter().min().copied())
        .or(through);
    let Some(date) = claim_date else { return };
    if !institutional && clm.components(5).nth(1) == Some(b"B") {
        let pos = clm.components(5).next().unwrap_or_default();
        if !pos.is_empty()
            && !code_sets::reference::PLACES_OF_SERVICE.iter().any(|p| p.as_bytes() == pos)
        {
            c.push(
                at(clm, 5, Some(1)),
                "X12-CODE-008",
                format!("place of service {:?} is not a code CMS has assigned", text(pos)),
            );
        }
    }
    // Each line's procedure is checked on the line's own date (its DTP*472 follows the SV1/SV2).
    let mut pending: Option<(&Segment<'_>, usize)> = None;
    let mut line_date = date;
    let flush = |c: &mut Checker<'_>, pending: &mut Option<(&Segment<'_>, usize)>, d: Date| {
        if let Some((s, n)) = pending.take() {
            procedure(c, s, n, d);
        }
    };
    for (s, lp) in segs.iter().zip(loops.iter().chain(std::iter::repeat(&""))) {
        match (s.id(), *lp) {
            (b"HI", "2300") => hi(c, s, date),
            (b"LX", "2400") => {
                flush(c, &mut pending, line_date);
                line_date = date;
            }
            (b"DTP", "2400") if el(s, 1) == b"472" => {
                line_date = date_of(el(s, 3)).unwrap_or(date);
            }
            (b"SV1", "2400") => {
                pending = Some((s, 1));
                let pos = el(s, 5);
                if !pos.is_empty()
                    && !code_sets::reference::PLACES_OF_SERVICE.iter().any(|p| p.as_bytes() == pos)
                {
                    c.push(
                        at(s, 5, None),
                        "X12-CODE-008",
                        format!("place of service {:?} is not a code CMS has assigned", text(pos)),
                    );
                }
            }
            (b"SV2", "2400") => pending = Some((s, 2)),
            _ => {}
        }
    }
    flush(c, &mut pending, line_date);
}

/// A composite procedure (C003) in element `n`: HC codes are HCPCS or CPT.
fn procedure(c: &mut Checker<'_>, s: &Segment<'_>, n: usize, date: Date) {
    let mut comps = s.components(n);
    let qualifier = comps.next().unwrap_or_default();
    let code = comps.next().unwrap_or_default();
    if qualifier == b"HC" && !code.is_empty() {
        let system = hc_system(code);
        c.code(at(s, n, Some(2)), system, code, date, "procedure");
    }
}

fn hi(c: &mut Checker<'_>, s: &Segment<'_>, date: Date) {
    let d = s.delimiters;
    for (i, raw) in s.elements().enumerate() {
        let mut comps = raw.split(|b| *b == d.component);
        let qualifier = comps.next().unwrap_or_default();
        let code = comps.next().unwrap_or_default();
        let pos = at(s, i + 1, Some(2));
        let (system, what) = match qualifier {
            b"ABK" | b"ABF" | b"ABJ" | b"ABN" | b"APR" => (System::Icd10Cm, "diagnosis"),
            b"BBR" | b"BBQ" => (System::Icd10Pcs, "procedure"),
            b"BK" | b"BF" | b"BJ" | b"BN" | b"PR" | b"BR" | b"BQ" => {
                if date.as_yyyymmdd() >= ICD10_START {
                    c.push(
                        at(s, i + 1, Some(1)),
                        "X12-CODE-006",
                        format!(
                            "{} is an ICD-9 qualifier; services since 2015-10-01 are coded in \
                             ICD-10 (AB{} for diagnoses, BB{} for procedures)",
                            text(qualifier),
                            text(&qualifier[1..]),
                            text(&qualifier[1..])
                        ),
                    );
                }
                continue;
            }
            _ => continue,
        };
        c.code(pos, system, code, date, what);
    }
}

fn remits(c: &mut Checker<'_>, segs: &[Segment<'_>]) {
    let mut claim_date: Option<Date> = None;
    let mut svc: Option<&Segment<'_>> = None;
    let flush = |c: &mut Checker<'_>, svc: Option<&Segment<'_>>, date: Option<Date>| {
        if let (Some(s), Some(d)) = (svc, date) {
            procedure(c, s, 1, d);
        }
    };
    let mut line_date = None;
    for s in segs {
        match s.id() {
            b"CLP" => {
                flush(c, svc.take(), line_date.or(claim_date));
                claim_date = None;
                line_date = None;
            }
            b"DTM" if matches!(el(s, 1), b"232" | b"050") && claim_date.is_none() => {
                claim_date = date_of(el(s, 2));
            }
            b"SVC" => {
                flush(c, svc.take(), line_date.or(claim_date));
                svc = Some(s);
                line_date = None;
            }
            b"DTM" if matches!(el(s, 1), b"472" | b"150") && svc.is_some() => {
                line_date = date_of(el(s, 2));
            }
            _ => {}
        }
    }
    flush(c, svc, line_date.or(claim_date));
}
