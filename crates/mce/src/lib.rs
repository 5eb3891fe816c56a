//! The Medicare Code Editor (MCE): CMS's edits on the codes of an inpatient claim, evaluated from
//! the MCE lists as CMS publishes them in its MCE tables (read here in the CSV form documented in
//! `docs/formats/mce-csv.md`: one row per code, list and date span).
//!
//! The edit names are CMS's own (`AGE_CONFLICT`, `MANIFESTATION_AS_PDX`, `UNACCEPTABLE_PDX`,
//! `E_CODE_AS_PDX`, `UNSPECIFIED`, `QUESTIONABLE_ADMISSION`, `NON_COVERED`, `LIMITED_COVERAGE`,
//! `INVALID_CODE`, `DUPLICATE_OF_PDX`…). Each row carries its effective dates, so tables of several
//! fiscal years merge and a claim is judged by the rows in force on its discharge date (the sex
//! edit, dropped from FY2025, applies only where lists dated before it are installed).
//!
//! ```
//! let mut t = mce::Tables::default();
//! t.load("dx_manifestation_as_pdx.csv", b"code,code_system,edit,flag,parameter,effective_start,effective_end,versions\n\
//! F0280,icd10cm,MANIFESTATION_AS_PDX,manifestation,x,20251001,20260930,v43;v43.1\n").unwrap();
//! let claim = mce::Claim::new("2026-05-08".parse().unwrap(), "F02.80");
//! let edits = t.edit(&claim);
//! assert_eq!(edits[0].edit.name(), "MANIFESTATION_AS_PDX");
//! ```

mod edit;
mod tables;

pub use edit::{Claim, Edit, EditName, Position};
pub use tables::{Span, Tables, is_mce_csv};
