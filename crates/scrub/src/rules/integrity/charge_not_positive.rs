//! DATA-011: a negative line charge, or a claim total that is not positive.

use claim_model::{Cents, Claim};

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-011",
    name: "ChargeNotPositive",
    category: Category::ChargeInvalid,
    severity: Severity::Reject,
    what: "Flags a negative line charge, and a claim whose total charge is zero or negative.",
    why: "Charges on a claim are never negative (credits are adjustments, not claims); a claim \
          with no charge is rejected.",
    fix: "Enter the charge from the fee schedule or charge master; take credits as adjustments \
          in the ledger.",
    source: "005010X222A1 CLM02, SV102; 005010X223A2 SV203",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    if claim.total_charge <= Cents::ZERO {
        out.at(None, format!("claim total charge is {}", claim.total_charge));
    }
    for l in &claim.lines {
        if l.charge < Cents::ZERO {
            out.at(Some(l.number), format!("line charge is negative ({})", l.charge));
        }
    }
}
