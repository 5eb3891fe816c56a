//! Tests against the full official releases in `../shared/data` (skipped, with a message, when absent).

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use code_sets::{Date, Library, NoteKind, Release, Status, System};

fn shared(rel: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    let raw = std::fs::read(&p).ok()?;
    if p.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).ok()?;
        Some(out)
    } else {
        Some(raw)
    }
}

fn cm() -> Option<&'static Release> {
    static CM: OnceLock<Option<Release>> = OnceLock::new();
    CM.get_or_init(|| {
        let bytes = shared("icd10cm/2026/icd10cm_tabular_2026-04-01.xml.gz")?;
        Some(
            code_sets::icd10cm::parse_tabular(&bytes, Some("2026-04-01".parse().ok()?))
                .expect("parses"),
        )
    })
    .as_ref()
}

fn pcs() -> Option<&'static Release> {
    static PCS: OnceLock<Option<Release>> = OnceLock::new();
    PCS.get_or_init(|| {
        let bytes = shared("icd10pcs/2026/icd10pcs_tables_2026.xml.gz")?;
        let mut r = code_sets::icd10pcs::parse_tables(&bytes, None).expect("parses");
        let defs = shared("icd10pcs/2026/icd10pcs_definitions_2026.xml.gz")?;
        code_sets::icd10pcs::attach_definitions(&mut r, &defs).expect("definitions parse");
        Some(r)
    })
    .as_ref()
}

fn hcpcs() -> Option<&'static Release> {
    static H: OnceLock<Option<Release>> = OnceLock::new();
    H.get_or_init(|| {
        let bytes = shared("hcpcs/2026/HCPC2026_JAN_ANWEB_01122026.txt.gz")?;
        Some(code_sets::hcpcs::parse_anweb(&bytes, None).expect("parses"))
    })
    .as_ref()
}

fn library() -> Option<Library> {
    Some(Library::new(vec![
        Arc::new(cm()?.clone()),
        Arc::new(pcs()?.clone()),
        Arc::new(hcpcs()?.clone()),
    ]))
}

macro_rules! need {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => {
                // Written past the test harness's capture, so the skip shows in CI logs.
                use std::io::Write as _;
                let _ =
                    writeln!(std::io::stderr().lock(), "skipped: ../shared/data is not present");
                return;
            }
        }
    };
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn cm_counts_match_cdc() {
    let r = need!(cm());
    assert_eq!(
        r.meta.counts.billable, 74_719,
        "billable codes (74,795 means the S06 note was ignored)"
    );
    assert_eq!(r.meta.counts.chapters, 22);
    assert_eq!(r.meta.counts.sections, 297);
    assert_eq!(r.meta.version, "2026");
    assert_eq!(r.meta.effective_from, date("2026-04-01"));
}

#[test]
fn pcs_counts_match_cms() {
    let r = need!(pcs());
    assert_eq!(r.meta.counts.billable, 79_115);
    assert_eq!(r.meta.counts.tables, 914);
    assert_eq!(r.meta.counts.rows, 2_733);
    assert_eq!(r.meta.effective_from, date("2025-10-01"));
}

#[test]
fn hcpcs_counts_match_cms() {
    let r = need!(hcpcs());
    assert_eq!(r.meta.counts.billable, 8_623);
    assert_eq!(r.meta.counts.modifiers, 383);
    assert_eq!(r.meta.effective_from, date("2026-01-01"));
}

#[test]
fn s06_seventh_character_restriction() {
    let lib = need!(library());
    let d = date("2026-05-01");
    let ok = lib.show(Some(System::Icd10Cm), "S06.2X7A", d).unwrap();
    assert_eq!(ok.status, Status::Billable);
    for bad in ["S06.2X7D", "S06.2X7S", "S06.2X8D", "S06.2X8S", "S06.1X7D", "S06.5X8S"] {
        let info = lib.show(Some(System::Icd10Cm), bad, d).unwrap();
        assert!(matches!(info.status, Status::NotACode { .. }), "{bad}: {:?}", info.status);
    }
    let ok = lib.show(Some(System::Icd10Cm), "S06.2X6D", d).unwrap();
    assert_eq!(ok.status, Status::Billable);
}

