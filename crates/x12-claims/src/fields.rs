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
    let raw = seg.element(n).unwrap_or_default();
    // Nearly always ASCII: trimmed as bytes; otherwise as text (lossy for bad UTF-8).
    if raw.is_ascii() {
        Text::from(std::str::from_utf8(raw.trim_ascii()).unwrap_or_default())
    } else {
        Text::from(seg.text(n).trim())
    }
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
