//! Calendar dates without a time zone, as code-set releases and dates of service use them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar date, stored as `yyyymmdd` so that ordering is numeric ordering.
///
/// ```
/// use code_sets::Date;
/// let d: Date = "2026-04-01".parse().unwrap();
/// assert_eq!(d.year(), 2026);
/// assert_eq!(d.to_string(), "2026-04-01");
/// assert!(d < Date::from_ymd(2026, 10, 1).unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date(u32);

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {text:?}: expected YYYY-MM-DD (or YYYYMMDD) naming a real calendar day")]
pub struct DateError {
    text: String,
}

impl Date {
    /// Builds a date, checking that the day exists.
    pub fn from_ymd(year: u32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date(year * 10_000 + month * 100 + day))
    }

    /// The year.
    pub fn year(self) -> u32 {
        self.0 / 10_000
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.0 / 100 % 100
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.0 % 100
    }

    /// The `yyyymmdd` number, as X12 and CMS fixed-width files write dates.
    pub fn as_yyyymmdd(self) -> u32 {
        self.0
    }

    /// Reads an eight-digit `yyyymmdd` field; `None` for blanks, zeros or impossible dates.
    pub fn from_yyyymmdd(text: &str) -> Option<Date> {
        let t = text.trim();
        if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = t.parse().ok()?;
        Date::from_ymd(n / 10_000, n / 100 % 100, n % 100)
    }

    /// The day before this one.
    pub fn pred(self) -> Date {
        let (y, m, d) = (self.year(), self.month(), self.day());
        if d > 1 {
            Date(self.0 - 1)
        } else if m > 1 {
            Date(y * 10_000 + (m - 1) * 100 + days_in_month(y, m - 1))
        } else {
            Date((y - 1) * 10_000 + 12 * 100 + 31)
        }
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    pub fn day_number(self) -> i64 {
        let (y, m, d) = (i64::from(self.year()), i64::from(self.month()), i64::from(self.day()));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (the inverse of [`Date::day_number`]); `None`
    /// outside years 1 to 9999.
    ///
    /// ```
    /// use code_sets::Date;
    /// let d: Date = "2013-04-01".parse().unwrap();
    /// assert_eq!(Date::from_day_number(d.day_number()), Some(d));
    /// assert_eq!(Date::from_day_number(0).unwrap().to_string(), "1970-01-01");
    /// ```
    pub fn from_day_number(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::from_ymd(u32::try_from(year).ok()?, month as u32, day as u32)
    }

    /// The days from this date to `later` (negative when `later` is earlier): a stay admitted
    /// and discharged on the same day is 0 days long.
    ///
    /// ```
    /// use code_sets::Date;
    /// let a: Date = "2026-02-27".parse().unwrap();
    /// assert_eq!(a.days_until("2026-03-02".parse().unwrap()), 3);
    /// ```
    pub fn days_until(self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// Whole years from this date (a birth date) to `on`: the age on that day, or `None` when
    /// `on` is before this date.
    ///
    /// ```
    /// use code_sets::Date;
    /// let born: Date = "1960-06-15".parse().unwrap();
    /// assert_eq!(born.years_until("2026-06-14".parse().unwrap()), Some(65));
    /// assert_eq!(born.years_until("2026-06-15".parse().unwrap()), Some(66));
    /// ```
    pub fn years_until(self, on: Date) -> Option<u32> {
        if on < self {
            return None;
        }
        let mut years = on.year() - self.year();
        if (on.month(), on.day()) < (self.month(), self.day()) {
            years -= 1;
        }
        Some(years)
    }

    /// The first day of the federal fiscal year `fy` (October 1 of the year before).
    pub fn fiscal_year_start(fy: u32) -> Date {
        Date((fy - 1) * 10_000 + 1001)
    }

    /// The federal fiscal year this date falls in.
    pub fn fiscal_year(self) -> u32 {
        if self.month() >= 10 { self.year() + 1 } else { self.year() }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        _ => 28,
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError { text: s.to_string() };
        let t = s.trim();
        if let Some(d) = Date::from_yyyymmdd(t) {
            return Ok(d);
        }
        let mut parts = t.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let num = |p: &str| p.parse::<u32>().map_err(|_| err());
        Date::from_ymd(num(y)?, num(m)?, num(d)?).ok_or_else(err)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2024-02-29".parse::<Date>().unwrap().to_string(), "2024-02-29");
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2025-13-01".parse::<Date>().is_err());
        assert!("2025-1-01".parse::<Date>().is_err());
        assert_eq!("20251001".parse::<Date>().unwrap().to_string(), "2025-10-01");
        assert!("".parse::<Date>().is_err());
    }

    #[test]
    fn pred_and_fiscal_year() {
        let d: Date = "2026-01-01".parse().unwrap();
        assert_eq!(d.pred().to_string(), "2025-12-31");
        let d: Date = "2024-03-01".parse().unwrap();
        assert_eq!(d.pred().to_string(), "2024-02-29");
        assert_eq!(Date::fiscal_year_start(2026).to_string(), "2025-10-01");
        assert_eq!("2025-10-01".parse::<Date>().unwrap().fiscal_year(), 2026);
        assert_eq!("2026-09-30".parse::<Date>().unwrap().fiscal_year(), 2026);
    }
}
