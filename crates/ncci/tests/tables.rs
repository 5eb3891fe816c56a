//! The NCCI tables read from fixtures in CMS's layouts, and answer by date.

use std::path::{Path, PathBuf};

use code_sets::Date;
use ncci::{Setting, Tables};

fn fixture(name: &str) -> Vec<u8> {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(p).unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn tables() -> Tables {
    let mut t = Tables::default();
    let ptp = |t: &mut Tables, s, name| t.load_ptp(s, name, &fixture(name)).unwrap();
    assert_eq!(ptp(&mut t, Setting::Practitioner, "ccipra-v321r0-f1.txt"), 3);
    assert_eq!(ptp(&mut t, Setting::Practitioner, "ccipra-v321r0-f2.txt"), 3);
    ptp(&mut t, Setting::OutpatientHospital, "ccioph-v321r0-f1.txt");
    let mue = |t: &mut Tables, name, from| t.load_mue(name, &fixture(name), d(from)).unwrap();
    let (s, n) = mue(&mut t, "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv", "2026-04-01");
    assert_eq!((s, n), (Setting::Practitioner, 6));
    mue(&mut t, "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", "2026-07-01");
    assert_eq!(t.load_aoc("AOC_V2026Q2-MCR.txt", &fixture("AOC_V2026Q2-MCR.txt")).unwrap(), 5);
    t
}

#[test]
fn each_table_knows_its_release() {
    let t = tables();
    let p = t.ptp_release(Setting::Practitioner).unwrap();
    assert_eq!(p.version.as_deref(), Some("32.1 revision 0"));
    assert_eq!(p.quarter, Some(d("2026-04-01")));
    assert_eq!(p.files, ["ccipra-v321r0-f1.txt", "ccipra-v321r0-f2.txt"]);
    assert_eq!(
        t.mue_release(Setting::Practitioner, d("2026-05-04")).unwrap().to_string(),
        "quarter beginning 2026-04-01 (MCR_MUE_PractitionerServices_Eff_04-01-2026.csv)"
    );
    assert_eq!(
        t.mue_release(Setting::Practitioner, d("2026-08-04")).unwrap().quarter,
        Some(d("2026-07-01"))
    );
    assert!(t.mue_release(Setting::Dme, d("2026-08-04")).is_none());
    assert_eq!(t.aoc_release().unwrap().quarter, Some(d("2026-04-01")));
    // The binary form keeps them.
    let back = Tables::from_bytes(&t.to_bytes()).unwrap();
    assert_eq!(back.ptp_release(Setting::Practitioner), Some(p));
}

#[test]
fn ptp_pairs_by_setting_and_date() {
    let t = tables();
    let (e, why) = t.ptp(Setting::Practitioner, "93000", "93005", d("2026-05-04")).unwrap();
    assert_eq!((e.modifier, why), (0, "Misuse of column two code with column one code"));
    assert_eq!(
        t.ptp(Setting::OutpatientHospital, "93000", "93005", d("2026-05-04")).unwrap().0.modifier,
        1
    );
    // Order matters: the pair is column 1 / column 2.
    assert!(t.ptp(Setting::Practitioner, "93005", "93000", d("2026-05-04")).is_none());
    // A deleted edit, then a retroactive 9.
    assert_eq!(
        t.ptp(Setting::Practitioner, "99214", "36415", d("2019-06-01")).unwrap().0.modifier,
        1
    );
    assert_eq!(
        t.ptp(Setting::Practitioner, "99214", "36415", d("2026-06-01")).unwrap().0.modifier,
        9
    );
    // Before the edit's effective date.
    assert!(t.ptp(Setting::Practitioner, "20610", "20604", d("2019-12-31")).is_none());
}

#[test]
fn mue_by_quarter() {
    let t = tables();
    let m = t.mue(Setting::Practitioner, "G2211", d("2026-05-04")).unwrap();
    assert_eq!((m.value, m.mai), (1, 2));
    assert_eq!(t.mue(Setting::Practitioner, "G2211", d("2026-07-04")).unwrap().value, 2);
    assert_eq!(t.mue(Setting::Practitioner, "J1100", d("2026-05-04")).unwrap().mai, 1);
    assert!(t.mue(Setting::Practitioner, "G2211", d("2026-03-31")).is_none());
    assert!(!t.has_mue(Setting::Practitioner, d("2026-03-31")));
    assert!(t.mue(Setting::OutpatientHospital, "G2211", d("2026-05-04")).is_none());
}

#[test]
fn add_on_codes() {
    let t = tables();
    let a = t.add_on("11045", d("2026-05-04")).unwrap();
    assert_eq!(a.kind, 1);
    assert_eq!(a.primaries.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["11042"]);
    let a = t.add_on("99417", d("2026-05-04")).unwrap();
    assert_eq!((a.kind, a.primaries.len()), (2, 0));
    assert!(t.add_on("99213", d("2026-05-04")).is_none());
    assert!(t.add_on("99292", d("2012-05-04")).is_none());
}

#[test]
fn binary_form_and_merge() {
    let t = tables();
    let back = Tables::from_bytes(&t.to_bytes()).unwrap();
    assert_eq!(back, t);
    let mut a = Tables::default();
    a.load_ptp(Setting::Practitioner, "ccipra-v321r0-f1.txt", &fixture("ccipra-v321r0-f1.txt"))
        .unwrap();
    let mut b = Tables::default();
    b.load_ptp(Setting::Practitioner, "ccipra-v321r0-f2.txt", &fixture("ccipra-v321r0-f2.txt"))
        .unwrap();
    a.merge(b);
    let (e, why) = a.ptp(Setting::Practitioner, "11042", "97597", d("2026-05-04")).unwrap();
    assert_eq!((e.modifier, why), (1, "Standards of medical / surgical practice"));
    assert_eq!(a.counts().0, 6);
}

#[test]
fn bad_files_name_the_line() {
    let mut t = Tables::default();
    let ptp = String::from_utf8(fixture("ccipra-v321r0-f1.txt"))
        .unwrap()
        .replace("\t0\tMutually", "\t5\tMutually");
    let e = t.load_ptp(Setting::Practitioner, "ccipra-v321r0-f1.txt", ptp.as_bytes()).unwrap_err();
    assert_eq!(e.line, Some(8));
    assert!(e.message.contains("modifier indicator"), "{e}");
    let ptp = String::from_utf8(fixture("ccipra-v321r0-f1.txt"))
        .unwrap()
        .replace("20200101\t*\t1", "2020-01-01\t*\t1");
    assert_eq!(
        t.load_ptp(Setting::Practitioner, "ccipra-v321r0-f1.txt", ptp.as_bytes()).unwrap_err().line,
        Some(9)
    );
    assert!(
        t.load_ptp(
            Setting::Practitioner,
            "ccipra-v321r0-f1.txt",
            b"93000\t93005\t\t19960101\t*\t0\tx\n"
        )
        .is_err()
    );
    let mue = String::from_utf8(fixture("MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"))
        .unwrap()
        .replace("30,1 Line", "thirty,1 Line");
    let e = t
        .load_mue(
            "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv",
            mue.as_bytes(),
            d("2026-04-01"),
        )
        .unwrap_err();
    assert!(e.message.contains("thirty") && e.line.is_some(), "{e}");
    assert!(
        t.load_mue(
            "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv",
            b"a,b,c\n1,2,3\n",
            d("2026-04-01")
        )
        .is_err()
    );
    let aoc = String::from_utf8(fixture("AOC_V2026Q2-MCR.txt"))
        .unwrap()
        .replace("\t1\t20130101", "\t4\t20130101");
    let e = t.load_aoc("AOC_V2026Q2-MCR.txt", aoc.as_bytes()).unwrap_err();
    assert!(e.message.contains("AOC edit type"), "{e}");
    assert_eq!(t, Tables::default());
}

#[test]
fn add_on_spreadsheet_reads_like_its_text_form() {
    // CMS's AOC spreadsheet: codes typed as numbers or text, dates as date cells, numbers or
    // day-of-year text, the table on the second sheet.
    let mut x = Tables::default();
    let xlsx = fixture("xlsx/AOC_V2026Q2-MCR.xlsx");
    assert_eq!(x.load_aoc("AOC_V2026Q2-MCR.xlsx", &xlsx).unwrap(), 5);
    let mut t = Tables::default();
    t.load_aoc("AOC_V2026Q2-MCR.txt", &fixture("AOC_V2026Q2-MCR.txt")).unwrap();
    for (code, date) in [("11045", "2026-05-04"), ("99292", "2012-06-01"), ("99292", "2026-05-04")]
    {
        assert_eq!(x.add_on(code, d(date)), t.add_on(code, d(date)), "{code} on {date}");
    }
    assert_eq!(x.add_on("64484", d("2011-01-01")).unwrap().primaries[0].as_str(), "64483");
    assert_eq!(x.add_on("99417", d("2026-05-04")).unwrap().kind, 2);
    assert!(x.add_on("97546", d("2100-01-01")).is_none(), "deleted after its deletion date");
    assert_eq!(x.aoc_release().unwrap().quarter, Some(d("2026-04-01")));
    // A broken workbook, and a text file without the heading (CMS's fixed-width form), say why.
    let e = x.load_aoc("AOC.xlsx", &xlsx[..xlsx.len() / 2]).unwrap_err();
    assert!(e.message.contains(".xlsx"), "{e}");
    let fixed = "0001F20130101        99201 20130101        1\n";
    let e = x.load_aoc("AOC_V2026Q2-MCR.txt", fixed.as_bytes()).unwrap_err();
    assert!(e.message.contains("fixed-width") && e.message.contains(".xlsx"), "{e}");
}
