//! Professional (837P) and institutional (837I) claims as plain values.

use code_sets::Date;
use serde::{Deserialize, Serialize};

use crate::{Cents, Text};

/// A person's or an organization's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Name {
    /// A person (NM102 = 1).
    Person {
        /// Last name.
        last: Text,
        /// First name.
        first: Text,
        /// Middle name or initial.
        middle: Text,
        /// Suffix (Jr, III).
        suffix: Text,
    },
    /// An organization (NM102 = 2).
    Organization(Text),
}

/// A postal address (N3/N4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street lines.
    pub lines: Vec<Text>,
    /// City.
    pub city: Text,
    /// State or province code.
    pub state: Text,
    /// ZIP code (5 or 9 digits).
    pub postal_code: Text,
    /// Country code, when not the United States.
    pub country: Text,
}

/// A provider or other party on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Name.
    pub name: Name,
    /// NPI as sent (NM109 with qualifier XX), when the party has one. It is kept even when its
    /// check digit is wrong, so that the scrubber can say so: check it with [`crate::Npi`]'s `parse`.
    pub npi: Option<Text>,
    /// Employer identification number or SSN used as tax ID (REF*EI / REF*SY).
    pub tax_id: Text,
    /// Provider taxonomy code (PRV03).
    pub taxonomy: Text,
    /// Address.
    pub address: Option<Address>,
}

/// The role a provider plays on a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderRole {
    /// Billing provider (2010AA).
    Billing,
    /// Pay-to provider (2010AB), when it differs from billing.
    PayTo,
    /// Rendering provider (2310B / 2420A).
    Rendering,
    /// Referring provider (2310A / 2420F).
    Referring,
    /// Attending physician (837I 2310A).
    Attending,
    /// Operating physician (837I 2310B).
    Operating,
    /// Service facility location (2310C / 2310E).
    ServiceFacility,
    /// Supervising provider.
    Supervising,
}

/// Subscriber or patient demographics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Name.
    pub name: Name,
    /// Member ID (NM109 with MI), for a subscriber.
    pub member_id: Text,
    /// Birth date.
    #[serde(with = "crate::json::date")]
    pub birth_date: Option<Date>,
    /// `M`, `F` or `U`.
    pub sex: char,
    /// Address.
    pub address: Option<Address>,
}

/// The subscriber's coverage with the payer of this claim (loop 2000B SBR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscriber {
    /// The person.
    pub person: Person,
    /// SBR01: `P` primary, `S` secondary, `T` tertiary…
    pub payer_responsibility: char,
    /// SBR02: relationship of the patient to the subscriber (`18` self), blank when a patient loop follows.
    pub relationship: Text,
    /// SBR03: group or policy number.
    pub group_number: Text,
    /// SBR05: insurance type code (required when Medicare is secondary).
    pub insurance_type: Text,
    /// SBR09: claim filing indicator (`MB` Medicare Part B, `CI` commercial, `MC` Medicaid…).
    pub filing_indicator: Text,
}

/// The payer (2010BB).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    /// Payer name.
    pub name: Text,
    /// Payer ID (NM109 with PI).
    pub id: Text,
    /// Address.
    pub address: Option<Address>,
}

/// How a diagnosis code is qualified in HI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisKind {
    /// Principal or first-listed (ABK / BK for ICD-9).
    Principal,
    /// Other diagnosis (ABF).
    Other,
    /// Admitting diagnosis (ABJ).
    Admitting,
    /// Patient's reason for visit (APR).
    ReasonForVisit,
    /// External cause of injury (ABN).
    ExternalCause,
}

/// Present-on-admission indicator (837I).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poa {
    /// Y: present at admission.
    Yes,
    /// N: not present.
    No,
    /// U: documentation insufficient.
    Unknown,
    /// W: clinically undetermined.
    Undetermined,
    /// 1 (or blank in the claim): exempt from POA reporting.
    Exempt,
}

/// A diagnosis on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The ICD-10-CM code, without its dot as X12 carries it.
    pub code: Text,
    /// How it is qualified.
    pub kind: DiagnosisKind,
    /// POA, institutional claims.
    pub poa: Option<Poa>,
}

/// An ICD-10-PCS procedure on an institutional claim (HI BBR/BBQ).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// The seven-character code.
    pub code: Text,
    /// Principal (BBR) or other (BBQ).
    pub principal: bool,
    /// The date it was performed.
    #[serde(with = "crate::json::date")]
    pub date: Option<Date>,
}

/// CLM05-3: why the claim is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    /// 1: original claim.
    Original,
    /// 7: replacement of a prior claim (needs REF*F8 with the payer's claim number).
    Replacement,
    /// 8: void of a prior claim (needs REF*F8).
    Void,
    /// Any other code, kept as sent.
    Other(char),
}

/// A code with an optional date or amount (condition, occurrence and value codes, 837I).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodedValue {
    /// The code.
    pub code: Text,
    /// Occurrence date or span start.
    #[serde(with = "crate::json::date")]
    pub from: Option<Date>,
    /// Span end.
    #[serde(with = "crate::json::date")]
    pub to: Option<Date>,
    /// Value amount.
    pub amount: Option<Cents>,
}

