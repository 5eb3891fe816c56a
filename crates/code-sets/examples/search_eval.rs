//! Runs the search evaluation set (`data/search_eval.tsv`) against the full FY2026 releases in
//! `../shared/data` and prints hit@1, hit@5 and every miss.
//!
//! `cargo run --release -p code-sets --example search_eval [-- --misses]`

#[path = "common/mod.rs"]
mod common;

use std::sync::Arc;

use code_sets::{Date, Library, System};

fn main() {
    let show_misses = std::env::args().any(|a| a == "--misses");
    let (cm, pcs) = common::cm_and_pcs();
    let hcpcs = common::hcpcs();
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
