//! The envelope tree: interchanges (ISA/IEA) hold functional groups (GS/GE) that hold
//! transaction sets (ST/SE), with the control numbers and counts checked.

use std::ops::Range;

use crate::{Delimiters, Error, Position, Segment, Tokenizer};

/// A problem found in the envelopes or the syntax, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Where.
    pub pos: Position,
    /// The stable rule ID (`X12-ENV-…`, `X12-SYN-…`).
    pub rule: &'static str,
    /// What is wrong, in words a biller can act on.
    pub message: String,
}

/// One segment's place in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentRef {
    /// Byte range of the segment (without terminator).
    pub bytes: (usize, usize),
    /// Where it is.
    pub pos: Position,
}

impl SegmentRef {
    /// The segment's bytes in `src`.
    pub fn raw<'a>(&self, src: &'a [u8]) -> &'a [u8] {
        &src[self.bytes.0..self.bytes.1]
    }

    /// Element `n` (0 is the segment ID) as trimmed text, or "" when absent.
    pub fn text(&self, src: &[u8], d: &Delimiters, n: usize) -> String {
        self.raw(src)
            .split(|&b| b == d.element)
            .nth(n)
            .map(|e| String::from_utf8_lossy(e).trim().to_string())
            .unwrap_or_default()
    }
}

/// A parsed file: every segment in order, and the envelopes over them.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Every segment, in order.
    pub segments: Vec<SegmentRef>,
    /// The interchanges.
    pub interchanges: Vec<Interchange>,
}

/// ISA … IEA.
#[derive(Clone, Debug)]
pub struct Interchange {
    /// Its delimiters.
    pub delimiters: Delimiters,
    /// Index of the ISA in `Document::segments`.
    pub isa: usize,
    /// Index of the IEA, when present.
    pub iea: Option<usize>,
    /// Its functional groups.
    pub groups: Vec<Group>,
}

/// GS … GE.
#[derive(Clone, Debug)]
pub struct Group {
    /// Index of the GS.
    pub gs: usize,
    /// Index of the GE, when present.
    pub ge: Option<usize>,
    /// Its transaction sets.
    pub transactions: Vec<Transaction>,
}

/// ST … SE.
#[derive(Clone, Debug)]
pub struct Transaction {
    /// Index of the ST.
    pub st: usize,
    /// Index of the SE, when present.
    pub se: Option<usize>,
    /// The segments from ST to SE inclusive (indexes into `Document::segments`).
    pub segments: Range<usize>,
    /// ST01, the transaction set identifier (`837`, `835`…), as a byte range in the source.
    set: (usize, usize),
}

impl Transaction {
    /// ST01 (`837`, `835`, `999`…).
    pub fn set_id<'a>(&self, src: &'a [u8]) -> &'a [u8] {
        src.get(self.set.0..self.set.1).unwrap_or_default()
    }
}

/// How a trailer (SE, GE, IEA) is checked.
struct Trailer {
    id: &'static str,
    header: &'static str,
    header_control: usize,
    counted: &'static str,
    container: &'static str,
    note: &'static str,
    numeric_control: bool,
    count_rule: &'static str,
    control_rule: &'static str,
}

const SE: Trailer = Trailer {
    id: "SE",
    header: "ST",
    header_control: 2,
    counted: "segments",
    container: "transaction set",
    note: " (ST through SE)",
    numeric_control: false,
    count_rule: "X12-ENV-011",
    control_rule: "X12-ENV-012",
};
const GE: Trailer = Trailer {
    id: "GE",
    header: "GS",
    header_control: 6,
    counted: "transaction sets",
    container: "group",
    note: "",
    numeric_control: true,
    count_rule: "X12-ENV-021",
    control_rule: "X12-ENV-022",
};
const IEA: Trailer = Trailer {
    id: "IEA",
    header: "ISA",
    header_control: 13,
    counted: "functional groups",
    container: "interchange",
    note: "",
    numeric_control: false,
    count_rule: "X12-ENV-031",
    control_rule: "X12-ENV-032",
};

