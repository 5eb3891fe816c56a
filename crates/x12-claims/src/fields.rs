//! Reading typed values out of elements, with a finding (never a panic) when one is malformed.
//! Shared by the 837 and 835 readers; the rule IDs name the transaction set.

use claim_model::{Adjustment, AdjustmentGroup, Cents, Text, Units};
use code_sets::Date;
use x12::{Finding, Position, Split};

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

/// Collects findings while values are read.
pub(crate) struct Fields<'f> {
    pub(crate) findings: &'f mut Vec<Finding>,
    pub(crate) set: Set,
}

/// Element `n` as trimmed text.
pub(crate) fn text(seg: &Split<'_>, n: usize) -> Text {
    text_of(seg.element(n).unwrap_or_default())
}

/// Bytes of an element or component as trimmed text (lossy for bad UTF-8).
pub(crate) fn text_of(raw: &[u8]) -> Text {
    match std::str::from_utf8(raw) {
        // Nearly always ASCII: trimmed as bytes, then (rarely) of Unicode white space.
        Ok(s) => {
            let t = s.trim_ascii();
            let plain = t.as_bytes().first().is_none_or(u8::is_ascii)
                && t.as_bytes().last().is_none_or(u8::is_ascii);
            Text::from(if plain { t } else { t.trim() })
        }
        Err(_) => Text::from(String::from_utf8_lossy(raw).trim()),
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
        let code = text(seg, 1);
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
            let reason = text(seg, r);
            if reason.is_empty() {
                continue;
            }
            let amount = self.money(seg, r + 1);
            let quantity = self.units(seg, r + 2);
            out.push(Adjustment { group, reason, amount, quantity });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_of_ascii_and_unicode_space_and_lossy_on_bad_bytes() {
        assert_eq!(text_of(b"  DOE "), "DOE");
        assert_eq!(text_of("\u{a0}JOSÉ\u{a0}".as_bytes()), "JOSÉ");
        assert_eq!(text_of("ÅSA ".as_bytes()), "ÅSA");
        assert_eq!(text_of(b"A\xffB"), "A\u{fffd}B");
        assert_eq!(text_of(b""), "");
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
