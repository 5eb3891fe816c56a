//! Procedure-to-procedure edits: CMS's tab-delimited quarterly files.

use rustc_hash::FxHashMap as HashMap;

use code_sets::{Date, LoadError};
use serde::{Deserialize, Serialize};

use crate::{Code, Setting, date_field};

/// One PTP edit: when both codes are billed for the same patient on the same day by the same
/// provider, the column 2 code is not paid unless the modifier indicator allows a modifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PtpEdit {
    /// The column 1 code (paid).
    pub column1: Code,
    /// The column 2 code (denied).
    pub column2: Code,
    /// First day in force.
    pub effective: Date,
    /// Last day in force (the file's deletion date), `None` while in force.
    pub deletion: Option<Date>,
    /// 0: never together; 1: allowed with an NCCI-associated modifier; 9: not applicable (the
    /// edit was deleted retroactively).
    pub modifier: u8,
    /// Index of the rationale in the table's list.
    pub(crate) rationale: u16,
}

/// The PTP edits of one setting, sorted by pair and date, with their rationales.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PtpTable {
    pub(crate) setting: Setting,
    pub(crate) edits: Vec<PtpEdit>,
    pub(crate) rationales: Vec<String>,
    /// The files and version the edits were read from.
    pub(crate) release: crate::Release,
    /// Where each column 1 code's edits are in `edits` (rebuilt after sorting and loading, not
    /// stored): a lookup touches one small run instead of searching millions of pairs.
    #[serde(skip)]
    pub(crate) by_column1: HashMap<Code, (u32, u32)>,
}

/// Edits parsed from one file, with the rationales their indexes point into.
pub(crate) struct Parsed {
    edits: Vec<PtpEdit>,
    rationales: Vec<String>,
}

impl Parsed {
    pub(crate) fn len(&self) -> usize {
        self.edits.len()
    }
}

impl PtpTable {
    /// Adds parsed edits (their rationales are re-indexed into this table's list).
    pub(crate) fn extend(&mut self, p: Parsed) {
        let map: Vec<u16> = p.rationales.iter().map(|r| self.intern(r)).collect();
        self.edits.extend(p.edits.into_iter().map(|mut e| {
            e.rationale = map.get(usize::from(e.rationale)).copied().unwrap_or(0);
            e
        }));
        self.sort();
    }

    pub(crate) fn merge(&mut self, other: PtpTable) {
        self.release.join(other.release);
        self.extend(Parsed { edits: other.edits, rationales: other.rationales });
    }

    fn intern(&mut self, r: &str) -> u16 {
        if let Some(i) = self.rationales.iter().position(|x| x == r) {
            return i as u16;
        }
        self.rationales.push(r.to_string());
        (self.rationales.len() - 1).min(usize::from(u16::MAX)) as u16
    }

    fn sort(&mut self) {
        self.edits.sort_by_key(|e| (e.column1, e.column2, e.effective));
        self.edits.dedup_by_key(|e| (e.column1, e.column2, e.effective));
        self.index();
    }

    /// Rebuilds `by_column1` from the sorted edits.
    pub(crate) fn index(&mut self) {
        self.by_column1.clear();
        let mut start = 0;
        for (i, e) in self.edits.iter().enumerate() {
            if e.column1 != self.edits[start].column1 {
                self.by_column1.insert(self.edits[start].column1, (start as u32, i as u32));
                start = i;
            }
        }
        if let Some(first) = self.edits.get(start) {
            self.by_column1.insert(first.column1, (start as u32, self.edits.len() as u32));
        }
    }

    /// The edit for the pair in force on `date`.
    pub(crate) fn find(&self, c1: Code, c2: Code, date: Date) -> Option<&PtpEdit> {
        let &(from, to) = self.by_column1.get(&c1)?;
        let run = &self.edits[from as usize..to as usize];
        let start = run.partition_point(|e| e.column2 < c2);
        run[start..]
            .iter()
            .take_while(|e| e.column1 == c1 && e.column2 == c2)
            .find(|e| e.effective <= date && e.deletion.is_none_or(|d| date <= d))
    }
}

/// Parses one PTP file: a preamble (copyright line, title, column headings spread over several
/// lines), then one edit per line: column 1, column 2, `*` when in existence before 1996, effective
/// date, deletion date (`*` for none), modifier indicator, rationale, separated by tabs.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, LoadError> {
    let text = String::from_utf8_lossy(bytes);
    let mut headed = false;
    let mut out = Parsed { edits: Vec::new(), rationales: Vec::new() };
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = raw.trim_end_matches('\r');
        let f: Vec<&str> = line.split('\t').collect();
        let first = f[0].trim();
        if first.starts_with("Column 1") || first.starts_with("Column1") {
            headed = true;
            continue;
        }
        let Some(c1) = Code::new(first) else {
            if out.edits.is_empty() || line.trim().is_empty() {
                continue;
            }
            return Err(LoadError::at(
                line_no,
                format!("{first:?} is not a HCPCS/CPT code in column 1"),
            ));
        };
        if !headed {
            return Err(LoadError::at(
                line_no,
                "an edit before the column headings (Column 1, Column 2, …): not a CMS PTP file",
            ));
        }
        if f.len() < 6 {
            return Err(LoadError::at(
                line_no,
                format!("{} fields, an edit has 6 or 7 (tab-separated)", f.len()),
            ));
        }
        let c2 = Code::new(f[1]).ok_or_else(|| {
            LoadError::at(line_no, format!("{:?} is not a HCPCS/CPT code in column 2", f[1].trim()))
        })?;
        let effective = date_field(line_no, "effective date", f[3])?
            .ok_or_else(|| LoadError::at(line_no, "the effective date is missing"))?;
        let deletion = date_field(line_no, "deletion date", f[4])?;
        let modifier = match f[5].trim() {
            "0" => 0,
            "1" => 1,
            "9" => 9,
            other => {
                return Err(LoadError::at(
                    line_no,
                    format!("modifier indicator {other:?} is not 0, 1 or 9"),
                ));
            }
        };
        let r = f.get(6).map_or("", |s| s.trim());
        let rationale = match out.rationales.iter().position(|x| x == r) {
            Some(i) => i,
            None => {
                out.rationales.push(r.to_string());
                out.rationales.len() - 1
            }
        };
        out.edits.push(PtpEdit {
            column1: c1,
            column2: c2,
            effective,
            deletion,
            modifier,
            rationale: rationale as u16,
        });
    }
    if out.edits.is_empty() {
        return Err(LoadError::whole("no PTP edits found (expected CMS's tab-delimited PTP file)"));
    }
    Ok(out)
}
