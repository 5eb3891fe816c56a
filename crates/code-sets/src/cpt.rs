//! CPT (HCPCS Level I). CPT descriptions belong to the AMA and never ship with superbill: a user who
//! holds a licence supplies a CSV (`code,description`), or superbill learns which CPT codes exist,
//! without descriptions, from the Medicare Physician Fee Schedule relative value file (`PPRRVU…`).

use crate::release::{BILLABLE, Body, Counts, Entry, Release};
use crate::{CodeKey, Date, LoadError, System};

fn is_cpt(code: &str) -> bool {
    System::Cpt.normalize(code).is_ok() && code.len() == 5
}

fn reader(src: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(src)
}

/// Parses a user-supplied CPT file: CSV with the code in the first column and the description in
/// the second; an optional header row is skipped.
pub fn parse_user_csv(src: &[u8], effective_from: Date) -> Result<Release, LoadError> {
    let mut rows: Vec<(CodeKey, String, u64)> = Vec::new();
    for (i, rec) in reader(src).records().enumerate() {
        let line = i as u64 + 1;
        let rec = rec.map_err(|e| LoadError::at(line, format!("malformed CSV: {e}")))?;
        let code = rec.get(0).unwrap_or("").trim();
        if i == 0 && !is_cpt(code) {
            continue; // header
        }
        if code.is_empty() {
            continue;
        }
        if !is_cpt(code) {
            return Err(LoadError::at(line, format!("{code:?} in column 1 is not a CPT code")));
        }
        let desc = rec.get(1).unwrap_or("").trim().to_string();
        let key = System::Cpt.normalize(code).map_err(|e| LoadError::at(line, e))?;
        rows.push((key, desc, line));
    }
    build(rows, effective_from, "user-supplied CPT file")
}

/// Reads the CPT codes (five digits, or four digits and F, T or U) from a PFS relative value
/// file (`PPRRVU…csv`): column 1 is HCPCS, column 2 the modifier; descriptions are not used.
pub fn parse_pfs_rvu(src: &[u8], effective_from: Date) -> Result<Release, LoadError> {
    let mut rows: Vec<(CodeKey, String, u64)> = Vec::new();
    let mut saw_header = false;
    for (i, rec) in reader(src).records().enumerate() {
        let line = i as u64 + 1;
        let rec = rec.map_err(|e| LoadError::at(line, format!("malformed CSV: {e}")))?;
        let code = rec.get(0).unwrap_or("").trim();
        if code.eq_ignore_ascii_case("HCPCS") {
            saw_header = true;
            continue;
        }
        if !is_cpt(code) {
            continue; // Level II codes and header lines
        }
        if rec.len() < 10 {
            return Err(LoadError::at(
                line,
                format!("row for {code} has {} columns; the RVU file has 31", rec.len()),
            ));
        }
        let key = System::Cpt.normalize(code).map_err(|e| LoadError::at(line, e))?;
        if rows.last().is_some_and(|r| r.0 == key) {
            continue; // modifier rows (26, TC, 53) of the same code
        }
        rows.push((key, String::new(), line));
    }
    if !saw_header && rows.is_empty() {
        return Err(LoadError::whole(
            "not a PFS relative value file: no HCPCS header and no CPT rows",
        ));
    }
    build(rows, effective_from, "Medicare PFS relative value file")
}

fn build(
    mut rows: Vec<(CodeKey, String, u64)>,
    effective_from: Date,
    what: &str,
) -> Result<Release, LoadError> {
    if rows.is_empty() {
        return Err(LoadError::whole(format!("the {what} holds no CPT codes")));
    }
    rows.sort_by_key(|r| r.0);
    rows.dedup_by(|b, a| a.0 == b.0 && (a.1 == b.1 || b.1.is_empty()));
    for w in rows.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(LoadError::at(
                w[1].2,
                format!("{:?} is listed twice with different descriptions", w[1].0),
            ));
        }
    }
    let mut body = Body::default();
    let mut counts = Counts::default();
    for (key, desc, _) in &rows {
        let title = body.push_text(desc);
        let mut e = Entry::new(*key, title);
        e.flags = BILLABLE;
        counts.billable += 1;
        body.entries.push(e);
    }
    Ok(Release::finish(
        System::Cpt,
        effective_from.year().to_string(),
        effective_from,
        counts,
        body,
    ))
}

impl Release {
    /// True when this release carries code descriptions (a CPT release from the PFS file does not).
    pub fn has_descriptions(&self) -> bool {
        self.body.entries.iter().take(50).any(|e| e.title.len > 0)
    }
}
