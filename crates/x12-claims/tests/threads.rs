//! Validation and the typed 837 read on several threads give the same result, in the same order,
//! as on one, and the borrowed views hold the same claims as the owned read: on a synthetic batch of many transaction sets with errors sprinkled in, and on
//! every sample file of `../shared/x12-samples/` when present.

use std::path::Path;

#[path = "../../x12/benches/common/mod.rs"]
mod corpus;

fn same_on_any_thread_count(name: &str, src: &[u8]) {
    let one = format!("{:#?}", x12_claims::validate_threads(src, 5, None, 1));
    for threads in [2, 3] {
        let many = format!("{:#?}", x12_claims::validate_threads(src, 5, None, threads));
        assert!(one == many, "{name}: {threads} threads give another report");
    }
    let one = format!("{:#?}", x12_claims::read_837_threads(src, 1));
    // The streaming reader (from an io::Read, one set in memory) gives the same claims and
    // findings, in the same order.
    let mut streamed = Vec::new();
    let findings = x12_claims::read_837_each(src, |c| streamed.push(c)).expect("in memory");
    assert_eq!(format!("{:#?}", (streamed, findings)), one, "{name}: read_837_each");
    for threads in [2, 3] {
        let many = format!("{:#?}", x12_claims::read_837_threads(src, threads));
        assert!(one == many, "{name}: {threads} threads read other claims");
    }
    // The borrowed views hold the same claims, collected or handed on batch by batch.
    if x12::is_utf16(src) {
        return;
    }
    for threads in [1, 2, 3] {
        let (batches, findings) = x12_claims::read_837_views(src, threads);
        let claims: Vec<_> =
            batches.iter().flat_map(|b| b.claims().map(|c| c.to_claim())).collect();
        let viewed = format!("{:#?}", (claims, findings));
        assert!(one == viewed, "{name}: views on {threads} threads hold other claims");
        let mut claims = Vec::new();
        let findings = x12_claims::read_837_views_each(src, threads, |batch| {
            claims.extend(batch.claims().map(|c| c.to_claim()))
        });
        let each = format!("{:#?}", (claims, findings));
        assert!(one == each, "{name}: views one batch at a time on {threads} threads differ");
    }
}

#[test]
fn a_batch_with_errors_reports_the_same_on_any_thread_count() {
    let clean = String::from_utf8(corpus::corpus(256 << 10)).unwrap();
    // Every seventh set breaks in its own way: a bad date, a wrong total, a missing segment, an
    // envelope count.
    let mut out = String::new();
    for (i, set) in clean.split_inclusive("~\nSE*").enumerate() {
        let set = match i % 7 {
            1 => set.replacen("DTP*472*D8*20260105", "DTP*472*D8*20261305", 1),
            2 => set.replacen("CLM*PAT0001*150", "CLM*PAT0001*151", 1),
            3 => set.replacen("N3*1 ELM ST~\n", "", 1),
            _ => set.to_string(),
        };
        out.push_str(&set);
    }
    let out = out.replacen("SE*26*0005~", "SE*25*0005~", 1);
    let report = x12_claims::validate_threads(out.as_bytes(), 5, None, 1);
    assert!(report.transactions.len() > 200, "{}", report.transactions.len());
    let failing = report.transactions.iter().filter(|t| !t.issues.is_empty()).count();
    assert!(failing > 80, "{failing} sets with errors");
    let (claims, _) = x12_claims::read_837_threads(out.as_bytes(), 2);
    assert_eq!(claims.len(), report.transactions.len());
    same_on_any_thread_count("synthetic batch", out.as_bytes());
}

#[test]
fn batches_of_many_claims_per_set_report_the_same_on_any_thread_count() {
    let batch = corpus::batch_corpus(256 << 10, 40);
    let report = x12_claims::validate_threads(&batch, 5, None, 2);
    assert!(report.valid(), "{:#?}", report.transactions.iter().find(|t| !t.issues.is_empty()));
    let (claims, findings) = x12_claims::read_837_threads(&batch, 2);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(claims.len(), report.transactions.len() * 40);
    same_on_any_thread_count("batch of 40 claims per set", &batch);
}

#[test]
fn claims_are_written_the_same_on_any_thread_count() {
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
    // One subscriber level of ~1,700 claims, and ~2,400 claims with a level each: both are cut
    // into several runs.
    for src in [corpus::corpus(1 << 20), corpus::batch_corpus(1 << 20, 30)] {
        let (claims, _) = x12_claims::read_837_threads(&src, 1);
        assert!(claims.len() > 1500, "{}", claims.len());
        let d = x12::Delimiters::default();
        let one = x12_claims::write_837_threads(&claims, &sub, d, 1);
        for threads in [2, 3] {
            let many = x12_claims::write_837_threads(&claims, &sub, d, threads);
            assert!(one == many, "{threads} threads write other bytes");
        }
        let report = x12_claims::validate(&one, 4);
        assert!(report.valid(), "{:#?}", report.transactions[0].issues.first());
        assert_eq!(x12_claims::read_837(&one).0.len(), claims.len());
    }
}

#[test]
fn samples_report_the_same_on_any_thread_count() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/x12-samples");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/x12-samples is not present");
        return;
    }
    let mut n = 0;
    for dir in std::fs::read_dir(&root).unwrap().flatten().filter(|d| d.path().is_dir()) {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let src = std::fs::read(f.path()).unwrap();
            same_on_any_thread_count(&f.path().display().to_string(), &src);
            n += 1;
        }
    }
    assert!(n > 0);
}
