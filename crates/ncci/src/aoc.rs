//! Add-on code edits: each add-on code with its acceptable primary codes.

use code_sets::{Date, LoadError};
use serde::{Deserialize, Serialize};

use crate::{Code, any_date_field};

/// One row: an add-on code, one of its primary codes (none for type 2), the edit type and its
/// dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AocRow {
    pub(crate) addon: Code,
    pub(crate) primary: Option<Code>,
    pub(crate) kind: u8,
    pub(crate) effective: Date,
    pub(crate) deletion: Option<Date>,
}

/// An add-on code's edit on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddOn {
    /// 1: only the listed primary codes; 2: no primary codes listed (the contractor decides);
    /// 3: the listed primary codes and others the contractor accepts.
    pub kind: u8,
    /// The listed primary codes.
    pub primaries: Vec<Code>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AocTable {
    pub(crate) rows: Vec<AocRow>,
    /// The files the rows were read from and their quarter.
    pub(crate) release: crate::Release,
}

impl AocTable {
    pub(crate) fn extend(&mut self, rows: Vec<AocRow>) {
        self.rows.extend(rows);
        self.rows.sort_by_key(|r| (r.addon, r.primary, r.effective));
        self.rows.dedup();
    }

    pub(crate) fn merge(&mut self, other: AocTable) {
        self.release.join(other.release);
        self.extend(other.rows);
    }

    pub(crate) fn find(&self, code: Code, date: Date) -> Option<AddOn> {
        let start = self.rows.partition_point(|r| r.addon < code);
        let live: Vec<&AocRow> = self.rows[start..]
            .iter()
            .take_while(|r| r.addon == code)
            .filter(|r| r.effective <= date && r.deletion.is_none_or(|d| date <= d))
            .collect();
        let kind = live.first()?.kind;
        Some(AddOn { kind, primaries: live.iter().filter_map(|r| r.primary).collect() })
    }
}

/// Parses an add-on code edit file saved as text (tab- or comma-separated) from CMS's
/// spreadsheet: a heading row naming at least `Add-on Code`, `Primary Code`, `AOC Edit Type` and
/// `AOC Edit Effective Date` (and optionally `AOC Edit Deletion Date`), in any order, under any
/// title lines; then one row per add-on/primary pair.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<AocRow>, LoadError> {
    let text = String::from_utf8_lossy(bytes);
    let delim = if text.lines().take(20).any(|l| l.contains('\t')) { b'\t' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut cols: Option<[Option<usize>; 5]> = None;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| LoadError::at(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let Some(c) = cols else {
            let norm = |h: &str| h.trim().to_ascii_lowercase().replace(['-', '_'], " ");
            // The exact heading first (`Primary Code` before `Primary Code Effective Date`).
            let find = |want: &str| {
                rec.iter()
                    .position(|h| norm(h) == want)
                    .or_else(|| rec.iter().position(|h| norm(h).starts_with(want)))
            };
            let found = [
                find("add on code"),
                find("primary code"),
                find("aoc edit type"),
                find("aoc edit effective"),
                find("aoc edit deletion"),
            ];
            if found[..4].iter().all(Option::is_some) {
                cols = Some(found);
            }
            continue;
        };
        let f = |k: Option<usize>| k.and_then(|k| rec.get(k)).unwrap_or("").trim();
        let Some(addon) = Code::new(f(c[0])) else {
            if f(c[0]).is_empty() {
                continue;
            }
            return Err(LoadError::at(
                line,
                format!("{:?} is not a HCPCS/CPT add-on code", f(c[0])),
            ));
        };
        let kind = match f(c[2]) {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            other => {
                return Err(LoadError::at(
                    line,
                    format!("AOC edit type {other:?} is not 1, 2 or 3"),
                ));
            }
        };
        let primary = Code::new(f(c[1])).filter(|p| p.as_str() != "CCCCC");
        let effective = any_date_field(line, "AOC edit effective date", f(c[3]))?
            .ok_or_else(|| LoadError::at(line, "the AOC edit effective date is missing"))?;
        let deletion = any_date_field(line, "AOC edit deletion date", f(c[4]))?;
        out.push(AocRow { addon, primary, kind, effective, deletion });
    }
    if cols.is_none() {
        return Err(LoadError::whole(
            "no heading row with Add-on Code, Primary Code, AOC Edit Type and AOC Edit Effective \
             Date (CMS's fixed-width AOC text file is not read: save the AOC spreadsheet from the \
             same zip as tab-delimited text)",
        ));
    }
    if out.is_empty() {
        return Err(LoadError::whole("no add-on code rows under the heading"));
    }
    Ok(out)
}
