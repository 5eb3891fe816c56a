//! Every file of `../shared/x12-samples/` (when present) validates to the verdict and the rule
//! IDs recorded in `samples_manifest.tsv`, and every sample file is in the manifest. Deliberately
//! invalid files must fail with the rule that names their problem; where our verdict differs from
//! pyx12's the manifest says why.

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn samples_validate_as_the_manifest_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/x12-samples");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/x12-samples is not present");
        return;
    }
    let manifest = include_str!("samples_manifest.tsv");
    let mut listed = BTreeSet::new();
    let mut wrong = Vec::new();
    for line in manifest.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, verdict, rules, pyx12, why @ ..] = cols.as_slice() else {
            panic!("manifest line {line:?}: file, verdict, rules, pyx12[, why]")
        };
        listed.insert(file.to_string());
        let differs = matches!(*pyx12, "valid" | "invalid") && pyx12 != verdict;
        assert!(
            !differs || why.first().is_some_and(|w| !w.is_empty()),
            "{file}: say why we differ from pyx12"
        );
        let src = std::fs::read(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let report = x12_claims::validate(&src, 5);
        let got_verdict = if report.valid() { "valid" } else { "invalid" };
        let got: BTreeSet<&str> = report
            .issues
            .iter()
            .chain(report.transactions.iter().flat_map(|t| &t.issues))
            .map(|i| i.finding.rule)
            .collect();
        let want: BTreeSet<&str> = rules.split(' ').filter(|r| *r != "-").collect();
        if got_verdict != *verdict || got != want {
            wrong.push(format!("{file}: {got_verdict} {got:?}, manifest says {verdict} {want:?}"));
        }
    }
    let mut on_disk = BTreeSet::new();
    for dir in std::fs::read_dir(&root).unwrap().flatten().filter(|d| d.path().is_dir()) {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            on_disk.insert(format!(
                "{}/{}",
                dir.file_name().to_string_lossy(),
                f.file_name().to_string_lossy()
            ));
        }
    }
    let missing: Vec<_> = on_disk.difference(&listed).collect();
    assert!(missing.is_empty(), "sample files not in samples_manifest.tsv: {missing:?}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
