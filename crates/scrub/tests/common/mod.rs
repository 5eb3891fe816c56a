//! Shared helpers for the scrubber's tests: the sample releases, base claims and patches.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use claim_model::Claim;
use code_sets::{Date, Library};
use serde_json::Value;

/// The repository's `fixtures/sample` directory.
pub(crate) fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sample")
}

/// This crate's `tests/fixtures` directory.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The sample ICD-10-CM (April 2026), ICD-10-PCS (FY2026) and HCPCS (January 2026) releases.
pub(crate) fn sample_library() -> Library {
    let read = |name: &str| std::fs::read(sample_dir().join(name)).expect("sample file");
    let date = |s: &str| Some(s.parse::<Date>().expect("date"));
    let cm = code_sets::icd10cm::parse_tabular(
        &read("icd10cm_tabular_2026-04-01.xml"),
        date("2026-04-01"),
    )
    .expect("sample tabular");
    let pcs =
        code_sets::icd10pcs::parse_tables(&read("icd10pcs_tables_2026.xml"), date("2025-10-01"))
            .expect("sample PCS tables");
    let hcpcs =
        code_sets::hcpcs::parse_anweb(&read("HCPC2026_JAN_ANWEB_sample.txt"), date("2026-01-01"))
            .expect("sample HCPCS");
    Library::new(vec![Arc::new(cm), Arc::new(pcs), Arc::new(hcpcs)])
}

/// The MCE fixture lists of the `mce` crate (FY2026 lists and two FY2024 sex lists).
pub(crate) fn sample_mce() -> mce::Tables {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mce/tests/fixtures");
    let mut t = mce::Tables::default();
    for year in ["fy2026", "fy2024"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(year))
            .expect("MCE fixtures")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap_or_default().to_string_lossy().to_string();
            t.load(&name, &std::fs::read(&f).expect("read")).expect("MCE fixture");
        }
    }
    t
}

/// The NCCI fixture tables of the `ncci` crate (practitioner and outpatient hospital PTP, two
/// practitioner MUE quarters, add-on code edits).
pub(crate) fn sample_ncci() -> ncci::Tables {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ncci/tests/fixtures");
    let read = |name: &str| std::fs::read(root.join(name)).expect("NCCI fixture");
    let d = |s: &str| s.parse::<Date>().expect("date");
    let mut t = ncci::Tables::default();
    for (setting, name) in [
        (ncci::Setting::Practitioner, "ccipra-v321r0-f1.txt"),
        (ncci::Setting::Practitioner, "ccipra-v321r0-f2.txt"),
        (ncci::Setting::OutpatientHospital, "ccioph-v321r0-f1.txt"),
    ] {
        t.load_ptp(setting, name, &read(name)).expect("PTP");
    }
    for (name, from) in [
        ("MCR_MUE_PractitionerServices_Eff_04-01-2026.csv", "2026-04-01"),
        ("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", "2026-07-01"),
    ] {
        t.load_mue(name, &read(name), d(from)).expect("MUE");
    }
    t.load_aoc("AOC_V2026Q2-MCR.txt", &read("AOC_V2026Q2-MCR.txt")).expect("AOC");
    t
}

/// "Today" for the fixtures.
pub(crate) fn today() -> Date {
    "2026-06-01".parse().expect("date")
}

/// A base claim (`professional` or `institutional`) as JSON.
pub(crate) fn base(name: &str) -> Value {
    let text =
        std::fs::read_to_string(fixtures().join(format!("{name}.json"))).expect("base claim");
    serde_json::from_str(&text).expect("base claim JSON")
}

/// Sets the value at a JSON pointer; an index one past the end of an array appends.
pub(crate) fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, last) = pointer.rsplit_once('/').expect("a JSON pointer");
    let target = doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent} in the claim"));
    match target {
        Value::Array(a) => {
            let i: usize = last.parse().expect("an array index");
            if i == a.len() {
                a.push(value);
            } else {
                a[i] = value;
            }
        }
        Value::Object(o) => {
            o.insert(last.to_string(), value);
        }
        other => panic!("{parent} is {other}, not an array or object"),
    }
}

/// A base claim with the changes of a fixture case applied.
pub(crate) fn patched(case: &Value) -> Claim {
    let mut doc = base(case["base"].as_str().unwrap_or("professional"));
    if let Some(changes) = case["set"].as_object() {
        for (pointer, value) in changes {
            set(&mut doc, pointer, value.clone());
        }
    }
    serde_json::from_value(doc).unwrap_or_else(|e| panic!("case {}: {e}", case["name"]))
}
