//! The IPPS tables of one fiscal year: Table 5 (MS-DRGs, weights, mean lengths of stay), Tables
//! 6I/6J (MCC and CC lists), Table 6K (CC exclusions and "only if discharged alive").

use code_sets::{CodeKey, LoadError, System};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::text::{decode_windows_1252, lines};

/// A relative weight or a mean length of stay, kept exactly as CMS prints it: an integer of
/// ten-thousandths (weights have four decimals, lengths of stay one).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Weight(pub u32);

impl Weight {
    fn parse(text: &str) -> Option<Weight> {
        let t = text.trim();
        let (w, f) = t.split_once('.').unwrap_or((t, ""));
        if w.is_empty() && f.is_empty()
            || f.len() > 4
            || !(w.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let whole: u32 = if w.is_empty() { 0 } else { w.parse().ok()? };
        let frac: u32 = format!("{f:0<4}").parse().ok()?;
        whole.checked_mul(10_000)?.checked_add(frac).map(Weight)
    }
}

impl std::fmt::Display for Weight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:04}", self.0 / 10_000, self.0 % 10_000)
    }
}

/// Surgical or medical.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DrgType {
    /// `SURG`.
    Surgical,
    /// `MED`.
    Medical,
    /// Neither (998, 999: `**`).
    Neither,
}

/// One MS-DRG of Table 5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrgRow {
    /// `PRE` or `01`…`25`; `None` for 998 and 999.
    pub mdc: Option<String>,
    /// Surgical or medical.
    pub kind: DrgType,
    /// The title.
    pub title: String,
    /// A post-acute transfer DRG.
    pub post_acute: bool,
    /// A special-pay post-acute DRG.
    pub special_pay: bool,
    /// The relative weight after the 10 % cap (the one payment uses).
    pub weight: Weight,
    /// The relative weight before the cap.
    pub weight_before_cap: Weight,
    /// Geometric mean length of stay (`None` where CMS prints `.`).
    pub gmlos: Option<Weight>,
    /// Arithmetic mean length of stay.
    pub amlos: Option<Weight>,
}

/// CC or MCC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CcLevel {
    /// Complication or comorbidity.
    Cc,
    /// Major complication or comorbidity.
    Mcc,
}

/// The IPPS tables of one fiscal year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IppsTables {
    /// The fiscal year (from Table 5's headings), 0 when not read yet.
    pub fiscal_year: u32,
    drgs: std::collections::BTreeMap<u16, DrgRow>,
    mcc: FxHashSet<CodeKey>,
    cc: FxHashSet<CodeKey>,
    /// Table 6K Part 1: each CC/MCC's level and PDX collection (`None`: "No Excl").
    exclusion_of: FxHashMap<CodeKey, (CcLevel, Option<u16>)>,
    /// Table 6K: PDX collections, the principal diagnoses that exclude a CC/MCC.
    collections: FxHashMap<u16, FxHashSet<CodeKey>>,
    /// Table 6K Part 2: CC/MCC only if the patient is discharged alive.
    alive_only: FxHashSet<CodeKey>,
    /// Table 6K Part 3: secondary diagnoses that are not a CC/MCC in select MS-DRGs, by the
    /// first and last DRG of the range.
    drg_exclusions: Vec<((u16, u16), FxHashSet<CodeKey>)>,
}

fn key(line: u64, code: &str) -> Result<CodeKey, LoadError> {
    System::Icd10Cm
        .normalize(code)
        .map_err(|why| LoadError::at(line, format!("{code:?} is not an ICD-10-CM code: {why}")))
}

