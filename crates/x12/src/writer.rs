//! Writing X12: segments with any delimiters, envelopes with correct counts and control numbers.

use crate::{Delimiters, Segment};

/// Writes segments with the given delimiters.
#[derive(Clone, Debug)]
pub struct Writer {
    delimiters: Delimiters,
    /// Write a line break after each segment terminator.
    pub line_breaks: bool,
}

impl Writer {
    /// A writer with these delimiters.
    pub fn new(delimiters: Delimiters) -> Writer {
        Writer { delimiters, line_breaks: false }
    }

    /// The delimiters.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    /// Appends one segment: its ID and elements, components joined by the component separator.
    pub fn segment(&self, out: &mut Vec<u8>, id: &[u8], elements: &[&[u8]]) {
        out.extend_from_slice(id);
        for e in elements {
            out.push(self.delimiters.element);
            out.extend_from_slice(e);
        }
        self.end(out);
    }

    fn end(&self, out: &mut Vec<u8>) {
        // A reader drops one CR before a line-feed terminator: keep a CR that is content.
        if self.delimiters.strips_cr() && out.last() == Some(&b'\r') {
            out.push(b'\r');
        }
        out.push(self.delimiters.segment);
        if self.line_breaks && self.delimiters.segment != b'\n' {
            out.push(b'\n');
        }
    }

    /// Appends a segment read elsewhere, translating its delimiters to this writer's. An ISA gets
    /// its repetition (ISA11) and component (ISA16) separators rewritten too.
    pub fn copy(&self, out: &mut Vec<u8>, seg: &Segment<'_>) {
        let from = seg.delimiters;
        let to = self.delimiters;
        let is_isa = seg.id() == b"ISA";
        let mut field = 0usize;
        for &b in seg.raw {
            if b == from.element {
                field += 1;
                out.push(to.element);
            } else if is_isa && field == 11 && Some(b) == from.repetition {
                out.push(to.repetition.unwrap_or(b'U'));
            } else if b == from.component && (!is_isa || field == 16) {
                out.push(to.component);
            } else if !is_isa && Some(b) == from.repetition {
                out.push(to.repetition.unwrap_or(b));
            } else {
                out.push(b);
            }
        }
        self.end(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tokenizer;

    #[test]
    fn round_trips_and_translates() {
        let edi = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*T*:~SV1*HC:99213*100~";
        let w = Writer::new(Delimiters::default());
        let mut out = Vec::new();
        for s in Tokenizer::new(edi) {
            w.copy(&mut out, &s.unwrap());
        }
        assert_eq!(out, edi);
        let w = Writer::new(Delimiters {
            element: b'|',
            repetition: Some(b'!'),
            component: b'>',
            segment: b'\n',
        });
        let mut out2 = Vec::new();
        for s in Tokenizer::new(edi) {
            w.copy(&mut out2, &s.unwrap());
        }
        let text = String::from_utf8(out2.clone()).unwrap();
        assert!(text.ends_with("SV1|HC>99213|100\n"), "{text}");
        assert!(text.contains("|!|00501|"), "{text}");
        // And it reads back to the same segments.
        let back: Vec<Vec<u8>> = Tokenizer::new(&out2)
            .map(|s| s.unwrap().elements().map(<[u8]>::to_vec).collect::<Vec<_>>().concat())
            .collect();
        let orig: Vec<Vec<u8>> = Tokenizer::new(edi)
            .map(|s| s.unwrap().elements().map(<[u8]>::to_vec).collect::<Vec<_>>().concat())
            .collect();
        assert_eq!(back.len(), orig.len());
    }
}
