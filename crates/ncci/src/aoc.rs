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

/// Parses an add-on code edit file: CMS's spreadsheet (`.xlsx`, the first sheet with the heading
/// row) or the spreadsheet saved as text (tab- or comma-separated). A heading row names at least
/// `Add-on Code`, `Primary Code`, `AOC Edit Type` and `AOC Edit Effective Date` (and optionally
/// `AOC Edit Deletion Date`), in any order, under any title lines; then one row per add-on/primary
/// pair. Errors name the text line or the spreadsheet row.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<AocRow>, LoadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let sheets = workbook_sheets(bytes)?;
        let mut first_error = None;
        for rows in sheets {
            match parse_rows(rows.into_iter()) {
                Ok(out) => return Ok(out),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        return Err(first_error.unwrap_or_else(|| LoadError::whole("the workbook has no sheets")));
    }
    let text = String::from_utf8_lossy(bytes);
    let delim = if text.lines().take(20).any(|l| l.contains('\t')) { b'\t' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| LoadError::at(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        rows.push((line, rec.iter().map(str::to_string).collect()));
    }
    parse_rows(rows.into_iter())
}

/// A spreadsheet cell as the text form of the file would have it: whole numbers without a
/// decimal point (codes and `YYYYMMDD` dates typed as numbers), date cells as `YYYY-MM-DD`.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        // Excel's 1900 date system: serial 25569 is 1970-01-01.
        Data::DateTime(d) => Date::from_day_number(d.as_f64().floor() as i64 - 25_569)
            .map_or_else(|| d.as_f64().to_string(), |d| d.to_string()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The columns of add-on code, primary code, edit type, edit effective and deletion dates when
/// `rec` is the heading row.
fn heading(rec: &[String]) -> Option<[Option<usize>; 5]> {
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
    found[..4].iter().all(Option::is_some).then_some(found)
}

/// A row's line (or spreadsheet row) number and its cells as text.
type Row = (u64, Vec<String>);

/// The rows of each sheet of a workbook, with their row numbers.
fn workbook_sheets(bytes: &[u8]) -> Result<Vec<Vec<Row>>, LoadError> {
    let mut book = <calamine::Xlsx<_> as calamine::Reader<_>>::new(std::io::Cursor::new(bytes))
        .map_err(|e| LoadError::whole(format!("not a readable .xlsx workbook: {e}")))?;
    let mut sheets = Vec::new();
    for name in calamine::Reader::sheet_names(&book) {
        let range = calamine::Reader::worksheet_range(&mut book, &name)
            .map_err(|e| LoadError::whole(format!("sheet {name:?}: {e}")))?;
        let (first_row, _) = range.start().unwrap_or((0, 0));
        sheets.push(
            range
                .rows()
                .enumerate()
                .map(|(i, r)| {
                    (u64::from(first_row) + i as u64 + 1, r.iter().map(cell_text).collect())
                })
                .collect(),
        );
    }
    Ok(sheets)
}

/// Whether `bytes` is a workbook with a sheet headed like CMS's add-on code table.
pub(crate) fn is_aoc_workbook(bytes: &[u8]) -> bool {
    workbook_sheets(bytes).is_ok_and(|sheets| {
        sheets.iter().any(|rows| rows.iter().take(50).any(|(_, r)| heading(r).is_some()))
    })
}

/// Reads the heading row and the rows under it; each row comes with its line or row number.
fn parse_rows(rows: impl Iterator<Item = (u64, Vec<String>)>) -> Result<Vec<AocRow>, LoadError> {
    let mut cols: Option<[Option<usize>; 5]> = None;
    let mut out = Vec::new();
    for (line, rec) in rows {
        let Some(c) = cols else {
            cols = heading(&rec);
            continue;
        };
        let f = |k: Option<usize>| k.and_then(|k| rec.get(k)).map_or("", String::as_str).trim();
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
             Date (CMS's fixed-width AOC text file is not read: import the AOC spreadsheet, .xlsx, \
             from the same zip)",
        ));
    }
    if out.is_empty() {
        return Err(LoadError::whole("no add-on code rows under the heading"));
    }
    Ok(out)
}
