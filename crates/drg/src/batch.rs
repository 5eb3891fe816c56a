//! Grouping claims as `superbill group` does: the input CSV of the contract (or claims from the
//! claim model), the MS-DRG version in force by discharge date, the grouper, the Medicare Code
//! Editor on every grouped claim, Table 5's weight and lengths of stay on every result, and the
//! output columns with CMS's value names.

use code_sets::{CodeKey, Date, LoadError, System};
use serde::Serialize;

use crate::definitions::Definitions;
use crate::group::{GroupInput, SdxFlag, group};
use crate::tables::IppsTables;

/// The input CSV's columns (`admit_date` may be left off).
pub const CSV_INPUT: &str =
    "id,version,age,sex,discharge_status,pdx,sdx,procs,discharge_date,hospital_status,admit_date";

/// The output CSV's columns.
pub const CSV_OUTPUT: &str = "id,initial_drg,initial_mdc,final_drg,final_mdc,final_severity,final_grc,hac_status,sdx_sev,mce_edit_type,mce_edits";

/// Whether the hospital is exempt from HAC processing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HospitalStatus {
    /// Exempt (critical access, Maryland…): HAC processing does not apply.
    Exempt,
    /// Not exempt: HAC processing applies.
    NonExempt,
    /// Not known.
    Unknown,
}

/// One inpatient claim to group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupClaim {
    /// The claim's ID (CSV `id`, or the patient control number).
    pub id: String,
    /// The CSV line it came from (0 for claims from the claim model).
    pub line: u64,
    /// The MS-DRG version asked for (`v43`, `v43.1`), or `None` to choose by discharge date.
    pub version: Option<String>,
    /// Age in years at admission.
    pub age: i64,
    /// `M`, `F` or `U`.
    pub sex: char,
    /// The two-digit UB-04 patient discharge status.
    pub discharge_status: String,
    /// The principal diagnosis (as given, without the dot) and its POA.
    pub pdx: (String, Option<char>),
    /// Secondary diagnoses with their POA, in claim order.
    pub sdx: Vec<(String, Option<char>)>,
    /// ICD-10-PCS procedures, in claim order.
    pub procedures: Vec<String>,
    /// The discharge date.
    pub discharge_date: Date,
    /// The admission date, when given (for the length of stay).
    pub admit_date: Option<Date>,
    /// HAC exemption.
    pub hospital_status: HospitalStatus,
}

/// The version name of the CSV's `version` (`430` → `v43`, `431` → `v43.1`, `420` → `v42`).
pub fn version_name(csv: &str) -> Option<String> {
    let t = csv.trim();
    if t.len() != 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (major, minor) = t.split_at(2);
    Some(if minor == "0" { format!("v{major}") } else { format!("v{major}.{minor}") })
}

