//! DATA-004: a Type of Bill that is not one.

use claim_model::{Claim, ClaimKind};
use code_sets::reference::type_of_bill_problem;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-004",
    name: "InvalidTypeOfBill",
    category: Category::TobInvalid,
    severity: Severity::Reject,
    what: "Checks an institutional claim's Type of Bill: facility type (CLM05-1, two digits: type \
           of facility 1–8, bill classification 1–9) and frequency (CLM05-3).",
    why: "The Type of Bill tells the payer what kind of stay or service is billed; a wrong one is \
          rejected or priced under the wrong system.",
    fix: "Use the NUBC Type of Bill for the setting (111 inpatient admit-through-discharge, 131 \
          outpatient, 0117 replacement of an inpatient claim…).",
    source: "NUBC UB-04 Data Specifications, FL 4 (Type of Bill); 005010X223A2 CLM05",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    if claim.kind != ClaimKind::Institutional || claim.facility_type.is_empty() {
        return;
    }
    if let Some(why) = type_of_bill_problem(&claim.facility_type, claim.frequency.code()) {
        out.at(None, format!("Type of Bill: {why}"));
    }
}
