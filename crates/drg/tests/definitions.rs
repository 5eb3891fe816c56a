//! The MS-DRG definitions JSON (drgpy's parse of the CMS definitions manual): a hand-made excerpt
//! in its schema, and the four staged versions from `../shared/data/drg` when present.

use std::path::Path;

use code_sets::{CodeKey, System};
use drg::{CcLevel, Definitions};

fn cm(c: &str) -> CodeKey {
    System::Icd10Cm.normalize(c).unwrap()
}

#[test]
fn excerpt_in_the_schema() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/msdrg_v43_excerpt.json"),
    )
    .unwrap();
    let d = Definitions::parse(&bytes).unwrap();
    assert_eq!(d.version, "v43");
    assert_eq!(d.effective_from().to_string(), "2025-10-01");
    assert_eq!(d.drg(193).unwrap().mdc.as_deref(), Some("04"));
    assert_eq!(d.drg(1).unwrap().mdc, None);
    let (mdcs, lists) = d.diagnosis(&cm("J18.9")).unwrap();
    assert_eq!(mdcs, ["MDC04"]);
    assert_eq!(lists[1].drgs, [193, 194, 195]);
    assert_eq!(d.list_name(lists[1].list), "PDX");
    let pcs = System::Icd10Pcs.normalize("0016070").unwrap();
    assert!(d.is_or(&pcs));
    assert_eq!(d.list_name(d.procedure(&pcs).unwrap()[1].list), "MAJOR O.R. PROCEDURE ORPCS");
    assert!(d.excluded_by(&cm("A00.0"), &cm("A00.9")));
    let arrest = d.cc(&cm("I46.2")).unwrap();
    assert_eq!(
        (arrest.level, arrest.alive_only, arrest.pdx_collection),
        (CcLevel::Mcc, true, None)
    );
    assert_eq!(Definitions::from_bytes(&d.to_bytes()).unwrap(), d);
    assert_eq!(Definitions::version_start("v42.1").unwrap().to_string(), "2025-04-01");
    assert_eq!(Definitions::version_start("v43.1").unwrap().to_string(), "2026-04-01");
    assert!(Definitions::version_start("v43.2").is_none());
    assert_eq!(Definitions::version_end("v43").unwrap().to_string(), "2026-03-31");
    assert_eq!(Definitions::version_end("v43.1").unwrap().to_string(), "2026-09-30");
}

#[test]
fn bad_definitions_are_refused() {
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/msdrg_v43_excerpt.json"),
    )
    .unwrap();
    for (from, to, what) in [
        ("\"schema_version\": 1", "\"schema_version\": 2", "schema_version"),
        ("\"version\": \"v43\"", "\"version\": \"43\"", "version"),
        ("\"0002\": [", "\"0003\": [", "0002"),
        ("\"level\": \"CC\"", "\"level\": \"XC\"", "XC"),
        ("\"J189\"", "\"J1\"", "J1"),
    ] {
        let bad = good.replace(from, to);
        assert_ne!(bad, good, "{from}");
        let e = Definitions::parse(bad.as_bytes()).unwrap_err();
        assert!(e.message.contains(what), "{what}: {e}");
    }
    assert!(Definitions::parse(b"{\"schema_version\": 1").is_err());
}

#[test]
fn the_four_staged_versions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/drg/msdrg_definitions_drgpy");
    if !dir.exists() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let expect = [
        ("msdrg_v42.json.xz", "2024-10-01", [773, 66_819, 56_519, 18_264, 1_990]),
        ("msdrg_v42.1.json.xz", "2025-04-01", [773, 66_819, 56_549, 18_264, 1_990]),
        ("msdrg_v43.json.xz", "2025-10-01", [772, 67_258, 56_671, 18_391, 1_994]),
        ("msdrg_v43.1.json.xz", "2026-04-01", [772, 67_258, 56_720, 18_391, 1_994]),
    ];
    for (file, start, counts) in expect {
        let mut json = Vec::new();
        std::io::Read::read_to_end(
            &mut xz2::read::XzDecoder::new(&std::fs::read(dir.join(file)).unwrap()[..]),
            &mut json,
        )
        .unwrap();
        let d = Definitions::parse(&json).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(d.effective_from().to_string(), start, "{file}");
        // (The staged README counts the two stray words of prmap as procedures.)
        let mut counts = counts;
        counts[2] -= 2;
        assert_eq!(d.counts(), counts, "{file}");
        assert_eq!(d.skipped(), ["One", "with"], "{file}");
    }
}