impl IppsTables {
    /// Reads Table 5 (tab-separated after its title and heading rows).
    pub fn load_table5(&mut self, bytes: &[u8]) -> Result<usize, LoadError> {
        let text = decode_windows_1252(bytes);
        let mut headed = false;
        let mut rows = std::collections::BTreeMap::new();
        let mut year = 0;
        for (n, line) in lines(&text) {
            let f: Vec<&str> =
                line.split('\t').map(|s| s.trim().trim_matches('"').trim()).collect();
            if f[0].starts_with("MS-DRG") {
                headed = true;
                year = f
                    .iter()
                    .find_map(|h| {
                        h.strip_prefix("FY ").and_then(|r| r.get(..4)).and_then(|y| y.parse().ok())
                    })
                    .unwrap_or(0);
                continue;
            }
            if !headed || f[0].is_empty() {
                continue;
            }
            if f[0].len() != 3 || !f[0].bytes().all(|b| b.is_ascii_digit()) {
                return Err(LoadError::at(n, format!("{:?} is not an MS-DRG number", f[0])));
            }
            if f.len() < 10 {
                return Err(LoadError::at(n, format!("{} fields; Table 5 rows have 10", f.len())));
            }
            let flag = |i: usize| match f[i] {
                "Yes" => Ok(true),
                "No" => Ok(false),
                other => Err(LoadError::at(n, format!("{other:?} is not Yes or No"))),
            };
            let num = |i: usize, what: &str| -> Result<Option<Weight>, LoadError> {
                if f[i] == "." || f[i].is_empty() {
                    return Ok(None);
                }
                Weight::parse(f[i])
                    .map(Some)
                    .ok_or_else(|| LoadError::at(n, format!("{what} {:?} is not a number", f[i])))
            };
            let drg: u16 = f[0].parse().map_err(|_| LoadError::at(n, "bad MS-DRG number"))?;
            let kind = match f[4] {
                "SURG" => DrgType::Surgical,
                "MED" => DrgType::Medical,
                "**" | "" => DrgType::Neither,
                other => {
                    return Err(LoadError::at(n, format!("type {other:?} is not SURG or MED")));
                }
            };
            rows.insert(
                drg,
                DrgRow {
                    mdc: (!f[3].is_empty()).then(|| f[3].to_string()),
                    kind,
                    title: f[5].to_string(),
                    post_acute: flag(1)?,
                    special_pay: flag(2)?,
                    weight: num(7, "weight")?.unwrap_or_default(),
                    weight_before_cap: num(6, "weight before cap")?.unwrap_or_default(),
                    gmlos: num(8, "geometric mean LOS")?,
                    amlos: num(9, "arithmetic mean LOS")?,
                },
            );
        }
        if rows.is_empty() {
            return Err(LoadError::whole("no MS-DRG rows (expected CMS's Table 5 text file)"));
        }
        let n = rows.len();
        self.drgs = rows;
        self.fiscal_year = year;
        Ok(n)
    }

    /// Reads Table 6I (MCC) or 6J (CC): a title, a heading row, then `code<TAB>description`.
    pub fn load_cc_list(&mut self, bytes: &[u8]) -> Result<(CcLevel, usize), LoadError> {
        let text = decode_windows_1252(bytes);
        let title = lines(&text).next().map(|(_, l)| l.to_ascii_uppercase()).unwrap_or_default();
        let level = if title.contains("MCC") {
            CcLevel::Mcc
        } else if title.contains("CC LIST") {
            CcLevel::Cc
        } else {
            return Err(LoadError::at(
                1,
                "not Table 6I (MCC list) or 6J (CC list): the first line names neither",
            ));
        };
        let mut codes = FxHashSet::default();
        for (n, line) in lines(&text).skip(2) {
            let code = line.split('\t').next().unwrap_or("").trim();
            if code.is_empty() {
                continue;
            }
            codes.insert(key(n, code)?);
        }
        let count = codes.len();
        match level {
            CcLevel::Mcc => self.mcc = codes,
            CcLevel::Cc => self.cc = codes,
        }
        Ok((level, count))
    }

