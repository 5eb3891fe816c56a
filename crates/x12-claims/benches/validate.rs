//! Throughput of validation on a large synthetic 837P batch (the same corpus as the x12
//! tokenizer benchmark): SNIP level 1 (envelopes), 2 (the guide walk), 3 (balancing too).
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
            b.iter(|| x12_claims::validate(black_box(&data), level).valid())
        });
    }
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
