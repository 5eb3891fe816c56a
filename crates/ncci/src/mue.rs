//! Medically Unlikely Edits: CMS's quarterly CSV files.

use rustc_hash::FxHashMap as HashMap;

use code_sets::{Date, LoadError};
use serde::{Deserialize, Serialize};

use crate::{Code, Setting};

/// The MUE of one code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mue {
    /// The most units of service.
    pub value: u32,
    /// MUE adjudication indicator: 1 per claim line; 2 per date of service, by policy (absolute);
    /// 3 per date of service, clinical (reviewable on appeal).
    pub mai: u8,
    /// CMS's rationale.
    pub rationale: String,
}

/// One MUE file: a setting, the day it takes effect, a row per code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MueTable {
    pub(crate) setting: Setting,
    pub(crate) effective_from: Date,
    pub(crate) rows: HashMap<Code, Mue>,
    /// The file the table was read from and its quarter.
    pub(crate) release: crate::Release,
}

/// Parses an MUE file: copyright and title lines, a heading row (`HCPCS/CPT Code`, `<Setting>
/// Services MUE Values`, `MUE Adjudication Indicator`, `MUE Rationale`), then a row per code. The
/// indicator cell reads like `2 Date of Service Edit: Policy`; its first digit counts.
pub(crate) fn parse(
    bytes: &[u8],
    effective_from: Date,
    release: crate::Release,
) -> Result<MueTable, LoadError> {
    let text = String::from_utf8_lossy(bytes);
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut setting = None;
    let mut rows = HashMap::default();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| LoadError::at(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let f = |k: usize| rec.get(k).unwrap_or("").trim();
        if setting.is_none() {
            let heading = f(1).to_ascii_lowercase();
            if heading.contains("mue value") {
                setting = Some(if heading.contains("practitioner") {
                    Setting::Practitioner
                } else if heading.contains("hospital") {
                    Setting::OutpatientHospital
                } else if heading.contains("dme") {
                    Setting::Dme
                } else {
                    return Err(LoadError::at(
                        line,
                        format!(
                            "MUE heading {:?} names no setting (practitioner, outpatient hospital, DME)",
                            f(1)
                        ),
                    ));
                });
            }
            continue;
        }
        let Some(code) = Code::new(f(0)) else {
            if f(0).is_empty() || rows.is_empty() {
                continue;
            }
            return Err(LoadError::at(line, format!("{:?} is not a HCPCS/CPT code", f(0))));
        };
        let value: u32 = f(1).parse().map_err(|_| {
            LoadError::at(line, format!("MUE value {:?} is not a whole number", f(1)))
        })?;
        let mai = match f(2).chars().next() {
            Some(c @ '1'..='3') => c as u8 - b'0',
            _ => {
                return Err(LoadError::at(
                    line,
                    format!("MUE adjudication indicator {:?} is not 1, 2 or 3", f(2)),
                ));
            }
        };
        rows.insert(code, Mue { value, mai, rationale: f(3).to_string() });
    }
    let Some(setting) = setting else {
        return Err(LoadError::whole(
            "no heading row with \"… Services MUE Values\": not a CMS MUE file",
        ));
    };
    if rows.is_empty() {
        return Err(LoadError::whole("no MUE rows under the heading"));
    }
    Ok(MueTable { setting, effective_from, rows, release })
}
