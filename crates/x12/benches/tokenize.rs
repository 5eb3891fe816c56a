//! Throughput of the syntax layer on a large synthetic 837P batch (claims repeated from a sample),
//! with a bare memchr pass over the same bytes as the ceiling.
//!
//! `cargo bench -p x12 --bench tokenize`

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;
use common::corpus;

fn benches(c: &mut Criterion) {
    let data = corpus(64 << 20);
    let mut g = c.benchmark_group("x12_64MB_837P");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    g.bench_function("memchr_ceiling", |b| {
        b.iter(|| memchr::memchr_iter(b'~', black_box(&data)).count())
    });
    g.bench_function("tokenize_segments", |b| {
        b.iter(|| x12::Tokenizer::new(black_box(&data)).filter(|s| s.is_ok()).count())
    });
    g.bench_function("tokenize_segments_and_elements", |b| {
        b.iter(|| {
            x12::Tokenizer::new(black_box(&data))
                .map(|s| s.map_or(0, |s| s.elements().map(<[u8]>::len).sum::<usize>()))
                .sum::<usize>()
        })
    });
    g.bench_function("stream_reader", |b| {
        b.iter(|| {
            let mut r = x12::SegmentReader::new(black_box(&data[..]));
            let mut n = 0usize;
            while let Some(s) = r.next() {
                n += s.map_or(0, |s| s.raw.len());
            }
            n
        })
    });
    g.bench_function("envelopes", |b| b.iter(|| x12::parse(black_box(&data)).1.len()));
    g.finish();
}

criterion_group!(x12_benches, benches);
criterion_main!(x12_benches);
