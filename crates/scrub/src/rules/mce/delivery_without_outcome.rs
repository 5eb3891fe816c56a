//! MCE-010: DeliveryWithoutOutcomeCode.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-010",
    name: "DeliveryWithoutOutcomeCode",
    category: Category::PrincipalDx,
    severity: Severity::Reject,
    what: "Flags a cesarean or vaginal delivery procedure without an outcome-of-delivery (Z37) secondary diagnosis (MCE edit QUESTIONABLE_OBSTETRIC_ADMISSION).",
    why: "Every delivery must say its outcome on the mother's record; Medicare returns the claim without one.",
    fix: "Add the Z37 code for the outcome of delivery as a secondary diagnosis.",
    source: "CMS Medicare Code Editor, questionable obstetric admission edit; ICD-10-CM Official Guidelines, section I.C.15.b.5 (outcome of delivery)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