#[test]
fn known_cm_codes() {
    let lib = need!(library());
    let d = date("2026-05-01");
    let cases: &[(&str, &str, bool)] = &[
        ("E11.9", "Type 2 diabetes mellitus without complications", true),
        ("E11", "Type 2 diabetes mellitus", false),
        ("I10", "Essential (primary) hypertension", true),
        ("J18.9", "Pneumonia, unspecified organism", true),
        (
            "S72.001A",
            "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture",
            true,
        ),
        ("S72.001", "Fracture of unspecified part of neck of right femur", false),
        (
            "T36.0X1A",
            "Poisoning by penicillins, accidental (unintentional), initial encounter",
            true,
        ),
        ("O80", "Encounter for full-term uncomplicated delivery", true),
        (
            "Z00.00",
            "Encounter for general adult medical examination without abnormal findings",
            true,
        ),
        ("I50.9", "Heart failure, unspecified", true),
        ("N18.6", "End stage renal disease", true),
        ("U07.1", "COVID-19", true),
    ];
    for (code, title, billable) in cases {
        let info = lib.show(Some(System::Icd10Cm), code, d).unwrap();
        assert_eq!(info.code, *code);
        assert_eq!(info.title, *title, "{code}");
        assert_eq!(info.billable, *billable, "{code}");
        assert!(info.valid, "{code}");
    }
}

#[test]
fn notes_inherit_with_their_origin() {
    let lib = need!(library());
    let info = lib.show(Some(System::Icd10Cm), "s06.0x1a", date("2026-05-01")).unwrap();
    assert!(
        info.notes_of(NoteKind::Excludes1).any(|n| n.from == "S06" && n.text.contains("S09.90"))
    );
    assert!(info.notes_of(NoteKind::CodeAlso).any(|n| n.from == "S06"));
    assert_eq!(info.seventh_from, "S06");
    assert_eq!(info.parents.first().map(|p| p.0.as_str()), Some("S06.0X1"));
    assert!(info.notes.iter().any(|n| n.from == "S00-T88"), "chapter notes are included");
    let e11 = lib.show(Some(System::Icd10Cm), "E11.9", date("2026-05-01")).unwrap();
    assert!(e11.notes_of(NoteKind::UseAdditionalCode).any(|n| n.from == "E11"));
    assert!(e11.notes_of(NoteKind::Excludes1).any(|n| n.from == "E11"));
}

#[test]
fn pcs_decodes_and_rejects_with_reason() {
    let lib = need!(library());
    let d = date("2026-01-10");
    let info = lib.show(Some(System::Icd10Pcs), "0DTJ4ZZ", d).unwrap();
    assert_eq!(info.status, Status::Billable);
    let meanings: Vec<&str> = info.axes.iter().map(|a| a.meaning.as_str()).collect();
    assert_eq!(
        meanings,
        [
            "Medical and Surgical",
            "Gastrointestinal System",
            "Resection",
            "Appendix",
            "Percutaneous Endoscopic",
            "No Device",
            "No Qualifier"
        ]
    );
    assert!(
        !info.axes[2].definition.is_empty(),
        "root operation definition from the definitions file"
    );
    let bad = lib.show(Some(System::Icd10Pcs), "0DTJ4ZX", d).unwrap();
    let Status::NotACode { reason } = &bad.status else { panic!("{:?}", bad.status) };
    assert!(reason.contains("0DTJ4ZX"), "{reason}");
}

#[test]
fn pcs_every_listed_code_is_valid() {
    let lib = need!(library());
    let Some(list) = shared("drg/codesets_fy2026/icd10pcs_codes_tuva.csv.gz") else { return };
    let text = String::from_utf8(list).unwrap();
    let mut checked = 0;
    for line in text.lines().step_by(97) {
        let code = line.trim_matches('"').split('"').next().unwrap_or("");
        if code.len() == 7 {
            let info = lib.show(Some(System::Icd10Pcs), code, date("2026-01-10")).unwrap();
            // The Tuva list is of an unstated year: report, do not require, the few that differ.
            if info.status == Status::Billable {
                checked += 1;
            }
        }
    }
    assert!(checked > 700, "only {checked} sampled Tuva codes are valid FY2026 codes");
}

#[test]
fn hcpcs_codes_modifiers_and_termination() {
    let lib = need!(library());
    let d = date("2026-02-01");
    let info = lib.show(Some(System::Hcpcs), "A0080", d).unwrap();
    assert!(info.title.starts_with("Non-emergency transportation"), "{}", info.title);
    assert!(
        info.title.contains("vested interest"),
        "continuation lines are joined: {}",
        info.title
    );
    let m = lib.show(Some(System::Hcpcs), "LT", d).unwrap();
    assert_eq!(m.status, Status::Modifier);
    let t = lib.show(Some(System::Hcpcs), "S0013", d).unwrap();
    assert!(matches!(t.status, Status::NotValidOnDate { .. }), "{:?}", t.status);
}

