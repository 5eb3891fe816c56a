//! The claim model: claims, service lines, parties, payers, remittances and money as plain data.
//!
//! No I/O and no wire format: `x12-claims` maps X12 to and from these values, the scrubber and
//! the grouper read them, and the back office stores them. Money is integer [`Cents`]; codes
//! are kept as the claim carries them and checked against the code sets by the scrubber.
//!
//! ```
//! use claim_model::{Cents, Npi};
//! let charge: Cents = "125.40".parse().unwrap();
//! assert_eq!(charge + Cents(60), Cents(12600));
//! assert!("1234567893".parse::<Npi>().is_ok());
//! ```

mod ack;
mod claim;
mod eligibility;
mod ids;
mod json;
mod money;
mod remit;

pub use ack::{ClaimAck, GroupAck, SegmentError, SetAck};
pub use claim::{
    Address, Claim, ClaimKind, CodedValue, Diagnosis, DiagnosisKind, Frequency, LineAdjudication,
    Name, OtherPayer, Party, Payer, Person, Poa, Procedure, ProviderRole, ServiceLine, Subscriber,
    Units,
};
/// Text in the model: codes, names and identifiers are short, so they are kept inline (up to 24
/// bytes) instead of on the heap; it derefs to `&str` and serializes as a JSON string.
pub type Text = compact_str::CompactString;

pub use eligibility::{Benefit, EligibilityRequest, EligibilityResponse};
pub use ids::{Npi, NpiError};
pub use money::{Cents, MoneyError};
pub use remit::{
    Adjustment, AdjustmentGroup, ClaimPayment, LinePayment, ProviderAdjustment, Remittance,
};
