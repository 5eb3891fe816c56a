//! Throughput of validation on a large synthetic 837P batch (the same corpus as the x12
//! tokenizer benchmark): SNIP level 1 (envelopes), 2 (the guide walk), 3 (balancing too), on
//! one thread and on every core; then reading the claims into the model (owned `Claim` values, and
//! the typed views borrowed from the file) and writing them.
//!
//! `cargo bench -p x12-claims --bench validate`

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "../../x12/benches/common/mod.rs"]
mod corpus;

fn benches(c: &mut Criterion) {
    let data = corpus::corpus(16 << 20);
    assert!(x12_claims::validate(&data, 3).valid(), "the corpus is valid");
    let mut g = c.benchmark_group("validate_16MB_837P");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    for level in [1u8, 2, 3] {
        g.bench_function(format!("level_{level}"), |b| {
            b.iter(|| x12_claims::validate_threads(black_box(&data), level, None, 1).valid())
        });
    }
    // The same on every core (transaction sets checked in parallel, envelopes on this thread).
    let cores = x12_claims::default_threads();
    g.bench_function(format!("level_3_{cores}_threads"), |b| {
        b.iter(|| x12_claims::validate_threads(black_box(&data), 3, None, cores).valid())
    });
    g.finish();
    // Clearinghouse-style batches: 500 claims per transaction set.
    let batch = corpus::batch_corpus(16 << 20, 500);
    assert!(x12_claims::validate(&batch, 3).valid(), "the batch corpus is valid");
    let mut g = c.benchmark_group("validate_16MB_837P_500_per_set");
    g.throughput(Throughput::Bytes(batch.len() as u64));
    g.sample_size(10);
    g.bench_function("level_3", |b| {
        b.iter(|| x12_claims::validate_threads(black_box(&batch), 3, None, 1).valid())
    });
    g.bench_function(format!("level_3_{cores}_threads"), |b| {
        b.iter(|| x12_claims::validate_threads(black_box(&batch), 3, None, cores).valid())
    });
    g.bench_function("read_837_typed", |b| {
        b.iter(|| x12_claims::read_837_threads(black_box(&batch), 1).0.len())
    });
    g.bench_function(format!("read_837_typed_{cores}_threads"), |b| {
        b.iter(|| x12_claims::read_837_threads(black_box(&batch), cores).0.len())
    });
    g.bench_function("read_837_views", |b| {
        b.iter(|| x12_claims::read_837_views(black_box(&batch), 1).0.len())
    });
    g.bench_function(format!("read_837_views_{cores}_threads"), |b| {
        b.iter(|| x12_claims::read_837_views(black_box(&batch), cores).0.len())
    });
    let claims_each = |src: &[u8], threads| {
        let mut n = 0;
        x12_claims::read_837_views_each(src, threads, |b| n += b.len());
        n
    };
    g.bench_function("read_837_views_each", |b| b.iter(|| claims_each(black_box(&batch), 1)));
    g.bench_function(format!("read_837_views_each_{cores}_threads"), |b| {
        b.iter(|| claims_each(black_box(&batch), cores))
    });
    g.finish();
    // Reading claims into the model, and writing them back as X12.
    let (claims, _) = x12_claims::read_837(&data);
    let sub = x12_claims::Submission {
        sender: ("ZZ".into(), "SUBMITTER".into()),
        receiver: ("ZZ".into(), "PAYER".into()),
        application_ids: ("SUBMITTER".into(), "PAYER".into()),
        control: 1,
        date_time: ("20260102".into(), "0800".into()),
        usage: 'T',
        submitter: ("BILLING SVC".into(), "S1".into(), "DESK".into(), "5555551212".into()),
        receiver_name: ("PAYER A".into(), "P1".into()),
        batch_id: "B1".into(),
    };
    let written = x12_claims::write_837(&claims, &sub, x12::Delimiters::default());
    let mut g = c.benchmark_group("claims_16MB_837P");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("read_837_typed", |b| {
        b.iter(|| x12_claims::read_837_threads(black_box(&data), 1).0.len())
    });
    g.bench_function(format!("read_837_typed_{cores}_threads"), |b| {
        b.iter(|| x12_claims::read_837_threads(black_box(&data), cores).0.len())
    });
    g.bench_function("read_837_views", |b| {
        b.iter(|| x12_claims::read_837_views(black_box(&data), 1).0.len())
    });
    g.bench_function(format!("read_837_views_{cores}_threads"), |b| {
        b.iter(|| x12_claims::read_837_views(black_box(&data), cores).0.len())
    });
    g.throughput(Throughput::Bytes(written.len() as u64));
    g.bench_function("write_837", |b| {
        b.iter(|| {
            let d = x12::Delimiters::default();
            x12_claims::write_837_threads(black_box(&claims), &sub, d, 1).len()
        })
    });
    g.bench_function(format!("write_837_{cores}_threads"), |b| {
        b.iter(|| {
            let d = x12::Delimiters::default();
            x12_claims::write_837_threads(black_box(&claims), &sub, d, cores).len()
        })
    });
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
