//! The back office at scale, on SQLite and on PostgreSQL (issue 6's targets): build, scrub and
//! write 100,000 claims into an 837 file; post an 835 of 100,000 claims; A/R aging over
//! 1,000,000 claims. Each stage runs once per database on a fresh database (a stage that writes
//! cannot be repeated on the same data) and prints its wall time.
//!
//! ```sh
//! cargo bench -p backoffice --bench scale                      # 100k claims, aging over 1M
//! cargo bench -p backoffice --bench scale -- --claims 20000 --aging 200000 --only sqlite
//! cargo bench -p backoffice --bench scale -- --only postgres --keep  # keep the database to inspect
//! ```
//! PostgreSQL: the server named by `SUPERBILL_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), in a new database dropped afterwards.

use std::path::Path;
use std::time::{Duration, Instant};

use backoffice::demo::{Size, seed};
use backoffice::{payer, work};
use code_sets::Date;
use store::{Actor, Store};
use test_support::{TestDb, sample_library};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

async fn run(
    kind: &str,
    claims: usize,
    aging_claims: i64,
    lib: &code_sets::Library,
    tmp: &Path,
) -> Vec<(String, String)> {
    let db = if kind == "sqlite" { TestDb::sqlite().await } else { TestDb::postgres().await };
    let s: Store = db.store().await;
    let actor = Actor::system("bench");
    let today: Date = "2026-06-15".parse().unwrap();
    let mut out = Vec::new();
    // About 1.85 visits per clinic patient and 9 in 10 patients insured: patients ≈ claims × 0.6.
    let patients = (claims as f64 * 0.6) as usize;
    let t = Instant::now();
    seed(&s, &actor, today, Size { patients, days: 30, stays: 6 }).await.unwrap();
    out.push((
        "seed (setup, not a target)".into(),
        format!("{} ({patients} patients)", secs(t.elapsed())),
    ));

    let t = Instant::now();
    let built = s.build_claims(&actor, None, today, &|_| String::new()).await.unwrap();
    let t_build = t.elapsed();
    let t = Instant::now();
    let cx = scrub::Context::new(lib, today);
    let sc = work::scrub_claims(&s, &actor, None, &cx, &scrub::Scrubber::default()).await.unwrap();
    let t_scrub = t.elapsed();
    let t = Instant::now();
    let file = tmp.join(format!("{kind}.837"));
    let sub = work::submit(&s, &actor, None, &file, work::stamp(today, "0900")).await.unwrap();
    let t_submit = t.elapsed();
    assert_eq!(sub.claims, sc.ready);
    out.push(("claims built".into(), built.claims.to_string()));
    out.push(("build".into(), secs(t_build)));
    out.push(("scrub".into(), secs(t_scrub)));
    out.push(("write the 837 and record the batch".into(), secs(t_submit)));
    out.push(("build + scrub + write".into(), secs(t_build + t_scrub + t_submit)));

    let batch = std::fs::read(&file).unwrap();
    let (read, _) = x12_claims::read_837(&batch);
    let paid_on: Date = "2026-07-01".parse().unwrap();
    let remits = payer::remittances(&read, paid_on, "B");
    let era = x12_claims::write_835(&remits, &payer::submission(9, paid_on), Default::default());
    let t = Instant::now();
    let posted = work::post_835_bytes(&s, &actor, "bench.835", &era, paid_on).await.unwrap();
    let t_post = t.elapsed();
    assert_eq!(posted.claims_matched, built.claims);
    out.push((
        format!("post an 835 of {} claims ({} MB)", posted.claims_matched, era.len() / 1_000_000),
        secs(t_post),
    ));

    let times = (aging_claims / built.claims.max(1) as i64 - 1).max(0);
    let t = Instant::now();
    let n = store::testing::replicate_claims(&s, times).await.unwrap();
    out.push((format!("copy the book to {n} claims (setup)"), secs(t.elapsed())));
    let journal = s.count("journal").await.unwrap();
    let mut best = Duration::MAX;
    let mut total = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let a = s.aging("2026-07-31".parse().unwrap(), None).await.unwrap();
        best = best.min(t.elapsed());
        total = a.total_cents;
    }
    out.push((
        format!("A/R aging over {n} claims ({journal} journal entries; best of 3)"),
        secs(best),
    ));
    assert!(total > 0);
    s.close().await;
    if std::env::args().any(|a| a == "--keep") {
        out.push(("database kept (--keep)".into(), db.url.clone()));
    } else {
        db.finish().await;
    }
    out
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let claims: usize = arg("--claims").and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let aging: i64 = arg("--aging").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let only = arg("--only");
    let tmp = tempfile::tempdir().unwrap();
    let lib = sample_library(&tmp.path().join("data"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    for kind in ["sqlite", "postgres"] {
        if only.as_deref().is_some_and(|o| o != kind) {
            continue;
        }
        println!("{kind}:");
        for (what, figure) in rt.block_on(run(kind, claims, aging, &lib, tmp.path())) {
            println!("  {what:<70} {figure}");
        }
    }
}
