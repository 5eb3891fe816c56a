//! What every X12 writer of this crate shares: a segment written from borrowed elements with
//! trailing empty elements dropped, composites joined the same way, and the X12 forms of dates,
//! units and names.

use claim_model::{Adjustment, Cents, Name, Text, Units};
use code_sets::Date;
use x12::{Delimiters, Document, EnvelopeWriter, InterchangeHeader};

use crate::{AckTime, Submission};

/// The elements up to the last non-empty one (X12 sends no trailing empty elements).
pub(crate) fn trim<'a>(el: &'a [&'a str]) -> &'a [&'a str] {
    let n = el.iter().rposition(|e| !e.is_empty()).map_or(0, |i| i + 1);
    &el[..n]
}

/// Writes one segment, built in `line` (a buffer reused from segment to segment).
pub(crate) fn put(w: &mut EnvelopeWriter, line: &mut Vec<u8>, id: &[u8], el: &[&str]) {
    let d = w.delimiters();
    line.clear();
    line.extend_from_slice(id);
    for e in trim(el) {
        line.push(d.element);
        line.extend_from_slice(e.as_bytes());
    }
    w.segment_joined(line);
}

/// A segment written element by element straight into a reused buffer: numbers, amounts, dates
/// and composites are formatted in place (no temporary strings), and the trailing empty
/// elements and components X12 does not send are dropped.
pub(crate) struct Seg<'b> {
    line: &'b mut Vec<u8>,
    d: Delimiters,
    /// Length of `line` after the last non-empty element.
    keep: usize,
}