#[test]
fn ambiguous_without_system() {
    let lib = need!(library());
    let e = lib.show(None, "J1100", date("2026-05-01")).unwrap_err();
    let code_sets::ShowError::Ambiguous(c) = e else { panic!("{e:?}") };
    let systems: Vec<System> = c.iter().map(|i| i.system).collect();
    assert_eq!(systems, vec![System::Icd10Cm, System::Hcpcs]);
}

#[test]
fn search_finds_what_coders_type() {
    let lib = need!(library());
    let d = date("2026-05-01");
    for (q, want) in [("t2dm", "E11.9"), ("htn", "I10"), ("chf", "I50.9"), ("pnemonia", "J18.9")] {
        let r = lib.search(q, Some(System::Icd10Cm), false, 10, d);
        assert!(
            r.iter().any(|x| x.code == want),
            "{q}: {:?}",
            r.iter().map(|x| &x.code).collect::<Vec<_>>()
        );
    }
}

#[test]
fn binary_form_round_trips() {
    let r = need!(cm());
    let bytes = r.to_bytes();
    let back = Release::from_bytes(&bytes).unwrap();
    assert_eq!(back.meta, r.meta);
    assert_eq!(back.len(), r.len());
    assert!(Release::from_bytes(&bytes[..bytes.len() / 2]).is_err());
}

#[test]
fn search_evaluation_set() {
    let lib = need!(library());
    let r = code_sets::eval::run(&lib, code_sets::eval::EVAL_SET, date("2026-05-01"));
    assert!(r.queries >= 200, "the set has {} queries", r.queries);
    assert!(r.invalid.is_empty(), "expected codes must be valid FY2026 codes: {:?}", r.invalid);
    let hit5 = r.hit5 as f64 / r.queries as f64;
    let hit1 = r.hit1 as f64 / r.queries as f64;
    eprintln!(
        "search evaluation: {} queries, hit@1 {:.1}%, hit@5 {:.1}%",
        r.queries,
        hit1 * 100.0,
        hit5 * 100.0
    );
    // The issue asks for hit@5 >= 80%; hold the line a little above that.
    assert!(hit5 >= 0.90, "hit@5 fell to {:.1}%: misses {:#?}", hit5 * 100.0, r.misses);
    assert!(hit1 >= 0.70, "hit@1 fell to {:.1}%", hit1 * 100.0);
}

/// CMS's FY2026 (October 1, 2025) billable code list, as staged in ../shared/data/drg: every code
/// in it that the April update kept must be billable here with the same title, and every
/// 7th-character code in it must come out of our expansion.
#[test]
fn cms_fy2026_code_list_agrees() {
    let lib = need!(library());
    let Some(csv) = shared("drg/codesets_fy2026/icd10cm_fy2026_codes.csv.gz") else { return };
    let text = String::from_utf8(csv).unwrap();
    let d = date("2026-05-01");
    let (mut same, mut differ, mut missing, mut seventh) = (0, Vec::new(), Vec::new(), 0);
    for line in text.lines() {
        let Some((code, title)) = line.split_once(',') else { continue };
        let title = title.trim_matches('"').replace("\"\"", "\"");
        let info = lib.show(Some(System::Icd10Cm), code, d).unwrap();
        if !info.billable {
            missing.push(code.to_string());
            continue;
        }
        if code.len() == 7 {
            seventh += 1;
        }
        // CMS's flat file is ASCII; the tabular XML keeps accents ("Sézary").
        let plain: String = info
            .title
            .chars()
            .map(|c| match c {
                'é' | 'è' => 'e',
                'ô' | 'ö' => 'o',
                'ä' | 'á' => 'a',
                'ü' => 'u',
                c => c,
            })
            .collect();
        if plain == title { same += 1 } else { differ.push((code.to_string(), title, info.title)) }
    }
    eprintln!(
        "CMS FY2026 list: {same} same title, {} different title, {} not billable in the April release, {seventh} 7-character codes",
        differ.len(),
        missing.len()
    );
    // The April 1 update deletes and retitles a handful of the October codes; no more than that.
    assert!(
        missing.len() < 200,
        "{} October codes missing: {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
    assert!(
        differ.len() < 60,
        "{} titles differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(5)]
    );
    assert!(same > 73_000);
    assert!(seventh > 40_000, "7th-character codes found: {seventh}");
}
