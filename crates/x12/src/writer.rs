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

/// The sender and receiver of an interchange (ISA05–ISA08) and its settings.
#[derive(Clone, Debug)]
pub struct InterchangeHeader {
    /// ISA05/ISA06: sender qualifier and ID (padded to 15).
    pub sender: (String, String),
    /// ISA07/ISA08: receiver qualifier and ID (padded to 15).
    pub receiver: (String, String),
    /// ISA09/ISA10: date `YYMMDD` and time `HHMM`.
    pub date_time: (String, String),
    /// ISA13: the interchange control number (1 to 999,999,999).
    pub control: u32,
    /// ISA14: request an acknowledgment (TA1).
    pub ack_requested: bool,
    /// ISA15: `P` production or `T` test.
    pub usage: char,
}

/// Writes whole interchanges: the ISA with its fixed widths, GS/ST headers, and the SE, GE and IEA
/// trailers with their counts and control numbers computed, so they are always right.
#[derive(Debug)]
pub struct EnvelopeWriter {
    w: Writer,
    out: Vec<u8>,
    isa_control: u32,
    groups: u32,
    group: Option<(u32, u32)>,
    transaction: Option<(String, usize)>,
}

fn pad(s: &str, n: usize) -> String {
    let mut t: String = s.chars().take(n).collect();
    while t.chars().count() < n {
        t.push(' ');
    }
    t
}

impl EnvelopeWriter {
    /// Starts an interchange.
    pub fn new(delimiters: Delimiters, header: &InterchangeHeader) -> EnvelopeWriter {
        let w = Writer::new(delimiters);
        let mut out = Vec::new();
        let rep = delimiters.repetition.map_or('U', char::from).to_string();
        let comp = char::from(delimiters.component).to_string();
        let control = format!("{:09}", header.control % 1_000_000_000);
        let fields: [String; 16] = [
            "00".into(),
            pad("", 10),
            "00".into(),
            pad("", 10),
            pad(&header.sender.0, 2),
            pad(&header.sender.1, 15),
            pad(&header.receiver.0, 2),
            pad(&header.receiver.1, 15),
            pad(&header.date_time.0, 6),
            pad(&header.date_time.1, 4),
            rep,
            "00501".into(),
            control,
            if header.ack_requested { "1".into() } else { "0".into() },
            header.usage.to_string(),
            comp,
        ];
        let refs: Vec<&[u8]> = fields.iter().map(|f| f.as_bytes()).collect();
        w.segment(&mut out, b"ISA", &refs);
        EnvelopeWriter {
            w,
            out,
            isa_control: header.control % 1_000_000_000,
            groups: 0,
            group: None,
            transaction: None,
        }
    }

    /// Writes line breaks after terminators (the ISA already written gets one too).
    pub fn line_breaks(mut self, on: bool) -> EnvelopeWriter {
        let seg = self.w.delimiters().segment;
        if on && !self.w.line_breaks && seg != b'\n' && self.out.last() == Some(&seg) {
            self.out.push(b'\n');
        }
        self.w.line_breaks = on;
        self
    }

    /// Opens a functional group (GS01 functional ID, GS02/GS03 sender/receiver, GS04/GS05 date and
    /// time, GS08 version); GS06 is `control`. An open group is closed first.
    pub fn group(
        &mut self,
        functional_id: &str,
        sender: &str,
        receiver: &str,
        date_time: (&str, &str),
        control: u32,
        version: &str,
    ) {
        self.close_group();
        let c = control.to_string();
        self.w.segment(
            &mut self.out,
            b"GS",
            &[
                functional_id.as_bytes(),
                sender.as_bytes(),
                receiver.as_bytes(),
                date_time.0.as_bytes(),
                date_time.1.as_bytes(),
                c.as_bytes(),
                b"X",
                version.as_bytes(),
            ],
        );
        self.groups += 1;
        self.group = Some((control, 0));
    }

    /// Opens a transaction set (ST01 `set_id`, ST02 `control`, ST03 `version` when not empty).
    pub fn transaction(&mut self, set_id: &str, control: &str, version: &str) {
        self.close_transaction();
        let mut el: Vec<&[u8]> = vec![set_id.as_bytes(), control.as_bytes()];
        if !version.is_empty() {
            el.push(version.as_bytes());
        }
        self.w.segment(&mut self.out, b"ST", &el);
        self.transaction = Some((control.to_string(), 1));
        if let Some(g) = self.group.as_mut() {
            g.1 += 1;
        }
    }

