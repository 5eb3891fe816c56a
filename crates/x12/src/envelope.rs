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
        &src[self.set.0..self.set.1]
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
}

fn elements<'a>(raw: &'a [u8], d: &Delimiters) -> Vec<&'a [u8]> {
    raw.split(|&b| b == d.element).collect()
}

fn num(b: &[u8]) -> Option<u64> {
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

fn txt(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}

impl<'a> Builder<'a> {
    fn find(&mut self, pos: Position, rule: &'static str, message: String) {
        self.findings.push(Finding { pos, rule, message });
    }

    fn seg(&self, i: usize) -> (&'a [u8], Position) {
        let s = self.doc.segments[i];
        let src: &'a [u8] = self.src;
        (&src[s.bytes.0..s.bytes.1], s.pos)
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
        let head = elements(header_raw, &d);
        let tail = elements(trailer.raw, &d);
        let shown = |v: &[&[u8]], i: usize| v.get(i).map(|e| txt(e)).unwrap_or_default();
        if tail.get(1).and_then(|e| num(e)) != Some(actual) {
            let pos = Position { element: Some(1), ..trailer.pos };
            let message = format!(
                "{}01 says {:?} {} but the {} has {actual}{}",
                t.id,
                shown(&tail, 1),
                t.counted,
                t.container,
                t.note
            );
            self.find(pos, t.count_rule, message);
        }
        let same = if t.numeric_control {
            head.get(t.header_control).and_then(|e| num(e)) == tail.get(2).and_then(|e| num(e))
        } else {
            head.get(t.header_control).map(|e| txt(e)) == tail.get(2).map(|e| txt(e))
        };
        if !same {
            let pos = Position { element: Some(2), ..trailer.pos };
            let message = format!(
                "{}02 control number {:?} does not match {}{:02} {:?}",
                t.id,
                shown(&tail, 2),
                t.header,
                t.header_control,
                shown(&head, t.header_control)
            );
            self.find(pos, t.control_rule, message);
        }
    }

    fn close_transaction(&mut self, at: Option<Position>) {
        let Some(ic) = self.doc.interchanges.last_mut() else { return };
        let Some(g) = ic.groups.last_mut() else { return };
        let Some(t) = g.transactions.last_mut() else { return };
        if t.se.is_none() && t.segments.end == t.segments.start {
            let st = t.st;
            t.segments = st..self.doc.segments.len();
            let pos = at.unwrap_or(self.doc.segments[st].pos);
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
            let gs = g.gs;
            g.ge = Some(usize::MAX);
            let pos = at.unwrap_or(self.doc.segments[gs].pos);
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
    let mut b = Builder { src, doc: Document::default(), findings: Vec::new() };
    let base = src.as_ptr() as usize;
    // Open-state: are we inside an interchange / group / transaction without its trailer?
    let mut in_isa = false;
    let mut in_gs = false;
    let mut in_st = false;
    for item in Tokenizer::new(src) {
        let seg = match item {
            Ok(s) => s,
            Err(e) => {
                let pos = match &e {
                    Error::NoIsa(p)
                    | Error::BadIsa { pos: p, .. }
                    | Error::SegmentTooLong { pos: p, .. } => *p,
                    Error::Io(_) => Position::default(),
                };
                let rule = if matches!(e, Error::NoIsa(_)) { "X12-SYN-001" } else { "X12-SYN-002" };
                b.find(pos, rule, e.to_string());
                break;
            }
        };
        let start = seg.raw.as_ptr() as usize - base;
        let idx = b.doc.segments.len();
        b.doc.segments.push(SegmentRef { bytes: (start, start + seg.raw.len()), pos: seg.pos });
        let d = seg.delimiters;
        let id = seg.id();
        if !(2..=3).contains(&id.len())
            || !id.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            b.find(
                seg.pos,
                "X12-SYN-003",
                format!("{:?} is not a segment identifier (2–3 letters or digits)", txt(id)),
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
            b"ISA" => {
                if in_isa {
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
                b.doc.interchanges.push(Interchange {
                    delimiters: d,
                    isa: idx,
                    iea: None,
                    groups: Vec::new(),
                });
                in_isa = true;
                in_gs = false;
                in_st = false;
            }
            b"GS" => {
                if !in_isa {
                    b.find(
                        seg.pos,
                        "X12-ENV-001",
                        "GS outside an interchange (no ISA before it)".into(),
                    );
                    continue;
                }
                if in_gs {
                    b.close_group(Some(seg.pos));
                }
                if let Some(ic) = b.doc.interchanges.last_mut() {
                    ic.groups.push(Group { gs: idx, ge: None, transactions: Vec::new() });
                }
                in_gs = true;
                in_st = false;
            }
            b"ST" => {
                if !in_gs {
                    b.find(
                        seg.pos,
                        "X12-ENV-002",
                        "ST outside a functional group (no GS before it)".into(),
                    );
                    continue;
                }
                if in_st {
                    b.close_transaction(Some(seg.pos));
                }
                let set = seg.element(1).map_or((start, start), |e| {
                    let s = e.as_ptr() as usize - base;
                    (s, s + e.len())
                });
                if let Some(g) = b.doc.interchanges.last_mut().and_then(|ic| ic.groups.last_mut()) {
                    g.transactions.push(Transaction { st: idx, se: None, segments: idx..idx, set });
                }
                in_st = true;
            }
            b"SE" => {
                if !in_st {
                    b.find(seg.pos, "X12-ENV-003", "SE without an open transaction set".into());
                    continue;
                }
                in_st = false;
                let Some(t) = b
                    .doc
                    .interchanges
                    .last_mut()
                    .and_then(|ic| ic.groups.last_mut())
                    .and_then(|g| g.transactions.last_mut())
                else {
                    continue;
                };
                t.se = Some(idx);
                t.segments = t.st..idx + 1;
                let (count, st) = ((idx + 1 - t.st) as u64, t.st);
                let (st_raw, _) = b.seg(st);
                b.check_trailer(&seg, st_raw, count, &SE);
            }
            b"GE" => {
                if !in_gs {
                    b.find(seg.pos, "X12-ENV-004", "GE without an open functional group".into());
                    continue;
                }
                if in_st {
                    b.close_transaction(Some(seg.pos));
                    in_st = false;
                }
                in_gs = false;
                let Some(g) = b.doc.interchanges.last_mut().and_then(|ic| ic.groups.last_mut())
                else {
                    continue;
                };
                g.ge = Some(idx);
                let (n, gs) = (g.transactions.len() as u64, g.gs);
                let (gs_raw, _) = b.seg(gs);
                b.check_trailer(&seg, gs_raw, n, &GE);
            }
            b"IEA" => {
                if !in_isa {
                    b.find(seg.pos, "X12-ENV-005", "IEA without an open interchange".into());
                    continue;
                }
                if in_gs {
                    b.close_group(Some(seg.pos));
                    in_gs = false;
                    in_st = false;
                }
                in_isa = false;
                let Some(ic) = b.doc.interchanges.last_mut() else { continue };
                ic.iea = Some(idx);
                let (n, isa) = (ic.groups.len() as u64, ic.isa);
                let (isa_raw, _) = b.seg(isa);
                b.check_trailer(&seg, isa_raw, n, &IEA);
            }
            _ => {
                if !in_st {
                    b.find(
                        seg.pos,
                        "X12-ENV-006",
                        format!("{} is outside a transaction set (between ST and SE)", txt(id)),
                    );
                }
            }
        }
    }
    let end = b.doc.segments.last().map(|s| s.pos);
    if in_st {
        b.close_transaction(end);
    }
    if in_gs {
        b.close_group(end);
    }
    if in_isa {
        let pos = end.unwrap_or_default();
        b.find(pos, "X12-ENV-033", "the interchange has no IEA trailer (truncated file?)".into());
    }
    // Groups closed by a missing GE carry a placeholder; clear it.
    for ic in &mut b.doc.interchanges {
        for g in &mut ic.groups {
            if g.ge == Some(usize::MAX) {
                g.ge = None;
            }
        }
    }
    (b.doc, b.findings)
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
    fn garbage_is_a_finding() {
        assert_eq!(rules("\u{0}\u{1}binary garbage"), vec!["X12-SYN-001"]);
        assert_eq!(rules(""), Vec::<&str>::new());
    }
}