struct Builder<'a> {
    src: &'a [u8],
    doc: Document,
    findings: Vec<Finding>,
    /// Keep a `SegmentRef` per segment in `doc.segments` (not when validating a stream).
    keep_refs: bool,
    /// Segments seen so far.
    count: usize,
    /// The open headers: raw bytes (copied: segments may come from a stream) and position of
    /// the ISA, GS and ST.
    isa: (Vec<u8>, Position),
    gs: (Vec<u8>, Position),
    st: (Vec<u8>, Position),
    last_pos: Option<Position>,
    in_isa: bool,
    in_gs: bool,
    in_st: bool,
}

/// Element `n` of a segment's bytes (0 is the ID).
fn element<'a>(raw: &'a [u8], d: &Delimiters, n: usize) -> Option<&'a [u8]> {
    raw.split(|&b| b == d.element).nth(n)
}

fn num(b: &[u8]) -> Option<u64> {
    let t = b.trim_ascii();
    if !t.is_empty() && t.len() <= 18 && t.iter().all(u8::is_ascii_digit) {
        return Some(t.iter().fold(0, |acc, &c| acc * 10 + u64::from(c - b'0')));
    }
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

/// Whether two control numbers are the same text (ignoring surrounding spaces).
fn same_text(a: &[u8], b: &[u8]) -> bool {
    match (std::str::from_utf8(a), std::str::from_utf8(b)) {
        (Ok(x), Ok(y)) => x.trim() == y.trim(),
        _ => txt(a) == txt(b),
    }
}

fn txt(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}

impl<'a> Builder<'a> {
    fn find(&mut self, pos: Position, rule: &'static str, message: String) {
        self.findings.push(Finding { pos, rule, message });
    }

    /// Checks a trailer's count (element 1) and control number (element 2) against what was
    /// counted and against the header's control number.
    fn check_trailer(
        &mut self,
        trailer: &Segment<'_>,
        header_raw: &[u8],
        actual: u64,
        t: &Trailer,
    ) {
        let d = trailer.delimiters;
        let head = element(header_raw, &d, t.header_control);
        let tail1 = element(trailer.raw, &d, 1);
        let tail2 = element(trailer.raw, &d, 2);
        let shown = |v: Option<&[u8]>| v.map(txt).unwrap_or_default();
        if tail1.and_then(num) != Some(actual) {
            let pos = Position { element: Some(1), ..trailer.pos };
            let message = format!(
                "{}01 says {:?} {} but the {} has {actual}{}",
                t.id,
                shown(tail1),
                t.counted,
                t.container,
                t.note
            );
            self.find(pos, t.count_rule, message);
        }
        let same = if t.numeric_control {
            head.and_then(num) == tail2.and_then(num)
        } else {
            match (head, tail2) {
                (Some(h), Some(t2)) => same_text(h, t2),
                (h, t2) => h.is_none() && t2.is_none(),
            }
        };
        if !same {
            let pos = Position { element: Some(2), ..trailer.pos };
            let message = format!(
                "{}02 control number {:?} does not match {}{:02} {:?}",
                t.id,
                shown(tail2),
                t.header,
                t.header_control,
                shown(head)
            );
            self.find(pos, t.control_rule, message);
        }
    }

    fn close_transaction(&mut self, at: Option<Position>) {
        let Some(ic) = self.doc.interchanges.last_mut() else { return };
        let Some(g) = ic.groups.last_mut() else { return };
        let Some(t) = g.transactions.last_mut() else { return };
        if t.se.is_none() && t.segments.end == t.segments.start {
            t.segments = t.st..self.count;
            let pos = at.unwrap_or(self.st.1);
            self.find(
                pos,
                "X12-ENV-010",
                "the transaction set has no SE trailer before this point".into(),
            );
        }
    }

    fn close_group(&mut self, at: Option<Position>) {
        self.close_transaction(at);
        let Some(ic) = self.doc.interchanges.last_mut() else { return };
        if let Some(g) = ic.groups.last_mut()
            && g.ge.is_none()
        {
            g.ge = Some(usize::MAX);
            let pos = at.unwrap_or(self.gs.1);
            self.find(
                pos,
                "X12-ENV-020",
                "the functional group has no GE trailer before this point".into(),
            );
        }
    }
}

/// Parses the envelopes of `src`: never fails; problems come back as findings.
pub fn parse(src: &[u8]) -> (Document, Vec<Finding>) {
    let (doc, findings, _) = parse_inner(src, false);
    (doc, findings)
}

/// Like [`parse`], and also returns the segments (one per `Document::segments` entry), so that
/// a caller that needs both tokenizes the file once.
pub fn parse_with_segments(src: &[u8]) -> (Document, Vec<Finding>, Vec<Segment<'_>>) {
    parse_inner(src, true)
}

fn parse_inner(src: &[u8], keep: bool) -> (Document, Vec<Finding>, Vec<Segment<'_>>) {
    let mut kept = Vec::new();
    let mut p = EnvelopeParser::new(src, true);
    for item in Tokenizer::new(src) {
        match item {
            Ok(seg) => {
                p.push(seg);
                if keep {
                    kept.push(seg);
                }
            }
            Err(e) => {
                p.error(&e);
                break;
            }
        }
    }
    let (doc, findings) = p.finish();
    (doc, findings, kept)
}

/// The envelope checks, fed one segment at a time, for callers that stream a file (they keep
/// only what they need of each transaction set). [`parse`] is this over a whole slice.
pub struct EnvelopeParser<'a> {
    b: Builder<'a>,
}