/// Reads the input CSV of `superbill group` (header row first, columns in the contract's order).
/// Errors name the line and the column.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<GroupClaim>, LoadError> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| LoadError::whole(format!("not UTF-8 text: {e}")))?;
    let mut lines = text.lines().enumerate();
    let head = lines.next().map(|(_, l)| l.trim().trim_start_matches('\u{feff}')).unwrap_or("");
    let want = CSV_INPUT.trim_end_matches(",admit_date");
    if head != CSV_INPUT && head != want {
        return Err(LoadError::at(
            1,
            format!("the header must be {CSV_INPUT:?} (admit_date optional)"),
        ));
    }
    let mut out = Vec::new();
    for (i, l) in lines {
        let line = i as u64 + 1;
        if l.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = l.trim_end_matches('\r').split(',').map(str::trim).collect();
        if !(10..=11).contains(&f.len()) {
            return Err(LoadError::at(
                line,
                format!("{} columns; the header has 10 or 11", f.len()),
            ));
        }
        let bad = |col: &str, why: String| LoadError::at(line, format!("{col}: {why}"));
        let date = |col: &str, t: &str| {
            Date::from_yyyymmdd(t).ok_or_else(|| bad(col, format!("{t:?} is not a date YYYYMMDD")))
        };
        let poa = |col: &str, t: &str| -> Result<Option<char>, LoadError> {
            match t {
                "" => Ok(None),
                "Y" | "N" | "U" | "W" | "1" => Ok(t.chars().next()),
                other => Err(bad(col, format!("POA {other:?} is not Y, N, U, W, 1 or empty"))),
            }
        };
        let coded = |col: &str, t: &str| -> Result<(String, Option<char>), LoadError> {
            let (code, p) = t.split_once(':').unwrap_or((t, ""));
            Ok((code.trim().to_ascii_uppercase(), poa(col, p.trim())?))
        };
        let version = match f[1] {
            "" => None,
            v => Some(
                version_name(v)
                    .ok_or_else(|| bad("version", format!("{v:?} is not like 430 (v43.0)")))?,
            ),
        };
        let age = f[2]
            .parse::<i64>()
            .map_err(|_| bad("age", format!("{:?} is not a whole number of years", f[2])))?;
        let sex = match f[3] {
            "M" | "F" | "U" => f[3].chars().next().unwrap_or('U'),
            other => return Err(bad("sex", format!("{other:?} is not M, F or U"))),
        };
        let sdx: Vec<_> = f[6]
            .split('|')
            .filter(|s| !s.is_empty())
            .map(|s| coded("sdx", s))
            .collect::<Result<_, _>>()?;
        // More than a claim carries (24 secondary diagnoses, 25 procedures) is grouped as CMS's
        // grouper does, all of them, with a note on the result.
        let procedures: Vec<String> =
            f[7].split('|').filter(|s| !s.is_empty()).map(|s| s.to_ascii_uppercase()).collect();
        let hospital_status = match f[9] {
            "EXEMPT" => HospitalStatus::Exempt,
            "NON_EXEMPT" => HospitalStatus::NonExempt,
            "UNKNOWN" | "" => HospitalStatus::Unknown,
            other => {
                return Err(bad(
                    "hospital_status",
                    format!("{other:?} is not EXEMPT, NON_EXEMPT or UNKNOWN"),
                ));
            }
        };
        let admit_date = match f.get(10).copied().unwrap_or("") {
            "" => None,
            t => Some(date("admit_date", t)?),
        };
        out.push(GroupClaim {
            id: f[0].to_string(),
            line,
            version,
            age,
            sex,
            discharge_status: f[4].to_string(),
            pdx: coded("pdx", f[5])?,
            sdx,
            procedures,
            discharge_date: date("discharge_date", f[8])?,
            admit_date,
            hospital_status,
        });
    }
    Ok(out)
}

/// Table 5's figures for the final DRG (the fiscal year of the discharge).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Weights {
    /// The relative weight after the 10 % cap (the one payment uses).
    pub weight: String,
    /// Geometric mean length of stay.
    pub gmlos: Option<String>,
    /// Arithmetic mean length of stay.
    pub amlos: Option<String>,
    /// A post-acute transfer DRG.
    pub post_acute: bool,
    /// A special-pay post-acute DRG.
    pub special_pay: bool,
    /// The fiscal year of the table.
    pub fiscal_year: u32,
}

/// A length of stay as CMS prints it (`3.9`, not `3.9000`).
fn days(w: crate::tables::Weight) -> String {
    let s = w.to_string();
    let t = s.trim_end_matches('0');
    if t.ends_with('.') { format!("{t}0") } else { t.to_string() }
}

/// One MCE edit on a grouped claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MceEdit {
    /// CMS's name (`AGE_CONFLICT`…).
    pub edit: &'static str,
    /// The code it concerns (`None` for claim-level edits).
    pub code: Option<String>,
    /// Why.
    pub detail: String,
}

