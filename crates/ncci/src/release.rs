//! Which CMS release a table came from: the version and quarter read from CMS's file names, so a
//! finding can cite the table it was judged by.

use std::fmt;

use code_sets::Date;
use serde::{Deserialize, Serialize};

/// The release of one installed table: CMS's version (PTP), the first day of its quarter, and the
/// files it was read from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// CMS's version, as `32.1` (PTP files are named `ccipra-v321r0-f1.txt`: version 32.1,
    /// revision 0, part 1); `None` for tables that have none.
    pub version: Option<String>,
    /// The first day of the quarter the table is for.
    pub quarter: Option<Date>,
    /// The files read, in load order, without their directories.
    pub files: Vec<String>,
}

impl Release {
    /// The release of a PTP file from its name: version and quarter from `v321r0` (NCCI versions
    /// go up by one each January and by a tenth each quarter: 31.0 is January 2025, 32.1 April
    /// 2026).
    pub(crate) fn of_ptp(name: &str) -> Release {
        let base = base_name(name);
        let lower = base.to_ascii_lowercase();
        let parsed = lower.split(['-', '_', '.']).find_map(|part| {
            let rest = part.strip_prefix('v')?;
            let (digits, revision) = rest.split_once('r').unwrap_or((rest, ""));
            if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (major, minor) = digits.split_at(digits.len() - 1);
            let (major, minor): (u32, u32) = (major.parse().ok()?, minor.parse().ok()?);
            let version = if revision.is_empty() {
                format!("{major}.{minor}")
            } else {
                format!("{major}.{minor} revision {revision}")
            };
            let quarter =
                (minor <= 3).then(|| Date::from_ymd(1994 + major, 1 + minor * 3, 1)).flatten();
            Some((version, quarter))
        });
        let (version, quarter) = parsed.map_or((None, None), |(v, q)| (Some(v), q));
        Release { version, quarter, files: vec![base.to_string()] }
    }

    /// The release of an MUE file in force from `effective_from`.
    pub(crate) fn of_mue(name: &str, effective_from: Date) -> Release {
        Release {
            version: None,
            quarter: Some(effective_from),
            files: vec![base_name(name).into()],
        }
    }

    /// The release of an add-on code file from its name (`AOC_V2026Q2-MCR.txt`: April 2026).
    pub(crate) fn of_aoc(name: &str) -> Release {
        let base = base_name(name);
        let upper = base.to_ascii_uppercase();
        let quarter = upper.split(['-', '_', '.']).find_map(|part| {
            let rest = part.strip_prefix('V').unwrap_or(part);
            let (year, q) = rest.split_once('Q')?;
            let (year, q): (u32, u32) = (year.parse().ok()?, q.parse().ok()?);
            ((1..=4).contains(&q) && year > 1990)
                .then(|| Date::from_ymd(year, 1 + (q - 1) * 3, 1))?
        });
        Release { version: None, quarter, files: vec![base.to_string()] }
    }

    /// Adds another part of the same release (PTP files come in parts).
    pub(crate) fn join(&mut self, other: Release) {
        if self.version.is_none() {
            self.version = other.version;
        }
        if self.quarter.is_none() {
            self.quarter = other.quarter;
        }
        for f in other.files {
            if !self.files.contains(&f) {
                self.files.push(f);
            }
        }
    }
}

impl fmt::Display for Release {
    /// `version 32.1, quarter beginning 2026-04-01 (ccipra-v321r0-f1.txt, ccipra-v321r0-f2.txt)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(v) = &self.version {
            parts.push(format!("version {v}"));
        }
        if let Some(q) = self.quarter {
            parts.push(format!("quarter beginning {q}"));
        }
        if parts.is_empty() {
            parts.push("release not named".to_string());
        }
        write!(f, "{}", parts.join(", "))?;
        if !self.files.is_empty() {
            write!(f, " ({})", self.files.join(", "))?;
        }
        Ok(())
    }
}

/// The file name without its directory (or the zip it came in: `aoc.zip!AOC_V2026Q2-MCR.xlsx`).
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\', '!']).next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn ptp_version_and_quarter_from_the_name() {
        let r = Release::of_ptp("/data/ccipra-v321r0-f1.txt");
        assert_eq!(r.version.as_deref(), Some("32.1 revision 0"));
        assert_eq!(r.quarter, Some(d("2026-04-01")));
        assert_eq!(r.files, ["ccipra-v321r0-f1.txt"]);
        assert_eq!(Release::of_ptp("ccioph-v310r0-f1.txt").quarter, Some(d("2025-01-01")));
        assert_eq!(Release::of_ptp("ccioph-v323r1-f1.txt").quarter, Some(d("2026-10-01")));
        let none = Release::of_ptp("edits.txt");
        assert_eq!((none.version, none.quarter), (None, None));
        assert_eq!(none.files, ["edits.txt"]);
    }

    #[test]
    fn aoc_quarter_from_the_name() {
        assert_eq!(Release::of_aoc("AOC_V2026Q2-MCR.txt").quarter, Some(d("2026-04-01")));
        assert_eq!(Release::of_aoc("aoc_v2025q4.txt").quarter, Some(d("2025-10-01")));
        assert_eq!(Release::of_aoc("addons.txt").quarter, None);
    }

    #[test]
    fn display_names_version_quarter_and_files() {
        let mut r = Release::of_ptp("ccipra-v321r0-f1.txt");
        r.join(Release::of_ptp("ccipra-v321r0-f2.txt"));
        assert_eq!(
            r.to_string(),
            "version 32.1 revision 0, quarter beginning 2026-04-01 \
             (ccipra-v321r0-f1.txt, ccipra-v321r0-f2.txt)"
        );
        assert_eq!(Release::default().to_string(), "release not named");
    }
}
