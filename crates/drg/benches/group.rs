//! Grouping speed: inpatient claims per second on one core through `drg::Grouper` (version by
//! discharge date, the grouper, the MCE on every claim, Table 5), with all four MS-DRG versions,
//! the FY2026 IPPS tables and the MCE lists from `../shared/data` (skipped without them). The
//! claims are the oracle's 390 golden cases (every stratum: medical, surgical, CC/MCC and their
//! exclusions, pre-MDC, trauma, neonates, HAC/POA, conflicts, malformed), cycled.
//!
//! `cargo bench -p drg --bench group`; `python3 benches/peers/drg_group.py` runs the oracle on
//! the same claims and prints the ratio.

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "../tests/common/mod.rs"]
mod common;

fn group_claims(c: &mut Criterion) {
    let (Some(versions), Some(ipps), Some(mce)) =
        (common::definitions(), common::ipps(), common::mce())
    else {
        eprintln!("skipped: ../shared/data not present");
        return;
    };
    let ipps = [ipps];
    let grouper = drg::Grouper { versions: &versions, ipps: &ipps, mce: Some(&mce) };
    let golden = common::golden_claims();
    let claims: Vec<drg::GroupClaim> = golden.iter().cycle().take(10_000).cloned().collect();
    let mut g = c.benchmark_group("group");
    g.throughput(Throughput::Elements(claims.len() as u64));
    g.sample_size(10);
    g.bench_function("claims_with_mce_and_table5", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for claim in &claims {
                if let Ok(r) = grouper.group(black_box(claim)) {
                    n += u64::from(r.final_drg);
                }
            }
            n
        })
    });
    g.finish();
    let mut g = c.benchmark_group("open");
    g.sample_size(10);
    let bytes: Vec<Vec<u8>> = versions.iter().map(drg::Definitions::to_bytes).collect();
    g.bench_function("four_msdrg_versions_from_installed_form", |b| {
        b.iter(|| {
            bytes
                .iter()
                .map(|v| drg::Definitions::from_bytes(v).map_or(0, |d| d.counts()[0]))
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, group_claims);
criterion_main!(benches);
