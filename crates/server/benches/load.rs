//! The web app under load (issue 7's targets): the demo billing service scaled to a million
//! claims, the server on a real socket on loopback, sessions signed in before the timed run,
//! then `--users` concurrent users, each sending a request, waiting a think time (uniform,
//! `--think-ms` on average), and again, for `--seconds`; every answer's time by route, with
//! p50/p95/p99 and the errors. Then code search as one coder types, a round trip per keystroke.
//!
//! ```sh
//! cargo bench -p server --bench load                                   # PostgreSQL, 1M claims, 200 users
//! cargo bench -p server --bench load -- --claims 100000 --seconds 20   # quicker
//! cargo bench -p server --bench load -- --keep                         # keep the database…
//! cargo bench -p server --bench load -- --db-url postgres://…/sbtest_…  # …and load it again
//! cargo bench -p server --bench load -- --db sqlite
//! ```
//! PostgreSQL: the server named by `SUPERBILL_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), in a new database dropped afterwards. Code
//! search runs over the full ICD-10-CM, ICD-10-PCS and HCPCS releases from `../shared/data` when
//! present (else the sample fixtures). Client and server share the machine's cores.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use backoffice::demo::{Size, seed};
use backoffice::{payer, work};
use code_sets::Date;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use store::{Actor, Store};
use test_support::TestDb;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn num<T: std::str::FromStr>(name: &str, default: T) -> T {
    arg(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

const PW: &str = "superbill-demo";
const TODAY: &str = "2026-06-15";

/// The demo, its month of billing answered by the test payer, then copied up to `claims`.
async fn setup(s: &Store, url: &str, claims: i64, tmp: &Path) {
    let actor = Actor::system("bench");
    let today: Date = TODAY.parse().unwrap();
    let base = claims.min(100_000) as usize;
    let t = Instant::now();
    seed(s, &actor, today, Size { patients: base * 6 / 10, days: 30, stays: 6 }).await.unwrap();
    let lib = test_support::sample_library(&tmp.join("setup-lib"));
    let built = s.build_claims(&actor, None, today, &|_| String::new()).await.unwrap();
    let cx = scrub::Context::new(&lib, today);
    work::scrub_claims(s, &actor, None, &cx, &scrub::Scrubber::default()).await.unwrap();
    let file = tmp.join("setup.837");
    work::submit(s, &actor, None, &file, work::stamp(today, "0900")).await.unwrap();
    let batch = std::fs::read(&file).unwrap();
    let (read, _) = x12_claims::read_837(&batch);
    let paid_on: Date = "2026-07-01".parse().unwrap();
    let remits = payer::remittances(&read, paid_on, "B");
    let era = x12_claims::write_835(&remits, &payer::submission(9, paid_on), Default::default());
    work::post_835_bytes(s, &actor, "setup.835", &era, paid_on).await.unwrap();
    let times = (claims / built.claims.max(1) as i64 - 1).max(0);
    let n = store::testing::replicate_claims(s, times).await.unwrap();
    // The demo's coders' worklist and the users' passwords.
    let hash = server::auth::hash_password(PW).unwrap();
    for login in ["admin", "coder", "biller-a", "biller-b", "auditor"] {
        let u = s.user_for_login(login).await.unwrap().unwrap();
        s.set_password_hash(&actor, u.id, &hash).await.unwrap();
    }
    if s.backend() == store::Backend::Postgres {
        store::testing::execute(url, "ANALYZE").await.unwrap();
    }
    println!("setup: {n} claims in {:.0} s (not timed)", t.elapsed().as_secs_f64());
}

/// Installs the full code sets from `../shared/data` (or the sample ones) into `dir`.
fn code_sets(dir: &Path) -> &'static str {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let files: Vec<PathBuf> = [
        "icd10cm/2026/icd10cm_tabular_2026-04-01.xml.gz",
        "icd10pcs/2026/icd10pcs_tables_2026.xml.gz",
        "hcpcs/2026/HCPC2026_JAN_ANWEB_01122026.txt.gz",
    ]
    .iter()
    .map(|f| shared.join(f))
    .filter(|p| p.exists())
    .collect();
    let data = releases::DataDir::new(dir);
    if files.len() == 3 {
        data.import(&files, None).unwrap();
        "full FY2026 ICD-10-CM, ICD-10-PCS and HCPCS"
    } else {
        drop(test_support::sample_library(dir));
        "sample"
    }
}

type Http = Client<HttpConnector, Full<Bytes>>;

/// Answer times (µs) and errors by route.
type Times = BTreeMap<&'static str, (Vec<u32>, usize)>;

#[derive(Clone)]
struct Session {
    login: &'static str,
    cookie: String,
    csrf: String,
}

