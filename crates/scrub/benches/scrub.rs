//! Scrubbing speed: professional claims per second with every rule on, the FY2026 code sets (from
//! `../shared/data` when present), the MCE lists and NCCI tables of the real size (2.5 million PTP
//! pairs, 15,000 MUE rows, generated in CMS's layouts); and the time to open the NCCI tables from
//! their installed binary form.
//!
//! `cargo bench -p scrub --bench scrub`

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;

fn benches(c: &mut Criterion) {
    let (lib, full) = common::library();
    eprintln!("code sets: {}", if full { "full FY2026 releases" } else { "repository samples" });
    let ncci = common::full_size_ncci();
    let bytes = ncci.to_bytes();
    eprintln!("NCCI tables: {:?} rows, {} MB installed", ncci.counts(), bytes.len() / 1_000_000);
    let today = "2026-06-01".parse().expect("date");
    let mce = common::mce_lists();
    eprintln!("MCE lists: {}", if mce.is_some() { "FY2026" } else { "none (../shared absent)" });
    let mut cx = scrub::Context::new(&lib, today).with_ncci(&ncci);
    if let Some(m) = mce.as_ref() {
        cx = cx.with_mce(m);
    }
    let claims = common::claims(10_000);
    let scrubber = scrub::Scrubber::default();
    let mut g = c.benchmark_group("scrub");
    g.throughput(Throughput::Elements(claims.len() as u64));
    g.sample_size(10);
    g.bench_function("professional_claims_all_rules", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for claim in &claims {
                out.clear();
                scrubber.scrub_into(black_box(claim), &cx, &mut out);
                n += out.len();
            }
            n
        })
    });
    g.finish();
    let mut g = c.benchmark_group("ncci_tables");
    g.sample_size(10);
    g.bench_function("open_installed_2_5M_pairs", |b| {
        b.iter(|| ncci::Tables::from_bytes(black_box(&bytes)).map(|t| t.counts().0))
    });
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
