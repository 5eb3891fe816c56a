//! MCE-011: ProcedureInconsistentWithStay.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-011",
    name: "ProcedureInconsistentWithStay",
    category: Category::ProcedureCoverage,
    severity: Severity::Reject,
    what: "Flags mechanical ventilation over 96 consecutive hours (5A1955Z) in a stay shorter than 5 days, the real length of stay from the admission date (MCE edit INCONSISTENT_WITH_LENGTH_OF_STAY).",
    why: "More than 96 hours of ventilation cannot fit in a shorter stay: the duration or the dates are wrong.",
    fix: "Check the ventilation hours (24–96 hours is 5A1945Z) and the admission and discharge dates.",
    source: "CMS Medicare Code Editor, edit 20 (procedure inconsistent with length of stay)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
