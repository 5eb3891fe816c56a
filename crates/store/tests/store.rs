//! The store on SQLite and on PostgreSQL: the same tests, a fresh database each.

mod common;

use test_support::both;

use claim_model::{
    Adjustment, AdjustmentGroup, Cents, ClaimPayment, LinePayment, ProviderAdjustment, Remittance,
};
use common::{Fixture, d, small_practice, visit};
use ledger::lifecycle::ClaimState;
use ledger::{Balances, Party, PayerId};
use store::claims::{BatchedClaim, NewBatch};
use store::{Actor, Store};

fn actor() -> Actor {
    Actor::system("test")
}

fn no_drg(_: &claim_model::Claim) -> String {
    String::new()
}

/// Builds, marks clean and submits every coded encounter; returns the claims.
async fn submitted(s: &Store, f: &Fixture) -> Vec<store::claims::StoredClaim> {
    s.build_claims(&actor(), None, d("2026-06-30"), &no_drg).await.unwrap();
    let drafts = s.claims_in(&[ClaimState::Draft], None).await.unwrap();
    let results: Vec<(i64, String, bool)> =
        drafts.iter().map(|c| (c.id, "[]".to_string(), true)).collect();
    s.save_scrub(&actor(), &results).await.unwrap();
    let ready = s.claims_in(&[ClaimState::Ready], None).await.unwrap();
    let control = s.next_interchange_control(f.tp).await.unwrap();
    let batch = NewBatch {
        trading_partner_id: f.tp,
        date: d("2026-06-30"),
        interchange_control: control,
        kind: "837P".into(),
        file_name: "batch.837".into(),
        sha256: "x".into(),
        claims: ready
            .iter()
            .map(|c| BatchedClaim {
                claim_id: c.id,
                set_control: "0001".into(),
                group_control: control * 10 + 1,
            })
            .collect(),
    };
    s.record_batches(&actor(), f.org, &[batch]).await.unwrap();
    s.claims_in(&[ClaimState::Submitted], None).await.unwrap()
}

fn adj(group: &str, reason: &str, cents: i64) -> Adjustment {
    Adjustment::new(AdjustmentGroup::from_code(group).unwrap(), reason, Cents(cents))
}

fn clp(pcn: &str, status: &str, charge: i64, paid: i64, lines: Vec<LinePayment>) -> ClaimPayment {
    ClaimPayment {
        patient_control_number: pcn.into(),
        status: status.into(),
        charge: Cents(charge),
        paid: Cents(paid),
        patient_responsibility: Cents::ZERO,
        payer_claim_number: format!("PCN{pcn}").into(),
        filing_indicator: "MB".into(),
        patient: None,
        adjustments: vec![],
        lines,
    }
}

fn svc(code: &str, charge: i64, paid: i64, adjs: Vec<Adjustment>) -> LinePayment {
    LinePayment {
        procedure: code.into(),
        modifiers: vec![],
        billed_procedure: None,
        charge: Cents(charge),
        paid: Cents(paid),
        units: None,
        date: None,
        adjustments: adjs,
        remarks: vec![],
    }
}

fn remit(payer: &str, trace: &str, claims: Vec<ClaimPayment>, plb: i64) -> Remittance {
    let paid: i64 = claims.iter().map(|c| c.paid.0).sum();
    Remittance {
        payment: Cents(paid - plb),
        method: "ACH".into(),
        date: Some(d("2026-07-15")),
        trace: trace.into(),
        payer: ("Payer".into(), payer.into()),
        payee: ("Northside".into(), "1000000001".into()),
        payer_address: None,
        payee_address: None,
        claims,
        provider_adjustments: if plb == 0 {
            vec![]
        } else {
            vec![ProviderAdjustment {
                provider: "X".into(),
                date: None,
                reason: "WO".into(),
                reference: "R".into(),
                amount: Cents(plb),
            }]
        },
    }
}

both!(schema_opens_twice, async |db| {
    let s = db.store().await;
    let again = db.store().await;
    assert_eq!(s.count("practice").await.unwrap(), 0);
    assert_eq!(again.count("schema_version").await.unwrap(), 11, "each migration applied once");
});

