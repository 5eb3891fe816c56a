//! The back office's command-line contract, on SQLite and on PostgreSQL (`--db URL`): demo seed →
//! claims build/scrub/submit → the test payer's 999 and 835 → ack import → remit post --json
//! (twice) → ar aging --json → statements; and bad input.

mod common;

use common::{Env, repo};
use serde_json::Value;
use test_support::TestDb;

fn with_db(kind: &str, body: impl FnOnce(&Env, &str)) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let env = Env::new();
    let db = if kind == "sqlite" {
        rt.block_on(TestDb::sqlite())
    } else {
        rt.block_on(TestDb::postgres())
    };
    body(&env, &db.url);
    rt.block_on(db.finish());
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn cycle(env: &Env, db: &str) {
    let sample = repo("fixtures/sample").display().to_string();
    env.ok(&["data", "import", &sample]);
    let seeded =
        env.json(&["demo", "seed", "--db", db, "--patients", "40", "--stays", "2", "--json"], 0);
    assert_eq!(seeded["patients"], 40);
    let built = env.json(&["claims", "build", "--db", db, "--json"], 0);
    let n = built["claims"].as_u64().unwrap();
    assert!(n > 30, "{built}");
    let scrubbed = env.json(&["claims", "scrub", "--db", db, "--json"], 0);
    assert_eq!(scrubbed["ready"].as_u64(), Some(n), "{scrubbed}");
    let batch = env.dir.path().join("batch.837");
    let b = batch.display().to_string();
    let sub = env.json(&["claims", "submit", "--out", &b, "--db", db, "--json"], 0);
    assert_eq!(sub["claims"].as_u64(), Some(n));
    assert!(std::fs::read(&batch).unwrap().starts_with(b"ISA*"));
    // Nothing is ready any more: exit 1, no file.
    let again = env.dir.path().join("again.837");
    let o = env.run(&["claims", "submit", "--out", &again.display().to_string(), "--db", db]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!again.exists());

    let payer = env.dir.path().join("payer");
    env.ok(&[
        "demo",
        "payer",
        &b,
        "--out",
        &payer.display().to_string(),
        "--paid-on",
        "2026-06-20",
    ]);
    let ack = env.json(
        &["ack", "import", &payer.join("batch.999").display().to_string(), "--db", db, "--json"],
        0,
    );
    assert_eq!(ack["accepted"].as_u64(), Some(n));
    let era = payer.join("batch.835").display().to_string();
    let posted = env.json(&["remit", "post", &era, "--db", db, "--json"], 0);
    for k in [
        "already_posted",
        "claims_matched",
        "claims_unmatched",
        "paid_cents",
        "adjusted_cents",
        "patient_responsibility_cents",
        "provider_adjustments_cents",
        "balanced",
    ] {
        assert!(posted.get(k).is_some(), "remit post --json lacks {k}: {posted}");
    }
    assert_eq!(posted["already_posted"], false);
    assert_eq!(posted["claims_matched"].as_u64(), Some(n));
    assert_eq!(posted["claims_unmatched"], 0);
    assert_eq!(posted["balanced"], true);
    assert!(posted["paid_cents"].as_i64().unwrap() > 0);
    let twice = env.json(&["remit", "post", &era, "--db", db, "--json"], 0);
    assert_eq!(twice["already_posted"], true);
    assert_eq!(twice["claims_matched"], 0);
    assert_eq!(twice["paid_cents"], 0);

    let aging = env.json(&["ar", "aging", "--db", db, "--json", "--as-of", "2026-07-01"], 0);
    for k in ["as_of", "total_cents", "insurance_cents", "patient_cents", "buckets", "by_payer"] {
        assert!(keys(&aging).contains(&k.to_string()), "ar aging --json lacks {k}: {aging}");
    }
    assert_eq!(aging["as_of"], "2026-07-01");
    let buckets = aging["buckets"].as_array().unwrap();
    let labels: Vec<&str> = buckets.iter().map(|b| b["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["0-30", "31-60", "61-90", "91-120", "120+"]);
    let sum: i64 = buckets.iter().map(|b| b["cents"].as_i64().unwrap()).sum();
    assert_eq!(sum, aging["total_cents"].as_i64().unwrap());
    assert_eq!(
        aging["total_cents"].as_i64().unwrap(),
        aging["insurance_cents"].as_i64().unwrap() + aging["patient_cents"].as_i64().unwrap()
    );
    let by_payer: i64 =
        aging["by_payer"].as_array().unwrap().iter().map(|p| p["cents"].as_i64().unwrap()).sum();
    assert_eq!(by_payer, aging["insurance_cents"].as_i64().unwrap());
    assert!(aging["by_payer"][0]["payer"].is_string());

    let dir = env.dir.path().join("statements");
    let st =
        env.json(&["statements", "--out", &dir.display().to_string(), "--db", db, "--json"], 0);
    assert!(st["statements"].as_u64().unwrap() > 0, "{st}");
    assert!(std::fs::read_dir(&dir).unwrap().count() >= 3);

    // Bad input: a 999 given to remit post, an unreadable file, an 835 for claims never sent.
    let o = env.run(&["remit", "post", &payer.join("batch.999").display().to_string(), "--db", db]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("batch.999: transaction set 999 is not a remittance")
    );
    let junk = env.file("junk.835", b"this is not X12");
    let o = env.run(&["remit", "post", &junk.display().to_string(), "--db", db]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("junk.835"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&era).unwrap();
    let foreign =
        env.file("foreign.835", text.replace("CLP*NFM", "CLP*ZZZ").replace("*T", "*Q").as_bytes());
    let f = env.json(&["remit", "post", &foreign.display().to_string(), "--db", db, "--json"], 1);
    assert_eq!(f["claims_matched"], 0);
    assert!(f["claims_unmatched"].as_u64().unwrap() > 0);
    let q = env.json(&["queue", "suspense", "--db", db, "--json"], 0);
    assert!(q.as_array().unwrap().iter().any(|x| {
        x["reason"].as_str().unwrap().contains("no claim has patient control number ZZZ")
    }));
}

#[test]
fn the_cycle_on_sqlite() {
    with_db("sqlite", cycle);
}

#[test]
fn the_cycle_on_postgres() {
    with_db("postgres", cycle);
}

#[test]
fn the_default_database_is_sqlite_in_the_data_directory() {
    let env = Env::new();
    let out = env.ok(&[
        "practice",
        "add",
        "--name",
        "Solo Practice",
        "--npi",
        "1234567893",
        "--tax-id",
        "990000001",
        "--prefix",
        "SP",
    ]);
    assert!(out.contains("practice 1 added"), "{out}");
    assert!(env.dir.path().join("data/superbill.db").exists());
    let list = env.json(&["practice", "list", "--json"], 0);
    assert_eq!(list[0]["claim_prefix"], "SP");
    // A bad NPI is refused with the rule, and nothing is written.
    let o = env.run(&[
        "practice",
        "add",
        "--name",
        "Other",
        "--npi",
        "1234567890",
        "--tax-id",
        "1",
        "--prefix",
        "OT",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("fails the NPI check digit"));
    assert_eq!(env.json(&["practice", "list", "--json"], 0).as_array().unwrap().len(), 1);
}
