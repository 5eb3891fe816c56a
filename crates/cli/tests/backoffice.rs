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

    // Key figures, denials worked, a correction.
    let k = env
        .json(&["ar", "report", "--db", db, "--json", "--as-of", "2026-06-30", "--days", "60"], 0);
    assert_eq!(k["claims_submitted"].as_u64(), Some(n), "{k}");
    assert_eq!(k["first_pass_rate"].as_f64(), Some(1.0));
    assert!(k["denial_rate"].as_f64().unwrap() > 0.0);
    assert!(k["net_collection_rate"].as_f64().unwrap() > 0.0);
    assert!(k["days_in_ar"].as_f64().is_some());
    assert!(!k["payments_by_code"].as_array().unwrap().is_empty());
    let denials = env.json(&["queue", "denials", "--db", db, "--json"], 0);
    let grouped = env.json(&["queue", "denials", "--by", "category", "--db", db, "--json"], 0);
    let groups = grouped.as_array().unwrap();
    assert!(!groups.is_empty());
    for k in ["key", "count", "cents", "earliest_deadline", "denials"] {
        assert!(groups[0].get(k).is_some(), "queue denials --by lacks {k}: {grouped}");
    }
    let in_groups: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(in_groups as usize, denials.as_array().unwrap().len());
    let o = env.run(&["queue", "denials", "--by", "colour", "--db", db]);
    assert_eq!(o.status.code(), Some(2));
    let first = &denials.as_array().unwrap()[0];
    let id = first["id"].as_i64().unwrap().to_string();
    env.ok(&["queue", "assign", &id, "--user", "biller-a", "--db", db]);
    let claim = first["claim_id"].as_i64().unwrap().to_string();
    let shown = env.json(&["claims", "show", &claim, "--db", db, "--json"], 0);
    if shown["state"] == "denied" {
        env.ok(&["claims", "appeal", &claim, "--reason", "authorization was on file", "--db", db]);
        let after = env.json(&["claims", "show", &claim, "--db", db, "--json"], 0);
        assert_eq!(after["state"], "appealed");
    }
    let paid = env.json(&["claims", "list", "--state", "paid", "--db", db, "--json"], 0);
    let paid_id = paid[0]["id"].as_i64().unwrap().to_string();
    // The patient overpays: a credit balance, listed, then refunded by an entry.
    env.ok(&["patient", "pay", &paid_id, "--amount", "5000", "--reference", "CHK-9", "--db", db]);
    let o = env.run(&[
        "patient",
        "pay",
        &paid_id,
        "--amount",
        "5000",
        "--reference",
        "CHK-9",
        "--db",
        db,
    ]);
    assert_eq!(o.status.code(), Some(2), "the same check twice is refused");
    let credits = env.json(&["ar", "credits", "--db", db, "--json"], 0);
    let credit = credits
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["party"] == "patient")
        .unwrap_or_else(|| panic!("no patient credit: {credits}"))
        .clone();
    let cents = credit["cents"].as_i64().unwrap();
    assert!(cents > 0 && cents <= 500_000, "{credit}");
    let o = env.run(&["ar", "refund", &paid_id, "--amount", "5000.01", "--db", db]);
    assert_eq!(o.status.code(), Some(2), "more than the credit is refused");
    let amount = format!("{}.{:02}", cents / 100, cents % 100);
    env.ok(&["ar", "refund", &paid_id, "--amount", &amount, "--to", "patient", "--db", db]);
    let credits = env.json(&["ar", "credits", "--db", db, "--json"], 0);
    assert!(credits.as_array().unwrap().iter().all(|c| c["account_id"] != credit["account_id"]));
    let out = env.ok(&["claims", "correct", &paid_id, "--db", db]);
    assert!(out.contains("replacement of claim"), "{out}");
    let drafts = env.json(&["claims", "list", "--state", "draft", "--db", db, "--json"], 0);
    assert_eq!(drafts.as_array().unwrap().len(), 1);
    let draft = env.json(
        &["claims", "show", &drafts[0]["id"].as_i64().unwrap().to_string(), "--db", db, "--json"],
        0,
    );
    assert_eq!(draft["claim"]["frequency"], "7");
    assert!(!draft["claim"]["original_claim_number"].as_str().unwrap().is_empty());
    // A draft cannot be replaced: it was never sent.
    let o =
        env.run(&["claims", "correct", &drafts[0]["id"].as_i64().unwrap().to_string(), "--db", db]);
    assert_eq!(o.status.code(), Some(2));

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
    let foreign = env.file(
        "foreign.835",
        text.replace("CLP*NFM", "CLP*ZZZ")
            .replace("CLP*RCH", "CLP*ZZY")
            .replace("*T", "*Q")
            .as_bytes(),
    );
    let f = env.json(&["remit", "post", &foreign.display().to_string(), "--db", db, "--json"], 1);
    assert_eq!(f["claims_matched"], 0, "{f}");
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

/// What a posting can change: journal rows, files, remittances, suspense entries, denials, and
/// each claim's state.
fn snapshot(rt: &tokio::runtime::Runtime, url: &str) -> Vec<(String, i64)> {
    rt.block_on(async {
        let s = store::Store::open(url).await.unwrap();
        let mut out = Vec::new();
        for t in
            ["journal", "remit_file", "remit", "remit_claim", "suspense", "denial", "claim_event"]
        {
            out.push((t.to_string(), s.count(t).await.unwrap()));
        }
        for c in s.claim_rows(None, 1_000_000).await.unwrap() {
            out.push((format!("claim {} {}", c.id, c.state), 1));
        }
        s.close().await;
        out
    })
}

