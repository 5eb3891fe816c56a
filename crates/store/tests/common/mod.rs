//! The store tests' fixture: a small practice with payers, patients and a fee schedule.

#![allow(dead_code, unreachable_pub)]

use store::Store;
pub use test_support::npi;

/// What `small_practice` created.
pub struct Fixture {
    pub org: i64,
    pub practice: i64,
    pub provider: i64,
    pub tp: i64,
    pub medicare: i64,
    pub medigap: i64,
    pub commercial: i64,
    /// Patients: one with Medicare and a Medigap secondary, one commercial only, one uninsured.
    pub patients: [i64; 3],
}

pub fn d(s: &str) -> code_sets::Date {
    s.parse().unwrap()
}

pub async fn small_practice(s: &Store) -> Fixture {
    use store::setup::*;
    let actor = store::Actor::system("test");
    let org = s.create_organization("Test Billing LLC", "billing_service").await.unwrap();
    let practice = s
        .create_practice(
            &actor,
            &NewPractice {
                org_id: org,
                name: "Northside Family Medicine".into(),
                npi: npi(1),
                tax_id: "990000001".into(),
                taxonomy: "207Q00000X".into(),
                address: "1 Main St".into(),
                city: "Springfield".into(),
                state: "IL".into(),
                zip: "627010001".into(),
                claim_prefix: "NF".into(),
            },
        )
        .await
        .unwrap();
    let provider = s
        .create_provider(&NewProvider {
            practice_id: practice,
            npi: npi(2),
            last: "Rivera".into(),
            first: "Ana".into(),
            taxonomy: "207Q00000X".into(),
            roles: "rendering".into(),
        })
        .await
        .unwrap();
    let tp = s
        .create_trading_partner(&NewTradingPartner {
            org_id: org,
            name: "Clearinghouse".into(),
            isa_sender_id: "TESTSUBMITTER".into(),
            isa_receiver_id: "CLEARINGHOUSE".into(),
            gs_sender: "TESTSUBMITTER".into(),
            gs_receiver: "CLEARINGHOUSE".into(),
            submitter: (
                "Test Billing LLC".into(),
                "TB01".into(),
                "Billing Desk".into(),
                "5555550100".into(),
            ),
            receiver: ("Clearinghouse".into(), "CH01".into()),
            usage: "T".into(),
        })
        .await
        .unwrap();
    let payer = |name: &str, code: &str, fi: &str| NewPayer {
        org_id: org,
        name: name.into(),
        code: code.into(),
        filing_indicator: fi.into(),
        timely_filing_days: 365,
        appeal_days: 120,
        trading_partner_id: Some(tp),
    };
    let medicare = s.create_payer(&payer("Medicare Part B", "MCRB1", "MB")).await.unwrap();
    let medigap = s.create_payer(&payer("Medigap Plan G", "MGAP1", "CI")).await.unwrap();
    let commercial = s.create_payer(&payer("Acme Health", "ACME1", "CI")).await.unwrap();
    let mut patients = [0; 3];
    for (i, (last, first, birth, sex)) in [
        ("Testperson", "Alpha", "1950-03-04", "F"),
        ("Sample", "Bravo", "1985-07-09", "M"),
        ("Example", "Charlie", "1990-01-02", "M"),
    ]
    .iter()
    .enumerate()
    {
        patients[i] = s
            .create_patient(
                &actor,
                &NewPatient {
                    practice_id: practice,
                    account: format!("ACC{i}"),
                    last: (*last).into(),
                    first: (*first).into(),
                    birth_date: Some(d(birth)),
                    sex: (*sex).into(),
                    address: "2 Elm St".into(),
                    city: "Springfield".into(),
                    state: "IL".into(),
                    zip: "62701".into(),
                    guarantor_id: None,
                },
            )
            .await
            .unwrap();
    }
    let cov = |patient, payer, rank, member: &str| NewCoverage {
        patient_id: patient,
        payer_id: payer,
        rank,
        member_id: member.into(),
        relationship: "18".into(),
        effective_from: Some(d("2025-01-01")),
        ..Default::default()
    };
    s.create_coverage(&actor, &cov(patients[0], medicare, 1, "1EG4TE5MK72")).await.unwrap();
    s.create_coverage(&actor, &cov(patients[0], medigap, 2, "MG0001")).await.unwrap();
    s.create_coverage(&actor, &cov(patients[1], commercial, 1, "ACM0002")).await.unwrap();
    for (code, cents) in [("99213", 15000), ("99214", 22000), ("85025", 5000), ("36415", 1500)] {
        s.set_fee(practice, code, "", cents).await.unwrap();
    }
    Fixture { org, practice, provider, tp, medicare, medigap, commercial, patients }
}

/// A coded office visit for a patient on a date, priced from the fee schedule.
pub fn visit(
    f: &Fixture,
    patient: i64,
    date: &str,
    codes: &[&str],
) -> store::encounters::NewEncounter {
    store::encounters::NewEncounter {
        practice_id: f.practice,
        patient_id: patient,
        kind: "professional".into(),
        service_date: Some(d(date)),
        rendering_id: Some(f.provider),
        diagnoses: vec![("E11.9".into(), String::new()), ("I10".into(), String::new())],
        charges: codes
            .iter()
            .map(|c| store::encounters::NewCharge {
                code: (*c).into(),
                units: 1000,
                ..Default::default()
            })
            .collect(),
        coded: true,
        ..Default::default()
    }
}
