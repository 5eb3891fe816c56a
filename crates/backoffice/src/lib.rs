//! The billing back office's operations: what a biller does, over the store (`store`), the X12
//! engine (`x12-claims`) and the scrubber (`scrub`). The CLI and the server are thin shells
//! over these functions.
//!
//! - [`work`]: scrub claims and store the findings; write the ready claims into one 837 batch
//!   file (one interchange per clearinghouse) and record it; import 999 and 277CA files; post
//!   835 files.
//! - [`payer`]: a test payer that answers a batch with a 999, a 277CA and an 835 that pays,
//!   adjusts, denies and reverses (for tests, the demo and the benchmarks).
//! - [`demo`]: a realistic billing service (two practices, providers, payers, 200 patients, a
//!   month of coded visits and some inpatient stays).
//! - [`statements`]: patient statements as HTML, PDF and plain text.

pub mod appeals;
pub mod demo;
pub mod engines;
pub mod payer;
pub mod statements;
pub mod work;

pub use store::{Actor, Store};
