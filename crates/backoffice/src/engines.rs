//! The engines a workflow runs, opened once from a data directory: the code sets, the edit
//! tables (MCE, NCCI), the MS-DRG definitions and the IPPS tables. The CLI's claim build and the
//! web app's coding screen group and scrub through the same value.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use claim_model::Claim;
use code_sets::{Date, Library};

/// The installed engines.
pub struct Engines {
    /// The code sets (empty when none are installed).
    pub library: Arc<Library>,
    /// The Medicare Code Editor's lists.
    pub mce: Option<mce::Tables>,
    /// The NCCI tables.
    pub ncci: Option<ncci::Tables>,
    /// The MS-DRG definitions in force in the year before today (and any after).
    pub msdrg: Vec<drg::Definitions>,
    /// The IPPS tables by fiscal year.
    pub ipps: Vec<drg::IppsTables>,
}

/// What an inpatient claim groups to, and what each of its codes does to the DRG.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrgImpact {
    /// The MS-DRG (three digits; 998 or 999 when the claim does not group).
    pub drg: String,
    /// Its title.
    pub title: String,
    /// Its MDC (`PRE` or `01`…`25`; empty for 998/999).
    pub mdc: String,
    /// The MS-DRG version used (`v43.1`).
    pub version: String,
    /// The grouper's return code (`OK`, `INVALID_PDX`…).
    pub return_code: String,
    /// `MCC`, `CC`, `NON_CC` or `NONE`.
    pub severity: String,
    /// The Table 5 relative weight, when installed.
    pub weight: Option<String>,
    /// Each secondary diagnosis and each procedure: the DRG without it.
    pub codes: Vec<CodeImpact>,
    /// The Medicare Code Editor's edits on the claim.
    pub mce_edits: Vec<String>,
    /// What could not be done (missing tables).
    pub notes: Vec<String>,
}

/// One code's effect on the DRG.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeImpact {
    /// The code.
    pub code: String,
    /// `diagnosis` or `procedure`.
    pub kind: String,
    /// For a secondary diagnosis: `MCC`, `CC`, `CC excluded`… as the grouper flagged it.
    pub flag: String,
    /// The DRG the claim would group to without this code.
    pub drg_without: String,
    /// True when removing the code changes the DRG (the code matters to payment).
    pub changes_drg: bool,
}

impl Engines {
    /// Opens everything installed in `data_dir`, with the code sets' search index (the MS-DRG
    /// versions in force from a year before `today`). A data directory with nothing installed
    /// gives empty engines; a damaged one is an error.
    pub fn open(data_dir: &Path, today: Date) -> Result<Engines> {
        let editing = Engines::editing_with(data_dir, true)?;
        let grouping = Engines::grouping(data_dir, today)?;
        Ok(Engines { msdrg: grouping.msdrg, ipps: grouping.ipps, ..editing })
    }

    /// Only the code sets (without their search index) and the edit tables: what scrubbing
    /// needs.
    pub fn editing(data_dir: &Path) -> Result<Engines> {
        Engines::editing_with(data_dir, false)
    }

    fn editing_with(data_dir: &Path, search: bool) -> Result<Engines> {
        let dir = releases::DataDir::new(data_dir);
        let library = if search { dir.open(None) } else { dir.open_for_lookup(None) };
        let library =
            library.with_context(|| format!("reading the releases in {}", data_dir.display()))?;
        let mce = dir
            .open_mce()
            .with_context(|| format!("reading the MCE lists in {}", data_dir.display()))?;
        let ncci = dir
            .open_ncci()
            .with_context(|| format!("reading the NCCI tables in {}", data_dir.display()))?;
        Ok(Engines { library: Arc::new(library), mce, ncci, msdrg: Vec::new(), ipps: Vec::new() })
    }

