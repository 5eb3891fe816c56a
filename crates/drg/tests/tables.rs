//! The IPPS tables read from CMS's text files: excerpts in the repository, the full FY2026 tables
//! from `../shared/data/drg` when present.

use std::path::Path;

use code_sets::{CodeKey, System};
use drg::{CcLevel, DrgType, IppsTables};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn k(code: &str) -> CodeKey {
    System::Icd10Cm.normalize(code).unwrap()
}

fn excerpts() -> IppsTables {
    let mut t = IppsTables::default();
    assert_eq!(t.load_table5(&fixture("table5_excerpt.txt")).unwrap(), 7);
    assert_eq!(t.load_cc_list(&fixture("table6I_excerpt.txt")).unwrap(), (CcLevel::Mcc, 4));
    assert_eq!(t.load_cc_list(&fixture("table6J_excerpt.txt")).unwrap(), (CcLevel::Cc, 5));
    assert_eq!(t.load_table6k(&fixture("table6K_excerpt.txt")).unwrap(), 4);
    t
}

#[test]
fn table5_rows_weights_and_flags() {
    let t = excerpts();
    assert_eq!(t.fiscal_year, 2026);
    let d = t.drg(193).unwrap();
    assert_eq!(
        (d.mdc.as_deref(), d.kind, d.post_acute, d.special_pay),
        (Some("04"), DrgType::Medical, true, false)
    );
    assert_eq!(d.weight.to_string(), "1.3144");
    assert_eq!(d.title, "SIMPLE PNEUMONIA AND PLEURISY WITH MCC");
    let d = t.drg(3).unwrap();
    assert!(d.title.starts_with("ECMO OR TRACHEOSTOMY"), "{}", d.title);
    let d = t.drg(999).unwrap();
    assert_eq!((d.mdc.as_deref(), d.kind, d.gmlos), (None, DrgType::Neither, None));
}

#[test]
fn cc_levels_exclusions_and_alive_only() {
    let t = excerpts();
    assert_eq!(t.level(&k("I21.4")), Some(CcLevel::Mcc));
    assert_eq!(t.level(&k("J44.1")), Some(CcLevel::Cc));
    assert_eq!(t.level(&k("I10")), None);
    // I21.4 as a secondary diagnosis is excluded by a STEMI principal diagnosis.
    assert!(t.excluded_by(&k("I21.4"), &k("I21.01")));
    assert!(!t.excluded_by(&k("I21.4"), &k("J18.9")));
    assert!(t.alive_only(&k("I46.2")));
    assert!(!t.alive_only(&k("I21.4")));
    assert_eq!(IppsTables::from_bytes(&t.to_bytes()).unwrap(), t);
}

#[test]
fn bad_tables_name_the_line() {
    let mut t = IppsTables::default();
    let bad =
        String::from_utf8_lossy(&fixture("table5_excerpt.txt")).replace("\t1.3144\t", "\t1,3144\t");
    let e = t.load_table5(bad.as_bytes()).unwrap_err();
    assert!(e.message.contains("1,3144") && e.line == Some(6), "{e}");
    let bad = String::from_utf8_lossy(&fixture("table6K_excerpt.txt"))
        .replace(" I214    MCC ", " I214    XCC ");
    assert!(t.load_table6k(bad.as_bytes()).unwrap_err().message.contains("XCC"));
    // A collection cut short.
    let text = String::from_utf8_lossy(&fixture("table6K_excerpt.txt")).into_owned();
    let cut = text
        .replacen("  A001 ", "  XXXX ", 1)
        .replace("  XXXX    Cholera due to Vibrio cholerae 01, biovar eltor\r\n", "");
    assert!(t.load_table6k(cut.as_bytes()).unwrap_err().message.contains("0002"));
    assert!(t.load_cc_list(b"something else\nx\n").is_err());
    assert_eq!(t, IppsTables::default());
}

#[test]
fn full_fy2026_tables() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/drg/ipps_fy2026_tables");
    if !dir.exists() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let mut six_k = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&read("table6K_cc_exclusions_fy2026.txt.gz")[..]),
        &mut six_k,
    )
    .unwrap();
    let mut t = IppsTables::default();
    t.load_table5(&read("table5_drg_weights_fy2026_final.txt")).unwrap();
    t.load_cc_list(&read("table6I_mcc_list_fy2026.txt")).unwrap();
    t.load_cc_list(&read("table6J_cc_list_fy2026.txt")).unwrap();
    t.load_table6k(&six_k).unwrap();
    let [drgs, mcc, cc, excl, _, alive] = t.counts();
    // (The staged README says 15,065 CCs; the file and Table 6K both hold 15,078, QA0 codes included.)
    assert_eq!((drgs, mcc, cc), (772, 3_354, 15_078));
    assert_eq!(excl, mcc + cc, "every CC and MCC has its exclusion collection");
    assert_eq!(alive, 8);
    assert_eq!(t.drg(1).unwrap().weight.to_string(), "28.0239");
    assert!(t.alive_only(&k("R57.0")));
    assert!(t.excluded_in_drg(&k("S06.1X3A"), 83));
    assert!(!t.excluded_in_drg(&k("S06.1X3A"), 85));
    // D89.833 is a CC with no exclusion list.
    assert!(!t.excluded_by(&k("D89.833"), &k("D89.833")));
}
