//! CODE-001: a code that is not a code of its system.

use claim_model::Claim;

use crate::facts::{Facts, Verdict};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "CODE-001",
    name: "InvalidCode",
    category: Category::CodeInvalid,
    severity: Severity::Reject,
    what: "Checks that every diagnosis, ICD-10-PCS procedure and line procedure code exists in \
           the release in force on the date of service (CPT codes against the CPT or PFS file when \
           one is installed, by shape otherwise).",
    why: "A code that does not exist is rejected by the clearinghouse or payer front end.",
    fix: "Look the code up again (a digit or letter may be mistyped) and report the code that \
          exists.",
    source: "ICD-10-CM/PCS official code sets (CDC/CMS); HCPCS Level II (CMS); 005010X222A1/X223A2 \
             HI and SV1/SV2",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(_: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for c in &facts.codes {
        if let Verdict::Invalid(reason) = &c.verdict {
            out.at(c.place.line(), format!("{}: {reason}", super::subject(c)));
        }
    }
}
