//! Reading typed values out of elements, with a finding (never a panic) when one is malformed.
//! Shared by the 837 and 835 readers; the rule IDs name the transaction set.

use std::borrow::Cow;

use claim_model::{Adjustment, AdjustmentGroup, Cents, Text, Units};
use code_sets::Date;
use x12::{Finding, Position, Segment, Split};

/// Which transaction set's rule IDs to use.
#[derive(Clone, Copy)]
pub(crate) enum Set {
    Claim837,
    Remit835,
}

impl Set {
    fn rule(self, what: Rule) -> &'static str {
        match (self, what) {
            (Set::Claim837, Rule::Money) => "X12-837-SYN-001",
            (Set::Claim837, Rule::Date) => "X12-837-SYN-002",
            (Set::Claim837, Rule::Quantity) => "X12-837-SYN-003",
            (Set::Claim837, Rule::CasGroup) => "X12-837-CAS-001",
            (Set::Remit835, Rule::Money) => "X12-835-SYN-001",
            (Set::Remit835, Rule::Date) => "X12-835-SYN-002",
            (Set::Remit835, Rule::Quantity) => "X12-835-SYN-003",
            (Set::Remit835, Rule::CasGroup) => "X12-835-CAS-001",
        }
    }
}

#[derive(Clone, Copy)]
enum Rule {
    Money,
    Date,
    Quantity,
    CasGroup,
}

/// `b` as a number, when it is 1 to 18 ASCII digits.
fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    b.iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
}

/// The usual amount (`150`, `100.5`, `-12.34`) read straight from the bytes; anything else
/// (blanks, signs, spaces, errors) is left to the full parse.
fn plain_cents(b: &[u8]) -> Option<Cents> {
    let (neg, b) = match b {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, b),
    };
    let (whole, cents) = match b.iter().position(|&c| c == b'.') {
        None => (b, 0),
        Some(at) => {
            let frac = &b[at + 1..];
            let cents = match frac.len() {
                1 => digits(frac)? * 10,
                2 => digits(frac)?,
                _ => return None,
            };
            (&b[..at], cents)
        }
    };
    let v = digits(whole)?.checked_mul(100)?.checked_add(cents)?;
    Some(Cents(if neg { -v } else { v }))
}

/// Collects findings while values are read.
pub(crate) struct Fields<'f> {
    pub(crate) findings: &'f mut Vec<Finding>,
    pub(crate) set: Set,
}

/// Turns element bytes into text. Where the bytes of a run of segments are known to be UTF-8
/// (checked once, for the run), an element's text is found by its place among them; elsewhere
/// each element is checked on its own.
#[derive(Clone, Copy)]
pub(crate) struct Texts<'a> {
    /// The segments' bytes, when they are UTF-8; empty otherwise.
    text: &'a str,
}

impl<'a> Texts<'a> {
    /// For `segs`, which lie in order in `src` (when given): the bytes from the first segment to
    /// the end of the last are checked as UTF-8 once.
    pub(crate) fn of(src: Option<&'a [u8]>, segs: &[Segment<'a>]) -> Texts<'a> {
        let run = |src: &'a [u8]| {
            let (first, last) = (segs.first()?.raw, segs.last()?.raw);
            let start = offset_in(src, first)?;
            let end = offset_in(src, last)? + last.len();
            simdutf8::basic::from_utf8(src.get(start..end)?).ok()
        };
        Texts { text: src.and_then(run).unwrap_or("") }
    }

    /// Element `n` of `seg` as trimmed text.
    #[inline]
    pub(crate) fn el(self, seg: &Split<'a>, n: usize) -> Cow<'a, str> {
        self.str(seg.element(n).unwrap_or_default())
    }

    /// Bytes of an element or component (of these segments) as trimmed text.
    #[inline]
    pub(crate) fn str(self, raw: &'a [u8]) -> Cow<'a, str> {
        let found = offset_in(self.text.as_bytes(), raw)
            .and_then(|start| self.text.get(start..start + raw.len()));
        match found {
            Some(s) => Cow::Borrowed(trim(s)),
            None => str_of(raw),
        }
    }
}

/// Where `part` starts in `whole`, when it is a slice of it.
#[inline]
fn offset_in(whole: &[u8], part: &[u8]) -> Option<usize> {
    // Addresses compared as numbers: a slice lies in `whole` only if it starts within it.
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    (start <= whole.len() && whole.len() - start >= part.len()).then_some(start)
}

/// Trimmed of ASCII white space, and (rarely) of Unicode white space.
#[inline]
fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    let plain = t.as_bytes().first().is_none_or(u8::is_ascii)
        && t.as_bytes().last().is_none_or(u8::is_ascii);
    if plain { t } else { t.trim() }
}

