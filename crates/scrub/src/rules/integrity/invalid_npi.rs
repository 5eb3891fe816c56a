//! DATA-001: an NPI with a wrong check digit or shape.

use claim_model::{Claim, Npi};

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-001",
    name: "InvalidNpi",
    category: Category::NpiInvalid,
    severity: Severity::Reject,
    what: "Checks every provider's NPI: ten digits whose last is the Luhn check digit computed \
           with the 80840 prefix.",
    why: "A mistyped NPI fails the clearinghouse's check-digit edit, or pays the wrong provider.",
    fix: "Copy the NPI from NPPES (npiregistry.cms.hhs.gov); one digit is usually mistyped or \
          swapped.",
    source: "45 CFR 162.406 (NPI standard); NPI check digit per ISO/IEC 7812 with prefix 80840; \
             005010X222A1 NM109",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    for (role, line, party) in super::parties(claim) {
        let Some(npi) = party.npi.as_deref() else { continue };
        if let Err(e) = npi.parse::<Npi>() {
            out.at(line, format!("{} NPI: {e}", super::role_name(role)));
        }
    }
}
