//! The National Correct Coding Initiative edit tables, read from the files CMS publishes each
//! quarter (layouts in `docs/formats/ncci.md`):
//!
//! - procedure-to-procedure (PTP) edits, practitioner and outpatient hospital: a column 1 / column
//!   2 code pair with effective and deletion dates and a modifier indicator (0 never together, 1
//!   allowed with an NCCI-associated modifier, 9 not applicable);
//! - Medically Unlikely Edits (MUE), practitioner, outpatient hospital and DME supplier: the most
//!   units of a code on a line or a day, with the MUE adjudication indicator (1 line, 2 date of
//!   service by policy, 3 date of service, clinical);
//! - add-on code (AOC) edits: each add-on code with its primary codes and edit type (1, 2, 3).
//!
//! Tables are values: parse them from bytes, merge them, write and read their binary form, and
//! ask them about codes on a date. No I/O here.
//!
//! Where the layouts come from (no CMS file is on the build machine; the fixtures reproduce the
//! published headings):
//! - PTP: CMS, "Medicare NCCI Procedure to Procedure (PTP) Edits"
//!   (<https://www.cms.gov/medicare/coding-billing/national-correct-coding-initiative-ncci-edits/medicare-ncci-procedure-procedure-ptp-edits>),
//!   and the NCCI Edit Design Manual's tab-delimited publication format (column 1, column 2, `*`
//!   for edits in existence before 1996, effective date, deletion date, modifier indicator,
//!   rationale; files per setting PRA/OPH).
//! - MUE: CMS, "Medicare NCCI Medically Unlikely Edits"
//!   (<https://www.cms.gov/medicare/coding-billing/national-correct-coding-initiative-ncci-edits/medicare-ncci-medically-unlikely-edits>):
//!   four columns, HCPCS/CPT code, `<Setting> Services MUE Values`, MUE Adjudication Indicator,
//!   MUE Rationale (the last two since the third quarter of 2014).
//! - Add-on codes: CMS, "Medicare NCCI Add-on Code Edits"
//!   (<https://www.cms.gov/medicare/coding-billing/national-correct-coding-initiative-ncci-edits/medicare-ncci-add-code-edits>):
//!   a fixed-width text file since January 2022 and a spreadsheet beside it since June 2023; the
//!   spreadsheet's columns (add-on code and primary code with their dates, AOC edit type, AOC
//!   edit dates, notes) are what [`Tables::load_aoc`] reads, saved as delimited text.
//!
//! ```
//! use ncci::{Setting, Tables};
//! let ptp = "CPT only copyright 2025 American Medical Association.  All rights reserved.\n\
//! Column1/Column2 Edits\n\
//! Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\n\
//! 93000\t93005\t\t19960101\t*\t0\tMisuse of column two code with column one code\n";
//! let mut t = Tables::default();
//! t.load_ptp(Setting::Practitioner, "ccipra-v321r0-f1.txt", ptp.as_bytes()).unwrap();
//! let (e, why) = t.ptp(Setting::Practitioner, "93000", "93005", "2026-05-04".parse().unwrap()).unwrap();
//! assert_eq!((e.modifier, why), (0, "Misuse of column two code with column one code"));
//! assert_eq!(t.ptp_release(Setting::Practitioner).unwrap().version.as_deref(), Some("32.1 revision 0"));
//! ```

mod aoc;
mod code;
mod mue;
mod ptp;
mod release;

use code_sets::{Date, LoadError};
use serde::{Deserialize, Serialize};

pub use aoc::AddOn;
pub use code::Code;
pub use mue::Mue;
pub use ptp::PtpEdit;
pub use release::Release;

/// Which claims a table is for.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Setting {
    /// Practitioner services (837P).
    #[default]
    Practitioner,
    /// Outpatient hospital services (837I outpatient bills).
    OutpatientHospital,
    /// DME supplier services (MUE only).
    Dme,
}

impl Setting {
    /// `practitioner`, `outpatient-hospital`, `dme`.
    pub fn id(self) -> &'static str {
        match self {
            Setting::Practitioner => "practitioner",
            Setting::OutpatientHospital => "outpatient-hospital",
            Setting::Dme => "dme",
        }
    }
}

/// Every NCCI table installed: PTP pairs by setting, MUE tables by setting and quarter, add-on
/// code edits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tables {
    pub(crate) ptp: Vec<ptp::PtpTable>,
    pub(crate) mue: Vec<mue::MueTable>,
    pub(crate) aoc: aoc::AocTable,
}

impl Tables {
    /// Loads a PTP edit file (one part of a quarterly release; parts add up). `name` is CMS's
    /// file name (`ccipra-v321r0-f1.txt`): the version and quarter findings cite come from it.
    pub fn load_ptp(
        &mut self,
        setting: Setting,
        name: &str,
        bytes: &[u8],
    ) -> Result<usize, LoadError> {
        let parsed = ptp::parse(bytes)?;
        let n = parsed.len();
        let release = Release::of_ptp(name);
        match self.ptp.iter_mut().find(|t| t.setting == setting) {
            Some(t) => {
                t.extend(parsed);
                t.release.join(release);
            }
            None => {
                let mut t = ptp::PtpTable { setting, release, ..Default::default() };
                t.extend(parsed);
                self.ptp.push(t);
            }
        }
        Ok(n)
    }

