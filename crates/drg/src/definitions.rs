//! The MS-DRG definitions of one grouper version (v42, v42.1, v43, v43.1…), read from the JSON
//! form that `drgpy` parsed out of CMS's ICD-10 MS-DRG Definitions Manual (a derived form, not a
//! CMS file; documented in `docs/formats/msdrg-definitions.md`): each DRG with its MDC and type,
//! each diagnosis with its MDCs and the DRG logic lists it belongs to, each procedure with its
//! lists (O.R. or not), the CC/MCC levels with their PDX exclusions, "MCC only if discharged
//! alive", the exclusions in select DRGs, and the surgical hierarchy.

use code_sets::{CodeKey, Date, LoadError, System};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::tables::CcLevel;

/// One DRG of the definitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrgDef {
    /// The title as the manual prints it.
    pub desc: String,
    /// `01`…`25`; `None` for pre-MDC DRGs and 998/999.
    pub mdc: Option<String>,
    /// A surgical DRG.
    pub surgical: bool,
}

/// A code's membership in the logic lists of some DRGs: the DRGs and the list's name in the
/// manual (`PDX`, `PSDX`, `ORPCS`, `MAJOR O.R. PROCEDURE ORPCS`…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The DRGs whose logic names the list.
    pub drgs: Vec<u16>,
    /// Index of the list's name in [`Definitions::list_name`].
    pub list: u16,
}

/// What the definitions say about a secondary diagnosis that is a CC or MCC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CcDef {
    /// CC or MCC.
    pub level: CcLevel,
    /// The PDX collection that excludes it (`None`: no exclusion).
    pub pdx_collection: Option<u16>,
    /// A CC/MCC only if the patient is discharged alive.
    pub alive_only: bool,
    /// The hospital-acquired condition category, when it is one.
    pub hac: Option<String>,
}

/// The MS-DRG definitions of one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definitions {
    /// `v43`, `v43.1`…
    pub version: String,
    drgs: std::collections::BTreeMap<u16, DrgDef>,
    /// Per diagnosis: its MDC markers (`MDC06`, `TRAUM`…) and its list memberships.
    dx: FxHashMap<CodeKey, (Vec<String>, Vec<Membership>)>,
    /// Per ICD-10-PCS procedure: its list memberships.
    pr: FxHashMap<CodeKey, Vec<Membership>>,
    /// O.R. procedures and the DRGs their O.R. status is listed for.
    or_pcs: FxHashMap<CodeKey, Vec<u16>>,
    /// Procedures that are O.R. for neonates.
    neo_or: FxHashSet<CodeKey>,
    cc: FxHashMap<CodeKey, CcDef>,
    collections: FxHashMap<u16, FxHashSet<CodeKey>>,
    drg_exclusions: FxHashMap<u16, FxHashSet<CodeKey>>,
    /// Surgical hierarchy rank by DRG (lower ranks first).
    surgical_rank: FxHashMap<u16, u32>,
    lists: Vec<String>,
    /// DRGs no procedure list names (worked out after loading, not stored).
    #[serde(skip)]
    without_procedure_lists: FxHashSet<u16>,
    /// DRGs whose procedure list is "any other O.R. procedure not listed in DRGs …" (worked out
    /// after loading, not stored).
    #[serde(skip)]
    any_other_or: FxHashSet<u16>,
    /// DRG sets whose logic names a second procedure (an `AND …` procedure list; worked out after
    /// loading, not stored).
    #[serde(skip)]
    and_procedure_lists: FxHashSet<Vec<u16>>,
    /// Each DRG's title stem, lowercase, without its severity (worked out after loading).
    #[serde(skip)]
    stems: FxHashMap<u16, String>,
    /// Per MDC, the families that take any O.R. procedure (worked out after loading).
    #[serde(skip)]
    any_or_by_mdc: FxHashMap<String, Vec<Vec<u16>>>,
    /// Per DRG set, the diagnosis lists that name it (worked out after loading, not stored).
    #[serde(skip)]
    dx_lists_by_drgs: FxHashMap<Vec<u16>, Vec<u16>>,
    /// Keys of the procedure map that are not procedure codes (fragments of the manual's text
    /// that the parse picked up, as `One` and `with` in every staged version): skipped, listed here.
    skipped: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    schema_version: u32,
    version: String,
    drgmap: std::collections::HashMap<String, RawDrg>,
    dxmap: std::collections::HashMap<String, Vec<String>>,
    prmap: std::collections::HashMap<String, Vec<String>>,
    orpcsmap: std::collections::HashMap<String, Vec<String>>,
    neoormap: Vec<String>,
    ccmap: std::collections::HashMap<String, RawCc>,
    exmap: std::collections::HashMap<String, Vec<String>>,
    drg_exclusions: std::collections::HashMap<String, Vec<String>>,
    surgical_rank: std::collections::HashMap<String, u32>,
}