/// The answer for one claim, in the contract's names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupResult {
    /// The claim's ID.
    pub id: String,
    /// The MS-DRG version used (`v43.1`).
    pub version: String,
    /// The DRG before HAC processing.
    pub initial_drg: u16,
    /// Its MDC.
    pub initial_mdc: u8,
    /// The DRG after HAC processing (the one paid).
    pub final_drg: u16,
    /// Its MDC.
    pub final_mdc: u8,
    /// `MCC`, `CC`, `NON_CC` or `NONE`.
    pub final_severity: &'static str,
    /// The grouper return code (`OK`, `INVALID_PDX`…).
    pub final_grc: &'static str,
    /// `NOT_APPLICABLE`, `FINAL_DRG_NO_CHANGE`, `FINAL_DRG_CHANGES`, `FINAL_DRG_UNGROUPABLE`.
    pub hac_status: &'static str,
    /// Each secondary diagnosis's flag, in input order.
    pub sdx_sev: Vec<&'static str>,
    /// `NONE` or `PREPAYMENT`.
    pub mce_edit_type: &'static str,
    /// Each MCE edit with its count, sorted by name.
    pub mce_edits: Vec<(&'static str, usize)>,
    /// The MCE edits one by one, with the codes they concern.
    pub mce_detail: Vec<MceEdit>,
    /// Table 5 for the final DRG, when the fiscal year's table is installed.
    pub table5: Option<Weights>,
    /// Why the grouper decided as it did.
    pub reasons: Vec<String>,
    /// What could not be done for this claim (missing tables).
    pub notes: Vec<String>,
}

impl GroupResult {
    /// The output CSV row (columns of [`CSV_OUTPUT`]).
    pub fn csv_row(&self) -> String {
        let edits: Vec<String> = self.mce_edits.iter().map(|(n, c)| format!("{n}={c}")).collect();
        format!(
            "{},{},{},{},{},{},{},{},{},{},{}",
            self.id,
            self.initial_drg,
            self.initial_mdc,
            self.final_drg,
            self.final_mdc,
            self.final_severity,
            self.final_grc,
            self.hac_status,
            self.sdx_sev.join("|"),
            self.mce_edit_type,
            edits.join("|")
        )
    }
}

/// The grouper with the installed tables: MS-DRG definitions by version, IPPS tables by fiscal
/// year, the MCE lists.
pub struct Grouper<'a> {
    /// MS-DRG definitions, any order.
    pub versions: &'a [Definitions],
    /// IPPS tables (Table 5 weights).
    pub ipps: &'a [IppsTables],
    /// The Medicare Code Editor's lists.
    pub mce: Option<&'a mce::Tables>,
}

