//! What every X12 writer of this crate shares: a segment written from borrowed elements with
//! trailing empty elements dropped, composites joined the same way, and the X12 forms of dates,
//! units and names.

use claim_model::{Name, Units};
use code_sets::Date;
use x12::{Delimiters, EnvelopeWriter};

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
pub(crate) fn comp(d: &Delimiters, parts: &[&str]) -> String {
    trim(parts).join(&char::from(d.component).to_string())
}

/// `CCYYMMDD`.
pub(crate) fn ymd(d: Date) -> String {
    format!("{:08}", d.as_yyyymmdd())
}

/// Units as an X12 decimal (`1`, `1.5`, `0.125`).
pub(crate) fn units(u: Units) -> String {
    if u.0 % 1000 == 0 {
        (u.0 / 1000).to_string()
    } else {
        let s = format!("{}.{:03}", u.0 / 1000, (u.0 % 1000).abs());
        s.trim_end_matches('0').to_string()
    }
}

/// NM102 (`1` person, `2` organization) and NM103, NM104, NM105, NM107.
pub(crate) fn name_parts(n: &Name) -> (&'static str, &str, &str, &str, &str) {
    match n {
        Name::Person { last, first, middle, suffix } => ("1", last, first, middle, suffix),
        Name::Organization(o) => ("2", o, "", "", ""),
    }
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
