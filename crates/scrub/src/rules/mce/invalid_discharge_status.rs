//! MCE-012: InvalidDischargeStatus.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-012",
    name: "InvalidDischargeStatus",
    category: Category::MissingRequired,
    severity: Severity::Reject,
    what: "Flags a patient discharge status that is not in the Medicare Code Editor's list (MCE edit INVALID_DISCHARGE_STATUS).",
    why: "The discharge status decides transfer payment rules; an invalid one is returned.",
    fix: "Enter the NUBC patient discharge status (01 home, 02 short-term hospital, 03 SNF, 06 home health, 20 expired, 30 still a patient…).",
    source: "CMS Medicare Code Editor, invalid discharge status edit; NUBC UB-04 FL 17",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
