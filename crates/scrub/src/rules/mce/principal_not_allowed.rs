//! MCE-004: PrincipalDiagnosisNotAllowed.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-004",
    name: "PrincipalDiagnosisNotAllowed",
    category: Category::PrincipalDx,
    severity: Severity::Reject,
    what: "Flags a principal diagnosis the Medicare Code Editor does not accept as principal: a manifestation code, an external-cause code, a code unacceptable as principal (some only without a secondary diagnosis), or a questionable reason for admission (MCE edits MANIFESTATION_AS_PDX, E_CODE_AS_PDX, UNACCEPTABLE_PDX, QUESTIONABLE_ADMISSION).",
    why: "The principal diagnosis decides the MS-DRG; Medicare returns the claim when it cannot be principal.",
    fix: "Sequence the underlying condition first (code first), report the external cause as a secondary code, or choose the condition chiefly responsible for the admission.",
    source: "CMS Medicare Code Editor, edits 6–9; ICD-10-CM Official Guidelines, sections I.A.13 (etiology/manifestation) and I.C.20 (external causes)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
