//! MCE-006: DuplicateOfPrincipalDiagnosis.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-006",
    name: "DuplicateOfPrincipalDiagnosis",
    category: Category::PrincipalDx,
    severity: Severity::Reject,
    what: "Flags a secondary diagnosis that repeats the principal diagnosis (MCE edit DUPLICATE_OF_PDX).",
    why: "A code may be reported once; the duplicate is returned by Medicare.",
    fix: "Remove the repeated secondary diagnosis.",
    source: "CMS Medicare Code Editor, edit 3 (duplicate of principal diagnosis)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