    /// Loads an MUE file in force from `effective_from` (until the next file of its setting).
    /// The setting is read from the file's header.
    pub fn load_mue(
        &mut self,
        name: &str,
        bytes: &[u8],
        effective_from: Date,
    ) -> Result<(Setting, usize), LoadError> {
        let table = mue::parse(bytes, effective_from, Release::of_mue(name, effective_from))?;
        let out = (table.setting, table.rows.len());
        self.mue.retain(|t| !(t.setting == table.setting && t.effective_from == effective_from));
        self.mue.push(table);
        self.mue.sort_by_key(|t| (t.setting, t.effective_from));
        Ok(out)
    }

    /// Loads an add-on code edit file; `name` is CMS's file name (`AOC_V2026Q2-MCR.txt`), whose
    /// quarter findings cite.
    pub fn load_aoc(&mut self, name: &str, bytes: &[u8]) -> Result<usize, LoadError> {
        let rows = aoc::parse(bytes)?;
        let n = rows.len();
        self.aoc.extend(rows);
        self.aoc.release.join(Release::of_aoc(name));
        Ok(n)
    }

    /// Adds the tables of `other` (its MUE quarters replace ours for the same setting and date).
    pub fn merge(&mut self, other: Tables) {
        for t in other.ptp {
            match self.ptp.iter_mut().find(|m| m.setting == t.setting) {
                Some(m) => m.merge(t),
                None => self.ptp.push(t),
            }
        }
        for t in other.mue {
            self.mue.retain(|m| !(m.setting == t.setting && m.effective_from == t.effective_from));
            self.mue.push(t);
        }
        self.mue.sort_by_key(|t| (t.setting, t.effective_from));
        self.aoc.merge(other.aoc);
    }

    /// Takes a newer import: its PTP edits replace ours for each setting it has (each quarterly
    /// PTP release is complete, with every edit's dates), its add-on edits replace ours when it
    /// has any, and its MUE tables join ours by setting and quarter.
    pub fn update(&mut self, newer: Tables) {
        for t in newer.ptp {
            self.ptp.retain(|m| m.setting != t.setting);
            self.ptp.push(t);
        }
        if !newer.aoc.rows.is_empty() {
            self.aoc = newer.aoc;
        }
        for t in newer.mue {
            self.mue.retain(|m| !(m.setting == t.setting && m.effective_from == t.effective_from));
            self.mue.push(t);
        }
        self.mue.sort_by_key(|t| (t.setting, t.effective_from));
    }

    /// The first days of the MUE quarters installed, oldest first.
    pub fn mue_quarters(&self) -> Vec<Date> {
        let mut v: Vec<Date> = self.mue.iter().map(|t| t.effective_from).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The PTP edit in force on `date` for the pair (column 1 `c1`, column 2 `c2`), with CMS's
    /// rationale.
    pub fn ptp(
        &self,
        setting: Setting,
        c1: &str,
        c2: &str,
        date: Date,
    ) -> Option<(&PtpEdit, &str)> {
        let (c1, c2) = (Code::new(c1)?, Code::new(c2)?);
        let t = self.ptp.iter().find(|t| t.setting == setting)?;
        let e = t.find(c1, c2, date)?;
        Some((e, t.rationales.get(usize::from(e.rationale)).map_or("", String::as_str)))
    }

    /// The release the PTP edits of `setting` were read from.
    pub fn ptp_release(&self, setting: Setting) -> Option<&Release> {
        self.ptp.iter().find(|t| t.setting == setting).map(|t| &t.release)
    }

    /// The release of the MUE table of `setting` in force on `date`.
    pub fn mue_release(&self, setting: Setting, date: Date) -> Option<&Release> {
        let t = self.mue.iter().rev().find(|t| t.setting == setting && t.effective_from <= date)?;
        Some(&t.release)
    }

    /// The release the add-on code edits were read from.
    pub fn aoc_release(&self) -> Option<&Release> {
        self.has_aoc().then_some(&self.aoc.release)
    }

    /// Every table held with its release, as `PTP practitioner: version 32.1 revision 0, quarter
    /// beginning 2026-04-01 (ccipra-v321r0-f1.txt)`, for the data directory's manifest.
    pub fn releases(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.ptp.iter().map(|t| format!("PTP {}: {}", t.setting.id(), t.release)).collect();
        out.extend(self.mue.iter().map(|t| format!("MUE {}: {}", t.setting.id(), t.release)));
        if let Some(r) = self.aoc_release() {
            out.push(format!("add-on codes: {r}"));
        }
        out
    }

    /// Whether PTP edits of the setting are installed.
    pub fn has_ptp(&self, setting: Setting) -> bool {
        self.ptp.iter().any(|t| t.setting == setting && !t.edits.is_empty())
    }

    /// The MUE of `code` on `date`: from the newest MUE table of the setting in force on it.
    pub fn mue(&self, setting: Setting, code: &str, date: Date) -> Option<&Mue> {
        let t = self.mue.iter().rev().find(|t| t.setting == setting && t.effective_from <= date)?;
        t.rows.get(&Code::new(code)?)
    }

    /// Whether an MUE table of the setting is in force on `date`.
    pub fn has_mue(&self, setting: Setting, date: Date) -> bool {
        self.mue.iter().any(|t| t.setting == setting && t.effective_from <= date)
    }

    /// The add-on code edit of `code` in force on `date`, when `code` is an add-on code.
    pub fn add_on(&self, code: &str, date: Date) -> Option<AddOn> {
        self.aoc.find(Code::new(code)?, date)
    }

    /// Whether add-on code edits are installed.
    pub fn has_aoc(&self) -> bool {
        !self.aoc.rows.is_empty()
    }

    /// PTP pairs, MUE rows and add-on rows held.
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.ptp.iter().map(|t| t.edits.len()).sum(),
            self.mue.iter().map(|t| t.rows.len()).sum(),
            self.aoc.rows.len(),
        )
    }

    /// The compact binary form (postcard), as installed in the data directory.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Reads the binary form written by [`Tables::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Tables, LoadError> {
        let mut t: Tables = postcard::from_bytes(bytes)
            .map_err(|e| LoadError::whole(format!("not NCCI tables: {e}")))?;
        for p in &mut t.ptp {
            p.index();
        }
        Ok(t)
    }
}

