//! Throughput of the syntax layer on a large synthetic 837P batch (claims repeated from a sample),
//! with a bare memchr pass over the same bytes as the ceiling.
//!
//! `cargo bench -p x12 --bench tokenize`

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const ISA: &str = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*P*:~\n";

/// About `target` bytes of 837P: one interchange, one group, many transaction sets.
fn corpus(target: usize) -> Vec<u8> {
    let claim = "ST*837*0001*005010X222A1~\nBHT*0019*00*0123*20260101*1023*CH~\nNM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~\nPER*IC*ANN*TE*5555551234~\nNM1*40*2*PAYER A*****46*66783JJT~\nHL*1**20*1~\nNM1*85*2*SYNTHETIC CLINIC*****XX*1234567893~\nN3*100 MAIN ST~\nN4*ANYTOWN*PA*171110000~\nREF*EI*123456789~\nHL*2*1*22*0~\nSBR*P*18*******CI~\nNM1*IL*1*DOE*JANE****MI*ABC123456789~\nN3*1 ELM ST~\nN4*ANYTOWN*PA*171110000~\nDMG*D8*19800101*F~\nNM1*PR*2*PAYER A*****PI*999996666~\nCLM*PAT0001*150***11:B:1*Y*A*Y*Y~\nHI*ABK:E119*ABF:I10~\nLX*1~\nSV1*HC:99213:25*100*UN*1***1:2~\nDTP*472*D8*20260105~\nLX*2~\nSV1*HC:G0439*50*UN*1***1~\nDTP*472*D8*20260105~\nSE*25*0001~\n";
    let mut out = String::with_capacity(target + 4096);
    out.push_str(ISA);
    out.push_str("GS*HC*SUBMITTER*RECEIVER*20260101*1200*1*X*005010X222A1~\n");
    let mut n = 0;
    while out.len() < target {
        out.push_str(claim);
        n += 1;
    }
    out.push_str(&format!("GE*{n}*1~\nIEA*1*000000001~\n"));
    out.into_bytes()
}

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
