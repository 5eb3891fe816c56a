//! The JSON form of the model (documented in `docs/claim-json.md`): money as integer cents,
//! dates as `YYYY-MM-DD`, units as decimal numbers, codes as the strings X12 carries.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{AdjustmentGroup, Cents, Frequency, Npi, Poa, Units};

impl Serialize for Cents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Cents {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cents, D::Error> {
        i64::deserialize(d).map(Cents)
    }
}

impl Serialize for Units {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Thousandths: exact as a JSON decimal for any realistic quantity.
        if self.0 % 1000 == 0 {
            s.serialize_i64(self.0 / 1000)
        } else {
            s.serialize_f64(self.0 as f64 / 1000.0)
        }
    }
}

impl<'de> Deserialize<'de> for Units {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Units, D::Error> {
        let v = f64::deserialize(d)?;
        if !v.is_finite() || v.abs() > 1e12 {
            return Err(D::Error::custom(format!("{v} is not a quantity of units")));
        }
        Ok(Units((v * 1000.0).round() as i64))
    }
}

impl Serialize for Npi {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Npi {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Npi, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(D::Error::custom)
    }
}

impl Frequency {
    /// The CLM05-3 code.
    pub fn code(self) -> char {
        match self {
            Frequency::Original => '1',
            Frequency::Replacement => '7',
            Frequency::Void => '8',
            Frequency::Other(c) => c,
        }
    }

    /// From the CLM05-3 code.
    pub fn from_code(c: char) -> Frequency {
        match c {
            '1' => Frequency::Original,
            '7' => Frequency::Replacement,
            '8' => Frequency::Void,
            other => Frequency::Other(other),
        }
    }
}

impl Serialize for Frequency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_char(self.code())
    }
}

impl<'de> Deserialize<'de> for Frequency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Frequency, D::Error> {
        char::deserialize(d).map(Frequency::from_code)
    }
}

impl Poa {
    /// The X12 indicator (`Y`, `N`, `U`, `W`, `1`).
    pub fn code(self) -> char {
        match self {
            Poa::Yes => 'Y',
            Poa::No => 'N',
            Poa::Unknown => 'U',
            Poa::Undetermined => 'W',
            Poa::Exempt => '1',
        }
    }

    /// From the X12 indicator.
    pub fn from_code(c: char) -> Option<Poa> {
        Some(match c {
            'Y' => Poa::Yes,
            'N' => Poa::No,
            'U' => Poa::Unknown,
            'W' => Poa::Undetermined,
            '1' => Poa::Exempt,
            _ => return None,
        })
    }
}

impl Serialize for Poa {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_char(self.code())
    }
}

impl<'de> Deserialize<'de> for Poa {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Poa, D::Error> {
        let c = char::deserialize(d)?;
        Poa::from_code(c).ok_or_else(|| D::Error::custom(format!("{c:?} is not a POA indicator")))
    }
}

impl Serialize for AdjustmentGroup {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for AdjustmentGroup {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AdjustmentGroup, D::Error> {
        let t = String::deserialize(d)?;
        AdjustmentGroup::from_code(&t)
            .ok_or_else(|| D::Error::custom(format!("{t:?} is not a CAS group code")))
    }
}

/// `Option<Date>` as `"YYYY-MM-DD"` or `null`.
pub(crate) mod date {
    use code_sets::Date;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(t) => t.parse().map(Some).map_err(D::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(serde_json::to_string(&Cents(-1050)).unwrap(), "-1050");
        assert_eq!(serde_json::to_string(&Units(1500)).unwrap(), "1.5");
        assert_eq!(serde_json::to_string(&Units(2000)).unwrap(), "2");
        assert_eq!(serde_json::from_str::<Units>("0.125").unwrap(), Units(125));
        assert_eq!(serde_json::to_string(&Frequency::Replacement).unwrap(), "\"7\"");
        assert_eq!(serde_json::from_str::<Frequency>("\"5\"").unwrap(), Frequency::Other('5'));
        assert!(serde_json::from_str::<Npi>("\"1234567890\"").is_err());
        assert!(serde_json::from_str::<Poa>("\"Q\"").is_err());
        assert_eq!(
            serde_json::from_str::<AdjustmentGroup>("\"CO\"").unwrap(),
            AdjustmentGroup::Contractual
        );
    }
}

/// `Vec<(ProviderRole, Party)>` as `[{"role": "billing", ...the party's fields}]`.
pub(crate) mod providers {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::{Party, ProviderRole};

    #[derive(Serialize)]
    struct Out<'a> {
        role: ProviderRole,
        #[serde(flatten)]
        party: &'a Party,
    }

    #[derive(Deserialize)]
    struct In {
        role: ProviderRole,
        #[serde(flatten)]
        party: Party,
    }

    pub(crate) fn serialize<S: Serializer>(
        v: &[(ProviderRole, Party)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|(role, party)| Out { role: *role, party }))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(ProviderRole, Party)>, D::Error> {
        Ok(Vec::<In>::deserialize(d)?.into_iter().map(|i| (i.role, i.party)).collect())
    }
}

/// `Option<(Person, Text)>` as `{"person": {...}, "relationship": "19"}` or `null`.
pub(crate) mod patient {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::{Person, Text};

    #[derive(Serialize)]
    struct Out<'a> {
        person: &'a Person,
        relationship: &'a str,
    }

    #[derive(Deserialize)]
    struct In {
        person: Person,
        relationship: Text,
    }

    pub(crate) fn serialize<S: Serializer>(
        v: &Option<(Person, Text)>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some((person, relationship)) => Out { person, relationship }.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<(Person, Text)>, D::Error> {
        Ok(Option::<In>::deserialize(d)?.map(|i| (i.person, i.relationship)))
    }
}