impl Grouper<'_> {
    /// The definitions for a claim: the version asked for, or the one in force on its
    /// discharge date.
    pub fn definitions(&self, claim: &GroupClaim) -> Result<&Definitions, String> {
        match &claim.version {
            Some(v) => self.versions.iter().find(|d| &d.version == v).ok_or_else(|| {
                format!("MS-DRG {v} is not installed (superbill data import the definitions)")
            }),
            None => self
                .versions
                .iter()
                .find(|d| {
                    let (from, to) = (
                        Definitions::version_start(&d.version),
                        Definitions::version_end(&d.version),
                    );
                    from.is_some_and(|f| f <= claim.discharge_date)
                        && to.is_some_and(|t| claim.discharge_date <= t)
                })
                .ok_or_else(|| {
                    format!(
                        "no installed MS-DRG version is in force on the discharge date {}",
                        claim.discharge_date
                    )
                }),
        }
    }

    /// Groups one claim; an error when no version applies to it.
    pub fn group(&self, claim: &GroupClaim) -> Result<GroupResult, String> {
        let defs = self.definitions(claim)?;
        let mut notes = Vec::new();
        if claim.sdx.len() > 24 {
            notes.push(format!(
                "{} secondary diagnoses: more than the 24 a claim carries (all were grouped)",
                claim.sdx.len()
            ));
        }
        if claim.procedures.len() > 25 {
            notes.push(format!(
                "{} procedures: more than the 25 a claim carries (all were grouped)",
                claim.procedures.len()
            ));
        }
        let cm = |c: &str| System::Icd10Cm.normalize(c).ok();
        // Secondary diagnoses that are not codes stay in place as NEITHER.
        let sdx_keys: Vec<Option<CodeKey>> = claim.sdx.iter().map(|(c, _)| cm(c)).collect();
        let status: u8 = claim.discharge_status.parse().unwrap_or(0);
        let sdx: Vec<(CodeKey, Option<char>)> = claim
            .sdx
            .iter()
            .zip(&sdx_keys)
            .filter_map(|((_, poa), k)| k.map(|k| (k, *poa)))
            .collect();
        let out = match cm(&claim.pdx.0) {
            Some(pdx) => group(
                defs,
                &GroupInput {
                    age: u32::try_from(claim.age).unwrap_or(0),
                    sex: claim.sex,
                    discharge_status: status,
                    pdx,
                    sdx,
                    procedures: claim
                        .procedures
                        .iter()
                        .filter_map(|p| System::Icd10Pcs.normalize(p).ok())
                        .collect(),
                },
            ),
            // Not a code: ungroupable; the secondaries keep their CC/MCC levels (no principal
            // diagnosis excludes them).
            None => crate::group::GroupOutput {
                drg: 999,
                mdc: 0,
                severity: "NONE",
                return_code: "INVALID_PDX",
                sdx: crate::group::sdx_flags(defs, &sdx, None, status == 20, &mut Vec::new()),
                reasons: vec![format!(
                    "{:?} is not an ICD-10-CM code: ungroupable (DRG 999)",
                    claim.pdx.0
                )],
            },
        };
        // A real ICD-10-CM code that no MDC takes as principal (an external cause…) is not an
        // invalid one: CMS says DX_CANNOT_BE_PDX. The MCE's valid-code list tells them apart.
        let mut out = out;
        if out.return_code == "INVALID_PDX"
            && let Some(k) = cm(&claim.pdx.0)
            && self.mce.and_then(|t| t.valid_diagnosis(&k, claim.discharge_date)) == Some(true)
        {
            out.return_code = "DX_CANNOT_BE_PDX";
            out.reasons = vec![format!(
                "{k} is a valid ICD-10-CM code that cannot be a principal diagnosis: ungroupable \
                 (DRG 999)"
            )];
        }
        let mut flags = out.sdx.iter();
        let sdx_sev = sdx_keys
            .iter()
            .map(|k| match k {
                Some(_) => flags.next().map_or("NEITHER", |f| f.name()),
                None => SdxFlag::Neither.name(),
            })
            .collect();
        let hac_status = match claim.hospital_status {
            HospitalStatus::Exempt => "NOT_APPLICABLE",
            _ => {
                notes.push(
                    "HAC/POA processing not done: no HAC list is installed (the MS-DRG \
                     definitions read here carry no HAC categories); final DRG = initial DRG"
                        .to_string(),
                );
                "NOT_APPLICABLE"
            }
        };
        let (mce_edit_type, mce_edits, mce_detail) = self.mce_edits(claim, &mut notes);
        let table5 = self
            .ipps
            .iter()
            .find(|t| t.fiscal_year == claim.discharge_date.fiscal_year())
            .and_then(|t| t.drg(out.drg).map(|row| (t.fiscal_year, row)))
            .map(|(fy, row)| Weights {
                weight: row.weight.to_string(),
                gmlos: row.gmlos.map(days),
                amlos: row.amlos.map(days),
                post_acute: row.post_acute,
                special_pay: row.special_pay,
                fiscal_year: fy,
            });
        if table5.is_none() && out.drg != 999 {
            notes.push(format!(
                "no Table 5 row for DRG {:03} in FY{} (IPPS tables not installed for that year)",
                out.drg,
                claim.discharge_date.fiscal_year()
            ));
        }
        Ok(GroupResult {
            id: claim.id.clone(),
            version: defs.version.clone(),
            initial_drg: out.drg,
            initial_mdc: out.mdc,
            final_drg: out.drg,
            final_mdc: out.mdc,
            final_severity: out.severity,
            final_grc: out.return_code,
            hac_status,
            sdx_sev,
            mce_edit_type,
            mce_edits,
            mce_detail,
            table5,
            reasons: out.reasons,
            notes,
        })
    }

    /// The MCE's edits on the claim: the type, the counts by name, each edit.
    #[allow(clippy::type_complexity)]
    fn mce_edits(
        &self,
        claim: &GroupClaim,
        notes: &mut Vec<String>,
    ) -> (&'static str, Vec<(&'static str, usize)>, Vec<MceEdit>) {
        let Some(tables) = self.mce.filter(|t| t.covers(claim.discharge_date)) else {
            notes.push(format!(
                "MCE not run: no installed MCE lists cover the discharge date {}",
                claim.discharge_date
            ));
            return ("NONE", Vec::new(), Vec::new());
        };
        let edits = tables.edit(&mce::Claim {
            discharge: claim.discharge_date,
            admission: claim.admit_date,
            // A negative age is as impossible as 125: out of the MCE's range (INVALID_AGE).
            age: Some(u32::try_from(claim.age).unwrap_or(u32::MAX)),
            sex: claim.sex,
            pdx: &claim.pdx.0,
            sdx: claim.sdx.iter().map(|(c, _)| c.as_str()).collect(),
            procedures: claim.procedures.iter().map(String::as_str).collect(),
            discharge_status: &claim.discharge_status,
        });
        let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
        for e in &edits {
            *counts.entry(e.edit.name()).or_default() += 1;
        }
        let detail = edits
            .into_iter()
            .map(|e| MceEdit { edit: e.edit.name(), code: e.code, detail: e.detail })
            .collect();
        let kind = if counts.is_empty() { "NONE" } else { "PREPAYMENT" };
        (kind, counts.into_iter().collect(), detail)
    }
}

