//! CONV-002: a manifestation code listed first or alone.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CONV-002",
    name: "ManifestationFirstOrAlone",
    category: Category::Sequencing,
    severity: Severity::Deny,
    what: "Flags a manifestation code (\"in diseases classified elsewhere\", with a code-first \
           note) that is the first-listed diagnosis, or the only one.",
    why: "A manifestation is reported after the underlying condition and never alone; payers \
          deny claims sequenced otherwise.",
    fix: "Code the underlying condition the code-first note names, and list it before the \
          manifestation.",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, section I.A.13 \
             (etiology/manifestation convention)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for (i, (_, notes)) in facts.dx.iter().enumerate() {
        if !notes.manifestation {
            continue;
        }
        if facts.dx.len() == 1 {
            out.at(
                None,
                format!("{} is a manifestation code reported alone", super::dx_name(claim, i)),
            );
        } else if i == 0 {
            out.at(
                None,
                format!("{} is a manifestation code listed first", super::dx_name(claim, i)),
            );
        }
    }
}
