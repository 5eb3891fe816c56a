//! Benchmarks of the encoder core: parsing the official releases, opening the binary form,
//! looking a code up and searching.
//!
//! Uses the full FY2026 releases from `../shared/data` when present, else the sample fixtures.
//! Run: `cargo bench -p code-sets --bench code_sets`.

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use code_sets::{Date, Library, Release, System};
use criterion::{Criterion, criterion_group, criterion_main};

fn read(rel_shared: &str, sample: &str) -> (Vec<u8>, &'static str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/data").join(rel_shared);
    if let Ok(raw) = std::fs::read(&shared) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).expect("gzip");
        return (out, "full");
    }
    (std::fs::read(root.join("fixtures/sample").join(sample)).expect("sample fixture"), "sample")
}

fn benches(c: &mut Criterion) {
    let (cm_xml, which) =
        read("icd10cm/2026/icd10cm_tabular_2026-04-01.xml.gz", "icd10cm_tabular_2026-04-01.xml");
    let (pcs_xml, _) =
        read("icd10pcs/2026/icd10pcs_tables_2026.xml.gz", "icd10pcs_tables_2026.xml");
    eprintln!("benchmarking on the {which} releases");
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function(format!("parse_cm_tabular_{which}"), |b| {
        b.iter(|| code_sets::icd10cm::parse_tabular(black_box(&cm_xml), None).unwrap())
    });
    g.bench_function(format!("parse_pcs_tables_{which}"), |b| {
        b.iter(|| code_sets::icd10pcs::parse_tables(black_box(&pcs_xml), None).unwrap())
    });
    g.finish();

    let cm = code_sets::icd10cm::parse_tabular(&cm_xml, None).unwrap();
    let pcs = code_sets::icd10pcs::parse_tables(&pcs_xml, None).unwrap();
    let cm_bin = cm.to_bytes();
    let pcs_bin = pcs.to_bytes();
    eprintln!("binary sizes: CM {} bytes, PCS {} bytes", cm_bin.len(), pcs_bin.len());
    let mut g = c.benchmark_group("open");
    g.sample_size(20);
    g.bench_function(format!("open_cm_and_pcs_{which}"), |b| {
        b.iter(|| {
            let a = Release::from_bytes(black_box(&cm_bin)).unwrap();
            let p = Release::from_bytes(black_box(&pcs_bin)).unwrap();
            (a.len(), p.len())
        })
    });
    g.finish();

    let lib = Library::new(vec![Arc::new(cm), Arc::new(pcs)]);
    let dos: Date = "2026-05-01".parse().unwrap();
    let key = System::Icd10Cm.normalize("S72.001A").unwrap();
    c.bench_function("lookup_cm_title_and_billable", |b| {
        b.iter(|| lib.lookup(System::Icd10Cm, black_box(&key), dos).map(|l| l.billable))
    });
    c.bench_function("lookup_show_cm_billable", |b| {
        b.iter(|| lib.show(Some(System::Icd10Cm), black_box("E11.9"), dos).unwrap())
    });
    c.bench_function("lookup_show_pcs", |b| {
        b.iter(|| lib.show(Some(System::Icd10Pcs), black_box("0DTJ4ZZ"), dos).unwrap())
    });
    let queries = [
        "t2dm with hyperglycemia",
        "htn w chf",
        "closed fx right femoral neck initial",
        "pnemonia",
        "laparoscopic appendectomy",
        "concussion with loc",
    ];
    c.bench_function("search_all_systems_mixed_queries", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % queries.len();
            lib.search(black_box(queries[i]), None, false, 20, dos)
        })
    });
}

criterion_group!(code_sets_benches, benches);
criterion_main!(code_sets_benches);