    /// Writes a segment already joined with this writer's element (and component) separators,
    /// without its terminator, inside the open transaction set: the fast path for writers that
    /// build segments in a reused buffer.
    pub fn segment_joined(&mut self, body: &[u8]) {
        self.out.extend_from_slice(body);
        self.w.end(&mut self.out);
        if let Some(t) = self.transaction.as_mut() {
            t.1 += 1;
        }
    }

    /// The delimiters it writes with.
    pub fn delimiters(&self) -> Delimiters {
        self.w.delimiters()
    }

    /// A writer for a stretch of segments of the open transaction set, written apart (on another
    /// thread, say) with the same delimiters and line breaks, then added with [`Self::append`].
    pub fn part(&self) -> EnvelopeWriter {
        EnvelopeWriter {
            w: self.w.clone(),
            out: Vec::new(),
            isa_control: 0,
            groups: 0,
            group: None,
            transaction: Some((String::new(), 0)),
        }
    }

    /// Makes room for about `bytes` more output at once (a writer that knows roughly how much it
    /// will write spares the regrowth copies).
    pub fn reserve(&mut self, bytes: usize) {
        self.out.reserve(bytes);
    }

    /// Appends the segments of [`Self::part`]s to the open transaction set, in order, counting
    /// them (room for all of them is made at once).
    pub fn append(&mut self, parts: Vec<EnvelopeWriter>) {
        self.out.reserve(parts.iter().map(|p| p.out.len()).sum());
        for part in parts {
            self.out.extend_from_slice(&part.out);
            let n = part.transaction.map_or(0, |t| t.1);
            if let Some(t) = self.transaction.as_mut() {
                t.1 += n;
            }
        }
    }

    /// Writes a segment inside the open transaction set.
    pub fn segment(&mut self, id: &[u8], elements: &[&[u8]]) {
        self.w.segment(&mut self.out, id, elements);
        if let Some(t) = self.transaction.as_mut() {
            t.1 += 1;
        }
    }

    fn close_transaction(&mut self) {
        if let Some((control, n)) = self.transaction.take() {
            let count = (n + 1).to_string();
            self.w.segment(&mut self.out, b"SE", &[count.as_bytes(), control.as_bytes()]);
        }
    }

    fn close_group(&mut self) {
        self.close_transaction();
        if let Some((control, n)) = self.group.take() {
            let (n, c) = (n.to_string(), control.to_string());
            self.w.segment(&mut self.out, b"GE", &[n.as_bytes(), c.as_bytes()]);
        }
    }

    /// Closes everything and returns the interchange's bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.close_group();
        let (n, c) = (self.groups.to_string(), format!("{:09}", self.isa_control));
        self.w.segment(&mut self.out, b"IEA", &[n.as_bytes(), c.as_bytes()]);
        self.out
    }
}

#[cfg(test)]
mod envelope_tests {
    use super::*;

    #[test]
    fn written_envelopes_are_right() {
        let header = InterchangeHeader {
            sender: ("ZZ".into(), "SUBMITTER".into()),
            receiver: ("ZZ".into(), "PAYER".into()),
            date_time: ("260115".into(), "0930".into()),
            control: 42,
            ack_requested: true,
            usage: 'T',
        };
        for d in [
            Delimiters::default(),
            Delimiters { element: b'|', repetition: None, component: b'>', segment: b'\n' },
        ] {
            let mut e = EnvelopeWriter::new(d, &header).line_breaks(true);
            e.group("HC", "SUBMITTER", "PAYER", ("20260115", "0930"), 7, "005010X222A1");
            e.transaction("837", "0001", "005010X222A1");
            e.segment(b"BHT", &[b"0019", b"00", b"1", b"20260115", b"0930", b"CH"]);
            e.transaction("837", "0002", "005010X222A1");
            e.segment(b"BHT", &[b"0019", b"00", b"2", b"20260115", b"0930", b"CH"]);
            e.segment(b"REF", &[b"87", b"004010X098A1"]);
            e.group("HC", "SUBMITTER", "PAYER", ("20260115", "0930"), 8, "005010X222A1");
            e.transaction("837", "0003", "005010X222A1");
            let out = e.finish();
            let (doc, findings) = crate::parse(&out);
            assert!(findings.is_empty(), "{findings:?}\n{}", String::from_utf8_lossy(&out));
            assert_eq!(doc.interchanges[0].groups.len(), 2);
            let isa_len = out.iter().position(|&b| b == d.segment).unwrap() + 1;
            assert_eq!(isa_len, 106, "the ISA is 106 bytes with its terminator");
            assert_eq!(Delimiters::from_isa(&out, crate::Position::default()).unwrap(), d);
        }
    }
}
