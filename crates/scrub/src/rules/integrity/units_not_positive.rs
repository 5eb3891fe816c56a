//! DATA-013: a line with zero or negative units.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-013",
    name: "UnitsNotPositive",
    category: Category::UnitsInvalid,
    severity: Severity::Reject,
    what: "Flags a line whose units of service are zero or negative.",
    why: "Units multiply the payment; zero or negative units are rejected.",
    fix: "Enter the units given (minutes converted to the code's time units, drug units per the \
          HCPCS dosage).",
    source: "005010X222A1 SV104; 005010X223A2 SV205",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    for l in &claim.lines {
        if l.units.0 <= 0 {
            let u = l.units.0 as f64 / 1000.0;
            out.at(Some(l.number), format!("units of service are {u}"));
        }
    }
}