impl<'a> EnvelopeParser<'a> {
    /// A parser for segments of `src` (segments pushed must borrow from it). With `keep_refs`
    /// false, `Document::segments` stays empty and memory stays constant; the envelope tree
    /// (interchanges, groups, transaction sets with their index ranges) is still built.
    pub fn new(src: &'a [u8], keep_refs: bool) -> EnvelopeParser<'a> {
        let none = || (Vec::new(), Position::default());
        EnvelopeParser {
            b: Builder {
                src,
                doc: Document::default(),
                findings: Vec::new(),
                keep_refs,
                count: 0,
                isa: none(),
                gs: none(),
                st: none(),
                last_pos: None,
                in_isa: false,
                in_gs: false,
                in_st: false,
            },
        }
    }

    /// Records a tokenizer error (the file ends there).
    pub fn error(&mut self, e: &Error) {
        let pos = match e {
            Error::NoIsa(p)
            | Error::BadIsa { pos: p, .. }
            | Error::SegmentTooLong { pos: p, .. } => *p,
            Error::Io(_) => Position::default(),
        };
        let rule = if matches!(e, Error::NoIsa(_)) { "X12-SYN-001" } else { "X12-SYN-002" };
        self.b.find(pos, rule, e.to_string());
    }

    /// The findings so far, taken out.
    pub fn take_findings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.b.findings)
    }

    /// The envelope tree so far.
    pub fn document(&self) -> &Document {
        &self.b.doc
    }

    /// Checks one more segment. It may borrow from anywhere (a stream's buffer); with
    /// `keep_refs`, it must borrow from the `src` the parser was made with.
    pub fn push(&mut self, seg: Segment<'_>) {
        let b = &mut self.b;
        let base = b.src.as_ptr() as usize;
        let start = (seg.raw.as_ptr() as usize).wrapping_sub(base);
        let idx = b.count;
        b.count += 1;
        b.last_pos = Some(seg.pos);
        if b.keep_refs {
            b.doc.segments.push(SegmentRef { bytes: (start, start + seg.raw.len()), pos: seg.pos });
        }
        let d = seg.delimiters;
        let id = seg.id();
        if !(2..=3).contains(&id.len())
            || !id.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            // At most the first three characters are quoted: with a broken delimiter the
            // "identifier" can be a whole segment, and error messages never echo a patient's data.
            let shown: String = txt(id).chars().take(3).collect();
            let more = if id.len() > 3 { "…" } else { "" };
            b.find(
                seg.pos,
                "X12-SYN-003",
                format!("{shown:?}{more} is not a segment identifier (2–3 letters or digits)"),
            );
        }
        if !seg.terminated {
            b.find(
                seg.pos,
                "X12-SYN-004",
                "the file ends inside this segment: its terminator is missing (truncated file?)"
                    .into(),
            );
        }
        match id {
            [b'I', b'S', b'A'] => {
                if b.in_isa {
                    b.close_group(Some(seg.pos));
                    b.find(
                        seg.pos,
                        "X12-ENV-030",
                        "a new ISA starts before the IEA of the previous interchange".into(),
                    );
                }
                // The ISA is fixed width: each element has an exact size.
                const WIDTHS: [usize; 16] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
                for (i, (e, want)) in seg.elements().zip(WIDTHS).enumerate() {
                    if e.len() != want {
                        let mut p = seg.pos;
                        p.element = Some(i as u16 + 1);
                        b.find(p, "X12-SYN-005", format!(
                            "ISA{:02} is {} characters; the ISA is fixed width and ISA{:02} has exactly {want}",
                            i + 1, e.len(), i + 1
                        ));
                    }
                }
                b.isa = (seg.raw.to_vec(), seg.pos);
                b.doc.interchanges.push(Interchange {
                    delimiters: d,
                    isa: idx,
                    iea: None,
                    groups: Vec::new(),
                });
                b.in_isa = true;
                b.in_gs = false;
                b.in_st = false;
            }
            [b'G', b'S'] => {
                if !b.in_isa {
                    b.find(
                        seg.pos,
                        "X12-ENV-001",
                        "GS outside an interchange (no ISA before it)".into(),
                    );
                    return;
                }
                if b.in_gs {
                    b.close_group(Some(seg.pos));
                }
                b.gs = (seg.raw.to_vec(), seg.pos);
                if let Some(ic) = b.doc.interchanges.last_mut() {
                    ic.groups.push(Group { gs: idx, ge: None, transactions: Vec::new() });
                }
                b.in_gs = true;
                b.in_st = false;
            }
            [b'S', b'T'] => {
                if !b.in_gs {
                    b.find(
                        seg.pos,
                        "X12-ENV-002",
                        "ST outside a functional group (no GS before it)".into(),
                    );
                    return;
                }
                if b.in_st {
                    b.close_transaction(Some(seg.pos));
                }
                b.st = (seg.raw.to_vec(), seg.pos);
                let set = seg.element(1).map_or((start, start), |e| {
                    let s = (e.as_ptr() as usize).wrapping_sub(base);
                    (s, s + e.len())
                });
                if let Some(g) = b.doc.interchanges.last_mut().and_then(|ic| ic.groups.last_mut()) {
                    g.transactions.push(Transaction { st: idx, se: None, segments: idx..idx, set });
                }
                b.in_st = true;
            }
            [b'S', b'E'] => {
                if !b.in_st {
                    b.find(seg.pos, "X12-ENV-003", "SE without an open transaction set".into());
                    return;
                }
                b.in_st = false;
                let Some(t) = b
                    .doc
                    .interchanges
                    .last_mut()
                    .and_then(|ic| ic.groups.last_mut())
                    .and_then(|g| g.transactions.last_mut())
                else {
                    return;
                };
                t.se = Some(idx);
                t.segments = t.st..idx + 1;
                let count = (idx + 1 - t.st) as u64;
                let st_raw = std::mem::take(&mut b.st.0);
                b.check_trailer(&seg, &st_raw, count, &SE);
                b.st.0 = st_raw;
            }
            [b'G', b'E'] => {
                if !b.in_gs {
                    b.find(seg.pos, "X12-ENV-004", "GE without an open functional group".into());
                    return;
                }
                if b.in_st {
                    b.close_transaction(Some(seg.pos));
                    b.in_st = false;
                }
                b.in_gs = false;
                let Some(g) = b.doc.interchanges.last_mut().and_then(|ic| ic.groups.last_mut())
                else {
                    return;
                };
                g.ge = Some(idx);
                let n = g.transactions.len() as u64;
                let gs_raw = std::mem::take(&mut b.gs.0);
                b.check_trailer(&seg, &gs_raw, n, &GE);
                b.gs.0 = gs_raw;
            }
            [b'I', b'E', b'A'] => {
                if !b.in_isa {
                    b.find(seg.pos, "X12-ENV-005", "IEA without an open interchange".into());
                    return;
                }
                if b.in_gs {
                    b.close_group(Some(seg.pos));
                    b.in_gs = false;
                    b.in_st = false;
                }
                b.in_isa = false;
                let Some(ic) = b.doc.interchanges.last_mut() else { return };
                ic.iea = Some(idx);
                let n = ic.groups.len() as u64;
                let isa_raw = std::mem::take(&mut b.isa.0);
                b.check_trailer(&seg, &isa_raw, n, &IEA);
                b.isa.0 = isa_raw;
            }
            _ => {
                if !b.in_st {
                    b.find(
                        seg.pos,
                        "X12-ENV-006",
                        format!("{} is outside a transaction set (between ST and SE)", txt(id)),
                    );
                }
            }
        }
    }

    /// Closes what is still open and returns the tree and the findings.
    pub fn finish(mut self) -> (Document, Vec<Finding>) {
        let b = &mut self.b;
        let end = b.last_pos;
        if b.in_st {
            b.close_transaction(end);
        }
        if b.in_gs {
            b.close_group(end);
        }
        if b.in_isa {
            let pos = end.unwrap_or_default();
            b.find(
                pos,
                "X12-ENV-033",
                "the interchange has no IEA trailer (truncated file?)".into(),
            );
        }
        // Groups closed by a missing GE carry a placeholder; clear it.
        for ic in &mut b.doc.interchanges {
            for g in &mut ic.groups {
                if g.ge == Some(usize::MAX) {
                    g.ge = None;
                }
            }
        }
        (std::mem::take(&mut b.doc), std::mem::take(&mut b.findings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(edi: &str) -> Vec<&'static str> {
        parse(edi.as_bytes()).1.iter().map(|f| f.rule).collect()
    }

    const ISA: &str = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*T*:~";

    #[test]
    fn a_clean_interchange_has_no_findings() {
        let edi = format!(
            "{ISA}GS*HC*S*R*20260101*1200*7*X*005010X222A1~ST*837*0001~BHT*0019~SE*3*0001~GE*1*7~IEA*1*000000001~"
        );
        let (doc, f) = parse(edi.as_bytes());
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(doc.interchanges[0].groups[0].transactions[0].segments, 2..5);
    }

    #[test]
    fn counts_and_control_numbers() {
        let edi = format!(
            "{ISA}GS*HC*S*R*20260101*1200*7*X*005010X222A1~ST*837*0001~BHT*0019~SE*4*0002~GE*2*8~IEA*2*000000009~"
        );
        assert_eq!(
            rules(&edi),
            vec![
                "X12-ENV-011",
                "X12-ENV-012",
                "X12-ENV-021",
                "X12-ENV-022",
                "X12-ENV-031",
                "X12-ENV-032"
            ]
        );
    }

    #[test]
    fn missing_trailers() {
        let edi = format!("{ISA}GS*HC*S*R*20260101*1200*7*X*005010X222A1~ST*837*0001~BHT*0019");
        let r = rules(&edi);
        assert!(r.contains(&"X12-SYN-004"), "{r:?}");
        assert!(r.contains(&"X12-ENV-010"), "{r:?}");
        assert!(r.contains(&"X12-ENV-020"), "{r:?}");
        assert!(r.contains(&"X12-ENV-033"), "{r:?}");
    }

    #[test]
    fn a_broken_segment_is_not_echoed() {
        // A segment whose element separator was lost: its "identifier" is the whole segment.
        let edi = format!(
            "{ISA}GS*HC*S*R*20260101*1200*7*X*005010X222A1~ST*837*0001~NM1|IL|1|DOE|JOHN~SE*3*0001~GE*1*7~IEA*1*000000001~"
        );
        let (_, f) = parse(edi.as_bytes());
        let bad = f.iter().find(|f| f.rule == "X12-SYN-003").expect("a finding");
        assert_eq!(bad.message, "\"NM1\"… is not a segment identifier (2–3 letters or digits)");
        assert!(!bad.message.contains("DOE"));
    }

    #[test]
    fn garbage_is_a_finding() {
        assert_eq!(rules("\u{0}\u{1}binary garbage"), vec!["X12-SYN-001"]);
        assert_eq!(rules(""), Vec::<&str>::new());
    }
}
