//! MCE-002: SexConflict.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-002",
    name: "SexConflict",
    category: Category::SexConflict,
    severity: Severity::Reject,
    what: "Flags male-only or female-only diagnoses and procedures on a patient of the other sex, for discharges the MCE sex lists cover (CMS dropped the edit from FY2025).",
    why: "Before FY2025 Medicare returned such claims; a sex conflict is usually a wrong code or a registration error.",
    fix: "Check the patient's sex in registration, then the code.",
    source: "CMS Medicare Code Editor, edit 5 (sex conflict), FY2024 and earlier lists",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, true);
}
