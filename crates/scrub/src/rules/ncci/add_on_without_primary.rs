//! ADDON-001: a type 1 add-on code without any of its primary codes.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "ADDON-001",
    name: "AddOnWithoutPrimary",
    category: Category::AddOn,
    severity: Severity::Deny,
    what: "Flags a type 1 add-on code (one whose acceptable primary codes are all listed) billed \
           without any of its primary codes on the claim.",
    why: "An add-on code describes work done in addition to a primary procedure; without the \
          primary it is denied.",
    fix: "Bill the primary procedure with the add-on (same provider, same day), or remove the \
          add-on code.",
    source: "CMS NCCI add-on code edits (type 1), quarterly table; Medicare Claims Processing \
             Manual, chapter 12, section 30",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    super::add_on_without_primary::report(claim, facts, out, 1);
}

/// Reports add-on codes of `kind` without any listed primary on the claim.
pub(crate) fn report(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>, kind: u8) {
    let Some(tables) = facts.cx.ncci else { return };
    if super::setting(claim).is_none() {
        return;
    }
    let lines: Vec<_> = super::coded_lines(claim).collect();
    for (l, d) in &lines {
        let Some(a) = tables.add_on(&l.procedure, *d) else { continue };
        if a.kind != kind || a.primaries.is_empty() {
            continue;
        }
        let has_primary =
            lines.iter().any(|(o, _)| a.primaries.iter().any(|p| p.as_str() == o.procedure));
        if !has_primary {
            let listed: Vec<&str> = a.primaries.iter().take(8).map(|p| p.as_str()).collect();
            let more = if a.primaries.len() > 8 { ", …" } else { "" };
            out.cited(
                Some(l.number),
                format!(
                    "add-on code {} without a primary code on the claim (primary codes: {}{more})",
                    l.procedure,
                    listed.join(", ")
                ),
                super::cite(
                    &format!("CMS NCCI add-on code edits (type {kind})"),
                    tables.aoc_release(),
                    "Medicare Claims Processing Manual, chapter 12, section 30",
                ),
            );
        }
    }
}
