//! The code sets a coder works with: ICD-10-CM, ICD-10-PCS, HCPCS Level II and CPT.
//!
//! Loaders parse the official release files in the formats CDC and CMS publish (they take byte
//! slices; they open no files). Each parsed [`Release`] is an immutable, indexed table with a
//! compact binary form. A [`Library`] holds several releases side by side and answers each question
//! with the release in force on the date of service.
//!
//! ```
//! use code_sets::{Library, System, Date};
//! let xml = br#"<?xml version="1.0"?>
//! <ICD10CM.tabular><version>2026</version>
//!  <chapter><name>10</name><desc>Diseases of the respiratory system (J00-J99)</desc>
//!   <section id="J09-J18"><desc>Influenza and pneumonia (J09-J18)</desc>
//!    <diag><name>J18</name><desc>Pneumonia, unspecified organism</desc>
//!     <diag><name>J18.9</name><desc>Pneumonia, unspecified organism</desc></diag>
//!    </diag>
//!   </section>
//!  </chapter>
//! </ICD10CM.tabular>"#;
//! let release = code_sets::icd10cm::parse_tabular(xml, None).unwrap();
//! let lib = Library::new(vec![std::sync::Arc::new(release)]);
//! let dos: Date = "2026-01-15".parse().unwrap();
//! let info = lib.show(Some(System::Icd10Cm), "j18.9", dos).unwrap();
//! assert_eq!(info.code, "J18.9");
//! assert!(info.billable && info.valid);
//! ```

mod date;
mod error;
mod library;
mod packed;
mod release;
mod search;
mod synonyms;
mod system;
mod xml;

pub mod cpt;
pub mod eval;
pub mod hcpcs;
pub mod icd10cm;
pub mod icd10pcs;
pub mod index;
pub mod reference;

pub use date::{Date, DateError};
pub use error::LoadError;
pub use library::{
    Axis, BrowseAnswer, CodeInfo, CodeOrRange, HcpcsDates, IndexAnswer, IndexNode, Library, Lookup,
    NoteRef, SearchResult, ShowError, Status,
};
pub use release::{Counts, DecodeError, FORMAT_VERSION, NoteKind, Release, ReleaseMeta};
pub use search::{Field, Query};
pub use synonyms::abbreviations;
pub use system::{CodeKey, System};
