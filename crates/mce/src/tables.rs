//! The MCE lists, loaded from CSV, merged across releases, stored in a compact binary form.

use rustc_hash::FxHashMap as HashMap;

use code_sets::{CodeKey, Date, LoadError};
use serde::{Deserialize, Serialize};

/// The dates a row is in force, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
}

impl Span {
    /// Whether `date` falls in the span.
    pub fn covers(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// An age group of the age-conflict edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AgeGroup {
    pub(crate) name: String,
    pub(crate) min: u32,
    pub(crate) max: u32,
    pub(crate) span: Span,
}

/// A list: the codes it holds, each with its date spans, and every distinct span of its rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct List {
    pub(crate) codes: HashMap<CodeKey, Vec<Span>>,
    pub(crate) spans: Vec<Span>,
}

impl List {
    fn add(&mut self, code: CodeKey, s: Span) {
        let m = self.codes.entry(code).or_default();
        if !m.contains(&s) {
            m.push(s);
        }
        if !self.spans.contains(&s) {
            self.spans.push(s);
        }
    }
}

/// Every MCE list loaded, merged over the files (and fiscal years) given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tables {
    /// By `system/flag`: the code system (`icd10cm`, `icd10pcs`) and CMS's flag name
    /// (`manifestation`, `noncovered`…; `valid` for the valid-code lists).
    pub(crate) lists: HashMap<String, List>,
    pub(crate) age_groups: Vec<AgeGroup>,
    pub(crate) discharge_status: HashMap<String, Vec<Span>>,
    /// The files loaded, by name.
    pub(crate) sources: Vec<String>,
}

/// The header lines the loader knows.
const LIST_HEADER: &str =
    "code,code_system,edit,flag,parameter,effective_start,effective_end,versions";
const VALID_HEADER: &str = "code,code_system,effective_start,effective_end,versions";
const AGE_HEADER: &str = "age_group,min_age,max_age,effective_start,effective_end,versions";
const STATUS_HEADER: &str = "discharge_status,effective_start,effective_end,versions";

/// Whether `bytes` look like an MCE list file (by its header line).
pub fn is_mce_csv(bytes: &[u8]) -> bool {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let first = first.trim_end_matches('\r');
    [LIST_HEADER, VALID_HEADER, AGE_HEADER, STATUS_HEADER].contains(&first)
}

fn date(line: u64, field: &str, text: &str) -> Result<Date, LoadError> {
    Date::from_yyyymmdd(text)
        .ok_or_else(|| LoadError::at(line, format!("{field} {text:?} is not a date YYYYMMDD")))
}

fn span(line: u64, start: &str, end: &str) -> Result<Span, LoadError> {
    let s = Span {
        start: date(line, "effective_start", start)?,
        end: date(line, "effective_end", end)?,
    };
    if s.start > s.end {
        return Err(LoadError::at(
            line,
            format!("effective_start {start} is after effective_end {end}"),
        ));
    }
    Ok(s)
}

fn code_key(line: u64, system: &str, code: &str) -> Result<CodeKey, LoadError> {
    let sys = match system {
        "icd10cm" => code_sets::System::Icd10Cm,
        "icd10pcs" => code_sets::System::Icd10Pcs,
        other => {
            return Err(LoadError::at(
                line,
                format!("code_system {other:?} is not icd10cm or icd10pcs"),
            ));
        }
    };
    sys.normalize(code).map_err(|why| LoadError::at(line, format!("code {code:?}: {why}")))
}

impl Tables {
    /// Loads one MCE CSV file (a list, a valid-code list, the age groups or the discharge
    /// statuses, told apart by the header line) into these tables. On error nothing is added.
    pub fn load(&mut self, name: &str, bytes: &[u8]) -> Result<(), LoadError> {
        let text =
            std::str::from_utf8(bytes).map_err(|e| LoadError::whole(format!("not UTF-8: {e}")))?;
        let header = text.lines().next().unwrap_or("").trim_end_matches('\r');
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let mut staged = Tables::default();
        let mut rows = 0usize;
        for (i, rec) in rdr.records().enumerate() {
            let line = i as u64 + 2;
            let rec = rec.map_err(|e| LoadError::at(line, e.to_string()))?;
            let f = |k: usize| rec.get(k).unwrap_or("").trim();
            let need = |n: usize| {
                if rec.len() == n {
                    Ok(())
                } else {
                    Err(LoadError::at(
                        line,
                        format!("{} fields where the header has {n}", rec.len()),
                    ))
                }
            };
            match header {
                LIST_HEADER => {
                    need(8)?;
                    let key = code_key(line, f(1), f(0))?;
                    let list = staged.lists.entry(format!("{}/{}", f(1), f(3))).or_default();
                    list.add(key, span(line, f(5), f(6))?);
                }
                VALID_HEADER => {
                    need(5)?;
                    let key = code_key(line, f(1), f(0))?;
                    let list = staged.lists.entry(format!("{}/valid", f(1))).or_default();
                    list.add(key, span(line, f(2), f(3))?);
                }
                AGE_HEADER => {
                    need(6)?;
                    let num = |k: usize| {
                        f(k).parse::<u32>()
                            .map_err(|_| LoadError::at(line, format!("{:?} is not an age", f(k))))
                    };
                    staged.age_groups.push(AgeGroup {
                        name: f(0).to_string(),
                        min: num(1)?,
                        max: num(2)?,
                        span: span(line, f(3), f(4))?,
                    });
                }
                STATUS_HEADER => {
                    need(4)?;
                    staged.discharge_status.entry(f(0).to_string()).or_default().push(span(
                        line,
                        f(1),
                        f(2),
                    )?);
                }
                _ => {
                    return Err(LoadError::at(
                        1,
                        format!(
                            "header {header:?} is not one of the MCE list headers (see docs/formats/mce-csv.md)"
                        ),
                    ));
                }
            }
            rows += 1;
        }
        if rows == 0 {
            return Err(LoadError::whole("no rows under the header"));
        }
        staged.sources.push(name.to_string());
        self.merge(staged);
        Ok(())
    }

