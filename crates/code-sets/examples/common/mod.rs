//! Loading the full official releases from `../shared/data` for the examples.

use std::io::Read;
use std::path::PathBuf;

use code_sets::Release;

/// The bytes of a gzip file under `../shared/data`, uncompressed.
fn gunzip(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    let raw = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).expect("gzip");
    out
}

/// The FY2026 ICD-10-CM (April 1 update) and ICD-10-PCS releases.
pub(crate) fn cm_and_pcs() -> (Release, Release) {
    let cm = code_sets::icd10cm::parse_tabular(
        &gunzip("icd10cm/2026/icd10cm_tabular_2026-04-01.xml.gz"),
        None,
    )
    .expect("CM");
    let pcs = code_sets::icd10pcs::parse_tables(
        &gunzip("icd10pcs/2026/icd10pcs_tables_2026.xml.gz"),
        None,
    )
    .expect("PCS");
    (cm, pcs)
}

/// The January 2026 HCPCS Level II release.
pub(crate) fn hcpcs() -> Release {
    code_sets::hcpcs::parse_anweb(&gunzip("hcpcs/2026/HCPC2026_JAN_ANWEB_01122026.txt.gz"), None)
        .expect("HCPCS")
}
