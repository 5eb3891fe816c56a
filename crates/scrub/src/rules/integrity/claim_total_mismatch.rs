//! DATA-012: the claim total is not the sum of its lines.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-012",
    name: "ClaimTotalMismatch",
    category: Category::ChargeInvalid,
    severity: Severity::Reject,
    what: "Checks that the claim's total charge (CLM02) equals the sum of its line charges.",
    why: "The implementation guide requires CLM02 to balance with the lines; clearinghouses reject \
          claims that do not.",
    fix: "Recompute the total from the lines (a line was added, removed or changed after the \
          total was set).",
    source: "005010X222A1/X223A2 CLM02 (total claim charge must equal the sum of SV102/SV203)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    if claim.lines.is_empty() {
        return;
    }
    let sum = claim.line_total();
    if sum != claim.total_charge {
        out.at(
            None,
            format!("claim total {} is not the sum of the line charges {sum}", claim.total_charge),
        );
    }
}