/// Bytes of an element or component as trimmed text, borrowed unless the bytes are not UTF-8
/// (then replaced lossily).
pub(crate) fn str_of(raw: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(s) => Cow::Borrowed(trim(s)),
        Err(_) => Cow::Owned(String::from_utf8_lossy(raw).trim().to_owned()),
    }
}

/// The first `N` components of element `n` (absent ones empty) and how many the element has
/// (at most `N`): read without allocating.
pub(crate) fn comp_slices<'a, const N: usize>(seg: &Split<'a>, n: usize) -> ([&'a [u8]; N], usize) {
    let mut out = [&[][..]; N];
    let mut count = 0;
    for (slot, c) in out.iter_mut().zip(seg.components(n)) {
        *slot = c;
        count += 1;
    }
    (out, count)
}

impl Fields<'_> {
    pub(crate) fn find(
        &mut self,
        pos: Position,
        element: Option<u16>,
        rule: &'static str,
        message: String,
    ) {
        self.findings.push(Finding { pos: Position { element, ..pos }, rule, message });
    }

    /// An amount; blank is zero.
    pub(crate) fn money(&mut self, seg: &Split<'_>, n: usize) -> Cents {
        if let Some(c) = plain_cents(seg.element(n).unwrap_or_default()) {
            return c;
        }
        let t = seg.text(n);
        if t.trim().is_empty() {
            return Cents::ZERO;
        }
        match t.parse::<Cents>() {
            Ok(c) => c,
            Err(e) => {
                self.find(seg.pos, Some(n as u16), self.set.rule(Rule::Money), e.to_string());
                Cents::ZERO
            }
        }
    }

    /// A CCYYMMDD date (the first eight characters, so DT date-times read too); blank is none.
    pub(crate) fn date(&mut self, seg: &Split<'_>, n: usize) -> Option<Date> {
        // The usual date, read from the bytes.
        let b = seg.element(n).unwrap_or_default();
        if let Some(v) = b.get(..8).and_then(digits) {
            let v = v as u32;
            if let Some(d) = Date::from_ymd(v / 10_000, v / 100 % 100, v % 100) {
                return Some(d);
            }
        }
        let raw = seg.text(n);
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        let d = Date::from_yyyymmdd(t.get(..8).unwrap_or(""));
        if d.is_none() {
            self.find(
                seg.pos,
                Some(n as u16),
                self.set.rule(Rule::Date),
                format!("{t:?} is not a date CCYYMMDD"),
            );
        }
        d
    }

    /// A quantity with up to three decimals, in thousandths; blank is none.
    pub(crate) fn units(&mut self, seg: &Split<'_>, n: usize) -> Option<Units> {
        // The usual whole number of units, read from the bytes.
        if let Some(v) =
            digits(seg.element(n).unwrap_or_default()).and_then(|v| v.checked_mul(1000))
        {
            return Some(Units(v));
        }
        let raw = seg.text(n);
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        let (neg, body) = match t.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, t),
        };
        let (w, f) = body.split_once('.').unwrap_or((body, ""));
        let ok = !w.is_empty() || !f.is_empty();
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let f = f.trim_end_matches('0');
        let parsed = (ok && digits(w) && digits(f) && f.len() <= 3)
            .then(|| {
                let w: i64 = if w.is_empty() { 0 } else { w.parse().ok()? };
                // Thousandths from up to three decimals, without allocating.
                let frac = f.bytes().chain(std::iter::repeat(b'0')).take(3);
                let f: i64 = frac.fold(0, |acc, b| acc * 10 + i64::from(b - b'0'));
                w.checked_mul(1000)?.checked_add(f)
            })
            .flatten();
        match parsed {
            Some(v) => Some(Units(if neg { -v } else { v })),
            None => {
                self.find(
                    seg.pos,
                    Some(n as u16),
                    self.set.rule(Rule::Quantity),
                    format!("{t:?} is not a quantity"),
                );
                None
            }
        }
    }

    /// CAS: the group, then up to six reason/amount/quantity triplets.
    pub(crate) fn cas(&mut self, seg: &Split<'_>, out: &mut Vec<Adjustment>) {
        self.cas_with(Texts::of(None, &[]), seg, |group, reason, amount, quantity| {
            out.push(Adjustment { group, reason: Text::from(&*reason), amount, quantity })
        });
    }

    /// CAS, each adjustment handed to `each` with its reason borrowed from the segment.
    pub(crate) fn cas_with<'a>(
        &mut self,
        tx: Texts<'a>,
        seg: &Split<'a>,
        mut each: impl FnMut(AdjustmentGroup, Cow<'a, str>, Cents, Option<Units>),
    ) {
        let code = tx.el(seg, 1);
        let Some(group) = AdjustmentGroup::from_code(&code) else {
            self.find(
                seg.pos,
                Some(1),
                self.set.rule(Rule::CasGroup),
                format!("CAS01 {code:?} is not an adjustment group (CO, PR, OA, PI, CR, OI)"),
            );
            return;
        };
        for k in 0..6 {
            let r = 2 + 3 * k;
            let reason = tx.el(seg, r);
            if reason.is_empty() {
                continue;
            }
            let amount = self.money(seg, r + 1);
            let quantity = self.units(seg, r + 2);
            each(group, reason, amount, quantity);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_of_ascii_and_unicode_space_and_lossy_on_bad_bytes() {
        assert!(matches!(str_of(b"  DOE "), Cow::Borrowed("DOE")));
        assert_eq!(str_of("\u{a0}JOSÉ\u{a0}".as_bytes()), "JOSÉ");
        assert_eq!(str_of("ÅSA ".as_bytes()), "ÅSA");
        assert!(matches!(str_of(b"A\xffB"), Cow::Owned(s) if s == "A\u{fffd}B"));
        assert_eq!(str_of(b""), "");
    }

    #[test]
    fn plain_amounts_are_read_from_the_bytes_like_the_full_parse() {
        for t in ["150", "100.5", "-12.34", "0", "0.00", "007", "123456789012.99"] {
            assert_eq!(plain_cents(t.as_bytes()), Some(t.parse::<Cents>().unwrap()), "{t}");
        }
        // Left to the full parse (which reads or refuses them).
        for t in ["", "+5", ".5", "1.500", " 7", "1e3", "1.", "-", "9999999999999999999"] {
            assert_eq!(plain_cents(t.as_bytes()), None, "{t}");
        }
    }

    #[test]
    fn components_are_sliced_without_allocating() {
        let src = b"ISA*00*          *00*          *ZZ*S              *ZZ*R              *260101*1200*^*00501*000000001*0*P*:~SV1*HC:99213:25:59*100~";
        let segs: Vec<_> = x12::Tokenizer::new(src).map(Result::unwrap).collect();
        let seg = Split::new(segs[1]);
        let (c, n) = comp_slices::<6>(&seg, 1);
        assert_eq!(n, 4);
        assert_eq!(c[..4], [&b"HC"[..], b"99213", b"25", b"59"]);
        assert_eq!(c[4], b"");
        let (c, n) = comp_slices::<2>(&seg, 1);
        assert_eq!((n, c), (2, [&b"HC"[..], b"99213"]));
        assert_eq!(comp_slices::<3>(&seg, 9).1, 0);
    }
}
