//! DATA-003: a place of service CMS has not assigned.

use claim_model::Claim;
use code_sets::reference::is_place_of_service;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-003",
    name: "UnassignedPlaceOfService",
    category: Category::PosInvalid,
    severity: Severity::Reject,
    what: "Checks the claim's place of service (CLM05-1 on an 837P) and each line's (SV105) \
           against the codes CMS has assigned.",
    why: "An unassigned place of service is rejected; it also decides facility or non-facility \
          payment.",
    fix: "Use the two-digit CMS place of service code where the service was given (11 office, 22 \
          outpatient hospital, 02/10 telehealth…).",
    source: "CMS Place of Service Code Set (2026); 005010X222A1 CLM05-1, SV105",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    let pos = &claim.place_of_service;
    if !pos.is_empty() && !is_place_of_service(pos) {
        out.at(
            None,
            format!("claim place of service {:?} is not a code CMS has assigned", pos.as_str()),
        );
    }
    for l in &claim.lines {
        let pos = &l.place_of_service;
        if !pos.is_empty() && !is_place_of_service(pos) {
            out.at(
                Some(l.number),
                format!("place of service {:?} is not a code CMS has assigned", pos.as_str()),
            );
        }
    }
}
