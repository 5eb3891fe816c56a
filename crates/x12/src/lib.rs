//! X12 syntax, and nothing of claims: delimiters read from the ISA, a zero-copy tokenizer over a
//! byte slice, a streaming segment reader in constant memory, the envelope tree (interchange →
//! functional group → transaction set) with its control-number and count checks, and a writer.
//!
//! ```
//! let edi = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*T*:~\
//! GS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~BHT*0019*00*1*20260101*1200*CH~SE*3*0001~GE*1*1~IEA*1*000000001~";
//! let (doc, findings) = x12::parse(edi);
//! assert!(findings.is_empty(), "{findings:?}");
//! let st = &doc.interchanges[0].groups[0].transactions[0];
//! assert_eq!(st.set_id(edi), b"837");
//! ```

mod delimiters;
mod encoding;
mod envelope;
mod error;
mod reader;
mod tokenizer;
mod writer;

pub use delimiters::Delimiters;
pub use encoding::{is_utf16, to_bytes};
pub use envelope::{
    Document, EnvelopeParser, Finding, Group, Interchange, Transaction, parse, parse_with_segments,
};
pub use error::{Error, Position};
pub use reader::SegmentReader;
pub use tokenizer::{Elements, Segment, Split, SplitElements, Tokenizer};
pub use writer::{EnvelopeWriter, InterchangeHeader, Writer};
