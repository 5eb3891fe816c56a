//! CODE-004: a missing or wrong 7th character, or a missing placeholder X.

use claim_model::Claim;

use crate::facts::{Facts, Verdict};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CODE-004",
    name: "SeventhCharacterMissingOrInvalid",
    category: Category::SeventhCharacter,
    severity: Severity::Reject,
    what: "Flags an ICD-10-CM code whose category requires a 7th character (injuries, fractures, \
           pregnancy, some others) when the 7th character is missing, is not one the category \
           defines, or stands after fewer than six characters (placeholder X missing).",
    why: "Without its 7th character (or with the placeholder missing) the code is incomplete and \
          the claim is rejected.",
    fix: "Add the 7th character for the encounter (A initial, D subsequent, S sequela, …), with \
          placeholder X to fill the sixth position where needed.",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, sections I.A.4 \
             (placeholder character) and I.A.5 (7th characters)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(_: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for c in &facts.codes {
        if let Verdict::Seventh(reason, suggestion) = &c.verdict {
            let message = format!("{}: {reason}", super::subject(c));
            match suggestion {
                Some(s) => out.with_fix(c.place.line(), message, format!("Report {s}.")),
                None => out.at(c.place.line(), message),
            }
        }
    }
}
