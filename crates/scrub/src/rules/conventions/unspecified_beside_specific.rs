//! CONV-005: an unspecified code beside a specific code of the same category.

use claim_model::Claim;

use crate::facts::{Facts, Verdict};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CONV-005",
    name: "UnspecifiedBesideSpecific",
    category: Category::Unspecified,
    severity: Severity::Warn,
    what: "Flags a diagnosis whose title says \"unspecified\" when the claim also carries a \
           specific code of the same category (the specificity is documented on the claim).",
    why: "Reporting the unspecified code beside the specific one is redundant or contradictory; \
          payers question or deny the unspecified code.",
    fix: "Remove the unspecified code, or replace it with the specific code the record supports.",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, sections I.B.18 \
             (unspecified codes) and I.A.9 (other and unspecified codes)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let category = |i: usize| facts.dx[i].0.map(|k| k.as_str().get(..3).unwrap_or("").to_string());
    for (i, (_, notes)) in facts.dx.iter().enumerate() {
        if !notes.unspecified || notes.sides.is_some() {
            continue;
        }
        // A specific code: valid on the date (so its title was read) and not unspecified.
        let valid = |j: usize| facts.codes.get(j).is_some_and(|c| c.verdict == Verdict::Ok);
        let specific = (0..facts.dx.len()).find(|&j| {
            j != i && valid(j) && category(j) == category(i) && !facts.dx[j].1.unspecified
        });
        if let Some(j) = specific {
            out.at(
                None,
                format!(
                    "{} is unspecified, and the claim also has the specific {}",
                    super::dx_name(claim, i),
                    super::dx_name(claim, j)
                ),
            );
        }
    }
}