    /// Only the MS-DRG definitions, the IPPS tables and the MCE lists (what grouping needs).
    pub fn grouping(data_dir: &Path, today: Date) -> Result<Engines> {
        let dir = releases::DataDir::new(data_dir);
        let dates: Vec<Date> =
            (0..=3).filter_map(|q| Date::from_day_number(today.day_number() - 120 * q)).collect();
        let msdrg = dir.open_msdrg_for(&dates, &[]).context("reading the MS-DRG definitions")?;
        let (ipps, mce) = if msdrg.is_empty() {
            (Vec::new(), None)
        } else {
            (
                dir.open_ipps().context("reading the IPPS tables")?,
                dir.open_mce().context("reading the MCE lists")?,
            )
        };
        Ok(Engines { library: Arc::new(Library::default()), mce, ncci: None, msdrg, ipps })
    }

    /// Engines over a code-set library alone (no edit tables, no grouper).
    pub fn from_library(library: Library) -> Engines {
        Engines {
            library: Arc::new(library),
            mce: None,
            ncci: None,
            msdrg: Vec::new(),
            ipps: Vec::new(),
        }
    }

    /// The scrubber's context as of `today`, with every installed table.
    pub fn scrub_context(&self, today: Date) -> scrub::Context<'_> {
        let mut cx = scrub::Context::new(&self.library, today);
        if let Some(t) = self.mce.as_ref() {
            cx = cx.with_mce(t);
        }
        if let Some(t) = self.ncci.as_ref() {
            cx = cx.with_ncci(t);
        }
        cx
    }

    fn grouper(&self) -> drg::Grouper<'_> {
        drg::Grouper { versions: &self.msdrg, ipps: &self.ipps, mce: self.mce.as_ref() }
    }

    /// The MS-DRG of an inpatient claim, three digits (empty when no definitions are installed,
    /// the claim is not institutional or no installed version covers it).
    pub fn drg(&self, claim: &Claim) -> String {
        if self.msdrg.is_empty() {
            return String::new();
        }
        drg::GroupClaim::from_claim(claim)
            .and_then(|c| self.grouper().group(&c))
            .map(|r| format!("{:03}", r.final_drg))
            .unwrap_or_default()
    }

    /// The DRG of an inpatient claim with each code's effect on it: the claim grouped as it
    /// is, then once without each secondary diagnosis and each procedure. `Err` says why it
    /// cannot be grouped (no definitions installed, not an inpatient claim, no version in force).
    pub fn drg_impact(&self, claim: &Claim) -> Result<DrgImpact, String> {
        if self.msdrg.is_empty() {
            return Err("no MS-DRG definitions are installed (superbill data import)".into());
        }
        let g = self.grouper();
        let base = drg::GroupClaim::from_claim(claim)?;
        let full = g.group(&base)?;
        let drg_of = |c: &drg::GroupClaim| {
            g.group(c).map(|r| format!("{:03}", r.final_drg)).unwrap_or_else(|e| e)
        };
        let now = format!("{:03}", full.final_drg);
        let mut codes = Vec::new();
        for i in 0..base.sdx.len() {
            let mut c = base.clone();
            let (code, _) = c.sdx.remove(i);
            let without = drg_of(&c);
            codes.push(CodeImpact {
                code,
                kind: "diagnosis".into(),
                flag: full.sdx_sev.get(i).map(|s| s.to_string()).unwrap_or_default(),
                changes_drg: without != now,
                drg_without: without,
            });
        }
        for i in 0..base.procedures.len() {
            let mut c = base.clone();
            let code = c.procedures.remove(i);
            let without = drg_of(&c);
            codes.push(CodeImpact {
                code,
                kind: "procedure".into(),
                flag: String::new(),
                changes_drg: without != now,
                drg_without: without,
            });
        }
        let defs = g.definitions(&base)?;
        let def = defs.drg(full.final_drg);
        Ok(DrgImpact {
            title: def.map(|d| d.desc.clone()).unwrap_or_default(),
            mdc: def.and_then(|d| d.mdc.clone()).unwrap_or_default(),
            drg: now,
            version: full.version.clone(),
            return_code: full.final_grc.to_string(),
            severity: full.final_severity.to_string(),
            weight: full.table5.as_ref().map(|w| w.weight.clone()),
            codes,
            mce_edits: full
                .mce_detail
                .iter()
                .map(|e| match &e.code {
                    Some(c) => format!("{} ({c}): {}", e.edit, e.detail),
                    None => format!("{}: {}", e.edit, e.detail),
                })
                .collect(),
            notes: full.notes.clone(),
        })
    }
}
