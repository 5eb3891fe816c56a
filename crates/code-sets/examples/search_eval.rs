//! Runs the search evaluation set (`data/search_eval.tsv`) against the full FY2026 releases in
//! `../shared/data` and prints hit@1, hit@5 and every miss.
//!
//! `cargo run --release -p code-sets --example search_eval [-- --misses]`

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use code_sets::{Date, Library, System};

fn gunzip(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    let raw = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).expect("gzip");
    out
}

fn main() {
    let show_misses = std::env::args().any(|a| a == "--misses");
    let cm = code_sets::icd10cm::parse_tabular(
        &gunzip("icd10cm/2026/icd10cm_tabular_2026-04-01.xml.gz"),
        None,
    )
    .expect("CM");
    let pcs = code_sets::icd10pcs::parse_tables(
        &gunzip("icd10pcs/2026/icd10pcs_tables_2026.xml.gz"),
        None,
    )
    .expect("PCS");
    let hcpcs = code_sets::hcpcs::parse_anweb(
        &gunzip("hcpcs/2026/HCPC2026_JAN_ANWEB_01122026.txt.gz"),
        None,
    )
    .expect("HCPCS");
    let lib = Library::new(vec![Arc::new(cm), Arc::new(pcs), Arc::new(hcpcs)]);
    let dos: Date = "2026-05-01".parse().unwrap();
    let r = code_sets::eval::run(&lib, code_sets::eval::EVAL_SET, dos);
    println!(
        "queries {}  hit@1 {:.1}%  hit@5 {:.1}%  (search over {} systems installed)",
        r.queries,
        100.0 * r.hit1 as f64 / r.queries as f64,
        100.0 * r.hit5 as f64 / r.queries as f64,
        System::ALL.len() - 1
    );
    for bad in &r.invalid {
        println!("INVALID expected code: {bad}");
    }
    if show_misses {
        for (q, want, got) in &r.misses {
            println!("miss  {q:<45} want {want:<20} got {}", got.join(" "));
        }
    }
}