    /// Reads Table 6K: Part 1 (`code  CC|MCC  NNNN:k codes  description`), the PDX collections
    /// (`PDX collection NNNN` then indented codes), and Part 2 (codes that are a CC or MCC only
    /// if the patient is discharged alive).
    pub fn load_table6k(&mut self, bytes: &[u8]) -> Result<usize, LoadError> {
        let text = decode_windows_1252(bytes);
        let mut part = 0;
        let mut exclusion_of = FxHashMap::default();
        let mut collections: FxHashMap<u16, FxHashSet<CodeKey>> = FxHashMap::default();
        let mut alive_only = FxHashSet::default();
        let mut current: Option<u16> = None;
        let mut expected: FxHashMap<u16, usize> = FxHashMap::default();
        let mut drg_exclusions: Vec<((u16, u16), FxHashSet<CodeKey>)> = Vec::new();
        for (n, line) in lines(&text) {
            let t = line.trim();
            if t.starts_with("K Part 1") {
                part = 1;
                continue;
            }
            if t.starts_with("K Part 2") {
                part = 2;
                current = None;
                continue;
            }
            if t.starts_with("K Part 3") {
                part = 3;
                continue;
            }
            if part == 3 && t.starts_with("MDC ") {
                // `MDC 01 DRGs 082-084 Traumatic Stupor and Coma >1 Hour`
                let range = t.split_whitespace().nth(3).unwrap_or("");
                let (a, b) = range.split_once('-').unwrap_or((range, range));
                let (Ok(a), Ok(b)) = (a.parse::<u16>(), b.parse::<u16>()) else {
                    return Err(LoadError::at(n, format!("{range:?} is not a range of MS-DRGs")));
                };
                drg_exclusions.push(((a, b), FxHashSet::default()));
                continue;
            }
            if let Some(id) = t.strip_prefix("PDX collection ") {
                let id: u16 = id
                    .trim()
                    .parse()
                    .map_err(|_| LoadError::at(n, format!("{id:?} is not a collection number")))?;
                current = Some(id);
                collections.entry(id).or_default();
                continue;
            }
            if t.is_empty() || t.starts_with("I10 Dx") || part == 0 {
                continue;
            }
            let mut words = t.split_whitespace();
            let code = words.next().unwrap_or("");
            match (part, current) {
                (1, None) => {
                    let level = match words.next() {
                        Some("CC") => CcLevel::Cc,
                        Some("MCC") => CcLevel::Mcc,
                        other => {
                            return Err(LoadError::at(
                                n,
                                format!("level {other:?} is not CC or MCC"),
                            ));
                        }
                    };
                    let spec = words.next().unwrap_or("");
                    if spec == "No" && words.next() == Some("Excl") {
                        exclusion_of.insert(key(n, code)?, (level, None));
                        continue;
                    }
                    let (id, count) = spec.split_once(':').unwrap_or((spec, ""));
                    let (Ok(list), Ok(count)) =
                        (id.parse::<u16>(), count.replace(',', "").parse::<usize>())
                    else {
                        return Err(LoadError::at(
                            n,
                            format!("{spec:?} is not a PDX exclusion collection (NNNN:k codes)"),
                        ));
                    };
                    exclusion_of.insert(key(n, code)?, (level, Some(list)));
                    expected.insert(list, count);
                }
                (1, Some(id)) => {
                    collections.entry(id).or_default().insert(key(n, code)?);
                }
                (2, _) => {
                    alive_only.insert(key(n, code)?);
                }
                _ => {
                    let Some((_, set)) = drg_exclusions.last_mut() else {
                        return Err(LoadError::at(
                            n,
                            "a code before the first \"MDC NN DRGs …\" heading of Part 3",
                        ));
                    };
                    set.insert(key(n, code)?);
                }
            }
        }
        if exclusion_of.is_empty() {
            return Err(LoadError::whole("no CC/MCC codes in Part 1 (expected CMS's Table 6K)"));
        }
        for (code, (_, list)) in &exclusion_of {
            let Some(list) = list else { continue };
            let Some(c) = collections.get(list) else {
                return Err(LoadError::whole(format!(
                    "{} refers to PDX collection {list:04}, which the file does not list",
                    code.as_str()
                )));
            };
            // Part 1 says how many codes each collection has: a truncated file shows here.
            if expected.get(list).is_some_and(|&k| k != c.len()) {
                return Err(LoadError::whole(format!(
                    "PDX collection {list:04} lists {} codes where Part 1 says {}",
                    c.len(),
                    expected[list]
                )));
            }
        }
        let n = exclusion_of.len();
        self.exclusion_of = exclusion_of;
        self.collections = collections;
        self.alive_only = alive_only;
        self.drg_exclusions = drg_exclusions;
        Ok(n)
    }

    /// A DRG's Table 5 row.
    pub fn drg(&self, drg: u16) -> Option<&DrgRow> {
        self.drgs.get(&drg)
    }

    /// How many DRGs Table 5 lists.
    pub fn drg_count(&self) -> usize {
        self.drgs.len()
    }

    /// The CC/MCC level of a secondary diagnosis by Tables 6I/6J, before exclusions.
    pub fn level(&self, code: &CodeKey) -> Option<CcLevel> {
        if self.mcc.contains(code) {
            Some(CcLevel::Mcc)
        } else if self.cc.contains(code) {
            Some(CcLevel::Cc)
        } else {
            None
        }
    }

    /// Whether the principal diagnosis `pdx` excludes the CC/MCC `sdx` (Table 6K).
    pub fn excluded_by(&self, sdx: &CodeKey, pdx: &CodeKey) -> bool {
        self.exclusion_of
            .get(sdx)
            .and_then(|(_, list)| list.and_then(|l| self.collections.get(&l)))
            .is_some_and(|c| c.contains(pdx))
    }

    /// Whether `code` is a CC/MCC only if the patient is discharged alive (Table 6K Part 2).
    pub fn alive_only(&self, code: &CodeKey) -> bool {
        self.alive_only.contains(code)
    }

    /// Whether `sdx` is not a CC/MCC when the claim groups to `drg` (Table 6K Part 3).
    pub fn excluded_in_drg(&self, sdx: &CodeKey, drg: u16) -> bool {
        self.drg_exclusions
            .iter()
            .any(|((a, b), set)| (*a..=*b).contains(&drg) && set.contains(sdx))
    }

    /// Counts: DRGs, MCCs, CCs, codes with exclusions, PDX collections, alive-only codes.
    pub fn counts(&self) -> [usize; 6] {
        [
            self.drgs.len(),
            self.mcc.len(),
            self.cc.len(),
            self.exclusion_of.len(),
            self.collections.len(),
            self.alive_only.len(),
        ]
    }

    /// The compact binary form (postcard), as installed in the data directory.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Reads the binary form written by [`IppsTables::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<IppsTables, LoadError> {
        postcard::from_bytes(bytes).map_err(|e| LoadError::whole(format!("not IPPS tables: {e}")))
    }
}
