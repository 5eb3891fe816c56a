//! DATA-007: modifiers on one line that contradict each other.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-007",
    name: "ConflictingModifiers",
    category: Category::ModifierInvalid,
    severity: Severity::Deny,
    what: "Flags a line whose modifiers contradict each other: professional (26) and technical \
           (TC) component together, left (LT) and right (RT) side together, or the same modifier \
           twice.",
    why: "26 + TC is the global service billed as two halves on one line; LT + RT is a bilateral \
          procedure, which takes modifier 50. Payers deny such lines.",
    fix: "Bill the global service without 26/TC, or split the components onto the right claims; \
          for both sides use modifier 50 (or two lines, LT and RT, as the payer requires).",
    source: "CMS Medicare Claims Processing Manual, chapter 12, sections 20.4.3 (26/TC) and 40.7 \
             (bilateral procedures)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    for l in &claim.lines {
        let has = |m: &str| l.modifiers.iter().any(|x| x == m);
        if has("26") && has("TC") {
            out.at(
                Some(l.number),
                "modifiers 26 (professional component) and TC (technical component) on one line"
                    .to_string(),
            );
        }
        if has("LT") && has("RT") {
            out.at(
                Some(l.number),
                "modifiers LT and RT on one line: a bilateral procedure takes modifier 50"
                    .to_string(),
            );
        }
        for (i, m) in l.modifiers.iter().enumerate() {
            if l.modifiers[..i].contains(m) {
                out.at(Some(l.number), format!("modifier {m} appears twice"));
            }
        }
    }
}
