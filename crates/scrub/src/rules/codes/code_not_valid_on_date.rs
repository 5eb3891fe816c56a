//! CODE-003: a real code, but not on the date of service.

use claim_model::Claim;

use crate::facts::{Facts, Verdict};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CODE-003",
    name: "CodeNotValidOnDate",
    category: Category::CodeNotValidOnDate,
    severity: Severity::Reject,
    what: "Flags a code that exists in another release but not in the one in force on the date \
           of service (added later, or deleted or terminated before it).",
    why: "Payers judge each code by the release in force on the date of service (the discharge \
          date for inpatient claims); codes change every October 1 and April 1 (HCPCS \
          quarterly).",
    fix: "Use the code that was valid on the date of service (the release notes name the \
          replacement), or check the date of service.",
    source: "ICD-10-CM/PCS addenda (CDC/CMS), effective October 1 and April 1; HCPCS quarterly \
             updates (CMS)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(_: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for c in &facts.codes {
        if let Verdict::NotOnDate(reason) = &c.verdict {
            out.at(c.place.line(), format!("{}: {reason}", super::subject(c)));
        }
    }
}
