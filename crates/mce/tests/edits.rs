//! Each MCE edit fires where CMS's rules say and not elsewhere, on small fixtures in the lists'
//! layout; and the full FY2026 lists load when `../shared/data/mce` is present.

use std::path::{Path, PathBuf};

use code_sets::Date;
use mce::{Claim, EditName, Position, Tables};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn load_dir(t: &mut Tables, path: &Path) {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(path).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let mut bytes = std::fs::read(&f).unwrap();
        if name.ends_with(".gz") {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
                .unwrap();
            bytes = out;
        } else if !name.ends_with(".csv") {
            continue;
        }
        t.load(&name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

fn tables() -> Tables {
    let mut t = Tables::default();
    load_dir(&mut t, &dir("fy2026"));
    load_dir(&mut t, &dir("fy2024"));
    t
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn names(t: &Tables, c: &Claim<'_>) -> Vec<(&'static str, Position)> {
    t.edit(c).into_iter().map(|e| (e.edit.name(), e.position)).collect()
}

fn base(pdx: &str) -> Claim<'_> {
    let mut c = Claim::new(d("2026-05-08"), pdx);
    c.admission = Some(d("2026-05-01"));
    c.age = Some(70);
    c.sex = 'F';
    c.discharge_status = "01";
    c
}

#[test]
fn a_clean_claim_has_no_edit() {
    let t = tables();
    let mut c = base("I21.4");
    c.sdx = vec!["E11.9"];
    c.procedures = vec!["0DTJ4ZZ"];
    assert_eq!(names(&t, &c), []);
}

#[test]
fn principal_diagnosis_edits() {
    let t = tables();
    assert_eq!(names(&t, &base("F02.80")), [("MANIFESTATION_AS_PDX", Position::Pdx)]);
    assert_eq!(names(&t, &base("W01.0XXA")), [("E_CODE_AS_PDX", Position::Pdx)]);
    assert_eq!(names(&t, &base("Z00.6")), [("UNACCEPTABLE_PDX", Position::Pdx)]);
    assert_eq!(names(&t, &base("R51")), [("QUESTIONABLE_ADMISSION", Position::Pdx)]);
    // Z51.89 is unacceptable only without a secondary diagnosis.
    assert_eq!(names(&t, &base("Z51.89")), [("UNACCEPTABLE_PDX", Position::Pdx)]);
    let mut c = base("Z51.89");
    c.sdx = vec!["E11.9"];
    assert_eq!(names(&t, &c), []);
    // As a secondary diagnosis a manifestation is fine.
    let mut c = base("I10");
    c.sdx = vec!["F02.80"];
    assert_eq!(names(&t, &c), []);
}

#[test]
fn age_conflicts_by_group_and_invalid_age() {
    let t = tables();
    let mut c = base("E30.0");
    c.age = Some(40);
    assert_eq!(names(&t, &c), [("AGE_CONFLICT", Position::Pdx)]);
    c.age = Some(17);
    assert_eq!(names(&t, &c), []);
    let mut c = base("I70.9");
    c.age = Some(14);
    let e = t.edit(&c);
    assert_eq!(e[0].edit, EditName::AgeConflict);
    assert!(e[0].detail.contains("ages 15–124"), "{}", e[0].detail);
    c.age = None;
    assert_eq!(names(&t, &c), []);
    let mut c = base("I10");
    c.age = Some(130);
    assert_eq!(names(&t, &c), [("INVALID_AGE", Position::Claim)]);
}

#[test]
fn any_position_edits_and_duplicates() {
    let t = tables();
    let mut c = base("I21.4");
    c.sdx = vec!["J18.9", "Y65.51", "I21.4"];
    assert_eq!(
        names(&t, &c),
        [
            ("UNSPECIFIED", Position::Sdx(0)),
            ("WRONG_PROCEDURE_PERFORMED", Position::Sdx(1)),
            ("DUPLICATE_OF_PDX", Position::Sdx(2)),
        ]
    );
}

#[test]
fn procedure_coverage() {
    let t = tables();
    let mut c = base("I21.4");
    c.procedures = vec!["0UT70ZZ", "02YA0Z0"];
    assert_eq!(
        names(&t, &c),
        [("NON_COVERED", Position::Procedure(0)), ("LIMITED_COVERAGE", Position::Procedure(1))]
    );
    // Non-covered only with a trigger diagnosis.
    c.procedures = vec!["30233G0"];
    assert_eq!(names(&t, &c), []);
    c.sdx = vec!["C91.00"];
    assert_eq!(names(&t, &c), [("NON_COVERED", Position::Procedure(0))]);
    // A pancreas transplant is covered with a kidney transplant or type 1 diabetes.
    let mut c = base("E10.10");
    c.procedures = vec!["0FYG0Z0"];
    assert_eq!(names(&t, &c), []);
    let mut c = base("I21.4");
    c.procedures = vec!["0FYG0Z0"];
    assert_eq!(names(&t, &c), [("NON_COVERED", Position::Procedure(0))]);
    c.procedures = vec!["0FYG0Z0", "0TY00Z0"];
    assert_eq!(names(&t, &c), []);
}

#[test]
fn obstetric_and_length_of_stay() {
    let t = tables();
    let mut c = base("O80");
    c.age = Some(30);
    c.procedures = vec!["10D00Z1"];
    assert_eq!(names(&t, &c), [("QUESTIONABLE_OBSTETRIC_ADMISSION", Position::Procedure(0))]);
    c.sdx = vec!["Z37.0"];
    assert_eq!(names(&t, &c), []);
    // Ventilation over 96 hours in a 3-day stay; the real length of stay, not the age.
    let mut c = base("J96.00");
    c.procedures = vec!["5A1955Z"];
    c.admission = Some(d("2026-05-05"));
    assert_eq!(names(&t, &c), [("INCONSISTENT_WITH_LENGTH_OF_STAY", Position::Procedure(0))]);
    c.admission = Some(d("2026-05-01"));
    assert_eq!(names(&t, &c), []);
}

#[test]
fn discharge_status_and_sex_by_date() {
    let t = tables();
    let mut c = base("I10");
    c.discharge_status = "99";
    assert_eq!(names(&t, &c), [("INVALID_DISCHARGE_STATUS", Position::Claim)]);
    // The sex edit applies to discharges in FY2024 (its lists' dates), not FY2026.
    let mut c = base("N40.1");
    assert_eq!(names(&t, &c), []);
    c.discharge = d("2024-03-01");
    c.admission = Some(d("2024-02-20"));
    assert_eq!(names(&t, &c), [("SEX_CONFLICT", Position::Pdx)]);
}

#[test]
fn bad_files_name_the_line_and_add_nothing() {
    let mut t = Tables::default();
    let bad = b"code,code_system,edit,flag,parameter,effective_start,effective_end,versions\n\
        I10,icd10cm,UNSPECIFIED,unspecified,x,20251001,20260930,v43\n\
        I11,icd10cm,UNSPECIFIED,unspecified,x,2025-10-01,20260930,v43\n";
    let e = t.load("bad.csv", bad).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("effective_start"), "{e}");
    assert_eq!(t, Tables::default());
    let e = t.load("x.csv", b"a,b\n1,2\n").unwrap_err();
    assert!(e.message.contains("header"), "{e}");
    let e = t
        .load(
            "short.csv",
            b"code,code_system,effective_start,effective_end,versions\nA000,icd10cm,20251001\n",
        )
        .unwrap_err();
    assert_eq!(e.line, Some(2));
    let e = t
        .load("sys.csv", b"code,code_system,effective_start,effective_end,versions\nA000,icd9,20251001,20260930,v43\n")
        .unwrap_err();
    assert!(e.message.contains("icd9"), "{e}");
}

#[test]
fn binary_form_round_trips() {
    let t = tables();
    let back = Tables::from_bytes(&t.to_bytes()).unwrap();
    assert_eq!(back, t);
    assert!(
        Tables::from_bytes(b"nonsense").is_err() || Tables::from_bytes(b"nonsense").unwrap() != t
    );
}

/// The full FY2026 lists (when `../shared/data/mce` is present): row counts from the lists'
/// README, and edits on known codes.
#[test]
fn full_fy2026_lists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mce/fy2026");
    if !root.exists() {
        eprintln!("skipped: {} not present", root.display());
        return;
    }
    let mut t = Tables::default();
    load_dir(&mut t, &root);
    let counts: std::collections::HashMap<String, usize> = t.counts().into_iter().collect();
    assert_eq!(counts["icd10cm/valid"], 74_719);
    assert_eq!(counts["icd10pcs/valid"], 79_195);
    assert_eq!(counts["icd10cm/ecodepdx"], 7_461);
    assert_eq!(counts["icd10cm/manifestation"], 422);
    assert_eq!(counts["icd10pcs/noncovered"], 95);
    let mut c = base("F02.80");
    c.sdx = vec!["G30.9"];
    let e = names(&t, &c);
    assert!(e.contains(&("MANIFESTATION_AS_PDX", Position::Pdx)), "{e:?}");
    // A v43.1 code (April 2026) is valid only from April 1; a v43-only code only before it.
    let mut c = base("I21.4");
    c.procedures = vec!["02HM3JZ", "30233AZ"];
    assert_eq!(names(&t, &c), [("INVALID_CODE", Position::Procedure(1))]);
    c.discharge = d("2026-02-10");
    c.admission = Some(d("2026-02-01"));
    assert_eq!(names(&t, &c), [("INVALID_CODE", Position::Procedure(0))]);
    let span = t.span().unwrap();
    assert_eq!((span.start, span.end), (d("2025-10-01"), d("2026-09-30")));
}
