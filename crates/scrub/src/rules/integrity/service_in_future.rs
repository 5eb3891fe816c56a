//! DATA-009: a date of service after today.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-009",
    name: "ServiceInFuture",
    category: Category::DateInvalid,
    severity: Severity::Reject,
    what: "Flags dates of service, statement dates, admission and discharge dates after today.",
    why: "A service cannot be billed before it happens; payers reject future dates.",
    fix: "Correct the date (often a mistyped year or month), or hold the claim until the service \
          is given.",
    source: "005010X222A1/X223A2 DTP*472, DTP*434, DTP*435, DTP*096",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let today = facts.cx.today;
    let header = [
        ("service/statement from date", claim.from),
        ("service/statement through date", claim.to),
        ("admission date", claim.admission),
        ("discharge date", claim.discharge),
    ];
    for (what, d) in header {
        if let Some(d) = d.filter(|d| *d > today) {
            out.at(None, format!("{what} {d} is after today ({today})"));
        }
    }
    for l in &claim.lines {
        if let Some(d) = l.date_from.into_iter().chain(l.date_to).find(|d| *d > today) {
            out.at(Some(l.number), format!("date of service {d} is after today ({today})"));
        }
    }
}
