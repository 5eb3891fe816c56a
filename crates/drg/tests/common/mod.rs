//! The staged data in `../shared/data` for the tests and the benchmark: the four MS-DRG
//! definitions versions, the FY2026 IPPS tables and the MCE lists (`None` on a fresh clone without
//! `../shared`).

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

use drg::{Definitions, IppsTables};

/// `../shared/data` beside the repository, when present.
pub(crate) fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    p.join("drg").exists().then_some(p)
}

fn unpack(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).expect("shared data file");
    let name = path.to_string_lossy();
    let mut plain = Vec::new();
    if name.ends_with(".xz") {
        xz2::read::XzDecoder::new(&bytes[..]).read_to_end(&mut plain).expect("xz");
    } else if name.ends_with(".gz") {
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain).expect("gzip");
    } else {
        return bytes;
    }
    plain
}

/// The MS-DRG definitions v42, v42.1, v43 and v43.1.
pub(crate) fn definitions() -> Option<Vec<Definitions>> {
    let dir = shared()?.join("drg/msdrg_definitions_drgpy");
    let out = ["v42", "v42.1", "v43", "v43.1"]
        .iter()
        .map(|v| {
            Definitions::parse(&unpack(&dir.join(format!("msdrg_{v}.json.xz"))))
                .expect("definitions")
        })
        .collect();
    Some(out)
}

/// The FY2026 IPPS tables 5, 6I, 6J, 6K.
pub(crate) fn ipps() -> Option<IppsTables> {
    let dir = shared()?.join("drg/ipps_fy2026_tables");
    let mut t = IppsTables::default();
    t.load_table5(&unpack(&dir.join("table5_drg_weights_fy2026_final.txt"))).expect("5");
    t.load_cc_list(&unpack(&dir.join("table6I_mcc_list_fy2026.txt"))).expect("6I");
    t.load_cc_list(&unpack(&dir.join("table6J_cc_list_fy2026.txt"))).expect("6J");
    t.load_table6k(&unpack(&dir.join("table6K_cc_exclusions_fy2026.txt.gz"))).expect("6K");
    Some(t)
}

/// The MCE lists as `data import` installs them (every CSV under `mce/`).
pub(crate) fn mce() -> Option<mce::Tables> {
    let mut files = Vec::new();
    let mut stack = vec![shared()?.join("mce")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("mce dir") {
            let p = e.expect("entry").path();
            let name = p.to_string_lossy().to_string();
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".csv") || name.ends_with(".csv.gz") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut t = mce::Tables::default();
    for f in &files {
        t.load(&f.display().to_string(), &unpack(f)).expect("MCE list");
    }
    Some(t)
}

/// The oracle's golden cases (`tests/golden/oracle_cases.csv`) as grouper input.
pub(crate) fn golden_claims() -> Vec<drg::GroupClaim> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/oracle_cases.csv");
    drg::parse_csv(&std::fs::read(p).expect("golden cases")).expect("golden cases parse")
}
