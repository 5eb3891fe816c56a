//! CONV-001: two diagnoses an Excludes1 note says are never coded together.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CONV-001",
    name: "Excludes1CodesTogether",
    category: Category::Excludes1,
    severity: Severity::Warn,
    what: "Flags two diagnoses on one claim when an Excludes1 note that applies to one of them \
           (its own, an ancestor's, its section's or chapter's) names the other.",
    why: "Excludes1 means \"not coded here\": the two conditions cannot occur together, and payers \
          deny claims that report both, unless the conditions are unrelated (guideline I.A.12.a).",
    fix: "Keep the code that the documentation supports and remove the other; when the two \
          conditions are truly unrelated, document that and keep both.",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, section I.A.12.a \
             (Excludes1); tabular list notes of the release in force",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for (i, (_, notes)) in facts.dx.iter().enumerate() {
        for (j, (other, _)) in facts.dx.iter().enumerate() {
            let Some(other) = other else { continue };
            if i == j || facts.dx[i].0 == Some(*other) {
                continue;
            }
            // One finding per pair, from the first code whose note names the other.
            let hit = notes.excludes1.iter().find(|(r, _)| r.matches(other.as_str()));
            let reverse_first = j < i
                && facts.dx[j]
                    .1
                    .excludes1
                    .iter()
                    .any(|(r, _)| facts.dx[i].0.is_some_and(|k| r.matches(k.as_str())));
            if let Some((_, from)) = hit
                && !reverse_first
            {
                out.at(
                    None,
                    format!(
                        "{} and {}: the Excludes1 note at {from} says they are not coded together",
                        super::dx_name(claim, i),
                        super::dx_name(claim, j)
                    ),
                );
            }
        }
    }
}
