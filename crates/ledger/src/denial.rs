//! Denials: the category a biller works them by, from the claim adjustment reason code (CARC),
//! and the deadline to appeal.
//!
//! Categories follow the CARC list's own wording (X12's external code list 139, maintained by
//! the Claim Adjustment Status Code Maintenance Committee); a code not listed here is `other`.

use code_sets::Date;

/// What kind of problem a denial is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Coverage: the patient was not covered on the date, or not by this payer.
    Eligibility,
    /// Prior authorization or referral missing.
    Authorization,
    /// Coding: invalid or inconsistent codes, modifiers, diagnoses.
    Coding,
    /// Bundled into another service (NCCI) or already paid as part of another.
    Bundling,
    /// Duplicate of a claim or service already submitted.
    Duplicate,
    /// Filed after the payer's timely-filing limit.
    TimelyFiling,
    /// Not medically necessary, or not covered as billed.
    MedicalNecessity,
    /// Missing or invalid information on the claim.
    MissingInformation,
    /// Another payer is primary (coordination of benefits).
    CoordinationOfBenefits,
    /// Anything else.
    Other,
}

impl Category {
    /// The stored and shown name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Eligibility => "eligibility",
            Category::Authorization => "authorization",
            Category::Coding => "coding",
            Category::Bundling => "bundling",
            Category::Duplicate => "duplicate",
            Category::TimelyFiling => "timely_filing",
            Category::MedicalNecessity => "medical_necessity",
            Category::MissingInformation => "missing_information",
            Category::CoordinationOfBenefits => "coordination_of_benefits",
            Category::Other => "other",
        }
    }
}

/// The category of a CARC.
///
/// ```
/// use ledger::denial::{category, Category};
/// assert_eq!(category("29"), Category::TimelyFiling);
/// assert_eq!(category("197"), Category::Authorization);
/// assert_eq!(category("18"), Category::Duplicate);
/// ```
pub fn category(carc: &str) -> Category {
    match carc {
        "27" | "26" | "31" | "32" | "33" | "177" | "200" | "140" => Category::Eligibility,
        "15" | "197" | "198" | "62" | "39" | "288" | "243" => Category::Authorization,
        "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12" | "181" | "182" | "199" => {
            Category::Coding
        }
        "97" | "231" | "234" | "236" | "B15" => Category::Bundling,
        "18" | "B13" => Category::Duplicate,
        "29" => Category::TimelyFiling,
        "50" | "55" | "56" | "57" | "58" | "96" | "204" | "B7" | "167" | "119" | "151" => {
            Category::MedicalNecessity
        }
        "16" | "17" | "125" | "226" | "227" | "252" | "A1" => Category::MissingInformation,
        "22" | "109" | "24" => Category::CoordinationOfBenefits,
        _ => Category::Other,
    }
}

/// Days a payer gives to appeal, when the payer record does not say: Medicare's first-level
/// appeal (redetermination) is due 120 days after the initial determination.
pub const DEFAULT_APPEAL_DAYS: i64 = 120;

/// The last day to appeal a denial received on `received`.
pub fn appeal_deadline(received: Date, days: i64) -> Date {
    Date::from_day_number(received.day_number() + days).unwrap_or(received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_counts_days() {
        let d = Date::from_ymd(2026, 1, 1).unwrap();
        assert_eq!(appeal_deadline(d, DEFAULT_APPEAL_DAYS).to_string(), "2026-05-01");
        assert_eq!(category("zz"), Category::Other);
        assert_eq!(category("16").as_str(), "missing_information");
    }
}
