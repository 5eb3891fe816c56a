//! The whole billing cycle, end to end, on SQLite and on PostgreSQL: the demo billing service →
//! claims built → scrubbed against the sample code-set release → one 837 batch written → the
//! test payer's 999 and 277CA imported → its 835 (pays, adjusts, denies) posted, twice →
//! reversals → secondary claims with COB loops, crossovers → statements → aging.

use backoffice::demo::{Size, seed};
use backoffice::{payer, statements, work};
use code_sets::Date;
use ledger::lifecycle::ClaimState;
use ledger::{Balances, Party};
use store::{Actor, Store};
use test_support::{both, sample_library};

fn today() -> Date {
    "2026-06-15".parse().unwrap()
}

async fn total_balance(s: &Store, ids: &[i64]) -> (i64, i64) {
    let (mut total, mut patient) = (0, 0);
    for id in ids {
        let b = Balances::of(&s.journal(*id).await.unwrap());
        total += b.total().0;
        patient += b.of_party(Party::Patient).0;
    }
    (total, patient)
}

both!(the_billing_cycle, async |db| {
    let s = db.store().await;
    let actor = Actor::system("biller");
    let tmp = tempfile::tempdir().unwrap();
    let seeded =
        seed(&s, &actor, today(), Size { patients: 60, days: 30, stays: 3 }).await.unwrap();
    assert_eq!(seeded.patients, 60);
    assert!(seeded.visits >= 54, "{seeded:?}");
    assert_eq!(seeded.stays, 3);
    assert!(seed(&s, &actor, today(), Size::default()).await.is_err(), "seeding twice is refused");

    // Build: draft claims for payers; self-pay visits billed to the patient.
    // A stand-in grouper: every stay groups to DRG 871 (the 837I reports it in HI DR).
    let built = s.build_claims(&actor, None, today(), &|_| "871".to_string()).await.unwrap();
    assert!(built.claims > 40, "{built:?}");
    assert!(built.skipped.is_empty(), "{:?}", built.skipped);
    assert!(built.self_pay > 0, "the demo's uninsured patients are billed to themselves");

    // Scrub against the sample release.
    let lib = sample_library(&tmp.path().join("data"));
    let cx = scrub::Context::new(&lib, today());
    let scrubbed =
        work::scrub_claims(&s, &actor, None, &cx, &scrub::Scrubber::default()).await.unwrap();
    assert_eq!(scrubbed.claims, built.claims);
    assert_eq!(scrubbed.ready, built.claims, "demo claims scrub clean: {:?}", scrubbed.by_rule);

    // Submit: one file, a valid 837.
    let out = tmp.path().join("batch.837");
    let sub = work::submit(&s, &actor, None, &out, work::stamp(today(), "0900")).await.unwrap();
    assert_eq!(sub.claims, built.claims);
    assert_eq!(sub.interchanges, 1);
    let batch = std::fs::read(&out).unwrap();
    let report = x12_claims::validate(&batch, 4);
    let issues: Vec<String> = report
        .issues
        .iter()
        .chain(report.transactions.iter().flat_map(|t| &t.issues))
        .take(5)
        .map(|i| format!("{} {}", i.finding.rule, i.finding.message))
        .collect();
    assert!(report.valid(), "{issues:?}");
    let (claims, _) = x12_claims::read_837(&batch);
    assert_eq!(claims.len(), built.claims);
    assert!(claims.iter().any(|c| c.kind == claim_model::ClaimKind::Institutional));
    for c in &claims {
        let drg = if c.kind == claim_model::ClaimKind::Institutional { "871" } else { "" };
        assert_eq!(c.drg, drg, "{}", c.patient_control_number);
    }
    let text = String::from_utf8_lossy(&batch);
    assert!(text.contains("HI*DR"));
    // Nothing is left to submit; submitting again writes no file.
    let again =
        work::submit(&s, &actor, None, &tmp.path().join("again.837"), work::stamp(today(), "0901"))
            .await
            .unwrap();
    assert_eq!(again.claims, 0);
    assert!(!tmp.path().join("again.837").exists());

    // 999 and 277CA from the payer side.
    let ack = tmp.path().join("batch.999");
    std::fs::write(&ack, payer::answer_999(&batch, today()).unwrap()).unwrap();
    let a = work::import_ack(&s, &actor, &ack).await.unwrap();
    assert_eq!((a.accepted, a.rejected, a.unmatched), (built.claims, 0, 0), "{:?}", a.notes);
    assert!(work::import_ack(&s, &actor, &ack).await.unwrap().already_imported);
    let ca = tmp.path().join("batch.277");
    std::fs::write(&ca, payer::answer_277ca(&batch, today()).unwrap()).unwrap();
    let a = work::import_ack(&s, &actor, &ca).await.unwrap();
    assert_eq!(a.unmatched, 0, "{:?}", a.notes);
    // One claim rejected after all (twice: it counts once against the first pass).
    let bounced = s.claim_by_pcn(&claims[0].patient_control_number).await.unwrap();
    for to in [ClaimState::Rejected, ClaimState::Accepted, ClaimState::Rejected] {
        s.transition(&actor, bounced, to, "277CA from the payer's front end").await.unwrap();
    }
    let paid_on: Date = "2026-07-01".parse().unwrap();
    let remits = payer::remittances(&claims, paid_on, "EFT");
    let era = tmp.path().join("batch.835");
    std::fs::write(
        &era,
        x12_claims::write_835(&remits, &payer::submission(501, paid_on), Default::default()),
    )
    .unwrap();
    let posted = work::post_835(&s, &actor, &era, paid_on).await.unwrap();
    assert!(!posted.already_posted);
    assert_eq!(posted.claims_matched, built.claims, "{:?}", posted.notes);
    assert_eq!(posted.claims_unmatched, 0);
    assert!(posted.balanced);
    assert!(posted.denials > 0);
    let expected_paid: i64 = remits.iter().flat_map(|r| &r.claims).map(|c| c.paid.0).sum();
    assert_eq!(posted.paid_cents, expected_paid);
    let expected_deposits: i64 = remits.iter().map(|r| r.payment.0).sum();
    assert_eq!(posted.paid_cents - posted.provider_adjustments_cents, expected_deposits);
    let journal_rows = s.count("journal").await.unwrap();
    let twice = work::post_835(&s, &actor, &era, paid_on).await.unwrap();
    assert!(twice.already_posted);
    assert_eq!(
        s.count("journal").await.unwrap(),
        journal_rows,
        "the same 835 twice changes nothing"
    );
    for state in [ClaimState::Paid, ClaimState::Denied] {
        assert!(!s.claims_in(&[state], None).await.unwrap().is_empty(), "some claims {state:?}");
    }
    assert!(!s.denials(None).await.unwrap().is_empty());
    // The daily figures: every claim submitted today, one rejected since, every one adjudicated
    // on the payment date, and those with a denial denied.
    let k = s.key_figures(paid_on, 30, None).await.unwrap();
    let n = built.claims as i64;
    assert_eq!((k.claims_submitted, k.claims_accepted_first_pass), (n, n - 1));
    let mut denied: Vec<i64> = s.denials(None).await.unwrap().iter().map(|d| d.claim_id).collect();
    denied.sort_unstable();
    denied.dedup();
    assert_eq!((k.claims_adjudicated, k.claims_denied), (n, denied.len() as i64));
    assert_eq!(k.payments_cents, expected_paid);
    assert_eq!(k.ar_cents, s.aging(paid_on, None).await.unwrap().total_cents);
    // Several periods at once: each one's A/R is the aging's on its last day.
    let ends = [today(), "2026-06-25".parse().unwrap(), paid_on];
    for p in s.periods(None, &ends, 30).await.unwrap() {
        let aged = s.aging(p.as_of.parse().unwrap(), None).await.unwrap().total_cents;
        assert_eq!(p.ar_cents, aged, "{}", p.as_of);
    }
    let before = s.key_figures(today(), 1, None).await.unwrap();
    assert_eq!(
        (before.claims_submitted, before.claims_adjudicated, before.payments_cents),
        (n, 0, 0)
    );

    // A reversal and corrected payment of two paid claims.
    let paid_pcns: Vec<String> = remits
        .iter()
        .flat_map(|r| &r.claims)
        .filter(|c| c.status == "1" && c.paid.0 > 0)
        .take(2)
        .map(|c| c.patient_control_number.to_string())
        .collect();
    let refs: Vec<&str> = paid_pcns.iter().map(String::as_str).collect();
    let the_remit = remits
        .iter()
        .find(|r| r.claims.iter().any(|c| c.patient_control_number == refs[0]))
        .unwrap();
    let rev = payer::reverse(the_remit, &refs, "2026-07-08".parse().unwrap(), "REV1");
    let rev_file = tmp.path().join("rev.835");
    std::fs::write(
        &rev_file,
        x12_claims::write_835(&[rev], &payer::submission(502, paid_on), Default::default()),
    )
    .unwrap();
    let r = work::post_835(&s, &actor, &rev_file, "2026-07-08".parse().unwrap()).await.unwrap();
    assert!(r.claims_matched >= 2, "{:?}", r.notes);
    assert_eq!(r.claims_unmatched, 0, "{:?}", r.notes);

    // Secondary claims for Medigap, crossovers for Medicare's forwarded claims.
    let second = s.build_secondary_claims(&actor, "2026-07-09".parse().unwrap()).await.unwrap();
    let forwarded = s.claims_in(&[ClaimState::Forwarded], None).await.unwrap();
    let xo = payer::crossovers(&claims, &remits, "2026-07-10".parse().unwrap(), "XO");
    if !xo.is_empty() {
        let f = tmp.path().join("xo.835");
        std::fs::write(
            &f,
            x12_claims::write_835(&xo, &payer::submission(503, paid_on), Default::default()),
        )
        .unwrap();
        let p = work::post_835(&s, &actor, &f, "2026-07-10".parse().unwrap()).await.unwrap();
        assert_eq!(p.claims_unmatched, 0, "{:?}", p.notes);
        assert!(p.claims_closed > 0, "a crossover that pays the rest closes the claim");
    }
    assert!(
        second.claims > 0 && !forwarded.is_empty() && !xo.is_empty(),
        "both ways to the secondary payer happen"
    );
    assert!(
        !forwarded.is_empty() || second.claims > 0,
        "the demo has Medicare patients with Medigap"
    );
    if second.claims > 0 {
        let drafts = s.claims_in(&[ClaimState::Draft], None).await.unwrap();
        assert_eq!(drafts.len(), second.claims);
        for c in &drafts {
            assert_eq!(c.claim.subscriber.payer_responsibility, 'S');
            assert_eq!(c.claim.other_payers.len(), 1);
            assert!(
                c.claim.other_payers[0].paid.is_some(),
                "COB loop carries the primary's payment"
            );
        }
        work::scrub_claims(&s, &actor, None, &cx, &scrub::Scrubber::default()).await.unwrap();
        let out2 = tmp.path().join("secondary.837");
        let sub2 = work::submit(
            &s,
            &actor,
            None,
            &out2,
            work::stamp("2026-07-09".parse().unwrap(), "0900"),
        )
        .await
        .unwrap();
        assert_eq!(sub2.claims, second.claims);
        let b2 = std::fs::read(&out2).unwrap();
        let r = x12_claims::validate(&b2, 4);
        let issues: Vec<String> = r
            .transactions
            .iter()
            .flat_map(|t| &t.issues)
            .take(5)
            .map(|i| i.finding.message.clone())
            .collect();
        assert!(r.valid(), "the secondary 837 with its COB loops: {issues:?}");
        let (c2, _) = x12_claims::read_837(&b2);
        let r2 = payer::remittances(&c2, "2026-07-20".parse().unwrap(), "SEC");
        let f2 = tmp.path().join("secondary.835");
        std::fs::write(
            &f2,
            x12_claims::write_835(&r2, &payer::submission(504, paid_on), Default::default()),
        )
        .unwrap();
        let p2 = work::post_835(&s, &actor, &f2, "2026-07-20".parse().unwrap()).await.unwrap();
        assert_eq!(p2.claims_matched, second.claims, "{:?}", p2.notes);
    }

    // Statements: only claims insurance is done with; each guarantor once.
    let st = statements::write_all(
        &s,
        &actor,
        "2026-07-31".parse().unwrap(),
        None,
        &tmp.path().join("statements"),
    )
    .await
    .unwrap();
    assert!(st.statements > 0);
    assert_eq!(st.files.len(), st.statements * 3);
    let pdf = std::fs::read(st.files.iter().find(|f| f.ends_with(".pdf")).unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let html =
        std::fs::read_to_string(st.files.iter().find(|f| f.ends_with(".html")).unwrap()).unwrap();
    assert!(html.contains("Amount due"));
    assert!(!s.claims_in(&[ClaimState::PatientBilled], None).await.unwrap().is_empty());
    let again = statements::write_all(
        &s,
        &actor,
        "2026-07-31".parse().unwrap(),
        None,
        &tmp.path().join("statements2"),
    )
    .await
    .unwrap();
    assert_eq!(
        again.total_due_cents, st.total_due_cents,
        "statements show what is owed, whether sent before or not"
    );

    // Closed claims are exactly those whose account owes nothing; a patient paying a
    // statement's balance closes the claim.
    let closed = s.claims_in(&[ClaimState::Closed], None).await.unwrap();
    assert!(!closed.is_empty(), "claims paid in full close");
    for c in closed {
        assert!(Balances::of(&s.journal(c.id).await.unwrap()).by_party.is_empty());
    }
    let mut owed_by_patient = None;
    for c in s.claims_in(&[ClaimState::PatientBilled], None).await.unwrap() {
        let b = Balances::of(&s.journal(c.id).await.unwrap());
        if let [(Party::Patient, owed)] = b.by_party.as_slice() {
            owed_by_patient = Some((c.id, owed.0));
            break;
        }
    }
    let (id, owed) = owed_by_patient.expect("a claim only the patient owes on");
    let on: Date = "2026-08-05".parse().unwrap();
    s.patient_payment(&actor, id, owed - 1, "RCPT-1", on).await.unwrap();
    assert_eq!(s.claim(id).await.unwrap().state, ClaimState::PatientBilled, "a cent is owed");
    s.patient_payment(&actor, id, 1, "RCPT-2", on).await.unwrap();
    assert_eq!(s.claim(id).await.unwrap().state, ClaimState::Closed);
    let history = s.claim_history(id).await.unwrap();
    assert!(history.iter().any(|e| e.3 == "closed" && e.4.contains("settled")), "{history:?}");

    // Aging agrees with the journal, claim by claim.
    let all: Vec<i64> =
        s.claims_in(&ledger::lifecycle::ALL, None).await.unwrap().iter().map(|c| c.id).collect();
    let (total, patient) = total_balance(&s, &all).await;
    let aging = s.aging(on, None).await.unwrap();
    assert_eq!(aging.total_cents, total);
    assert_eq!(aging.total_cents, aging.insurance_cents + aging.patient_cents);
    assert_eq!(aging.buckets.iter().map(|b| b.cents).sum::<i64>(), aging.total_cents);
    assert_eq!(aging.patient_cents, patient);
    assert!(
        store::testing::journal_day_agrees(&s).await.unwrap(),
        "the aging sums agree with the journal"
    );
    assert!(
        store::testing::daily_figures_agree(&s).await.unwrap(),
        "the daily figures agree with the records"
    );
});

both!(two_builds_at_once_bill_each_encounter_once, async |db| {
    // Two billers (two processes: two stores, two connection pools) build claims at the same
    // moment: the second waits for the first and finds nothing left to bill.
    let (a, b) = (db.store().await, db.store().await);
    let actor = Actor::system("biller");
    seed(&a, &actor, today(), Size { patients: 60, days: 30, stays: 3 }).await.unwrap();
    let none = |_: &claim_model::Claim| String::new();
    let (x, y) = tokio::join!(
        a.build_claims(&actor, None, today(), &none),
        b.build_claims(&actor, None, today(), &none)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    let built = x.claims + x.self_pay + y.claims + y.self_pay;
    assert!(built > 50, "{x:?} {y:?}");
    assert_eq!(a.count("claim").await.unwrap(), built as i64);
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url).await.unwrap();
    let twice =
        sqlx::query("SELECT encounter_id FROM claim GROUP BY encounter_id HAVING COUNT(*) > 1")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert!(twice.is_empty(), "{} encounters billed twice", twice.len());
});
