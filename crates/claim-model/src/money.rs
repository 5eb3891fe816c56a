//! Money is integer cents, always. Amounts are parsed from and written to the X12 decimal form.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in cents (negative for take-backs and reversals).
///
/// ```
/// use claim_model::Cents;
/// let c: Cents = "150.5".parse().unwrap();
/// assert_eq!(c, Cents(15050));
/// assert_eq!(c.to_string(), "150.50");
/// assert_eq!(c.to_x12(), "150.5");
/// assert!("1.005".parse::<Cents>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

/// Why an amount could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not an amount of money: {why}")]
pub struct MoneyError {
    text: String,
    why: &'static str,
}

impl Cents {
    /// Zero.
    pub const ZERO: Cents = Cents(0);

    /// The amount as X12 writes it: no trailing zeros after the point, no point for whole amounts.
    pub fn to_x12(self) -> crate::Text {
        use compact_str::ToCompactString;
        let a = self.0.unsigned_abs();
        let (whole, frac) = (a / 100, a % 100);
        let mut s = crate::Text::default();
        if self.0 < 0 {
            s.push('-');
        }
        s.push_str(&whole.to_compact_string());
        if frac != 0 {
            s.push('.');
            s.push(char::from(b'0' + (frac / 10) as u8));
            if frac % 10 != 0 {
                s.push(char::from(b'0' + (frac % 10) as u8));
            }
        }
        s
    }

    /// Adds, or `None` on overflow.
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }
}

impl std::str::FromStr for Cents {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Cents, MoneyError> {
        let err = |why| MoneyError { text: s.to_string(), why };
        let t = s.trim();
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(err("no digits"));
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("only digits, one point and a leading minus are allowed"));
        }
        let frac_trim = frac.trim_end_matches('0');
        if frac_trim.len() > 2 {
            return Err(err("more than two decimal places: money is kept to the cent"));
        }
        let w: i64 =
            if whole.is_empty() { 0 } else { whole.parse().map_err(|_| err("too large"))? };
        let mut f: i64 = if frac_trim.is_empty() {
            0
        } else {
            frac_trim.parse().map_err(|_| err("bad cents"))?
        };
        if frac_trim.len() == 1 {
            f *= 10;
        }
        let v =
            w.checked_mul(100).and_then(|c| c.checked_add(f)).ok_or_else(|| err("too large"))?;
        Ok(Cents(if neg { -v } else { v }))
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0 + o.0)
    }
}

impl Sub for Cents {
    type Output = Cents;
    fn sub(self, o: Cents) -> Cents {
        Cents(self.0 - o.0)
    }
}

impl Neg for Cents {
    type Output = Cents;
    fn neg(self) -> Cents {
        Cents(-self.0)
    }
}

impl AddAssign for Cents {
    fn add_assign(&mut self, o: Cents) {
        self.0 += o.0;
    }
}

impl SubAssign for Cents {
    fn sub_assign(&mut self, o: Cents) {
        self.0 -= o.0;
    }
}

impl Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

impl<'a> Sum<&'a Cents> for Cents {
    fn sum<I: Iterator<Item = &'a Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_x12_amounts() {
        for (t, c) in [
            ("0", 0),
            ("1", 100),
            ("1.5", 150),
            ("1.50", 150),
            ("-12.34", -1234),
            (".5", 50),
            ("100.000", 10000),
            ("+3", 300),
        ] {
            assert_eq!(t.parse::<Cents>().unwrap(), Cents(c), "{t}");
        }
        for bad in ["", "-", "1.001", "1,00", "abc", "1.2.3", "99999999999999999999"] {
            assert!(bad.parse::<Cents>().is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_x12_amounts() {
        for (c, t) in [(0, "0"), (100, "1"), (150, "1.5"), (105, "1.05"), (-1234, "-12.34")] {
            assert_eq!(Cents(c).to_x12(), t);
            assert_eq!(t.parse::<Cents>().unwrap(), Cents(c));
        }
        assert_eq!([Cents(1), Cents(2)].iter().sum::<Cents>(), Cents(3));
    }
}
