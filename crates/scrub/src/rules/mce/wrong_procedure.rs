//! MCE-009: WrongProcedurePerformed.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-009",
    name: "WrongProcedurePerformed",
    category: Category::ProcedureCoverage,
    severity: Severity::Deny,
    what: "Flags a claim reporting that the wrong procedure was performed (Y65.51–Y65.53; MCE edit WRONG_PROCEDURE_PERFORMED).",
    why: "Medicare does not pay for a wrong surgery or a surgery on the wrong patient or body part.",
    fix: "Bill the erroneous surgery on its own no-pay claim as CMS instructs (type of bill 110 and the matching modifiers on outpatient claims).",
    source: "CMS Medicare Code Editor, wrong procedure performed edit; CMS NCD 140.6/140.7/140.8 (erroneous surgery)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
