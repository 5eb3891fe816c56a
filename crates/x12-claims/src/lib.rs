//! X12 transactions mapped to the claim model. This first step reads 837P/837I claims
//! (`read_837`) and 835 remittances
//! (005010X221A1): payment and trace, payer and payee, claim payments with their claim- and
//! line-level adjustments, remarks and provider-level adjustments, and checks that every claim
//! and the file balance.
//!
//! ```
//! let edi = b"ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *260115*0930*^*00501*000000001*0*P*:~\
//! GS*HP*PAYER*CLINIC*20260115*0930*1*X*005010X221A1~ST*835*0001~BPR*I*80*C*ACH************20260115~TRN*1*EFT123*1512345678~\
//! N1*PR*PAYER A~N1*PE*CLINIC*XX*1234567893~LX*1~CLP*PAT1*1*100*80*20*12*CLAIM9~CAS*PR*2*20~SE*9*0001~GE*1*1~IEA*1*000000001~";
//! let (remits, findings) = x12_claims::read_835(edi);
//! assert!(findings.is_empty(), "{findings:?}");
//! assert_eq!(remits[0].claims[0].paid, claim_model::Cents(8000));
//! ```

mod ack999;
mod acks;
mod claim837;
mod external;
mod fields;
pub mod guide;
mod inquiry;
mod out;
mod parallel;
mod remit835;
mod situational;
mod validate;
mod view837;
mod walk;
mod write835;
mod write837;

/// The syntax layer, re-exported so that shells reach it through this crate.
pub use x12;

pub use ack999::{AckTime, ack_999};
/// Reads 277 claim status responses (005010X212): the same reader as the 277CA's.
pub use acks::read_277ca as read_277;
pub use acks::{ack_277ca, read_277ca, read_999};
pub use claim837::{
    claims_of, read_837, read_837_each, read_837_threads, read_837_views, read_837_views_each,
};
pub use inquiry::{read_271, write_270, write_276};
pub use remit835::{read_835, remittances_of};
pub use validate::{
    CHECKED_LEVELS, Issue, Report, TransactionReport, default_threads, is_warning, level_of,
    loops_of, validate, validate_each, validate_each_threads, validate_reader, validate_threads,
    validate_with,
};
pub use view837::{
    AddressView, AdjustmentView, ClaimBatch, ClaimFields, ClaimView, CodedValueView, DiagnosisView,
    LineAdjudicationFields, LineFields, LineView, NameView, NdcView, OtherPayerFields, PartyView,
    PayerView, PersonView, ProcedureView, Str, SubscriberView,
};
pub use write835::write_835;
pub use write837::{Submission, write_837, write_837_threads};