// Migration 11 moved each claim's state, its dates, the payer's claim number and the findings
// out of the claim row: claims written by the older schema keep all of them, foreign keys to
// the claim still hold, and the `claim` readers see cannot be written to.
both!(claim_status_migration_keeps_each_claim, async |db| {
    let old = store::testing::open_at(&db.url, 10).await.unwrap();
    store::testing::run(
        &old,
        "INSERT INTO organization (id, name, kind, created_at) VALUES (1, 'Org', 'practice', 't');
         INSERT INTO practice (id, org_id, name, npi, tax_id, claim_prefix, created_at) VALUES (1, 1, 'P', '1234567893', '123456789', 'A', 't');
         INSERT INTO payer (id, org_id, name, payer_code) VALUES (1, 1, 'Payer', 'P1');
         INSERT INTO patient (id, practice_id, account, last_name, first_name, birth_date, sex, created_at) VALUES (1, 1, 'A1', 'DOE', 'JANE', '1980-01-01', 'F', 't');
         INSERT INTO coverage (id, patient_id, payer_id, rank, member_id, effective_from) VALUES (1, 1, 1, 1, 'M1', '2020-01-01');
         INSERT INTO encounter (id, practice_id, patient_id, kind, service_date, status, created_at) VALUES (1, 1, 1, 'professional', '2026-06-01', 'billed', 't');
         INSERT INTO claim (id, org_id, practice_id, patient_id, encounter_id, coverage_id, payer_id, rank, account_id, kind, pcn,
           payer_claim_number, state, total_cents, service_from, service_to, findings, submitted_at, state_at, created_at) VALUES
           (1, 1, 1, 1, 1, 1, 1, 1, 1, 'professional', 'A1', 'PCN-9', 'accepted', 12500, '2026-06-01', '2026-06-01', '[]', '2026-06-02', '2026-06-03T09:00:00.000Z', 't'),
           (2, 1, 1, 1, 1, 1, 1, 1, 2, 'professional', 'A2', '', 'scrubbed', 4000, '2026-06-01', '2026-06-01', '[{\"rule\":\"X-1\"}]', NULL, '2026-06-04T09:00:00.000Z', 't');
         INSERT INTO claim_body (claim_id, body) VALUES (1, '{}'), (2, '{}');",
    )
    .await
    .unwrap();
    old.close().await;
    let s = db.store().await;
    let rows = store::testing::texts(
        &s,
        "SELECT id || '|' || pcn || '|' || state || '|' || state_at || '|' || COALESCE(submitted_at, '-') \
         || '|' || payer_claim_number || '|' || findings || '|' || total_cents FROM claim ORDER BY id",
    )
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            "1|A1|accepted|2026-06-03T09:00:00.000Z|2026-06-02|PCN-9|[]|12500",
            "2|A2|scrubbed|2026-06-04T09:00:00.000Z|-||[{\"rule\":\"X-1\"}]|4000",
        ]
    );
    assert_eq!(s.count("claim_findings").await.unwrap(), 1, "no row for a claim without findings");
    let line = |claim: i64| {
        format!(
            "INSERT INTO claim_line (claim_id, line_no, units, charge_cents, service_date) VALUES ({claim}, 1, 1, 100, '2026-06-01')"
        )
    };
    store::testing::run(&s, &line(1)).await.unwrap();
    store::testing::run(&s, &line(99)).await.expect_err("a line of no claim is refused");
    store::testing::run(&s, "UPDATE claim SET state = 'closed' WHERE id = 1")
        .await
        .expect_err("the view is read-only");
});

