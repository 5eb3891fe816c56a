//! MS-DRG grouping. This first part holds the CMS IPPS tables of a fiscal year, read from CMS's
//! text files (Windows-1252, mixed CR/LF line ends, decoded as such; layouts in
//! `docs/formats/ipps-tables.md`):
//!
//! - Table 5: each MS-DRG with its MDC, type (surgical/medical), title, post-acute and
//!   special-pay flags, relative weight before and after the 10 % cap, geometric and arithmetic
//!   mean length of stay;
//! - Tables 6I and 6J: the complete MCC and CC lists;
//! - Table 6K: each CC/MCC with the principal diagnoses that exclude it (its "PDX collection"),
//!   and the codes that are a CC or MCC only if the patient is discharged alive.
//!
//! Tables are values: parse them from bytes, ask them about codes and DRGs, write and read their
//! binary form. No I/O.
//!
//! ```
//! let t5 = "\"TABLE 5.\u{2014}LIST OF MS-DRGS\"\n\
//! MS-DRG \tFY 2026 Final Post-Acute DRG\tFY 2026 Final Special Pay DRG\tMDC\tTYPE\tMS-DRG Title\tWeights - Before Cap\tWeights - 10% Cap Applied \tGeometric mean LOS\tArithmetic mean LOS\n\
//! 001\tNo\tNo\tPRE\tSURG\tHEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM WITH MCC\t28.0239\t28.0239\t25.8\t36.2\n";
//! let mut t = drg::IppsTables::default();
//! t.load_table5(t5.as_bytes()).unwrap();
//! assert_eq!(t.drg(1).unwrap().weight.to_string(), "28.0239");
//! ```

mod batch;
mod definitions;
mod group;
mod tables;
mod text;

pub use batch::{
    CSV_INPUT, CSV_OUTPUT, GroupClaim, GroupResult, Grouper, HospitalStatus, MceEdit, Weights,
    parse_csv, version_name,
};
pub use definitions::{CcDef, Definitions, DrgDef, Membership};
pub use group::{GroupInput, GroupOutput, SdxFlag, group};
pub use tables::{CcLevel, DrgRow, DrgType, IppsTables, Weight};
pub use text::decode_windows_1252;
