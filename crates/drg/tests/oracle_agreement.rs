//! The grouper against the oracle's golden answers (`tests/golden/`), with the staged MS-DRG
//! definitions (when `../shared/data/drg` is present): prints agreement per field and holds the
//! ground gained (the grouper is a first cut; the target is 100 % on final DRG, MDC, return code
//! and HAC status).

use std::collections::HashMap;
use std::path::Path;

use code_sets::System;
use drg::{Definitions, GroupInput, group};

fn rows(name: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name),
    )
    .unwrap();
    let mut lines = text.lines();
    let head: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    lines.map(|l| head.iter().cloned().zip(l.split(',').map(str::to_string)).collect()).collect()
}

#[test]
fn agreement_with_the_oracle_on_the_golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/drg/msdrg_definitions_drgpy");
    if !dir.exists() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let load = |file: &str| {
        let mut json = Vec::new();
        std::io::Read::read_to_end(
            &mut xz2::read::XzDecoder::new(&std::fs::read(dir.join(file)).unwrap()[..]),
            &mut json,
        )
        .unwrap();
        Definitions::parse(&json).unwrap()
    };
    let versions: HashMap<&str, Definitions> =
        [("430", load("msdrg_v43.json.xz")), ("431", load("msdrg_v43.1.json.xz"))]
            .into_iter()
            .collect();
    let cases = rows("oracle_cases.csv");
    let expected = rows("oracle_expected.csv");
    let (mut drg_ok, mut mdc_ok, mut sev_ok, mut grc_ok, mut sdx_ok) = (0, 0, 0, 0, 0);
    let mut misses: HashMap<(String, String), usize> = HashMap::new();
    for (c, e) in cases.iter().zip(&expected) {
        let defs = &versions[c["version"].as_str()];
        let code = |s: &str| System::Icd10Cm.normalize(s).ok();
        let (pdx, _) = c["pdx"].split_once(':').unwrap_or((&c["pdx"], ""));
        let Some(pdx) = code(pdx) else {
            // A principal diagnosis not even shaped like a code: the grouper's input is refused
            // before it runs; the oracle calls it INVALID_PDX (DRG 999, MDC 0).
            let invalid = e["final_grc"] == "INVALID_PDX";
            for ok in [&mut grc_ok, &mut drg_ok, &mut mdc_ok, &mut sev_ok] {
                *ok += usize::from(invalid);
            }
            continue;
        };
        let sdx = c["sdx"]
            .split('|')
            .filter(|s| !s.is_empty())
            .filter_map(|s| {
                let (k, p) = s.split_once(':').unwrap_or((s, ""));
                Some((code(k)?, p.chars().next()))
            })
            .collect();
        let procedures =
            c["procs"].split('|').filter_map(|p| System::Icd10Pcs.normalize(p).ok()).collect();
        let out = group(
            defs,
            &GroupInput {
                age: c["age"].parse().unwrap_or(0),
                sex: c["sex"].chars().next().unwrap_or('U'),
                discharge_status: c["discharge_status"].parse().unwrap_or(1),
                pdx,
                sdx,
                procedures,
            },
        );
        drg_ok += usize::from(out.drg.to_string() == e["final_drg"]);
        mdc_ok += usize::from(out.mdc.to_string() == e["final_mdc"]);
        sev_ok += usize::from(out.severity == e["final_severity"]);
        grc_ok += usize::from(out.return_code == e["final_grc"]);
        let flags: Vec<&str> = out.sdx.iter().map(|f| f.name()).collect();
        sdx_ok += usize::from(flags.join("|") == e["sdx_sev"]);
        if out.drg.to_string() != e["final_drg"] {
            *misses.entry((e["final_drg"].clone(), out.drg.to_string())).or_default() += 1;
        }
    }
    let n = cases.len();
    let pct = |k: usize| 100.0 * k as f64 / n as f64;
    eprintln!(
        "{n} golden cases: final DRG {:.1} %, MDC {:.1} %, severity {:.1} %, return code {:.1} %, sdx flags {:.1} %",
        pct(drg_ok),
        pct(mdc_ok),
        pct(sev_ok),
        pct(grc_ok),
        pct(sdx_ok)
    );
    let mut top: Vec<_> = misses.into_iter().collect();
    top.sort_by_key(|t| std::cmp::Reverse(t.1));
    eprintln!("top disagreements (oracle, ours): {:?}", &top[..top.len().min(8)]);
    // The first cut's ground (raise these as the grouper grows; the target is 100 %).
    assert!(pct(mdc_ok) >= 88.0, "MDC agreement fell");
    assert!(pct(drg_ok) >= 70.0, "final DRG agreement fell");
    assert!(pct(sev_ok) >= 90.0, "severity agreement fell");
}
