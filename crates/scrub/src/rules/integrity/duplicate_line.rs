//! DATA-014: the same service twice on one claim.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

/// Modifiers that say a repeat is intended.
const REPEAT: &[&str] = &["76", "77", "91", "59", "XE", "XS", "XP", "XU"];

pub(crate) static RULE: Rule = Rule {
    id: "DATA-014",
    name: "DuplicateLine",
    category: Category::DuplicateLine,
    severity: Severity::Deny,
    what: "Flags a line with the same procedure (or revenue code), modifiers and dates as an \
           earlier line on the claim, unless it carries a repeat or distinct-service modifier \
           (76, 77, 91, 59, XE, XS, XP, XU).",
    why: "Payers deny exact duplicates as billed twice; a true repeat must say so with a modifier, \
          and the same service on one day is usually billed once with more units.",
    fix: "Combine the lines into one with the total units, or add the modifier that explains the \
          repeat.",
    source: "CMS Medicare Claims Processing Manual, chapter 1, section 120 (duplicate claims); \
             CPT modifiers 76, 77, 91",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    for (i, l) in claim.lines.iter().enumerate() {
        if l.modifiers.iter().any(|m| REPEAT.contains(&m.as_str())) {
            continue;
        }
        let same = claim.lines[..i].iter().find(|e| {
            e.procedure == l.procedure
                && e.revenue_code == l.revenue_code
                && e.modifiers == l.modifiers
                && e.date_from == l.date_from
                && e.date_to == l.date_to
        });
        if let Some(e) = same {
            let what = if l.procedure.is_empty() { &l.revenue_code } else { &l.procedure };
            out.at(
                Some(l.number),
                format!(
                    "line {} repeats line {} ({what}, same modifiers and date)",
                    l.number, e.number
                ),
            );
        }
    }
}