#[derive(Deserialize)]
struct RawDrg {
    desc: String,
    #[allow(dead_code)]
    drg: String,
    #[allow(dead_code)]
    is_medical: bool,
    is_surgical: bool,
    mdc: String,
}

#[derive(Deserialize)]
struct RawCc {
    aowa: bool,
    hac: Option<serde_json::Value>,
    level: String,
    pdx: Option<String>,
}

fn drg_no(s: &str) -> Result<u16, LoadError> {
    s.trim().parse().map_err(|_| LoadError::whole(format!("{s:?} is not an MS-DRG number")))
}

fn code(system: System, s: &str) -> Result<CodeKey, LoadError> {
    system.normalize(s).map_err(|why| {
        LoadError::whole(format!("{s:?} is not a {} code: {why}", system.display_name()))
    })
}

impl Definitions {
    /// Parses the JSON form (`schema_version` 1).
    pub fn parse(bytes: &[u8]) -> Result<Definitions, LoadError> {
        let raw: Raw = serde_json::from_slice(bytes)
            .map_err(|e| LoadError::at(e.line() as u64, e.to_string()))?;
        if raw.schema_version != 1 {
            return Err(LoadError::whole(format!(
                "schema_version {} (superbill reads 1)",
                raw.schema_version
            )));
        }
        Definitions::version_start(&raw.version).ok_or_else(|| {
            LoadError::whole(format!("version {:?} is not vNN or vNN.1", raw.version))
        })?;
        let mut lists: Vec<String> = Vec::new();
        let mut intern = |name: &str| -> u16 {
            match lists.iter().position(|l| l == name) {
                Some(i) => i as u16,
                None => {
                    lists.push(name.to_string());
                    (lists.len() - 1) as u16
                }
            }
        };
        // "371&372&373|PDX": the DRGs, then the list name.
        let mut membership = |text: &str| -> Result<Membership, LoadError> {
            let (drgs, name) = text.split_once('|').unwrap_or((text, ""));
            let drgs = drgs.split('&').map(drg_no).collect::<Result<Vec<_>, _>>()?;
            Ok(Membership { drgs, list: intern(name) })
        };
        let mut drgs = std::collections::BTreeMap::new();
        for (k, d) in raw.drgmap {
            let mdc = (!d.mdc.trim().is_empty()).then(|| d.mdc.trim().to_string());
            drgs.insert(drg_no(&k)?, DrgDef { desc: d.desc, mdc, surgical: d.is_surgical });
        }
        let mut dx = FxHashMap::default();
        for (k, forms) in raw.dxmap {
            let (mut mdcs, mut ms) = (Vec::new(), Vec::new());
            for f in forms {
                match f.strip_prefix('_') {
                    Some(marker) => mdcs.push(marker.to_string()),
                    None => ms.push(membership(&f)?),
                }
            }
            dx.insert(code(System::Icd10Cm, &k)?, (mdcs, ms));
        }
        let mut pr = FxHashMap::default();
        let mut skipped = Vec::new();
        for (k, forms) in raw.prmap {
            // Every real key is seven characters; anything else is a stray word of the manual.
            let Ok(key) = System::Icd10Pcs
                .normalize(&k)
                .map_err(|_| ())
                .and_then(|c| if c.len() == 7 { Ok(c) } else { Err(()) })
            else {
                if k.len() == 7 {
                    return Err(LoadError::whole(format!(
                        "{k:?} in prmap is not an ICD-10-PCS code"
                    )));
                }
                skipped.push(k);
                continue;
            };
            let ms = forms.iter().map(|f| membership(f)).collect::<Result<Vec<_>, _>>()?;
            pr.insert(key, ms);
        }
        skipped.sort();
        let mut or_pcs = FxHashMap::default();
        for (k, ds) in raw.orpcsmap {
            let ds = ds.iter().map(|d| drg_no(d)).collect::<Result<Vec<_>, _>>()?;
            or_pcs.insert(code(System::Icd10Pcs, &k)?, ds);
        }
        let neo_or =
            raw.neoormap.iter().map(|c| code(System::Icd10Pcs, c)).collect::<Result<_, _>>()?;
        let mut collections: FxHashMap<u16, FxHashSet<CodeKey>> = FxHashMap::default();
        for (k, codes) in raw.exmap {
            let id: u16 = k
                .parse()
                .map_err(|_| LoadError::whole(format!("{k:?} is not a PDX collection number")))?;
            let set = codes.iter().map(|c| code(System::Icd10Cm, c)).collect::<Result<_, _>>()?;
            collections.insert(id, set);
        }
        let mut cc = FxHashMap::default();
        for (k, c) in raw.ccmap {
            let level = match c.level.as_str() {
                "CC" => CcLevel::Cc,
                "MCC" => CcLevel::Mcc,
                other => {
                    return Err(LoadError::whole(format!("{k}: level {other:?} is not CC or MCC")));
                }
            };
            let pdx_collection = match c.pdx.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(p) => {
                    let id: u16 = p.parse().map_err(|_| {
                        LoadError::whole(format!("{k}: {p:?} is not a PDX collection"))
                    })?;
                    if !collections.contains_key(&id) {
                        return Err(LoadError::whole(format!(
                            "{k} refers to PDX collection {p}, which exmap lacks"
                        )));
                    }
                    Some(id)
                }
            };
            let hac = c
                .hac
                .filter(|h| !h.is_null())
                .map(|h| h.as_str().map_or_else(|| h.to_string(), str::to_string));
            cc.insert(
                code(System::Icd10Cm, &k)?,
                CcDef { level, pdx_collection, alive_only: c.aowa, hac },
            );
        }
        let mut drg_exclusions = FxHashMap::default();
        for (k, codes) in raw.drg_exclusions {
            let set = codes.iter().map(|c| code(System::Icd10Cm, c)).collect::<Result<_, _>>()?;
            drg_exclusions.insert(drg_no(&k)?, set);
        }
        let surgical_rank = raw
            .surgical_rank
            .iter()
            .map(|(k, v)| Ok((drg_no(k)?, *v)))
            .collect::<Result<_, LoadError>>()?;
        let mut d = Definitions {
            version: raw.version,
            drgs,
            dx,
            pr,
            or_pcs,
            neo_or,
            cc,
            collections,
            drg_exclusions,
            surgical_rank,
            lists,
            without_procedure_lists: FxHashSet::default(),
            any_other_or: FxHashSet::default(),
            dx_lists_by_drgs: FxHashMap::default(),
            and_procedure_lists: FxHashSet::default(),
            stems: FxHashMap::default(),
            any_or_by_mdc: FxHashMap::default(),
            skipped,
        };
        d.index();
        Ok(d)
    }

    /// Works out what is derived from the stored tables.
    fn index(&mut self) {
        let named: FxHashSet<u16> =
            self.pr.values().flatten().flat_map(|m| m.drgs.iter().copied()).collect();
        self.without_procedure_lists =
            self.drgs.keys().copied().filter(|d| !named.contains(d)).collect();
        self.any_other_or = self
            .pr
            .values()
            .flatten()
            .filter(|m| {
                self.lists
                    .get(usize::from(m.list))
                    .is_some_and(|n| n.starts_with("ANY OTHER ORPCS"))
            })
            .flat_map(|m| m.drgs.iter().copied())
            .collect();
        let mut by: FxHashMap<Vec<u16>, Vec<u16>> = FxHashMap::default();
        for (_, memberships) in self.dx.values() {
            for m in memberships {
                let v = by.entry(m.drgs.clone()).or_default();
                if !v.contains(&m.list) {
                    v.push(m.list);
                }
            }
        }
        self.dx_lists_by_drgs = by;
        let and: FxHashSet<Vec<u16>> = self
            .pr
            .values()
            .flatten()
            .filter(|m| self.lists.get(usize::from(m.list)).is_some_and(|n| n.starts_with("AND ")))
            .map(|m| m.drgs.clone())
            .collect();
        self.and_procedure_lists = and;
        self.stems = self
            .drgs
            .iter()
            .map(|(&d, def)| {
                let t = def.desc.to_ascii_lowercase();
                let cut = [" with mcc", " with cc", " without", " with "]
                    .iter()
                    .filter_map(|w| t.find(w))
                    .min()
                    .unwrap_or(t.len());
                (d, t[..cut].to_string())
            })
            .collect();
        let mut any_or: FxHashMap<String, Vec<Vec<u16>>> = FxHashMap::default();
        for (&d, def) in &self.drgs {
            let Some(mdc) = def.mdc.as_deref() else { continue };
            if !self.takes_any_or_procedure(d) {
                continue;
            }
            let out = any_or.entry(mdc.to_string()).or_default();
            match out.last_mut() {
                Some(f) if f.last() == Some(&(d - 1)) && self.stems[&f[0]] == self.stems[&d] => {
                    f.push(d)
                }
                _ => out.push(vec![d]),
            }
        }
        self.any_or_by_mdc = any_or;
    }

    /// Whether the logic of the DRG set `drgs` names a second procedure (`AND …` list).
    pub fn has_and_procedure_list(&self, drgs: &[u16]) -> bool {
        self.and_procedure_lists.contains(drgs)
    }

    /// Whether some procedure list names `drg`.
    pub fn named_by_procedure_list(&self, drg: u16) -> bool {
        !self.without_procedure_lists.contains(&drg)
    }

    /// The names of the diagnosis lists that name exactly the DRGs `drgs`.
    pub fn diagnosis_lists_naming(&self, drgs: &[u16]) -> Vec<&str> {
        self.dx_lists_by_drgs
            .get(drgs)
            .map(|v| v.iter().map(|l| self.list_name(*l)).collect())
            .unwrap_or_default()
    }

    /// The "any O.R. procedure" families of an MDC (`"18"`), each a run of consecutive DRGs
    /// with one title stem (853–855 infectious, 856–858 postoperative infections), in DRG order.
    pub fn any_or_families(&self, mdc: &str) -> &[Vec<u16>] {
        self.any_or_by_mdc.get(mdc).map_or(&[], Vec::as_slice)
    }

    /// A DRG's title without its severity (`skin graft for skin ulcer or cellulitis`), lowercase.
    pub fn title_stem(&self, drg: u16) -> &str {
        self.stems.get(&drg).map_or("", String::as_str)
    }

    /// A list's DRGs split into families of one title stem (573–578 into 573–575 and 576–578).
    pub fn split_by_title(&self, drgs: &[u16]) -> Vec<Vec<u16>> {
        let mut out: Vec<Vec<u16>> = Vec::new();
        for &d in drgs {
            match out.last_mut() {
                Some(f) if self.title_stem(f[0]) == self.title_stem(d) => f.push(d),
                _ => out.push(vec![d]),
            }
        }
        out
    }

    /// Whether `drg` is a surgical DRG that takes any O.R. procedure: no procedure list names it
    /// (the principal diagnosis alone chooses it, as in 853–858, 876, 939–941), or its list is
    /// "any other O.R. procedure" (823–825, 829–830).
    pub fn takes_any_or_procedure(&self, drg: u16) -> bool {
        (self.without_procedure_lists.contains(&drg) || self.any_other_or.contains(&drg))
            && self.drg(drg).is_some_and(|d| d.surgical)
    }

    /// The first day a version is in force: `vNN` on October 1 opening fiscal year NN − 17
    /// (v43 → 2025-10-01), `vNN.1` on the April 1 within it (v43.1 → 2026-04-01).
    pub fn version_start(version: &str) -> Option<Date> {
        let v = version.strip_prefix('v')?;
        let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
        // v43 is fiscal year 2026 (v42 FY2025…).
        let fy = major.parse::<u32>().ok()?.checked_add(1983)?;
        match minor {
            "0" => Some(Date::fiscal_year_start(fy)),
            "1" => Date::from_ymd(fy, 4, 1),
            _ => None,
        }
    }

    /// The last day a version is in force: March 31 for `vNN`, September 30 for `vNN.1`.
    pub fn version_end(version: &str) -> Option<Date> {
        let start = Definitions::version_start(version)?;
        if version.contains('.') {
            Date::from_ymd(start.year(), 9, 30)
        } else {
            Date::from_ymd(start.year() + 1, 3, 31)
        }
    }

    /// The first day this version is in force.
    pub fn effective_from(&self) -> Date {
        Definitions::version_start(&self.version).unwrap_or_else(|| Date::fiscal_year_start(2000))
    }

    /// A DRG's definition.
    pub fn drg(&self, drg: u16) -> Option<&DrgDef> {
        self.drgs.get(&drg)
    }

    /// A diagnosis's MDC markers and list memberships.
    pub fn diagnosis(&self, code: &CodeKey) -> Option<(&[String], &[Membership])> {
        self.dx.get(code).map(|(m, l)| (m.as_slice(), l.as_slice()))
    }

    /// A procedure's list memberships.
    pub fn procedure(&self, code: &CodeKey) -> Option<&[Membership]> {
        self.pr.get(code).map(Vec::as_slice)
    }

    /// Whether a procedure is an O.R. procedure.
    pub fn is_or(&self, code: &CodeKey) -> bool {
        self.or_pcs.contains_key(code)
    }

    /// A secondary diagnosis's CC/MCC definition.
    pub fn cc(&self, code: &CodeKey) -> Option<&CcDef> {
        self.cc.get(code)
    }

    /// Whether the principal diagnosis `pdx` excludes the CC/MCC `sdx`.
    pub fn excluded_by(&self, sdx: &CodeKey, pdx: &CodeKey) -> bool {
        self.cc
            .get(sdx)
            .and_then(|c| c.pdx_collection)
            .and_then(|id| self.collections.get(&id))
            .is_some_and(|s| s.contains(pdx))
    }

    /// The name of a logic list.
    pub fn list_name(&self, index: u16) -> &str {
        self.lists.get(usize::from(index)).map_or("", String::as_str)
    }

    /// The surgical hierarchy rank of a DRG.
    pub fn surgical_rank(&self, drg: u16) -> Option<u32> {
        self.surgical_rank.get(&drg).copied()
    }

    /// Counts: DRGs, diagnoses, procedures, CC/MCC codes, PDX collections.
    pub fn counts(&self) -> [usize; 5] {
        [self.drgs.len(), self.dx.len(), self.pr.len(), self.cc.len(), self.collections.len()]
    }

    /// Keys of the procedure map that were not procedure codes and were skipped.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Procedures that are O.R. for neonates (count).
    pub fn neonate_or_count(&self) -> usize {
        self.neo_or.len()
    }

    /// Whether `sdx` is not a CC/MCC when the claim groups to `drg`.
    pub fn excluded_in_drg(&self, sdx: &CodeKey, drg: u16) -> bool {
        self.drg_exclusions.get(&drg).is_some_and(|s| s.contains(sdx))
    }

    /// Secondary diagnoses that are not a CC/MCC in `drg` (count of DRGs with such lists).
    pub fn drg_exclusion_count(&self) -> usize {
        self.drg_exclusions.len()
    }

    /// The compact binary form (postcard), as installed in the data directory.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Reads the binary form written by [`Definitions::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Definitions, LoadError> {
        let mut d: Definitions = postcard::from_bytes(bytes)
            .map_err(|e| LoadError::whole(format!("not MS-DRG definitions: {e}")))?;
        d.index();
        Ok(d)
    }
}
