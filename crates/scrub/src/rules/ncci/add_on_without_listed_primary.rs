//! ADDON-002: a type 3 add-on code without any of its listed primary codes.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "ADDON-002",
    name: "AddOnWithoutListedPrimary",
    category: Category::AddOn,
    severity: Severity::Warn,
    what: "Flags a type 3 add-on code (some acceptable primary codes listed; the payer may accept \
           others) billed without any of its listed primary codes.",
    why: "The payer may deny the add-on unless its own list accepts the primary billed.",
    fix: "Check the payer's list of primary codes for the add-on; bill the primary procedure with \
          it.",
    source: "CMS NCCI add-on code edits (type 3), quarterly table; Medicare Claims Processing \
             Manual, chapter 12, section 30",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::add_on_without_primary::report(claim, facts, out, 3);
}
