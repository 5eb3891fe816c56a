//! Eligibility (270/271) as plain values: what is asked about a member's coverage, and what the
//! payer answers.

use code_sets::Date;
use serde::{Deserialize, Serialize};

use crate::{Cents, Party, Payer, Person};

/// A 270 inquiry: is this member covered, for these services, on this date?
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityRequest {
    /// The provider's trace number for the inquiry (TRN02), echoed in the 271.
    pub trace: String,
    /// The payer asked (2100A).
    pub payer: Payer,
    /// The provider asking (2100B), with its NPI.
    pub provider: Party,
    /// The subscriber (2100C), with the member ID.
    pub subscriber: Person,
    /// The dependent asked about, when not the subscriber (2100D).
    pub dependent: Option<Person>,
    /// Service type codes (EQ01: `30` health benefit plan coverage, `98` office visit…).
    pub service_types: Vec<String>,
    /// The date of service asked about (DTP*291).
    #[serde(with = "crate::json::date")]
    pub date: Option<Date>,
}

/// One benefit line of a 271 (EB and what follows it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefit {
    /// EB01: `1` active coverage, `6` inactive, `B` co-payment, `C` deductible, `A` co-insurance,
    /// `G` out-of-pocket, `L` primary care provider…
    pub info: String,
    /// EB02: `IND` individual, `FAM` family…
    pub coverage_level: String,
    /// EB03: service type codes.
    pub service_types: Vec<String>,
    /// EB04: insurance type (`HM` HMO, `MB` Medicare Part B…).
    pub insurance_type: String,
    /// EB05: plan name.
    pub plan: String,
    /// EB06: time period (`27` visit, `29` remaining, `23` calendar year…).
    pub period: String,
    /// EB07: amount, cents.
    pub amount: Option<Cents>,
    /// EB08: percent, as sent (`0.2` is 20%).
    pub percent: String,
    /// EB12: in plan network (`Y`/`N`), when said.
    pub in_network: Option<bool>,
    /// MSG texts.
    pub messages: Vec<String>,
}

/// A 271 answer for one member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityResponse {
    /// The trace numbers (TRN02) echoed back.
    pub traces: Vec<String>,
    /// The payer answering.
    pub payer: Payer,
    /// The subscriber.
    pub subscriber: Person,
    /// The dependent, when the answer is about one.
    pub dependent: Option<Person>,
    /// Rejections (AAA03 reject reason codes: `72` invalid member ID, `75` subscriber not
    /// found…), from any level.
    pub rejections: Vec<String>,
    /// Benefits.
    pub benefits: Vec<Benefit>,
}

impl EligibilityResponse {
    /// True when a benefit line says active coverage (EB01 `1`) and nothing was rejected.
    pub fn active(&self) -> bool {
        self.rejections.is_empty() && self.benefits.iter().any(|b| b.info == "1")
    }
}
