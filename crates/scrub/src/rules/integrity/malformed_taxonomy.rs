//! DATA-002: a provider taxonomy code not shaped like one.

use claim_model::Claim;
use code_sets::reference::is_taxonomy_shaped;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-002",
    name: "MalformedTaxonomy",
    category: Category::TaxonomyInvalid,
    severity: Severity::Reject,
    what: "Checks that each provider taxonomy code is shaped like a NUCC code: three digits, six \
           letters or digits, then X (207Q00000X).",
    why: "PRV03 must be a NUCC taxonomy code; payers match it against the provider's enrollment.",
    fix: "Use the taxonomy code from the provider's NPPES record.",
    source: "NUCC Health Care Provider Taxonomy code set; 005010X222A1 PRV03",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    for (role, line, party) in super::parties(claim) {
        if !party.taxonomy.is_empty() && !is_taxonomy_shaped(&party.taxonomy) {
            out.at(
                line,
                format!(
                    "{} taxonomy code {:?} is not shaped like one (3 digits, 6 letters or digits, \
                     then X)",
                    super::role_name(role),
                    party.taxonomy.as_str()
                ),
            );
        }
    }
}