async fn send(
    http: &Http,
    addr: SocketAddr,
    s: Option<&Session>,
    method: &str,
    path: &str,
    body: Option<String>,
) -> (u16, Bytes) {
    let mut b = hyper::Request::builder().method(method).uri(format!("http://{addr}{path}"));
    if let Some(s) = s {
        b = b.header("cookie", &s.cookie).header("x-csrf-token", &s.csrf);
    }
    let req = match body {
        Some(j) => b.header("content-type", "application/json").body(Full::new(Bytes::from(j))),
        None => b.body(Full::new(Bytes::new())),
    }
    .unwrap();
    match http.request(req).await {
        Ok(res) => {
            let status = res.status().as_u16();
            let body = res.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            (status, body)
        }
        Err(_) => (0, Bytes::new()),
    }
}

async fn sign_in(http: &Http, addr: SocketAddr, login: &'static str) -> Session {
    let body = serde_json::json!({"username": login, "password": PW}).to_string();
    let req = hyper::Request::post(format!("http://{addr}/api/login"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    let res = http.request(req).await.unwrap();
    assert_eq!(res.status(), 200, "signing in {login}");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sb_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap();
    let me: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    Session { login, cookie, csrf: me["csrf"].as_str().unwrap().to_string() }
}

/// IDs a user may open: (patients, claims, open encounters).
async fn ids(http: &Http, addr: SocketAddr, s: &Session) -> (Vec<i64>, Vec<i64>, Vec<i64>) {
    let list = |path: &'static str| async move {
        let (_, b) = send(http, addr, Some(s), "GET", path, None).await;
        let v: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
        v.as_array()
            .map(|a| a.iter().filter_map(|x| x["id"].as_i64()).collect())
            .unwrap_or_default()
    };
    (
        list("/api/patients?limit=500").await,
        list("/api/claims?queue=paid,denied,partially_paid&limit=500").await,
        list("/api/encounters?status=open&limit=50").await,
    )
}

const SEARCHES: &[&str] =
    &["diab", "diabetes", "hypert", "chest pain", "pneumonia", "E11.9", "office visit", "knee"];

/// One request as a user of this role would make it: (route, method, path, body).
fn next_request(
    rng: &mut impl Rng,
    s: &Session,
    (patients, claims, encounters): &(Vec<i64>, Vec<i64>, Vec<i64>),
) -> (&'static str, &'static str, String, Option<String>) {
    fn pick(rng: &mut impl Rng, v: &[i64]) -> i64 {
        v[rng.gen_range(0..v.len())]
    }
    let q = SEARCHES[rng.gen_range(0..SEARCHES.len())];
    let search = format!("/api/codes/search?q={}&limit=20", q.replace(' ', "+"));
    let r: u32 = rng.gen_range(0..100);
    match (s.login, r) {
        ("auditor", 0..=49) => ("GET /api/audit", "GET", "/api/audit?limit=100".into(), None),
        ("coder", 0..=29) if !encounters.is_empty() => {
            let id = pick(rng, encounters);
            ("GET /api/encounters/{id}", "GET", format!("/api/encounters/{id}"), None)
        }
        ("coder", 30..=49) if !encounters.is_empty() => {
            let id = pick(rng, encounters);
            let body = r#"{"diagnoses":[{"code":"E11.9"},{"code":"I10"}],"procedures":[]}"#;
            (
                "POST /api/encounters/{id}/check",
                "POST",
                format!("/api/encounters/{id}/check"),
                Some(body.into()),
            )
        }
        ("coder", 50..=59) => {
            ("GET /api/encounters", "GET", "/api/encounters?status=open&limit=50".into(), None)
        }
        (_, 0..=29) => ("GET /api/codes/search", "GET", search, None),
        (_, 30..=44) => ("GET /api/patients", "GET", "/api/patients?limit=50".into(), None),
        (_, 45..=59) if !patients.is_empty() => {
            let id = pick(rng, patients);
            ("GET /api/patients/{id}", "GET", format!("/api/patients/{id}"), None)
        }
        (_, 60..=74) => {
            ("GET /api/claims", "GET", "/api/claims?queue=ready,denied&limit=50".into(), None)
        }
        (_, 75..=89) if !claims.is_empty() => {
            let id = pick(rng, claims);
            ("GET /api/claims/{id}", "GET", format!("/api/claims/{id}"), None)
        }
        (_, 90..=94) => ("GET /api/denials", "GET", "/api/denials?by=reason".into(), None),
        (_, 95..=96) => ("GET /api/batches", "GET", "/api/batches?limit=20".into(), None),
        (_, 97..=98) => ("GET /api/dashboard", "GET", "/api/dashboard?weeks=12".into(), None),
        _ => ("GET /api/me", "GET", "/api/me".into(), None),
    }
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

fn report(title: &str, times: &Times) {
    println!("{title}");
    println!(
        "  {:<36} {:>7} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "route", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"
    );
    let mut all = Vec::new();
    let mut errors = 0;
    for (route, (t, e)) in times {
        let mut t = t.clone();
        t.sort_unstable();
        all.extend_from_slice(&t);
        errors += e;
        println!(
            "  {route:<36} {:>7} {e:>6} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            t.len(),
            pct(&t, 0.5),
            pct(&t, 0.95),
            pct(&t, 0.99),
            t.last().copied().unwrap_or(0) as f64 / 1000.0
        );
    }
    all.sort_unstable();
    println!(
        "  {:<36} {:>7} {errors:>6} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
        "all",
        all.len(),
        pct(&all, 0.5),
        pct(&all, 0.95),
        pct(&all, 0.99),
        all.last().copied().unwrap_or(0) as f64 / 1000.0
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let claims: i64 = num("--claims", 1_000_000);
    let users: usize = num("--users", 200);
    let seconds: u64 = num("--seconds", 60);
    let think_ms: u64 = num("--think-ms", 1000);
    let kind = arg("--db").unwrap_or_else(|| "postgres".into());
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let tmp = tempfile::tempdir().unwrap();
        let (db, url) = match arg("--db-url") {
            Some(url) => (None, url),
            None => {
                let db =
                    if kind == "sqlite" { TestDb::sqlite().await } else { TestDb::postgres().await };
                let url = db.url.clone();
                (Some(db), url)
            }
        };
        let s = Store::open(&url).await.unwrap();
        if s.count("claim").await.unwrap() == 0 {
            setup(&s, &url, claims, tmp.path()).await;
        }
        let n = s.count("claim").await.unwrap();
        let data = tmp.path().join("data");
        let which = code_sets(&data);
        let today: Date = TODAY.parse().unwrap();
        let engines = backoffice::engines::Engines::open(&data, today).unwrap();
        let policy = server::Policy { idle: Duration::from_secs(3600), ..Default::default() };
        let mut state = server::AppState::new(s.clone(), Some(engines), policy);
        state.today = Some(today);
        state.files_dir = tmp.path().join("files");
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(server::serve(state, "127.0.0.1:0".parse().unwrap(), None, |a| {
            let _ = tx.send(a);
        }));
        let addr = rx.await.unwrap();
        let http: Http = Client::builder(TokioExecutor::new()).build_http();

        // Sessions first (not timed): the demo's users in turn.
        const LOGINS: [&str; 5] = ["biller-a", "biller-b", "coder", "admin", "auditor"];
        let mut sessions = Vec::with_capacity(users);
        for i in 0..users {
            sessions.push(sign_in(&http, addr, LOGINS[i % LOGINS.len()]).await);
        }
        let mut pools = BTreeMap::new();
        for s in sessions.iter().take(LOGINS.len()) {
            pools.insert(s.login, Arc::new(ids(&http, addr, s).await));
        }
        println!(
            "{kind}: {n} claims; code sets: {which}; {users} users, think time {think_ms} ms on average, {seconds} s"
        );

        let times: Arc<Mutex<Times>> = Default::default();
        let end = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for (i, s) in sessions.into_iter().enumerate() {
            let (http, times, pool) = (http.clone(), times.clone(), pools[s.login].clone());
            tasks.push(tokio::spawn(async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
                // Users do not all start at once.
                tokio::time::sleep(Duration::from_millis(rng.gen_range(0..think_ms.max(1)))).await;
                let mut mine: Vec<(&'static str, u32, bool)> = Vec::new();
                while Instant::now() < end {
                    let (route, method, path, body) = next_request(&mut rng, &s, &pool);
                    let t = Instant::now();
                    let (status, _) = send(&http, addr, Some(&s), method, &path, body).await;
                    mine.push((route, t.elapsed().as_micros() as u32, !(200..300).contains(&status)));
                    let wait = rng.gen_range(0..=2 * think_ms);
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
                let mut t = times.lock().unwrap();
                for (route, us, err) in mine {
                    let e = t.entry(route).or_default();
                    e.0.push(us);
                    e.1 += usize::from(err);
                }
            }));
        }
        let started = Instant::now();
        for t in tasks {
            t.await.unwrap();
        }
        let elapsed = started.elapsed().as_secs_f64();
        let times = times.lock().unwrap().clone();
        let total: usize = times.values().map(|(t, _)| t.len()).sum();
        report(
            &format!("{users} concurrent users: {total} requests in {elapsed:.0} s ({:.0}/s)", total as f64 / elapsed),
            &times,
        );

        // One coder typing: a search per keystroke, as the coding screen sends them.
        let coder = sign_in(&http, addr, "coder").await;
        let mut typing = Times::new();
        for _ in 0..10 {
            for phrase in ["type 2 diabetes mellitus with hyperglycemia", "acute chest pain", "pneumonia unspecified organism"] {
                for k in 2..=phrase.len() {
                    let path = format!("/api/codes/search?q={}&limit=20", phrase[..k].replace(' ', "+"));
                    let t = Instant::now();
                    let (status, _) = send(&http, addr, Some(&coder), "GET", &path, None).await;
                    let e = typing.entry("keystroke round trip").or_default();
                    e.0.push(t.elapsed().as_micros() as u32);
                    e.1 += usize::from(status != 200);
                }
            }
        }
        report("code search as you type (one coder, a request per keystroke)", &typing);


        s.close().await;
        match db {
            Some(db) if std::env::args().any(|a| a == "--keep") => {
                println!("database kept (--keep): {}", db.url)
            }
            Some(db) => db.finish().await,
            None => {}
        }
    });
}