both!(claims_are_built_once_from_coded_encounters, async |db| {
    let s = db.store().await;
    let f = small_practice(&s).await;
    let ids = s
        .create_encounters(
            &actor(),
            &[
                visit(&f, f.patients[0], "2026-06-01", &["99213", "85025"]),
                visit(&f, f.patients[1], "2026-06-02", &["99214"]),
                visit(&f, f.patients[2], "2026-06-03", &["99213"]),
            ],
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    let sum = s.build_claims(&actor(), Some(f.practice), d("2026-06-30"), &no_drg).await.unwrap();
    assert_eq!(sum.claims, 2);
    assert_eq!(sum.total_cents, 15000 + 5000 + 22000);
    assert!(sum.skipped.is_empty(), "{:?}", sum.skipped);
    // The uninsured patient's visit is billed to the patient: a self-pay claim, owed by the
    // patient, waiting for the statement (never submitted to a payer).
    assert_eq!((sum.self_pay, sum.self_pay_cents), (1, 15000));
    let self_pay = s.claims_in(&[ClaimState::PatientBilled], None).await.unwrap();
    assert_eq!(self_pay.len(), 1);
    assert_eq!(self_pay[0].claim.subscriber.filing_indicator, "09");
    let b = Balances::of(&s.journal(self_pay[0].id).await.unwrap());
    assert_eq!(b.by_party, vec![(Party::Patient, Cents(15000))]);
    let statements = s.statement_data(d("2026-06-30"), None).await.unwrap();
    assert!(statements.iter().any(|st| st.claims.iter().any(|c| c.claim_id == self_pay[0].id)));
    let drafts = s.claims_in(&[ClaimState::Draft], None).await.unwrap();
    assert_eq!(drafts.len(), 2);
    for c in &drafts {
        let pcn = c.claim.patient_control_number.as_str();
        assert!(pcn.starts_with("NF") && pcn.len() <= 17, "{pcn}");
        // Charges owed by the primary payer.
        let b = Balances::of(&s.journal(c.id).await.unwrap());
        assert_eq!(b.charges, c.claim.total_charge);
        assert_eq!(b.of_party(Party::Payer(PayerId(c.payer_id))), c.claim.total_charge);
    }
    assert_ne!(drafts[0].claim.patient_control_number, drafts[1].claim.patient_control_number);
    // The Medicare patient's claim names Medigap as the other payer.
    let medicare = drafts.iter().find(|c| c.payer_id == f.medicare).unwrap();
    assert_eq!(medicare.claim.other_payers.len(), 1);
    assert_eq!(medicare.claim.subscriber.filing_indicator, "MB");
    // Building again finds nothing new.
    let again = s.build_claims(&actor(), None, d("2026-06-30"), &no_drg).await.unwrap();
    assert_eq!(again.claims, 0);
    // Recoding a billed encounter is refused, with what to do, and queued.
    let dx = [("J06.9".to_string(), String::new())];
    let err = s.code_encounter(&actor(), ids[0], &dx, &[]).await.unwrap_err();
    assert!(err.to_string().contains("correct its claim (frequency 7)"), "{err}");
    let queued = s.suspense().await.unwrap();
    assert!(
        queued.iter().any(|q| q.1 == "edited_after_billing" && q.2.contains(&ids[0].to_string()))
    );
    // An unpriced code is refused whole.
    let bad =
        s.create_encounters(&actor(), &[visit(&f, f.patients[1], "2026-06-05", &["99215"])]).await;
    assert!(bad.unwrap_err().to_string().contains("no charge for 99215"));
    assert_eq!(s.count("encounter").await.unwrap(), 3);
});

both!(lifecycle_is_enforced_and_recorded, async |db| {
    let s = db.store().await;
    let f = small_practice(&s).await;
    s.create_encounter(&actor(), &visit(&f, f.patients[1], "2026-06-02", &["99214"]))
        .await
        .unwrap();
    s.build_claims(&actor(), None, d("2026-06-30"), &no_drg).await.unwrap();
    let c = &s.claims_in(&[ClaimState::Draft], None).await.unwrap()[0];
    let err = s.transition(&actor(), c.id, ClaimState::Submitted, "skip").await.unwrap_err();
    assert!(err.to_string().contains("cannot go from draft to submitted"), "{err}");
    s.transition(&actor(), c.id, ClaimState::Ready, "clean").await.unwrap();
    let h = s.claim_history(c.id).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!((h[1].2.as_str(), h[1].3.as_str(), h[1].4.as_str()), ("draft", "ready", "clean"));
    // A batch naming a claim that is not ready writes nothing.
    let mut other = visit(&f, f.patients[0], "2026-06-03", &["99213"]);
    other.coded = true;
    s.create_encounter(&actor(), &other).await.unwrap();
    s.build_claims(&actor(), None, d("2026-06-30"), &no_drg).await.unwrap();
    let draft = &s.claims_in(&[ClaimState::Draft], None).await.unwrap()[0];
    let batch = NewBatch {
        trading_partner_id: f.tp,
        date: d("2026-06-30"),
        interchange_control: 5,
        kind: "837P".into(),
        file_name: "b".into(),
        sha256: "s".into(),
        claims: vec![
            BatchedClaim { claim_id: c.id, set_control: "0001".into(), group_control: 51 },
            BatchedClaim { claim_id: draft.id, set_control: "0001".into(), group_control: 51 },
        ],
    };
    let err = s.record_batches(&actor(), f.org, &[batch]).await.unwrap_err();
    assert!(err.to_string().contains("not ready"), "{err}");
    assert_eq!(s.count("batch").await.unwrap(), 0);
    assert_eq!(s.claim(c.id).await.unwrap().state, ClaimState::Ready);
});

both!(posting_pays_moves_patient_share_and_is_idempotent, async |db| {
    let s = db.store().await;
    let f = small_practice(&s).await;
    s.create_encounters(
        &actor(),
        &[
            visit(&f, f.patients[0], "2026-06-01", &["99213", "85025"]),
            visit(&f, f.patients[1], "2026-06-02", &["99214"]),
        ],
    )
    .await
    .unwrap();
    let claims = submitted(&s, &f).await;
    let mc = claims.iter().find(|c| c.payer_id == f.medicare).unwrap();
    let ac = claims.iter().find(|c| c.payer_id == f.commercial).unwrap();
    let mpcn = mc.claim.patient_control_number.to_string();
    let apcn = ac.claim.patient_control_number.to_string();
    // Medicare pays the visit, writes off the contractual part, leaves coinsurance (to Medigap),
    // and denies the lab line.
    let medicare = remit(
        "MCRB1",
        "EFT1",
        vec![clp(
            &mpcn,
            "1",
            20000,
            8000,
            vec![
                svc("99213", 15000, 8000, vec![adj("CO", "45", 5000), adj("PR", "2", 2000)]),
                svc("85025", 5000, 0, vec![adj("CO", "97", 5000)]),
            ],
        )],
        0,
    );
    let sum = s
        .post_remittances(
            &actor(),
            f.org,
            "sha-1",
            "m.835",
            d("2026-07-16"),
            std::slice::from_ref(&medicare),
        )
        .await
        .unwrap();
    assert!(!sum.already_posted);
    assert_eq!((sum.claims_matched, sum.claims_unmatched), (1, 0));
    assert_eq!(
        (sum.paid_cents, sum.adjusted_cents, sum.patient_responsibility_cents),
        (8000, 5000, 2000)
    );
    assert!(sum.balanced);
    assert_eq!(sum.denials, 1);
    assert_eq!(s.claim(mc.id).await.unwrap().state, ClaimState::PartiallyPaid);
    let b = Balances::of(&s.journal(mc.id).await.unwrap());
    assert_eq!(b.total(), b.charges - b.payments - b.adjustments);
    assert_eq!(
        b.of_party(Party::Payer(PayerId(f.medigap))),
        Cents(2000),
        "coinsurance moves to the secondary payer"
    );
    assert_eq!(
        b.of_party(Party::Payer(PayerId(f.medicare))),
        Cents(5000),
        "the denied line stays with Medicare"
    );
    let denials = s.denials(None).await.unwrap();
    assert_eq!(denials.len(), 1);
    assert_eq!((denials[0].carc.as_str(), denials[0].category.as_str()), ("CO-97", "bundling"));
    assert_eq!(denials[0].deadline, "2026-11-12");
    let groups =
        store::reports::group_denials(denials.clone(), store::reports::DenialKey::Category);
    assert_eq!(groups.len(), 1);
    assert_eq!((groups[0].key.as_str(), groups[0].count, groups[0].cents), ("bundling", 1, 5000));

    // The same file again changes nothing.
    let before = s.count("journal").await.unwrap();
    let again = s
        .post_remittances(
            &actor(),
            f.org,
            "sha-1",
            "m.835",
            d("2026-07-17"),
            std::slice::from_ref(&medicare),
        )
        .await
        .unwrap();
    assert!(again.already_posted);
    assert_eq!(again.claims_matched, 0);
    assert_eq!(s.count("journal").await.unwrap(), before);
    // The same transaction set inside another file changes nothing either.
    let resent = s
        .post_remittances(
            &actor(),
            f.org,
            "sha-2",
            "copy.835",
            d("2026-07-17"),
            std::slice::from_ref(&medicare),
        )
        .await
        .unwrap();
    assert!(resent.already_posted);
    assert_eq!(s.count("journal").await.unwrap(), before);

    // A file with the commercial payment, an unknown claim, a reversal of it, and a PLB.
    let paid = clp(
        &apcn,
        "1",
        22000,
        18000,
        vec![svc("99214", 22000, 18000, vec![adj("CO", "45", 3000), adj("PR", "3", 1000)])],
    );
    let mut reversal = clp(
        &apcn,
        "22",
        -22000,
        -18000,
        vec![svc("99214", -22000, -18000, vec![adj("CO", "45", -3000), adj("PR", "3", -1000)])],
    );
    reversal.payer_claim_number = paid.payer_claim_number.clone();
    let unknown = clp("ZZ999", "1", 1000, 1000, vec![]);
    let r1 = remit("ACME1", "CHK77", vec![paid.clone(), unknown], 250);
    let sum = s
        .post_remittances(&actor(), f.org, "sha-3", "a.835", d("2026-07-20"), &[r1])
        .await
        .unwrap();
    assert_eq!((sum.claims_matched, sum.claims_unmatched), (1, 1));
    assert_eq!(sum.provider_adjustments_cents, 250);
    assert!(sum.balanced);
    assert_eq!(s.suspense().await.unwrap().len(), 1);
    let b = Balances::of(&s.journal(ac.id).await.unwrap());
    assert_eq!(b.of_party(Party::Patient), Cents(1000));
    assert_eq!(b.of_party(Party::Payer(PayerId(f.commercial))), Cents::ZERO);
    let r2 = remit("ACME1", "CHK78", vec![reversal], 0);
    let sum = s
        .post_remittances(&actor(), f.org, "sha-4", "rev.835", d("2026-07-21"), &[r2])
        .await
        .unwrap();
    assert_eq!(sum.claims_matched, 1);
    assert_eq!(s.claim(ac.id).await.unwrap().state, ClaimState::Reversed);
    let b = Balances::of(&s.journal(ac.id).await.unwrap());
    assert_eq!(
        b.of_party(Party::Payer(PayerId(f.commercial))),
        Cents(22000),
        "the reversal puts the claim back on the payer"
    );
    assert_eq!(b.of_party(Party::Patient), Cents::ZERO);

    // A deposit that does not balance is posted and flagged.
    let mut off = remit("ACME1", "CHK79", vec![], 0);
    off.payment = Cents(100);
    let sum = s
        .post_remittances(&actor(), f.org, "sha-5", "off.835", d("2026-07-22"), &[off])
        .await
        .unwrap();
    assert!(!sum.balanced);
    assert!(s.suspense().await.unwrap().iter().any(|x| x.1 == "deposit"));

    // Aging as of a date before the payments shows the charges only.
    let early = s.aging(d("2026-07-01"), None).await.unwrap();
    assert_eq!(early.total_cents, 20000 + 22000);
    assert_eq!(early.patient_cents, 0);
    let now = s.aging(d("2026-07-31"), None).await.unwrap();
    assert_eq!(now.total_cents, now.insurance_cents + now.patient_cents);
    assert_eq!(now.buckets.iter().map(|b| b.cents).sum::<i64>(), now.total_cents);
    assert_eq!(now.buckets[1].label, "31-60");

    // The patient pays by check; paying more than owed leaves a credit balance, which is
    // listed and refunded by an entry.
    assert!(s.credit_balances(None).await.unwrap().is_empty());
    let on = d("2026-08-03");
    s.patient_payment(&actor(), ac.id, 1500, "CHK-501", on).await.unwrap();
    let dup = s.patient_payment(&actor(), ac.id, 1500, "CHK-501", on).await.unwrap_err();
    assert!(dup.to_string().contains("already posted"), "{dup}");
    let credits = s.credit_balances(None).await.unwrap();
    assert_eq!(credits.len(), 1, "{credits:?}");
    assert_eq!(
        (credits[0].account_id, credits[0].party.as_str(), credits[0].cents),
        (ac.id, "patient", 1500)
    );
    assert_eq!(credits[0].pcn, apcn);
    assert!(s.credit_balances(Some(f.practice + 1000)).await.unwrap().is_empty());
    let too_much = s.refund(&actor(), ac.id, Party::Patient, 1600, on).await.unwrap_err();
    assert!(too_much.to_string().contains("less than the refund"), "{too_much}");
    assert!(s.refund(&actor(), ac.id, Party::Patient, 0, on).await.is_err());
    let entries = s.count("journal").await.unwrap();
    s.refund(&actor(), ac.id, Party::Patient, 1500, on).await.unwrap();
    assert_eq!(s.count("journal").await.unwrap(), entries + 1);
    assert!(s.credit_balances(None).await.unwrap().is_empty());
    let b = Balances::of(&s.journal(ac.id).await.unwrap());
    assert_eq!((b.of_party(Party::Patient), b.refunds), (Cents::ZERO, Cents(1500)));
    assert_eq!(b.total(), b.charges - b.payments - b.adjustments + b.refunds);
    assert!(s.patient_payment(&actor(), 999_999, 100, "", on).await.is_err());

    assert!(
        store::testing::journal_day_agrees(&s).await.unwrap(),
        "the aging sums agree with the journal"
    );
    assert!(store::testing::daily_figures_agree(&s).await.unwrap());
});

both!(journal_is_append_only, async |db| {
    let s = db.store().await;
    let f = small_practice(&s).await;
    s.create_encounter(&actor(), &visit(&f, f.patients[1], "2026-06-02", &["99214"]))
        .await
        .unwrap();
    s.build_claims(&actor(), None, d("2026-06-30"), &no_drg).await.unwrap();
    let url = db.url.clone();
    let err =
        store::testing::execute(&url, "UPDATE journal SET amount_cents = 0").await.unwrap_err();
    assert!(
        err.to_string().contains("correcting entry") || err.to_string().contains("append-only"),
        "{err}"
    );
    let err = store::testing::execute(&url, "DELETE FROM audit_log").await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
});
