//! Every release-file parser and the binary-release reader must return an error, never panic,
//! on any bytes. The first byte picks the parser.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run code_set_parsers` (or build it with `cargo build` here).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let d = code_sets::Date::from_ymd(2026, 1, 1);
    match which % 8 {
        0 => drop(code_sets::icd10cm::parse_tabular(rest, None)),
        1 => drop(code_sets::index::parse_index(rest)),
        2 => drop(code_sets::icd10pcs::parse_tables(rest, None)),
        3 => drop(code_sets::hcpcs::parse_anweb(rest, None)),
        4 => drop(d.map(|d| code_sets::cpt::parse_user_csv(rest, d))),
        5 => drop(d.map(|d| code_sets::cpt::parse_pfs_rvu(rest, d))),
        6 => drop(code_sets::Release::from_bytes(rest)),
        _ => {
            if let Ok(mut r) = code_sets::icd10pcs::parse_tables(b"<ICD10PCS.tabular><version>2026</version></ICD10PCS.tabular>", None) {
                drop(code_sets::icd10pcs::attach_definitions(&mut r, rest));
            }
        }
    }
});
