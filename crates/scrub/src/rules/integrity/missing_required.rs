//! DATA-015: data the 837 implementation guide requires for the claim type is missing.

use claim_model::{Claim, ClaimKind, Frequency, Name, ProviderRole};

use crate::facts::{Facts, patient};
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-015",
    name: "MissingRequiredData",
    category: Category::MissingRequired,
    severity: Severity::Reject,
    what: "Checks what the 837P/837I implementation guides require of every claim: patient \
           control number (at most 38 characters), billing provider with NPI, address and tax \
           ID, subscriber name and member ID, payer, patient birth date, diagnoses, lines and \
           dates of service; on 837P the place of service; on 837I the Type of Bill, statement \
           period, discharge status, revenue codes and, for inpatient bills, the admission date; \
           REF*F8 on replacements and voids.",
    why: "A claim without a required element fails the clearinghouse's implementation-guide \
          (SNIP level 2) edits and never reaches the payer.",
    fix: "Fill in the missing data from the encounter, the patient's registration or the \
          provider's enrollment.",
    source: "005010X222A1 (837P) and 005010X223A2 (837I) implementation guides: CLM, NM1*85, N3/N4, \
             REF*EI, NM1*IL, NM1*PR, DMG, HI, LX, DTP*472/434/435, CL1",
    since: "0.1.0",
    optional: false,
    check,
};

fn name_missing(n: &Name) -> bool {
    match n {
        Name::Person { last, .. } => last.is_empty(),
        Name::Organization(o) => o.is_empty(),
    }
}

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let mut missing = |what: &str, fix: &str| {
        out.with_fix(None, format!("{what} is missing"), fix.to_string());
    };
    let pcn = &claim.patient_control_number;
    if pcn.is_empty() {
        missing(
            "the patient control number (CLM01)",
            "Give the claim its patient control number (the account or claim number the remittance will echo).",
        );
    }
    match claim.provider(ProviderRole::Billing) {
        None => missing(
            "the billing provider (loop 2010AA)",
            "Add the billing provider's name, NPI, address and tax ID.",
        ),
        Some(b) => {
            if name_missing(&b.name) {
                missing(
                    "the billing provider's name",
                    "Enter the billing provider's name as enrolled with the payer.",
                );
            }
            if b.npi.as_deref().is_none_or(str::is_empty) {
                missing(
                    "the billing provider's NPI",
                    "Enter the billing provider's NPI (type 2 for a group).",
                );
            }
            if b.address.as_ref().is_none_or(|a| a.lines.is_empty() || a.city.is_empty()) {
                missing(
                    "the billing provider's street address",
                    "Enter a street address (not a P.O. box) for the billing provider.",
                );
            }
            if b.tax_id.is_empty() {
                missing(
                    "the billing provider's tax ID (REF*EI)",
                    "Enter the billing provider's EIN (or SSN).",
                );
            }
        }
    }
    let sub = &claim.subscriber;
    if name_missing(&sub.person.name) {
        missing("the subscriber's name", "Enter the subscriber's name as on the insurance card.");
    }
    if sub.person.member_id.is_empty() {
        missing("the subscriber's member ID", "Enter the member ID from the insurance card.");
    }
    if claim.payer.name.is_empty() || claim.payer.id.is_empty() {
        missing(
            "the payer's name or payer ID",
            "Enter the payer and its payer ID from the trading partner's list.",
        );
    }
    if patient(claim).birth_date.is_none() {
        missing("the patient's birth date", "Enter the patient's birth date from registration.");
    }
    if claim.diagnoses.is_empty() {
        missing("a diagnosis", "Code at least one diagnosis (the principal or first-listed).");
    }
    if claim.lines.is_empty() {
        missing("a service line", "Add the services billed.");
    }
    if facts.claim_date.is_none() {
        missing(
            "the date of service",
            "Enter the dates of service (statement period on an institutional claim).",
        );
    }
    if matches!(claim.frequency, Frequency::Replacement | Frequency::Void)
        && claim.original_claim_number.is_empty()
    {
        missing(
            "the payer's claim number (REF*F8) that this replacement or void refers to",
            "Enter the payer's claim control number from the 835 or 277 of the claim being replaced or voided.",
        );
    }
    match claim.kind {
        ClaimKind::Professional => {
            if claim.place_of_service.is_empty() {
                missing(
                    "the place of service (CLM05-1)",
                    "Enter the two-digit place of service code.",
                );
            }
        }
        ClaimKind::Institutional => {
            if claim.facility_type.is_empty() {
                missing(
                    "the Type of Bill (CLM05-1)",
                    "Enter the Type of Bill's facility type and classification (11 for a hospital inpatient claim).",
                );
            }
            if claim.from.is_none() || claim.to.is_none() {
                missing(
                    "the statement period (DTP*434)",
                    "Enter the statement covers period from and through dates.",
                );
            }
            if claim.discharge_status.is_empty() {
                missing(
                    "the patient discharge status (CL103)",
                    "Enter the discharge status code (01 home, 02 short-term hospital, 30 still a patient…).",
                );
            }
            let inpatient = matches!(
                claim.facility_type.as_str(),
                "11" | "12" | "18" | "21" | "41" | "65" | "66" | "86"
            );
            if inpatient && claim.admission.is_none() {
                missing("the admission date (DTP*435)", "Enter the admission date and hour.");
            }
            for l in &claim.lines {
                if l.revenue_code.is_empty() {
                    out.with_fix(
                        Some(l.number),
                        "the revenue code (SV201) is missing".to_string(),
                        "Enter the line's four-digit revenue code.".to_string(),
                    );
                }
            }
        }
    }
    if pcn.chars().count() > 38 {
        out.with_fix(
            None,
            format!("the patient control number is {} characters long; CLM01 allows 38", pcn.chars().count()),
            "Shorten the patient control number (superbill's back office issues numbers of at most 17 characters, which every payer keeps whole).".to_string(),
        );
    }
}
