//! MCE-003: a sex conflict by the last published MCE sex lists (optional).

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-003",
    name: "SexConflictByLastPublishedLists",
    category: Category::SexConflict,
    severity: Severity::Warn,
    what: "Optional (off by default; `superbill scrub --optional`): for discharges after the last \
           MCE sex lists (FY2024), flags male-only or female-only codes on a patient of the other \
           sex by those last published lists.",
    why: "CMS dropped the sex edit from FY2025 (sex is not always the sex at birth); a conflict can \
          still point at a registration or coding error worth a look.",
    fix: "Check the patient's sex and the code; no change is needed when both are right.",
    source: "CMS Medicare Code Editor FY2024 (v41/v41.1) sex-conflict lists, the last published",
    since: "0.1.0",
    optional: true,
    check,
};

fn check(_: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for e in &facts.mce_last_sex_lists {
        let code = e.code.as_deref().unwrap_or("");
        out.at(None, format!("{code}: {} (by the FY2024 lists)", e.detail));
    }
}
