//! What every X12 writer of this crate shares: a segment written from borrowed elements with
//! trailing empty elements dropped, composites joined the same way, and the X12 forms of dates,
//! units and names.

use claim_model::{Adjustment, Name, Text, Units};
use code_sets::Date;
use compact_str::ToCompactString;
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
    if u.0 % 1000 == 0 {
        (u.0 / 1000).to_compact_string()
    } else {
        let s = compact_str::format_compact!("{}.{:03}", u.0 / 1000, (u.0 % 1000).abs());
        Text::from(s.trim_end_matches('0'))
    }
}

/// A date span `CCYYMMDD-CCYYMMDD` (RD8).
pub(crate) fn span(from: Date, to: Date) -> Text {
    compact_str::format_compact!("{:08}-{:08}", from.as_yyyymmdd(), to.as_yyyymmdd())
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
    }
}
