//! The code systems and the normalization of a code as a user types it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A code system superbill knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum System {
    /// ICD-10-CM diagnoses (CDC/NCHS), fiscal-year releases with April updates.
    Icd10Cm,
    /// ICD-10-PCS inpatient procedures (CMS), fiscal-year releases.
    Icd10Pcs,
    /// HCPCS Level II (CMS), quarterly, with its modifiers.
    Hcpcs,
    /// CPT (HCPCS Level I, AMA). Descriptions only from a user-supplied file.
    Cpt,
}

impl System {
    /// Every system, in display order.
    pub const ALL: [System; 4] = [System::Icd10Cm, System::Icd10Pcs, System::Hcpcs, System::Cpt];

    /// The short name used on the command line and in JSON (`icd10cm`, `icd10pcs`, `hcpcs`, `cpt`).
    pub fn id(self) -> &'static str {
        match self {
            System::Icd10Cm => "icd10cm",
            System::Icd10Pcs => "icd10pcs",
            System::Hcpcs => "hcpcs",
            System::Cpt => "cpt",
        }
    }

    /// The name a person reads.
    pub fn display_name(self) -> &'static str {
        match self {
            System::Icd10Cm => "ICD-10-CM",
            System::Icd10Pcs => "ICD-10-PCS",
            System::Hcpcs => "HCPCS Level II",
            System::Cpt => "CPT",
        }
    }

    /// Normalizes a code for this system: trims, upper-cases and removes the ICD-10-CM dot.
    ///
    /// Returns the key (no dot) or a message that says what is wrong with the text.
    ///
    /// ```
    /// use code_sets::System;
    /// assert_eq!(System::Icd10Cm.normalize(" s72.001a ").unwrap().as_str(), "S72001A");
    /// assert!(System::Icd10Pcs.normalize("0DTJ4Z").is_err());
    /// ```
    pub fn normalize(self, text: &str) -> Result<CodeKey, String> {
        let raw = text.trim();
        let mut up = String::with_capacity(raw.len());
        let mut dots = 0;
        for c in raw.chars() {
            match c {
                '.' => dots += 1,
                c if c.is_ascii_alphanumeric() => up.push(c.to_ascii_uppercase()),
                c => {
                    return Err(format!(
                        "{raw:?} contains {c:?}: a code has only letters and digits"
                    ));
                }
            }
        }
        if up.is_empty() {
            return Err("empty code".to_string());
        }
        let b = up.as_bytes();
        match self {
            System::Icd10Cm => {
                if dots > 1 || (dots == 1 && raw.find('.') != Some(3)) {
                    return Err(format!(
                        "{raw:?}: an ICD-10-CM code has at most one dot, after the third character"
                    ));
                }
                if !(3..=7).contains(&b.len()) {
                    return Err(format!("{raw:?}: an ICD-10-CM code has 3 to 7 characters"));
                }
                // FY2026 added categories with a letter in second place (QA0, Genetic disorders).
                if !b[0].is_ascii_uppercase() || !b[1..3].iter().any(u8::is_ascii_digit) {
                    return Err(format!(
                        "{raw:?}: an ICD-10-CM code starts with a letter and has a digit among its first three characters"
                    ));
                }
            }
            System::Icd10Pcs => {
                if dots > 0 {
                    return Err(format!("{raw:?}: ICD-10-PCS codes have no dot"));
                }
                if b.len() != 7 && b.len() != 3 {
                    return Err(format!(
                        "{raw:?}: an ICD-10-PCS code has exactly 7 characters (3 name a table)"
                    ));
                }
                if let Some(bad) = b.iter().find(|&&c| c == b'I' || c == b'O') {
                    return Err(format!(
                        "{raw:?}: ICD-10-PCS never uses the letter {} (it would be read as a digit)",
                        *bad as char
                    ));
                }
            }
            System::Hcpcs => {
                if dots > 0 {
                    return Err(format!("{raw:?}: HCPCS codes have no dot"));
                }
                let is_code = b.len() == 5
                    && b[0].is_ascii_uppercase()
                    && b[1..].iter().all(u8::is_ascii_digit);
                if !is_code && b.len() != 2 {
                    return Err(format!(
                        "{raw:?}: a HCPCS Level II code is a letter and four digits (a modifier has two characters)"
                    ));
                }
            }
            System::Cpt => {
                if dots > 0 {
                    return Err(format!("{raw:?}: CPT codes have no dot"));
                }
                let ok = b.len() == 5
                    && b[..4].iter().all(u8::is_ascii_digit)
                    && (b[4].is_ascii_digit() || matches!(b[4], b'F' | b'T' | b'U'));
                if !ok && b.len() != 2 {
                    return Err(format!(
                        "{raw:?}: a CPT code is five digits, or four digits and F, T or U"
                    ));
                }
            }
        }
        CodeKey::new(&up).ok_or_else(|| format!("{raw:?} is too long for a code"))
    }

    /// Formats a stored key the way this system prints codes (ICD-10-CM gets its dot back).
    pub fn display_code(self, key: &CodeKey) -> String {
        let s = key.as_str();
        if self == System::Icd10Cm && s.len() > 3 {
            format!("{}.{}", &s[..3], &s[3..])
        } else {
            s.to_string()
        }
    }

    /// The systems whose format `text` fits, in display order.
    pub fn candidates(text: &str) -> Vec<System> {
        System::ALL.into_iter().filter(|s| s.normalize(text).is_ok()).collect()
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for System {
    type Err = String;

    fn from_str(s: &str) -> Result<System, String> {
        match s.trim().to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "icd10cm" | "cm" => Ok(System::Icd10Cm),
            "icd10pcs" | "pcs" => Ok(System::Icd10Pcs),
            "hcpcs" => Ok(System::Hcpcs),
            "cpt" => Ok(System::Cpt),
            _ => Err(format!("unknown code system {s:?}: use icd10cm, icd10pcs, hcpcs or cpt")),
        }
    }
}