/// Whether `bytes` is a spreadsheet (`.xlsx`) with a sheet headed like CMS's add-on code table.
pub fn is_aoc_workbook(bytes: &[u8]) -> bool {
    aoc::is_aoc_workbook(bytes)
}

/// A `YYYYMMDD` date field, `*` or blank for none.
pub(crate) fn date_field(line: u64, what: &str, text: &str) -> Result<Option<Date>, LoadError> {
    let t = text.trim();
    if t.is_empty() || t == "*" {
        return Ok(None);
    }
    Date::from_yyyymmdd(t)
        .map(Some)
        .ok_or_else(|| LoadError::at(line, format!("{what} {t:?} is not a date YYYYMMDD")))
}

/// A date field of the add-on code file, whose dates are not written like the PTP files' (and
/// whose text and spreadsheet forms differ): `YYYYMMDD`, `YYYYDDD` (year and day of the year),
/// `MM/DD/YYYY` or `YYYY-MM-DD`; `*` or blank for none.
pub(crate) fn any_date_field(line: u64, what: &str, text: &str) -> Result<Option<Date>, LoadError> {
    let t = text.trim();
    if t.is_empty() || t == "*" {
        return Ok(None);
    }
    let digits = t.bytes().all(|b| b.is_ascii_digit());
    let parsed = if digits && t.len() == 8 {
        Date::from_yyyymmdd(t)
    } else if digits && t.len() == 7 {
        from_ordinal(t[..4].parse().unwrap_or(0), t[4..].parse().unwrap_or(0))
    } else if let Some((m, rest)) = t.split_once('/') {
        let (d, y) = rest.split_once('/').unwrap_or(("", ""));
        match (m.parse(), d.parse(), y.parse()) {
            (Ok(m), Ok(d), Ok(y)) => Date::from_ymd(y, m, d),
            _ => None,
        }
    } else {
        t.parse().ok()
    };
    parsed.map(Some).ok_or_else(|| {
        LoadError::at(
            line,
            format!("{what} {t:?} is not a date (YYYYMMDD, YYYYDDD, MM/DD/YYYY or YYYY-MM-DD)"),
        )
    })
}

/// Day `day` (1-based) of `year`.
fn from_ordinal(year: u32, mut day: u32) -> Option<Date> {
    for month in 1..=12 {
        let len = (28..=31).rev().find(|&d| Date::from_ymd(year, month, d).is_some())?;
        if day <= len {
            return Date::from_ymd(year, month, day);
        }
        day -= len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_on_dates_in_every_written_form() {
        let d = |t: &str| any_date_field(3, "AOC edit effective date", t);
        let want = Some("2013-04-01".parse().unwrap());
        for t in ["20130401", "2013091", "04/01/2013", "4/1/2013", "2013-04-01"] {
            assert_eq!(d(t).unwrap(), want, "{t}");
        }
        assert_eq!(d("2024366").unwrap(), Some("2024-12-31".parse().unwrap()));
        assert_eq!(d("*").unwrap(), None);
        assert_eq!(d("").unwrap(), None);
        for bad in ["2023366", "2013000", "13/01/2013", "2013-4", "April 1"] {
            let e = d(bad).unwrap_err();
            assert_eq!(e.line, Some(3));
            assert!(e.message.contains("AOC edit effective date"), "{bad}: {}", e.message);
        }
    }
}
