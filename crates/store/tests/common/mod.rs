//! A fresh database of each kind for every test: SQLite in a temporary directory, and a new
//! PostgreSQL database on the server named by `SUPERBILL_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the test ends. No mocks.

#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

use store::Store;

static N: AtomicU32 = AtomicU32::new(0);

/// The PostgreSQL server the tests use.
pub fn pg_admin_url() -> String {
    std::env::var("SUPERBILL_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A test database.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("superbill.db").display());
        TestDb { url, pg_name: None, _dir: Some(dir) }
    }

    pub async fn postgres() -> TestDb {
        let name = format!(
            "sbtest_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let admin = pg_admin_url();
        sqlx::any::install_default_drivers();
        let mut conn =
            <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.unwrap_or_else(|e| {
                panic!("PostgreSQL at {admin} (set SUPERBILL_TEST_PG; .ci/run starts one): {e}")
            });
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
        TestDb { url: format!("{base}/{name}"), pg_name: Some(name), _dir: None }
    }

    pub async fn store(&self) -> Store {
        Store::open(&self.url).await.unwrap()
    }

    pub async fn finish(self) {
        if let Some(name) = &self.pg_name {
            let mut conn =
                <sqlx::AnyConnection as sqlx::Connection>::connect(&pg_admin_url()).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}

/// Runs a test body on a fresh SQLite and a fresh PostgreSQL database.
pub async fn on(kind: &str, body: impl AsyncFnOnce(&TestDb)) {
    let db = if kind == "sqlite" { TestDb::sqlite().await } else { TestDb::postgres().await };
    body(&db).await;
    db.finish().await;
}

/// `both!(name, async |db| { … })`: the test on each database.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::common::on("sqlite", $body).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::common::on("postgres", $body).await;
            }
        }
    };
}

pub fn _unused<F: Future>(_: F) {}

/// A valid NPI (Luhn check digit with the 80840 prefix) from eight digits after a leading 1.
pub fn npi(n: u32) -> String {
    let first9 = format!("1{:08}", n % 100_000_000);
    let bytes: [u8; 9] = first9.as_bytes().try_into().unwrap();
    format!("{first9}{}", claim_model::Npi::check_digit(&bytes) as char)
}

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