    /// Adds the rows of `other` (a later or earlier release) to these tables.
    pub fn merge(&mut self, other: Tables) {
        for (key, list) in other.lists {
            let mine = self.lists.entry(key).or_default();
            for (code, spans) in list.codes {
                for s in spans {
                    mine.add(code, s);
                }
            }
        }
        for g in other.age_groups {
            if !self.age_groups.contains(&g) {
                self.age_groups.push(g);
            }
        }
        for (code, spans) in other.discharge_status {
            let m = self.discharge_status.entry(code).or_default();
            for s in spans {
                if !m.contains(&s) {
                    m.push(s);
                }
            }
        }
        for s in other.sources {
            if !self.sources.contains(&s) {
                self.sources.push(s);
            }
        }
    }

    /// The first and last day any row is in force.
    pub fn span(&self) -> Option<Span> {
        let spans = self
            .lists
            .values()
            .flat_map(|l| &l.spans)
            .chain(self.age_groups.iter().map(|g| &g.span))
            .chain(self.discharge_status.values().flatten());
        spans.fold(None, |acc: Option<Span>, s| match acc {
            None => Some(*s),
            Some(a) => Some(Span { start: a.start.min(s.start), end: a.end.max(s.end) }),
        })
    }

    /// Whether rows of any list are in force on `date` (no tables cover it: the MCE cannot say).
    pub fn covers(&self, date: Date) -> bool {
        self.age_groups.iter().any(|g| g.span.covers(date))
            || self.lists.values().any(|l| l.spans.iter().any(|s| s.covers(date)))
    }

    /// The last day the sex-conflict lists are in force (CMS dropped the edit from FY2025: for
    /// later discharges these are the last published lists).
    pub fn sex_lists_last_day(&self) -> Option<Date> {
        ["icd10cm/female", "icd10cm/male", "icd10pcs/female", "icd10pcs/male"]
            .iter()
            .filter_map(|k| self.lists.get(*k))
            .flat_map(|l| l.spans.iter().map(|s| s.end))
            .max()
    }

    /// How many rows each list holds, by `system/flag` (for reports and tests).
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> =
            self.lists.iter().map(|(k, l)| (k.clone(), l.codes.len())).collect();
        v.sort();
        v
    }

    /// The files the tables were loaded from.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Whether `code` is a valid ICD-10-CM code on `date` by the MCE's valid-code list (`None`
    /// when no such list is in force then).
    pub fn valid_diagnosis(&self, code: &CodeKey, date: Date) -> Option<bool> {
        self.list_in_force("icd10cm/valid", date).then(|| self.has("icd10cm/valid", code, date))
    }

    /// Whether `code` is in the list (`system/flag`) on `date`.
    pub(crate) fn has(&self, list: &str, code: &CodeKey, date: Date) -> bool {
        self.lists
            .get(list)
            .and_then(|l| l.codes.get(code))
            .is_some_and(|spans| spans.iter().any(|s| s.covers(date)))
    }

    /// Whether discharge statuses are listed for `date`.
    pub(crate) fn discharge_status_in_force(&self, date: Date) -> bool {
        // Every status shares the file's span: the first one's spans say it.
        self.discharge_status.get("01").is_some_and(|s| s.iter().any(|s| s.covers(date)))
            || self.discharge_status.values().flatten().any(|s| s.covers(date))
    }

    /// Whether any row of the list (`system/flag`) is in force on `date`.
    pub(crate) fn list_in_force(&self, list: &str, date: Date) -> bool {
        self.lists.get(list).is_some_and(|l| l.spans.iter().any(|s| s.covers(date)))
    }

    /// The compact binary form (postcard), as installed in the data directory.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Reads the binary form written by [`Tables::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Tables, LoadError> {
        postcard::from_bytes(bytes).map_err(|e| LoadError::whole(format!("not MCE tables: {e}")))
    }
}
