//! Delimiters are data: read from the fixed-width ISA segment, never assumed.

use crate::{Error, Position};

/// The four delimiters of an interchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delimiters {
    /// Separates elements (ISA byte 3).
    pub element: u8,
    /// Separates repeated elements (ISA11), when the interchange has one (`U` in 4010 does not).
    pub repetition: Option<u8>,
    /// Separates components of a composite (ISA16).
    pub component: u8,
    /// Ends a segment (the byte after ISA16).
    pub segment: u8,
}

impl Default for Delimiters {
    /// `*`, `^`, `:`, `~`: the common choice when writing.
    fn default() -> Delimiters {
        Delimiters { element: b'*', repetition: Some(b'^'), component: b':', segment: b'~' }
    }
}

impl Delimiters {
    /// Reads the delimiters from an ISA segment starting at `isa[0]`.
    ///
    /// The ISA is fixed width (106 bytes: 16 elements of fixed size); when a sender padded it
    /// wrongly, the elements are counted instead, so the delimiters are still found.
    pub fn from_isa(isa: &[u8], pos: Position) -> Result<Delimiters, Error> {
        let bad = |why: &str| Error::BadIsa { pos, why: why.to_string() };
        if isa.len() < 4 || &isa[..3] != b"ISA" {
            return Err(Error::NoIsa(pos));
        }
        let element = isa[3];
        if element.is_ascii_alphanumeric() || element == b' ' {
            return Err(bad("the byte after ISA must be the element separator"));
        }
        // Find the 16th element separator; ISA16 is the byte after it and the terminator next.
        let mut seps = Vec::with_capacity(16);
        for (i, &b) in isa.iter().enumerate().skip(3) {
            if b == element {
                seps.push(i);
                if seps.len() == 16 {
                    break;
                }
            }
        }
        if seps.len() < 16 {
            return Err(bad("it has fewer than 16 elements (truncated?)"));
        }
        let at16 = seps[15] + 1;
        let (Some(&component), Some(&segment)) = (isa.get(at16), isa.get(at16 + 1)) else {
            return Err(bad("it ends before ISA16 and the segment terminator"));
        };
        if memchr::memchr(segment, &isa[..at16]).is_some() {
            return Err(bad(
                "its segment terminator (the byte after ISA16) also appears inside it",
            ));
        }
        let rep = &isa[seps[10] + 1..seps[11]];
        // `U` (4010) or a letter is no separator; some senders repeat ISA16 in ISA11, which
        // cannot separate anything either.
        let repetition = match rep {
            [c] if !c.is_ascii_alphanumeric() && *c != b' ' && *c != component => Some(*c),
            _ => None,
        };
        let d = Delimiters { element, repetition, component, segment };
        d.check().map_err(|why| bad(&why))?;
        Ok(d)
    }

    /// With a line-feed terminator, a CR before it is part of a CR/LF line ending, unless the CR
    /// is itself a delimiter.
    pub(crate) fn strips_cr(&self) -> bool {
        self.segment == b'\n'
            && self.element != b'\r'
            && self.component != b'\r'
            && self.repetition != Some(b'\r')
    }

    /// The delimiters must be distinct and must not be letters, digits or spaces.
    pub fn check(&self) -> Result<(), String> {
        let all = [Some(self.element), self.repetition, Some(self.component), Some(self.segment)];
        let set: Vec<u8> = all.iter().flatten().copied().collect();
        for (i, a) in set.iter().enumerate() {
            if a.is_ascii_alphanumeric() || *a == b' ' {
                return Err(format!("delimiter {:?} is a letter, digit or space", *a as char));
            }
            if set[i + 1..].contains(a) {
                return Err(format!("delimiter {:?} is used twice", *a as char));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &[u8] = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*T*:~";

    #[test]
    fn reads_isa() {
        let d = Delimiters::from_isa(ISA, Position::default()).unwrap();
        assert_eq!(
            d,
            Delimiters { element: b'*', repetition: Some(b'^'), component: b':', segment: b'~' }
        );
    }

    #[test]
    fn u_is_not_a_repetition_separator() {
        let isa = String::from_utf8(ISA.to_vec()).unwrap().replace("*^*00501", "*U*00401");
        let d = Delimiters::from_isa(isa.as_bytes(), Position::default()).unwrap();
        assert_eq!(d.repetition, None);
    }

    #[test]
    fn odd_terminators_and_bad_isa() {
        let isa = String::from_utf8(ISA.to_vec()).unwrap().replace(":~", ":\u{1d}");
        assert_eq!(
            Delimiters::from_isa(isa.as_bytes(), Position::default()).unwrap().segment,
            0x1d
        );
        assert!(Delimiters::from_isa(&ISA[..60], Position::default()).is_err());
        assert!(Delimiters::from_isa(b"GS*HC", Position::default()).is_err());
    }
}
