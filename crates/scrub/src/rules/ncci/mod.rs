//! NCCI (`NCCI-…`, `MUE-…`, `ADDON-…`): procedure-to-procedure pairs, Medically Unlikely Edits
//! and add-on codes, from CMS's quarterly tables. Professional claims use the practitioner
//! tables; outpatient institutional bills the outpatient hospital ones; inpatient bills none.

pub(crate) mod add_on_without_listed_primary;
pub(crate) mod add_on_without_primary;
pub(crate) mod no_tables;
pub(crate) mod ptp_pair;
pub(crate) mod units_above_mue;

use claim_model::{Claim, ClaimKind, ServiceLine};
use code_sets::Date;
use ncci::Setting;

/// The NCCI setting of a claim, or `None` for an inpatient bill (NCCI does not apply).
pub(crate) fn setting(claim: &Claim) -> Option<Setting> {
    match claim.kind {
        ClaimKind::Professional => Some(Setting::Practitioner),
        ClaimKind::Institutional => {
            let t = claim.facility_type.as_bytes();
            // Outpatient bills: hospital 13x/14x, clinics 7x, specialty facilities 8x.
            let outpatient = matches!(t, [b'1', b'3' | b'4'] | [b'7', _] | [b'8', _]);
            outpatient.then_some(Setting::OutpatientHospital)
        }
    }
}

/// A line's date of service.
pub(crate) fn line_date(claim: &Claim, l: &ServiceLine) -> Option<Date> {
    l.date_from.or(claim.from)
}

/// Lines with a procedure code and a date.
pub(crate) fn coded_lines(claim: &Claim) -> impl Iterator<Item = (&ServiceLine, Date)> {
    claim
        .lines
        .iter()
        .filter(|l| !l.procedure.is_empty())
        .filter_map(|l| line_date(claim, l).map(|d| (l, d)))
}

/// A finding's source: the table it was judged by, with CMS's release (version, quarter, files),
/// then the rule's policy reference.
pub(crate) fn cite(table: &str, release: Option<&ncci::Release>, policy: &str) -> String {
    match release {
        Some(r) => format!("{table}, {r}; {policy}"),
        None => format!("{table}; {policy}"),
    }
}
