//! What posting costs in memory, without a database: one 835 CLP (two lines, contractual
//! adjustment, coinsurance, a denied line) turned into journal entries, and balances derived
//! from a claim's entries.
//!
//! `cargo bench -p ledger --bench posting`

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use claim_model::{Adjustment, AdjustmentGroup, Cents, ClaimPayment, LinePayment};
use code_sets::Date;
use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use ledger::posting::{ClaimToPost, LineToPost, post_claim};
use ledger::{Balances, Party, PayerId};

fn adj(group: &str, reason: &str, cents: i64) -> Adjustment {
    Adjustment::new(AdjustmentGroup::from_code(group).unwrap(), reason, Cents(cents))
}

fn svc(code: &str, charge: i64, paid: i64, adjustments: Vec<Adjustment>) -> LinePayment {
    LinePayment {
        procedure: code.into(),
        modifiers: vec![],
        billed_procedure: None,
        charge: Cents(charge),
        paid: Cents(paid),
        units: None,
        date: None,
        adjustments,
        remarks: vec![],
    }
}

fn bench(c: &mut Criterion) {
    let lines = vec![
        LineToPost { procedure: "99214".into(), charge: Cents(22_000), ..Default::default() },
        LineToPost { procedure: "93000".into(), charge: Cents(6_000), ..Default::default() },
    ];
    let pay = ClaimPayment {
        patient_control_number: "NFM0000042".into(),
        status: "1".into(),
        charge: Cents(28_000),
        paid: Cents(14_080),
        patient_responsibility: Cents(3_520),
        payer_claim_number: "MC123".into(),
        filing_indicator: "MB".into(),
        patient: None,
        adjustments: vec![],
        lines: vec![
            svc("99214", 22_000, 14_080, vec![adj("CO", "45", 4_400), adj("PR", "2", 3_520)]),
            svc("93000", 6_000, 0, vec![adj("CO", "97", 6_000)]),
        ],
    };
    let claim =
        ClaimToPost { payer: PayerId(1), rank: 1, next: Party::Payer(PayerId(2)), lines: &lines };
    let day = Date::from_ymd(2026, 7, 1).unwrap();
    let mut g = c.benchmark_group("ledger");
    g.throughput(Throughput::Elements(1));
    g.bench_function("post one CLP", |b| {
        b.iter(|| post_claim(black_box(&claim), black_box(&pay), day))
    });
    let entries = post_claim(&claim, &pay, day).entries;
    g.bench_function("balances of a claim", |b| b.iter(|| Balances::of(black_box(&entries))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
