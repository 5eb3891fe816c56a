//! CONV-003: a "use additional code" note that requires a code the claim lacks.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CONV-003",
    name: "AdditionalCodeMissing",
    category: Category::Sequencing,
    severity: Severity::Info,
    what: "Reports (as information, which does not make a claim unclean) a diagnosis whose \
           \"use additional code\" instruction (its own or an ancestor's; not a section's or \
           chapter's) names codes (and does not say \"if applicable\" or \
           \"if known\") when none of them is on the claim. The tabular does not say when the \
           second code is required (insulin use, tobacco exposure…), so this is information for \
           the coder, not an edit.",
    why: "The tabular list asks for the second code to complete the picture (the organism, the \
          stage, the long-term drug); payers and auditors expect it.",
    fix: "Add the code the note names, from the documentation.",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, section I.A.13 \
             (use additional code)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for (i, (_, notes)) in facts.dx.iter().enumerate() {
        for (text, refs) in &notes.use_additional {
            let present = facts.dx.iter().enumerate().any(|(j, (k, _))| {
                j != i && k.is_some_and(|k| refs.iter().any(|r| r.matches(k.as_str())))
            });
            if !present {
                out.at(
                    None,
                    format!("{}: no code the \"use additional code\" instruction names is on the claim {text}", super::dx_name(claim, i)),
                );
            }
        }
    }
}
