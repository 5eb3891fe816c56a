//! Times the operations that `benches/peers/compare.py` compares with Python peers, on the full
//! FY2026 releases in `../shared/data`, and prints JSON.
//!
//! `cargo run --release -p code-sets --example peer_bench -- CODES_FILE QUERIES_FILE`

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use code_sets::{Date, Library, Release, System};

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let codes_text = std::fs::read_to_string(&args[1]).expect("codes file");
    let queries_text = std::fs::read_to_string(&args[2]).expect("queries file");
    let codes: Vec<&str> = codes_text.lines().filter(|l| !l.is_empty()).collect();
    let queries: Vec<&str> = queries_text.lines().filter(|l| !l.is_empty()).collect();

    let t = Instant::now();
    let (cm, pcs) = common::cm_and_pcs();
    let import_s = t.elapsed().as_secs_f64();
    let (cm_bin, pcs_bin) = (cm.to_bytes(), pcs.to_bytes());
    drop((cm, pcs));
    let rss_before = rss_kib();
    let t = Instant::now();
    let cm = Release::from_bytes(&cm_bin).expect("open CM");
    let pcs = Release::from_bytes(&pcs_bin).expect("open PCS");
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let hcpcs = common::hcpcs();
    // Searches run over every installed system: CM, PCS and HCPCS.
    let lib = Library::new(vec![Arc::new(cm), Arc::new(pcs), Arc::new(hcpcs)]);
    let dos: Date = "2026-05-01".parse().unwrap();

    let keys: Vec<_> = codes.iter().filter_map(|c| System::Icd10Cm.normalize(c).ok()).collect();
    let reps = 200;
    let t = Instant::now();
    let mut found = 0usize;
    for _ in 0..reps {
        for k in &keys {
            if let Some(l) = lib.lookup(System::Icd10Cm, black_box(k), dos) {
                found += l.title.len() & 1;
            }
        }
    }
    let lookup_ns = t.elapsed().as_secs_f64() * 1e9 / (reps * keys.len()) as f64;
    let t = Instant::now();
    for _ in 0..reps {
        for k in &keys {
            if let Some(l) = lib.lookup(System::Icd10Cm, black_box(k), dos) {
                found += l.children().count() + l.ancestors().count();
            }
        }
    }
    let family_ns = t.elapsed().as_secs_f64() * 1e9 / (reps * keys.len()) as f64;
    let t = Instant::now();
    for _ in 0..20 {
        for c in &codes {
            found +=
                lib.show(Some(System::Icd10Cm), black_box(c), dos).map_or(0, |i| i.notes.len());
        }
    }
    let show_ns = t.elapsed().as_secs_f64() * 1e9 / (20 * codes.len()) as f64;

    let mut lat: Vec<f64> = Vec::new();
    for _ in 0..5 {
        for q in &queries {
            let t = Instant::now();
            found += lib.search(black_box(q), None, false, 5, dos).len();
            lat.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    let mean = lat.iter().sum::<f64>() / lat.len() as f64;
    println!(
        "{{\"import_cm_pcs_s\": {import_s:.3}, \"open_cm_pcs_ms\": {open_ms:.2}, \"binary_bytes\": {}, \"lookup_ns\": {lookup_ns:.1}, \"children_ancestors_ns\": {family_ns:.1}, \"show_full_ns\": {show_ns:.1}, \"search_mean_us\": {mean:.1}, \"search_p50_us\": {:.1}, \"search_p99_us\": {:.1}, \"search_max_us\": {:.1}, \"rss_open_kib\": {}, \"rss_peak_kib\": {}, \"checksum\": {found}}}",
        cm_bin.len() + pcs_bin.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        rss_before,
        rss_kib(),
    );
}