/// A normalized code: up to seven upper-case ASCII letters and digits, no dot.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CodeKey([u8; 7]);

impl CodeKey {
    /// Builds a key from upper-case ASCII alphanumerics (1 to 7 of them).
    pub fn new(text: &str) -> Option<CodeKey> {
        let b = text.as_bytes();
        if b.is_empty()
            || b.len() > 7
            || !b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return None;
        }
        let mut k = [0u8; 7];
        k[..b.len()].copy_from_slice(b);
        Some(CodeKey(k))
    }

    /// The raw seven bytes (zero-padded).
    pub(crate) fn as_bytes(&self) -> &[u8; 7] {
        &self.0
    }

    /// Reads the raw seven bytes back, checking them.
    pub(crate) fn from_bytes(b: &[u8]) -> Option<CodeKey> {
        let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        if b.len() != 7 || b[n..].iter().any(|&c| c != 0) {
            return None;
        }
        CodeKey::new(std::str::from_utf8(&b[..n]).ok()?)
    }

    /// The code's characters.
    pub fn as_str(&self) -> &str {
        let n = self.len();
        // The constructor admits only ASCII, so this never fails; fall back to "" defensively.
        std::str::from_utf8(&self.0[..n]).unwrap_or("")
    }

    /// How many characters the code has.
    pub fn len(&self) -> usize {
        self.0.iter().position(|&c| c == 0).unwrap_or(7)
    }

    /// True for the empty key (never built by [`CodeKey::new`]).
    pub fn is_empty(&self) -> bool {
        self.0[0] == 0
    }

    /// True when `self` starts with `prefix`.
    pub fn starts_with(&self, prefix: &CodeKey) -> bool {
        let n = prefix.len();
        self.0[..n] == prefix.0[..n]
    }
}

impl fmt::Display for CodeKey {
    /// The code without its dot, as claims carry it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_cm() {
        assert_eq!(System::Icd10Cm.normalize("e11.9").unwrap().as_str(), "E119");
        assert_eq!(System::Icd10Cm.normalize("E119").unwrap().as_str(), "E119");
        assert!(System::Icd10Cm.normalize("E1.19").is_err());
        assert!(System::Icd10Cm.normalize("E11.9-").is_err());
        assert!(System::Icd10Cm.normalize("11.9").is_err());
        assert_eq!(System::Icd10Cm.normalize("QA0.0101").unwrap().as_str(), "QA00101");
        assert!(System::Icd10Cm.normalize("LT").is_err());
        assert_eq!(System::Icd10Cm.display_code(&CodeKey::new("S72001A").unwrap()), "S72.001A");
    }

    #[test]
    fn ambiguity_is_visible() {
        assert_eq!(System::candidates("J1100"), vec![System::Icd10Cm, System::Hcpcs]);
        assert_eq!(System::candidates("J11.00"), vec![System::Icd10Cm]);
        assert_eq!(System::candidates("99213"), vec![System::Cpt]);
        assert_eq!(System::candidates("0DTJ4ZZ"), vec![System::Icd10Pcs]);
    }

    #[test]
    fn pcs_rejects_i_and_o() {
        let e = System::Icd10Pcs.normalize("0DTJ4ZO").unwrap_err();
        assert!(e.contains("letter O"), "{e}");
    }
}
