//! CODE-002: a category (header) code where a complete code is required.

use claim_model::Claim;

use crate::facts::{Facts, Verdict};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CODE-002",
    name: "HeaderCodeNotBillable",
    category: Category::CodeNotBillable,
    severity: Severity::Reject,
    what: "Flags a diagnosis or procedure code that is a category or subcategory with codes \
           under it (a header), not a complete code.",
    why: "Only complete codes (the leaves of the tabular list) may be reported; payers reject \
          header codes.",
    fix: "Pick the complete code under it that the documentation supports.",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, section I.B.2 (level \
             of detail in coding)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(_: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for c in &facts.codes {
        if let Verdict::Header(reason) = &c.verdict {
            out.at(c.place.line(), format!("{}: {reason}", super::subject(c)));
        }
    }
}
