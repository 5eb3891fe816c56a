//! MCE-008: LimitedCoverageProcedure.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-008",
    name: "LimitedCoverageProcedure",
    category: Category::ProcedureCoverage,
    severity: Severity::Warn,
    what: "Reports ICD-10-PCS procedures Medicare covers only under conditions (MCE edit LIMITED_COVERAGE), when no non-covered edit fired for them.",
    why: "Medicare reviews these claims against the coverage conditions (clinical trial, approved facility…).",
    fix: "Document that the coverage conditions are met (condition codes, clinical trial number) before billing.",
    source: "CMS Medicare Code Editor, edit 15 (limited coverage); Medicare National Coverage Determinations",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
