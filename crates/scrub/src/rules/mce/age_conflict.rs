//! MCE-001: AgeConflict.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-001",
    name: "AgeConflict",
    category: Category::AgeConflict,
    severity: Severity::Reject,
    what: "Flags diagnoses that the Medicare Code Editor restricts to an age group (newborn 0, pediatric 0–17, maternity 9–64, adult 15–124) on a patient outside it, and ages outside 0–124 (MCE edits AGE_CONFLICT, INVALID_AGE). Runs on institutional and professional claims.",
    why: "Medicare returns inpatient claims with an age conflict to the provider, and other payers deny such codes: the code or the birth date is wrong.",
    fix: "Check the patient's birth date, then the code: pick the code for the patient's age (a newborn code only in the first 28 days).",
    source: "CMS Medicare Code Editor, edit 4 (age conflict), lists in force on the discharge date (MCE v43/v43.1 for FY2026)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, true);
}