impl<'b> Seg<'b> {
    /// Starts segment `id` in `line`.
    pub(crate) fn new(line: &'b mut Vec<u8>, d: Delimiters, id: &[u8]) -> Seg<'b> {
        line.clear();
        line.extend_from_slice(id);
        let keep = line.len();
        Seg { line, d, keep }
    }

    /// Writes the next element with `f`.
    fn with(&mut self, f: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        self.line.push(self.d.element);
        let start = self.line.len();
        f(self.line);
        if self.line.len() > start {
            self.keep = self.line.len();
        }
        self
    }

    /// A text element.
    pub(crate) fn el(&mut self, s: &str) -> &mut Self {
        self.with(|b| b.extend_from_slice(s.as_bytes()))
    }

    /// Text elements.
    pub(crate) fn els(&mut self, all: &[&str]) -> &mut Self {
        for s in all {
            self.el(s);
        }
        self
    }

    /// A whole number.
    pub(crate) fn num(&mut self, n: u64) -> &mut Self {
        self.with(|b| push_u64(b, n))
    }

    /// An amount as X12 writes it (`150`, `150.5`, `-0.25`).
    pub(crate) fn cents(&mut self, c: Cents) -> &mut Self {
        self.with(|b| push_cents(b, c))
    }

    /// Units as an X12 decimal.
    pub(crate) fn units(&mut self, u: Units) -> &mut Self {
        self.with(|b| push_units(b, u))
    }

    /// A date `CCYYMMDD`.
    pub(crate) fn date(&mut self, d: Date) -> &mut Self {
        self.with(|b| push_date(b, d))
    }

    /// A date span `CCYYMMDD-CCYYMMDD`.
    pub(crate) fn span(&mut self, from: Date, to: Date) -> &mut Self {
        self.with(|b| {
            push_date(b, from);
            b.push(b'-');
            push_date(b, to);
        })
    }

    /// A composite of text components, trailing empty ones dropped.
    pub(crate) fn comp(&mut self, parts: &[&str]) -> &mut Self {
        let c = self.d.component;
        self.with(|b| {
            for (i, p) in trim(parts).iter().enumerate() {
                if i > 0 {
                    b.push(c);
                }
                b.extend_from_slice(p.as_bytes());
            }
        })
    }

    /// A composite whose components `f` writes, given the component separator (it must not
    /// leave trailing separators).
    pub(crate) fn comp_with(&mut self, f: impl FnOnce(&mut Vec<u8>, u8)) -> &mut Self {
        let c = self.d.component;
        self.with(|b| f(b, c))
    }

    /// Writes the segment.
    pub(crate) fn put(&mut self, w: &mut EnvelopeWriter) {
        self.line.truncate(self.keep);
        w.segment_joined(self.line);
    }
}

/// Appends the decimal digits of `n`.
pub(crate) fn push_u64(b: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(&digits[i..]);
}

/// Appends an amount as X12 writes it (the same text as [`Cents::to_x12`]).
pub(crate) fn push_cents(b: &mut Vec<u8>, c: Cents) {
    if c.0 < 0 {
        b.push(b'-');
    }
    let a = c.0.unsigned_abs();
    push_u64(b, a / 100);
    let frac = a % 100;
    if frac != 0 {
        b.push(b'.');
        b.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            b.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// Appends units as an X12 decimal (the same text as [`units`]).
pub(crate) fn push_units(b: &mut Vec<u8>, u: Units) {
    if u.0 < 0 {
        b.push(b'-');
    }
    let a = u.0.unsigned_abs();
    push_u64(b, a / 1000);
    let mut frac = a % 1000;
    if frac != 0 {
        b.push(b'.');
        let mut width = 3;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        let mut digits = [b'0'; 3];
        for k in (0..width).rev() {
            digits[k] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        b.extend_from_slice(&digits[..width]);
    }
}

/// Appends a date as `CCYYMMDD`.
pub(crate) fn push_date(b: &mut Vec<u8>, d: Date) {
    let n = d.as_yyyymmdd();
    let mut digits = [b'0'; 8];
    let mut v = n;
    for k in (0..8).rev() {
        digits[k] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    b.extend_from_slice(&digits);
}

/// A composite's components joined, trailing empty ones dropped.
pub(crate) fn comp(d: &Delimiters, parts: &[&str]) -> Text {
    let mut out = Text::default();
    for (i, p) in trim(parts).iter().enumerate() {
        if i > 0 {
            out.push(char::from(d.component));
        }
        out.push_str(p);
    }
    out
}

/// `CCYYMMDD`.
pub(crate) fn ymd(d: Date) -> Text {
    compact_str::format_compact!("{:08}", d.as_yyyymmdd())
}

/// Units as an X12 decimal (`1`, `1.5`, `0.125`).
pub(crate) fn units(u: Units) -> Text {
    let mut b = Vec::with_capacity(24);
    push_units(&mut b, u);
    // Only ASCII digits, a sign and a point.
    Text::from(std::str::from_utf8(&b).unwrap_or_default())
}

/// NM102 (`1` person, `2` organization) and NM103, NM104, NM105, NM107.
pub(crate) fn name_parts(n: &Name) -> (&'static str, &str, &str, &str, &str) {
    match n {
        Name::Person { last, first, middle, suffix } => ("1", last, first, middle, suffix),
        Name::Organization(o) => ("2", o, "", "", ""),
    }
}

/// CAS segments for `adjustments`: one per group, up to six reason/amount/quantity triplets each.
pub(crate) fn cas(w: &mut EnvelopeWriter, line: &mut Vec<u8>, adjustments: &[Adjustment]) {
    let mut groups: Vec<&str> = Vec::new();
    for a in adjustments {
        if !groups.contains(&a.group.code()) {
            groups.push(a.group.code());
        }
    }
    for g in groups {
        let of: Vec<&Adjustment> = adjustments.iter().filter(|a| a.group.code() == g).collect();
        for chunk in of.chunks(6) {
            let mut el: Vec<Text> = vec![Text::from(g)];
            for a in chunk {
                el.push(a.reason.clone());
                el.push(a.amount.to_x12());
                el.push(a.quantity.map(units).unwrap_or_default());
            }
            let refs: Vec<&str> = el.iter().map(Text::as_str).collect();
            put(w, line, b"CAS", &refs);
        }
    }
}

/// An interchange for what we send.
pub(crate) fn interchange(sub: &Submission, delimiters: Delimiters) -> EnvelopeWriter {
    let header = InterchangeHeader {
        sender: sub.sender.clone(),
        receiver: sub.receiver.clone(),
        date_time: (sub.date_time.0.get(2..).unwrap_or("").to_string(), sub.date_time.1.clone()),
        control: sub.control,
        ack_requested: false,
        usage: sub.usage,
    };
    EnvelopeWriter::new(delimiters, &header).line_breaks(true)
}

/// Opens a functional group of what we send (GS02/GS03 and the date from the submission).
pub(crate) fn group(
    w: &mut EnvelopeWriter,
    sub: &Submission,
    functional: &str,
    control: u32,
    version: &str,
) {
    w.group(
        functional,
        &sub.application_ids.0,
        &sub.application_ids.1,
        (&sub.date_time.0, &sub.date_time.1),
        control % 1_000_000_000,
        version,
    );
}

/// An interchange answering the first one of `doc` (a 999 or 277CA): sender and receiver
/// swapped, its control number, usage and delimiters (with a repetition separator).
pub(crate) fn reply_writer(src: &[u8], doc: &Document, time: &AckTime) -> Option<EnvelopeWriter> {
    let ic = doc.interchanges.first()?;
    let d = ic.delimiters;
    let isa = doc.segments[ic.isa];
    let header = InterchangeHeader {
        sender: (isa.text(src, &d, 7), isa.text(src, &d, 8)),
        receiver: (isa.text(src, &d, 5), isa.text(src, &d, 6)),
        date_time: time.isa.clone(),
        control: isa.text(src, &d, 13).parse().unwrap_or(1),
        ack_requested: false,
        usage: isa.text(src, &d, 15).chars().next().unwrap_or('P'),
    };
    let out_delims = Delimiters { repetition: Some(d.repetition.unwrap_or(b'^')), ..d };
    Some(EnvelopeWriter::new(out_delims, &header).line_breaks(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_written_as_x12_decimals() {
        assert_eq!(units(Units(1000)), "1");
        assert_eq!(units(Units(1500)), "1.5");
        assert_eq!(units(Units(125)), "0.125");
        assert_eq!(units(Units(0)), "0");
        assert_eq!(units(Units(-500)), "-0.5");
        assert_eq!(units(Units(-1250)), "-1.25");
        assert_eq!(units(Units(10_010)), "10.01");
    }

    #[test]
    fn amounts_in_place_match_the_model_s_x12_form() {
        for c in [0, 1, 10, 99, 100, 150, 15050, 15055, -1, -25, -100, -12345, i64::MAX, i64::MIN] {
            let mut b = Vec::new();
            push_cents(&mut b, Cents(c));
            assert_eq!(std::str::from_utf8(&b).unwrap(), Cents(c).to_x12(), "{c}");
        }
    }

    #[test]
    fn a_segment_drops_trailing_empty_elements_and_components() {
        let d = Delimiters::default();
        let mut line = Vec::new();
        let mut s = Seg::new(&mut line, d, b"SV1");
        s.comp(&["HC", "99213", "", ""]).cents(Cents(10050)).el("UN").units(Units(1000));
        s.el("").comp(&["", ""]).el("");
        s.line.truncate(s.keep);
        assert_eq!(line, b"SV1*HC:99213*100.5*UN*1");
        let mut s = Seg::new(&mut line, d, b"DTP");
        s.els(&["472", "RD8"]).span(
            Date::from_yyyymmdd("20260101").unwrap(),
            Date::from_yyyymmdd("20260131").unwrap(),
        );
        s.line.truncate(s.keep);
        assert_eq!(line, b"DTP*472*RD8*20260101-20260131");
    }
}