/// A database with `patients` demo patients' claims submitted, and the test payer's 835 for
/// them (the same file for every database seeded the same way).
fn submitted(env: &Env, db: &str, patients: &str) -> std::path::PathBuf {
    let sample = repo("fixtures/sample").display().to_string();
    env.ok(&["data", "import", &sample]);
    env.ok(&["demo", "seed", "--db", db, "--patients", patients, "--stays", "0"]);
    env.ok(&["claims", "build", "--db", db]);
    env.ok(&["claims", "scrub", "--db", db]);
    let batch = env.dir.path().join("batch.837");
    env.ok(&["claims", "submit", "--out", &batch.display().to_string(), "--db", db]);
    let payer = env.dir.path().join("payer");
    env.ok(&["demo", "payer", &batch.display().to_string(), "--out", &payer.display().to_string()]);
    payer.join("batch.835")
}

fn post_cmd(env: &Env, era: &std::path::Path, db: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_superbill"));
    c.args(["remit", "post", &era.display().to_string(), "--db", db, "--json"])
        .env("SUPERBILL_DATA_DIR", env.dir.path().join("data"))
        .env("SUPERBILL_TODAY", "2026-06-01")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    c
}

/// kill -9 in the middle of a posting leaves the database exactly as before; posting again
/// afterwards posts everything once.
fn killed_posting(kind: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (env_a, env_b) = (Env::new(), Env::new());
    let (a, b) = if kind == "sqlite" {
        (rt.block_on(TestDb::sqlite()), rt.block_on(TestDb::sqlite()))
    } else {
        (rt.block_on(TestDb::postgres()), rt.block_on(TestDb::postgres()))
    };
    // Two databases seeded the same way; A measures how long a whole posting takes.
    let era = submitted(&env_a, &a.url, "1500");
    submitted(&env_b, &b.url, "1500");
    let started = std::time::Instant::now();
    let full = post_cmd(&env_a, &era, &a.url).output().unwrap();
    let took = started.elapsed();
    assert_eq!(full.status.code(), Some(0), "{}", String::from_utf8_lossy(&full.stderr));
    let after_full = snapshot(&rt, &a.url);

    let before = snapshot(&rt, &b.url);
    let counts = |snap: &[(String, i64)]| {
        snap.iter().filter(|(k, _)| !k.starts_with("claim ")).cloned().collect::<Vec<_>>()
    };
    // Each kill leaves the database as before, or — when the kill came after the commit but
    // before the process ended — exactly as a whole posting does; never anything in between.
    let mut killed_mid_way = 0;
    let mut posted = false;
    for fraction in [0.35, 0.5, 0.65, 0.2] {
        let mut child = post_cmd(&env_b, &era, &b.url).spawn().unwrap();
        std::thread::sleep(took.mul_f64(fraction));
        if child.try_wait().unwrap().is_some() {
            posted = true;
            break;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now = snapshot(&rt, &b.url);
        if now == before {
            killed_mid_way += 1;
            continue;
        }
        assert!(
            now == after_full,
            "{kind}: a posting killed at {fraction} of its run left a partial write: {:?} (before {:?}, whole {:?})",
            counts(&now),
            counts(&before),
            counts(&after_full)
        );
        posted = true;
        break;
    }
    assert!(
        killed_mid_way > 0,
        "{kind}: every posting finished before it could be killed ({took:?})"
    );
    if !posted {
        let again = post_cmd(&env_b, &era, &b.url).output().unwrap();
        assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
        let v: Value = serde_json::from_slice(&again.stdout).unwrap();
        assert_eq!(v["already_posted"], false);
    }
    assert_eq!(
        counts(&snapshot(&rt, &b.url)),
        counts(&after_full),
        "{kind}: posting after the kills posts everything once"
    );
    rt.block_on(a.finish());
    rt.block_on(b.finish());
}

#[test]
fn kill_9_during_a_posting_on_sqlite() {
    killed_posting("sqlite");
}

#[test]
fn kill_9_during_a_posting_on_postgres() {
    killed_posting("postgres");
}

/// Two postings of the same 835 at once, and of the same payment re-sent in another file,
/// never post twice.
fn concurrent_postings(kind: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let env = Env::new();
    let db = if kind == "sqlite" {
        rt.block_on(TestDb::sqlite())
    } else {
        rt.block_on(TestDb::postgres())
    };
    let era = submitted(&env, &db.url, "400");
    // The same transaction sets in another interchange (another control number): another file.
    let text = std::fs::read_to_string(&era).unwrap();
    let isa13 = text.split('*').nth(13).unwrap().to_string();
    let copy = env.file(
        "copy.835",
        text.replacen(&format!("*{isa13}*"), "*000000777*", 1)
            .replace(&format!("IEA*1*{isa13}"), "IEA*1*000000777")
            .as_bytes(),
    );
    let children: Vec<_> =
        [&era, &copy, &era].iter().map(|f| post_cmd(&env, f, &db.url).spawn().unwrap()).collect();
    let outputs: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
            serde_json::from_slice(&o.stdout).unwrap()
        })
        .collect();
    let posted: Vec<&Value> = outputs.iter().filter(|v| v["already_posted"] == false).collect();
    assert_eq!(posted.len(), 1, "exactly one of three concurrent postings posts: {outputs:?}");
    let snap = snapshot(&rt, &db.url);
    let remits = snap.iter().find(|(k, _)| k == "remit").unwrap().1;
    let sets = text.matches("~ST*835*").count()
        + text.matches("\nST*835*").count()
        + usize::from(text.starts_with("ST*835"));
    assert_eq!(remits as usize, sets.max(1), "each transaction set posted once");
    rt.block_on(db.finish());
}

#[test]
fn concurrent_postings_on_sqlite() {
    concurrent_postings("sqlite");
}

#[test]
fn concurrent_postings_on_postgres() {
    concurrent_postings("postgres");
}
