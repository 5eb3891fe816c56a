//! Identifiers with rules of their own.

use std::fmt;

/// A National Provider Identifier: ten digits whose last is a Luhn check digit computed over the
/// first nine prefixed with `80840` (the health-industry card issuer prefix).
///
/// ```
/// use claim_model::Npi;
/// assert!("1234567893".parse::<Npi>().is_ok());
/// assert!("1234567890".parse::<Npi>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Npi([u8; 10]);

/// Why an NPI was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a valid NPI: {why}")]
pub struct NpiError {
    text: String,
    why: &'static str,
}

impl Npi {
    /// The ten digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The check digit for nine digits, per the NPI standard (Luhn over `80840` + the nine).
    pub fn check_digit(first9: &[u8; 9]) -> u8 {
        // The prefix 80840 contributes a constant 24 to the Luhn sum.
        let mut sum = 24u32;
        for (i, &d) in first9.iter().rev().enumerate() {
            let mut v = u32::from(d - b'0');
            if i % 2 == 0 {
                v *= 2;
                if v > 9 {
                    v -= 9;
                }
            }
            sum += v;
        }
        ((10 - sum % 10) % 10) as u8 + b'0'
    }
}

impl std::str::FromStr for Npi {
    type Err = NpiError;

    fn from_str(s: &str) -> Result<Npi, NpiError> {
        let err = |why| NpiError { text: s.to_string(), why };
        let b = s.trim().as_bytes();
        if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) {
            return Err(err("an NPI is exactly ten digits"));
        }
        let mut first9 = [0u8; 9];
        first9.copy_from_slice(&b[..9]);
        if Npi::check_digit(&first9) != b[9] {
            return Err(err("the check digit does not match (a digit is mistyped)"));
        }
        let mut v = [0u8; 10];
        v.copy_from_slice(b);
        Ok(Npi(v))
    }
}

impl fmt::Display for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Npi({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        // The CMS example NPI, and its neighbours with a wrong last digit.
        assert!("1234567893".parse::<Npi>().is_ok());
        for last in 0..10u8 {
            let s = format!("123456789{last}");
            assert_eq!(s.parse::<Npi>().is_ok(), last == 3, "{s}");
        }
        assert!("123456789".parse::<Npi>().is_err());
        assert!("12345678A3".parse::<Npi>().is_err());
    }
}
