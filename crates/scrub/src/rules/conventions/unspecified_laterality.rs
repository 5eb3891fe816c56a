//! CONV-004: a diagnosis of unspecified side where the claim documents the side.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CONV-004",
    name: "UnspecifiedSideDocumented",
    category: Category::Unspecified,
    severity: Severity::Warn,
    what: "Flags a diagnosis whose code leaves the side unspecified (its category has right and \
           left codes) when the claim says the side: a line modifier RT, LT or 50, or another \
           diagnosis of the same category for a side.",
    why: "Payers deny or question unspecified-side codes when the side is known; the claim itself \
          shows it is.",
    fix: "Report the code for the side documented (or the bilateral code, where one exists).",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, section I.B.13 \
             (laterality)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let has_mod = |m: &str| claim.lines.iter().any(|l| l.modifiers.iter().any(|x| x == m));
    for (i, (key, notes)) in facts.dx.iter().enumerate() {
        let (Some((right, left)), Some(key)) = (&notes.sides, key) else { continue };
        let same_category = |side: &str| {
            facts.dx.iter().any(|(k, _)| {
                k.is_some_and(|k| k != *key && k.as_str().get(..3) == key.as_str().get(..3))
                    && k.is_some_and(|k| code_sets::System::Icd10Cm.display_code(&k) == side)
            })
        };
        let evidence = if has_mod("RT") || same_category(right) {
            Some(("right", right))
        } else if has_mod("LT") || same_category(left) {
            Some(("left", left))
        } else if has_mod("50") {
            Some(("both sides", right))
        } else {
            None
        };
        if let Some((side, code)) = evidence {
            out.with_fix(
                None,
                format!(
                    "{} leaves the side unspecified, but the claim documents the {side}",
                    super::dx_name(claim, i)
                ),
                format!("Report the code for the side documented ({code} for the right, {left} for the left)."),
            );
        }
    }
}
