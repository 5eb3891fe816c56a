//! DATA-016: a line billed at zero.

use claim_model::{Cents, Claim};

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-016",
    name: "ZeroChargeLine",
    category: Category::ChargeInvalid,
    severity: Severity::Warn,
    what: "Flags a line with a zero charge, other than CPT Category II codes (performance \
           measures, ending in F), which are reported at zero.",
    why: "Most payers reject or deny zero-charge lines, and a forgotten charge is lost revenue.",
    fix: "Enter the charge from the fee schedule, or remove the line if it is not billable.",
    source: "005010X222A1 SV102; CMS Quality Payment Program (Category II codes at $0.00)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    for l in &claim.lines {
        if l.charge == Cents::ZERO && !l.procedure.ends_with('F') {
            out.at(Some(l.number), "line charge is zero".to_string());
        }
    }
}