/// Units of service, in thousandths (`1.5` units is 1500).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Units(pub i64);

/// One service line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLine {
    /// LX01.
    pub number: u32,
    /// HCPCS or CPT code (SV101-2 / SV202-2).
    pub procedure: Text,
    /// Up to four modifiers.
    pub modifiers: Vec<Text>,
    /// Line charge.
    pub charge: Cents,
    /// Units of service.
    pub units: Units,
    /// `UN` units or `MJ` minutes.
    pub unit_basis: Text,
    /// Place of service, when it differs from the claim's (professional).
    pub place_of_service: Text,
    /// 1-based pointers into the claim's diagnoses (professional, up to four).
    pub diagnosis_pointers: Vec<u8>,
    /// Revenue code (institutional SV201).
    pub revenue_code: Text,
    /// National Drug Code (LIN03), with quantity.
    pub ndc: Option<(Text, Text)>,
    /// Service date or span.
    #[serde(with = "crate::json::date")]
    pub date_from: Option<Date>,
    /// End of the span.
    #[serde(with = "crate::json::date")]
    pub date_to: Option<Date>,
    /// Rendering provider, when it differs from the claim's.
    pub rendering: Option<Box<Party>>,
    /// What other payers did with this line (loop 2430).
    pub adjudications: Vec<LineAdjudication>,
}

/// A prior payer's adjudication of one line (loop 2430 SVD/CAS/DTP).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAdjudication {
    /// The other payer's ID.
    pub payer_id: Text,
    /// Amount it paid.
    pub paid: Cents,
    /// Its adjustments.
    pub adjustments: Vec<crate::Adjustment>,
    /// Adjudication date.
    #[serde(with = "crate::json::date")]
    pub date: Option<Date>,
}

/// Another payer on the claim and what it did (loops 2320/2330).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherPayer {
    /// The subscriber's coverage with that payer.
    pub subscriber: Subscriber,
    /// The payer.
    pub payer: Payer,
    /// Amount that payer paid (AMT*D).
    pub paid: Option<Cents>,
    /// Claim-level adjustments (2320 CAS).
    pub adjustments: Vec<crate::Adjustment>,
    /// That payer's claim control number.
    pub claim_control_number: Text,
}

/// Professional or institutional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// 837P.
    Professional,
    /// 837I.
    Institutional,
}

/// A claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// 837P or 837I.
    pub kind: ClaimKind,
    /// CLM01, the patient control number the remittance echoes back.
    pub patient_control_number: Text,
    /// CLM02, total charge (equals the sum of line charges).
    pub total_charge: Cents,
    /// Place of service (837P CLM05-1).
    pub place_of_service: Text,
    /// Type of bill (837I: facility type CLM05-1 + frequency).
    pub facility_type: Text,
    /// CLM05-3.
    pub frequency: Frequency,
    /// REF*F8: the payer's number of the claim this one replaces or voids.
    pub original_claim_number: Text,
    /// Providers by role.
    #[serde(with = "crate::json::providers")]
    pub providers: Vec<(ProviderRole, Party)>,
    /// Subscriber and coverage with this claim's payer.
    pub subscriber: Subscriber,
    /// The patient, when not the subscriber (loop 2000C), with the relationship code (PAT01).
    #[serde(with = "crate::json::patient")]
    pub patient: Option<(Person, Text)>,
    /// The payer.
    pub payer: Payer,
    /// Diagnoses in order (the first is principal).
    pub diagnoses: Vec<Diagnosis>,
    /// ICD-10-PCS procedures (837I).
    pub procedures: Vec<Procedure>,
    /// Service or statement period start.
    #[serde(with = "crate::json::date")]
    pub from: Option<Date>,
    /// Service or statement period end.
    #[serde(with = "crate::json::date")]
    pub to: Option<Date>,
    /// Admission date (837I).
    #[serde(with = "crate::json::date")]
    pub admission: Option<Date>,
    /// Discharge date (837I; drives the MS-DRG version).
    #[serde(with = "crate::json::date")]
    pub discharge: Option<Date>,
    /// Patient discharge status (837I CL103).
    pub discharge_status: Text,
    /// The MS-DRG the facility reports (837I HI DR), empty when none.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub drg: Text,
    /// Condition codes (837I HI BG).
    pub condition_codes: Vec<Text>,
    /// Occurrence codes and spans (837I HI BH/BI).
    pub occurrences: Vec<CodedValue>,
    /// Value codes (837I HI BE).
    pub values: Vec<CodedValue>,
    /// Service lines.
    pub lines: Vec<ServiceLine>,
    /// Other payers (coordination of benefits).
    pub other_payers: Vec<OtherPayer>,
}

impl Claim {
    /// The provider in a role, if present.
    pub fn provider(&self, role: ProviderRole) -> Option<&Party> {
        self.providers.iter().find(|(r, _)| *r == role).map(|(_, p)| p)
    }

    /// The sum of the line charges (which CLM02 must equal).
    pub fn line_total(&self) -> Cents {
        self.lines.iter().map(|l| l.charge).sum()
    }
}
