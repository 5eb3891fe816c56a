//! MCE-007: NonCoveredProcedure.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-007",
    name: "NonCoveredProcedure",
    category: Category::ProcedureCoverage,
    severity: Severity::Deny,
    what: "Flags ICD-10-PCS procedures Medicare does not cover, always or with the diagnoses or age on the claim (MCE edit NON_COVERED).",
    why: "Medicare denies the stay's payment for a non-covered procedure.",
    fix: "Check the procedure code; if it is right, bill the patient or another payer under the advance notice rules, or hold for review.",
    source: "CMS Medicare Code Editor, edit 10 (non-covered procedure); Medicare National Coverage Determinations",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
