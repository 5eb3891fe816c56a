//! A/R aging: what is owed, in buckets by the age of the service (days from the date of service
//! to the "as of" date).

use code_sets::Date;

use crate::Cents;

/// The buckets' labels, youngest first.
pub const LABELS: [&str; 5] = ["0-30", "31-60", "61-90", "91-120", "120+"];

/// The bucket (index into [`LABELS`]) of a service on `service` seen on `as_of`; services after
/// `as_of` count as 0 days old.
pub fn bucket(service: Date, as_of: Date) -> usize {
    match service.days_until(as_of) {
        ..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        91..=120 => 3,
        _ => 4,
    }
}

/// Amounts by bucket.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Buckets(pub [Cents; 5]);

impl Buckets {
    /// Adds an amount owed for a service on `service`.
    pub fn add(&mut self, service: Date, as_of: Date, amount: Cents) {
        self.0[bucket(service, as_of)] += amount;
    }

    /// Σ.
    pub fn total(&self) -> Cents {
        self.0.iter().copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_edges() {
        let as_of = Date::from_ymd(2026, 6, 30).unwrap();
        let ago = |d: i64| Date::from_day_number(as_of.day_number() - d).unwrap();
        let got: Vec<usize> = [0, 30, 31, 60, 61, 90, 91, 120, 121, 400]
            .iter()
            .map(|&d| bucket(ago(d), as_of))
            .collect();
        assert_eq!(got, vec![0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
        assert_eq!(bucket(Date::from_ymd(2026, 7, 5).unwrap(), as_of), 0);
        let mut b = Buckets::default();
        b.add(ago(45), as_of, Cents(100));
        b.add(ago(5), as_of, Cents(-30));
        assert_eq!(b.total(), Cents(70));
    }
}
