//! MCE-005: UnspecifiedSecondaryDiagnosis.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-005",
    name: "UnspecifiedSecondaryDiagnosis",
    category: Category::Unspecified,
    severity: Severity::Warn,
    what: "Reports secondary diagnoses on the Medicare Code Editor's unspecified-code list (MCE edit UNSPECIFIED), on an institutional claim.",
    why: "Payers question unspecified codes where the record supports a specific one; they lower the precision of the MS-DRG.",
    fix: "Query the physician or read the record for the missing detail (type, laterality, stage) and report the specific code.",
    source: "CMS Medicare Code Editor, unspecified code edit; ICD-10-CM Official Guidelines, section I.B.18 (use of signs/symptom/unspecified codes)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::report(claim, facts, out, false);
}