impl GroupClaim {
    /// An institutional claim of the claim model (read from an 837I or claim JSON) as the
    /// grouper's input: principal and other diagnoses (external causes among them) with their POA,
    /// ICD-10-PCS procedures, the patient's age at admission, discharge date and status. The
    /// hospital's HAC status is not on a claim: `Unknown`.
    pub fn from_claim(claim: &claim_model::Claim) -> Result<GroupClaim, String> {
        use claim_model::{ClaimKind, DiagnosisKind};
        let id = claim.patient_control_number.to_string();
        if claim.kind != ClaimKind::Institutional {
            return Err(format!("claim {id}: a professional claim; MS-DRGs group inpatient bills"));
        }
        let person = claim.patient.as_ref().map_or(&claim.subscriber.person, |(p, _)| p);
        let discharge_date = claim
            .discharge
            .or(claim.to)
            .ok_or_else(|| format!("claim {id}: no discharge or statement-through date"))?;
        let admit_date = claim.admission.or(claim.from);
        let born = person.birth_date.ok_or_else(|| format!("claim {id}: no patient birth date"))?;
        let age = born.years_until(admit_date.unwrap_or(discharge_date)).map_or(-1, i64::from);
        let dx = |kinds: &[DiagnosisKind]| {
            claim
                .diagnoses
                .iter()
                .filter(|d| kinds.contains(&d.kind))
                .map(|d| (d.code.to_string(), d.poa.map(|p| p.code())))
                .collect::<Vec<_>>()
        };
        let pdx = dx(&[DiagnosisKind::Principal])
            .into_iter()
            .next()
            .ok_or_else(|| format!("claim {id}: no principal diagnosis"))?;
        let mut procedures: Vec<&claim_model::Procedure> = claim.procedures.iter().collect();
        procedures.sort_by_key(|p| !p.principal);
        Ok(GroupClaim {
            id,
            line: 0,
            version: None,
            age,
            sex: person.sex,
            discharge_status: claim.discharge_status.to_string(),
            pdx,
            sdx: dx(&[DiagnosisKind::Other, DiagnosisKind::ExternalCause]),
            procedures: procedures.iter().map(|p| p.code.to_string()).collect(),
            discharge_date,
            admit_date,
            hospital_status: HospitalStatus::Unknown,
        })
    }
}
