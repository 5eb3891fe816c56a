//! The committed rule catalog (`docs/rules.md`) matches the rules' metadata, every rule has a
//! fixture, IDs are unique and well formed. `UPDATE_CATALOG=1 cargo test -p scrub --test catalog`
//! rewrites the catalog.

mod common;

use std::collections::HashSet;
use std::path::Path;

use scrub::RULES;

#[test]
fn catalog_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let want = scrub::catalog_markdown();
    if std::env::var_os("UPDATE_CATALOG").is_some() {
        std::fs::write(&path, &want).expect("write docs/rules.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run `UPDATE_CATALOG=1 cargo test -p scrub --test catalog`"
    );
}

#[test]
fn rule_ids_are_unique_well_formed_and_have_fixtures() {
    let mut seen = HashSet::new();
    for r in RULES {
        assert!(seen.insert(r.id), "{} is registered twice", r.id);
        let (family, number) = r.id.split_once('-').expect("FAMILY-NNN");
        assert!(family.bytes().all(|b| b.is_ascii_uppercase()), "{}", r.id);
        assert!(number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()), "{}", r.id);
        assert!(
            common::fixtures().join("rules").join(format!("{}.json", r.id)).exists(),
            "rule {} has no fixture tests/fixtures/rules/{}.json",
            r.id,
            r.id
        );
        for text in [r.what, r.why, r.fix] {
            assert!(text.trim().ends_with('.'), "{}: {text:?} is not a sentence", r.id);
        }
        assert!(!r.source.trim().is_empty() && !r.name.contains(' '), "{}", r.id);
    }
    // Every fixture belongs to a registered rule (a removed rule keeps its ID retired, not its
    // fixture).
    for entry in std::fs::read_dir(common::fixtures().join("rules")).expect("fixtures") {
        let name = entry.expect("entry").file_name().to_string_lossy().to_string();
        let id = name.trim_end_matches(".json");
        assert!(scrub::rule(id).is_some(), "fixture {name} has no registered rule");
    }
}
