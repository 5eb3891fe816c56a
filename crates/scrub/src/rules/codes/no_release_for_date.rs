//! CODE-005: no installed release covers the date of service.

use claim_model::Claim;

use crate::facts::{Facts, Verdict};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CODE-005",
    name: "NoReleaseForDate",
    category: Category::ReleaseMissing,
    severity: Severity::Warn,
    what: "Reports the codes that could not be checked because no installed release of their \
           system is in force on the date of service.",
    why: "Judging a code by another year's release would pass deleted codes and fail new ones; \
          superbill never does that silently.",
    fix: "Install the release in force on the date of service (`superbill data import` or \
          `superbill data update`) and scrub again.",
    source: "superbill: each claim is judged by the release in force on its dates",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(_: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    // One finding per system and reason, naming the codes not checked.
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for c in &facts.codes {
        if let Verdict::NoRelease(reason) = &c.verdict {
            let name = c.system.display_name();
            match groups.iter_mut().find(|(n, r, _)| *n == name && *r == reason.as_str()) {
                Some(g) => g.2.push(&c.code),
                None => groups.push((name, reason, vec![&c.code])),
            }
        }
    }
    for (name, reason, codes) in groups {
        out.at(None, format!("{reason}: {name} codes {} were not checked", codes.join(", ")));
    }
}
