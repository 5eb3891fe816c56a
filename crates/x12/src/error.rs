//! Where a problem is, and what it is.

use std::fmt;

/// A place in an X12 file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// Byte offset of the segment's first byte.
    pub byte: u64,
    /// 1-based index of the segment in the file.
    pub segment_index: u64,
    /// The segment ID (up to three characters; empty when unknown).
    pub segment_id: [u8; 3],
    /// 1-based element position, when the problem is in an element.
    pub element: Option<u16>,
    /// 1-based component position within the element, when the problem is in a component.
    pub component: Option<u16>,
}

impl Position {
    /// The segment ID as text.
    pub fn segment_id(&self) -> &str {
        let n = self.segment_id.iter().position(|&b| b == 0).unwrap_or(3);
        std::str::from_utf8(&self.segment_id[..n]).unwrap_or("?")
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "segment {} ({}) at byte {}", self.segment_index, self.segment_id(), self.byte)?;
        if let Some(e) = self.element {
            write!(f, ", element {e}")?;
            if let Some(c) = self.component {
                write!(f, "-{c}")?;
            }
        }
        Ok(())
    }
}

/// A syntax error that stops reading: the file is not X12 from this point on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No ISA header where one must start.
    #[error("{0}: expected an ISA interchange header; this is not an X12 interchange")]
    NoIsa(Position),
    /// The ISA is too short or its delimiters cannot be read.
    #[error("{pos}: the ISA header is malformed: {why}")]
    BadIsa {
        /// Where.
        pos: Position,
        /// Why.
        why: String,
    },
    /// A segment longer than the reader accepts.
    #[error("{pos}: segment longer than {limit} bytes without a terminator")]
    SegmentTooLong {
        /// Where it starts.
        pos: Position,
        /// The limit.
        limit: usize,
    },
    /// Reading failed.
    #[error("read error: {0}")]
    Io(String),
}
