//! DATA-005: a revenue code that is not one.

use claim_model::Claim;
use code_sets::reference::is_revenue_code_shaped;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-005",
    name: "InvalidRevenueCode",
    category: Category::RevenueCodeInvalid,
    severity: Severity::Reject,
    what: "Checks each institutional line's revenue code (SV201): four digits, in the NUBC \
           series 0100–0999, 2100–2109 or 3100–3109 (0001 is the total line).",
    why: "Revenue codes place each charge in a cost centre; payers reject codes outside the NUBC \
          list.",
    fix: "Use the four-digit NUBC revenue code, with its leading zero (0450, not 450).",
    source: "NUBC UB-04 Data Specifications, FL 42 (revenue codes); 005010X223A2 SV201",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    for l in &claim.lines {
        let rc = &l.revenue_code;
        if !rc.is_empty() && !is_revenue_code_shaped(rc) {
            out.at(
                Some(l.number),
                format!("revenue code {:?} is not a NUBC revenue code", rc.as_str()),
            );
        }
    }
}
