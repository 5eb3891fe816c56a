//! A five-character HCPCS/CPT code packed into a fixed array.

use serde::{Deserialize, Serialize};

/// A HCPCS Level II or CPT code: five letters or digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Code(pub(crate) [u8; 5]);

impl Code {
    /// The code, when `text` (trimmed, upper-cased) is five letters or digits.
    pub fn new(text: &str) -> Option<Code> {
        let b = text.trim().as_bytes();
        if b.len() != 5 || !b.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        let mut c = [0u8; 5];
        for (o, i) in c.iter_mut().zip(b) {
            *o = i.to_ascii_uppercase();
        }
        Some(Code(c))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
