//! MCE-013: no Medicare Code Editor lists cover the discharge date.

use claim_model::{Claim, ClaimKind};

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MCE-013",
    name: "NoMceTablesForDate",
    category: Category::ReleaseMissing,
    severity: Severity::Warn,
    what: "Reports an institutional claim whose discharge date no installed Medicare Code Editor \
           lists cover, so the MCE edits did not run.",
    why: "The MCE lists change every October 1 and April 1; superbill never applies another \
          year's lists silently.",
    fix: "Install the MCE lists for the discharge date (`superbill data import` with the MCE \
          CSV files) and scrub again.",
    source: "superbill: each claim is judged by the tables in force on its dates",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    if claim.kind != ClaimKind::Institutional {
        return;
    }
    let Some(date) = facts.mce_date else { return };
    match facts.cx.mce {
        None => out.at(None, "no Medicare Code Editor lists are installed: the MCE edits did not run".to_string()),
        Some(t) if !t.covers(date) => out.at(
            None,
            format!("no installed Medicare Code Editor lists cover the discharge date {date}: the MCE edits did not run"),
        ),
        Some(_) => {}
    }
}
