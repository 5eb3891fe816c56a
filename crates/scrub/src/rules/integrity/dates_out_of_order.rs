//! DATA-010: dates out of order, or before the patient was born.

use claim_model::Claim;

use crate::facts::{Facts, patient};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-010",
    name: "DatesOutOfOrder",
    category: Category::DateInvalid,
    severity: Severity::Reject,
    what: "Flags a from date after its through date (claim and lines), an admission after the \
           discharge, a line outside the claim's statement period, and services before the \
           patient's birth date.",
    why: "Dates out of order are rejected by front-end edits; a service before birth is a wrong \
          birth date or a wrong patient.",
    fix: "Correct the dates (or the patient's birth date) from the record.",
    source: "005010X222A1/X223A2 DTP segments, DMG02",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    if let (Some(f), Some(t)) = (claim.from, claim.to)
        && f > t
    {
        out.at(None, format!("from date {f} is after through date {t}"));
    }
    if let (Some(a), Some(d)) = (claim.admission, claim.discharge)
        && a > d
    {
        out.at(None, format!("admission date {a} is after discharge date {d}"));
    }
    let birth = patient(claim).birth_date;
    if let (Some(b), Some(f)) = (birth, claim.from)
        && f < b
    {
        out.at(None, format!("service date {f} is before the patient's birth date {b}"));
    }
    for l in &claim.lines {
        if let (Some(f), Some(t)) = (l.date_from, l.date_to)
            && f > t
        {
            out.at(Some(l.number), format!("from date {f} is after through date {t}"));
        }
        if let (Some(d), Some(f), Some(t)) = (l.date_from, claim.from, claim.to)
            && (d < f || d > t)
        {
            out.at(
                Some(l.number),
                format!("date of service {d} is outside the claim's period {f} to {t}"),
            );
        }
        if let (Some(b), Some(d)) = (birth, l.date_from)
            && d < b
            && claim.from.is_none()
        {
            out.at(
                Some(l.number),
                format!("date of service {d} is before the patient's birth date {b}"),
            );
        }
    }
}
