//! The API through the router, without a socket, on SQLite and on PostgreSQL: the sign-in
//! contract, lockout, CSRF, session expiry, API tokens, isolation between practices, the audit
//! log, code search, and the OpenAPI document against the routes.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use server::{AppState, Policy};
use store::{Actor, Store};
use test_support::{TestDb, both};
use tower::ServiceExt;

/// An 835 whose first CLP names a claim that is not ours (its PCN replaced): it goes to the
/// suspense queue.
fn with_stranger(era: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(era).unwrap();
    let at = text.find("CLP*").unwrap() + 4;
    let end = at + text[at..].find('*').unwrap();
    format!("{}ZZNOTOURS1{}", &text[..at], &text[end..]).into_bytes()
}

/// Practice `practice`'s ready claims submitted by `biller` and answered by the test payer's 835,
/// uploaded with its first CLP made a stranger (`ZZNOTOURS1`): the 835 as the payer wrote it,
/// and what the upload answered.
async fn answered_with_a_stranger(
    app: &Router,
    biller: &Client,
    practice: i64,
) -> (Vec<u8>, Value) {
    let sub =
        call(app, biller, Method::POST, "/api/batches", Some(json!({"practice": practice}))).await;
    let link = sub.body["download"].as_str().unwrap().to_string();
    let (_, _, file) = call_raw(app, biller, Method::GET, &link, Vec::new()).await;
    let era = backoffice::payer::answer_835(&file, "2026-07-01".parse().unwrap(), 9).unwrap();
    let (st, _, body) = call_raw(
        app,
        biller,
        Method::POST,
        "/api/remittances?name=b.835",
        with_stranger(era.clone()),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    (era, serde_json::from_slice(&body).unwrap())
}

/// The demo with a month of billing played (claims in every queue).
async fn played_app(s: &Store) -> (Router, Vec<i64>, backoffice::demo::Played) {
    let (app, practices) = demo_app(s, Policy::default()).await;
    let tmp = tempfile::tempdir().unwrap();
    let lib = test_support::sample_library(&tmp.path().join("data"));
    let today = "2026-06-15".parse().unwrap();
    let cx = scrub::Context::new(&lib, today);
    let played =
        backoffice::demo::play(s, &Actor::system("test"), &cx, practices[0], today, tmp.path())
            .await
            .unwrap();
    (app, practices, played)
}

/// Every encounter a client can list with a coding status, following the cursor.
async fn all_encounters(app: &Router, c: &Client, status: &str) -> Vec<Value> {
    all_pages(app, c, &format!("/api/encounters?status={status}&limit=4")).await
}

/// Every claim a client can list in a queue, following the cursor.
async fn all_claims(app: &Router, c: &Client, queue: &str) -> Vec<Value> {
    all_pages(app, c, &format!("/api/claims?queue={queue}&limit=9")).await
}

const EVERY_STATE: &str = "draft,scrubbed,ready,submitted,accepted,rejected,paid,partially_paid,denied,reversed,forwarded,appealed,secondary_billed,patient_billed,closed,voided";

both!(claim_queues_are_per_practice, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, played) = played_app(&s).await;
    assert!(played.submitted > 0 && played.posted > 0, "{played:?}");
    let (a, b) = (practices[0], practices[1]);
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, cb) = login(&app, "biller-b", PW).await;
    let (_, admin) = login(&app, "admin", PW).await;
    // The hospital's claims wait in the ready queue; the clinic's were answered.
    let ready_b = all_claims(&app, &cb, "ready").await;
    assert!(!ready_b.is_empty());
    assert!(ready_b.iter().all(|c| c["practice"] == b && c["state"] == "ready"));
    assert!(all_claims(&app, &ca, "ready").await.iter().all(|c| c["practice"] == a));
    let denied = all_claims(&app, &ca, "denied").await;
    assert!(!denied.is_empty(), "the test payer denies some");
    assert!(all_claims(&app, &cb, "denied").await.is_empty());
    // Each biller sees exactly their practice's claims; the admin sees both.
    let every_a = all_claims(&app, &ca, EVERY_STATE).await;
    let every_b = all_claims(&app, &cb, EVERY_STATE).await;
    let every = all_claims(&app, &admin, EVERY_STATE).await;
    assert_eq!(every.len(), every_a.len() + every_b.len());
    assert_eq!(every.len() as i64, s.count("claim").await.unwrap());
    let ids: Vec<i64> = every.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");
    // A claim of B is 404 for biller-a; one of A shows findings, lines and history.
    for c in &every_b {
        let id = c["id"].as_i64().unwrap();
        let r = call(&app, &ca, Method::GET, &format!("/api/claims/{id}"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "claim {id}");
    }
    let id = denied[0]["id"].as_i64().unwrap();
    let d = call(&app, &ca, Method::GET, &format!("/api/claims/{id}"), None).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body["state"], "denied");
    assert!(d.body["claim"]["lines"].as_array().is_some_and(|l| !l.is_empty()));
    let history: Vec<&str> =
        d.body["history"].as_array().unwrap().iter().map(|e| e["to"].as_str().unwrap()).collect();
    assert!(history.contains(&"submitted") && history.last() == Some(&"denied"), "{history:?}");
    assert!(d.body["findings_list"].is_array());
    // Bad queue names say what to use.
    let r = call(&app, &ca, Method::GET, "/api/claims?queue=lost", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("no_response"));
    // No response: nothing is older than 30 days here; everything submitted is "older" than -0.
    assert!(all_claims(&app, &ca, "no_response").await.is_empty());
});

both!(every_record_endpoint_hides_other_practices, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, _) = played_app(&s).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, admin) = login(&app, "admin", PW).await;
    let b_patients: Vec<i64> = all_patients(&app, &admin)
        .await
        .iter()
        .filter(|p| p["practice"] == practices[1])
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let b_claims: Vec<i64> = all_claims(&app, &admin, EVERY_STATE)
        .await
        .iter()
        .filter(|c| c["practice"] == practices[1])
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    let sub =
        call(&app, &admin, Method::POST, "/api/batches", Some(json!({"practice": practices[1]})))
            .await;
    assert_eq!(sub.status, StatusCode::CREATED, "{:?}", sub.body);
    let b_batches: Vec<i64> =
        sub.body["batches"].as_array().unwrap().iter().map(|b| b.as_i64().unwrap()).collect();
    // B's payer answers, so that B has denials too.
    let link = sub.body["download"].as_str().unwrap();
    let (_, _, file) = call_raw(&app, &admin, Method::GET, link, Vec::new()).await;
    let era = backoffice::payer::answer_835(&file, "2026-07-01".parse().unwrap(), 5).unwrap();
    let (st, _, _) =
        call_raw(&app, &admin, Method::POST, "/api/remittances?name=b.835", with_stranger(era))
            .await;
    assert_eq!(st, StatusCode::OK);
    let b_suspense: Vec<i64> = call(&app, &admin, Method::GET, "/api/suspense", None)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["practice"] == practices[1])
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    // The test payer happens to deny none of B's few claims: one denial by hand, on a claim of B
    // the 835 answered.
    store::testing::execute(
        &db.url,
        &format!(
            "INSERT INTO denial (claim_id, remit_claim_id, grp, carc, category, amount_cents, received, deadline, practice_id, payer_id) \
             SELECT r.claim_id, r.id, 'CO', '197', 'authorization', 100, '2026-07-01', '2026-12-28', c.practice_id, c.payer_id \
             FROM remit_claim r JOIN claim c ON c.id = r.claim_id WHERE c.practice_id = {} ORDER BY r.id LIMIT 1",
            practices[1]
        ),
    )
    .await
    .unwrap();
    let (_, cb) = login(&app, "biller-b", PW).await;
    let b_denials: Vec<i64> = call(&app, &cb, Method::GET, "/api/denials", None)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["denials"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()))
        .collect();
    let mut b_encounters = Vec::new();
    for status in ["open", "coded", "billed"] {
        b_encounters.extend(
            all_encounters(&app, &admin, status)
                .await
                .iter()
                .filter(|e| e["practice"] == practices[1])
                .map(|e| e["id"].as_i64().unwrap()),
        );
    }
    let b_users = vec![s.user_for_login("biller-b").await.unwrap().unwrap().id];
    let sent =
        call(&app, &cb, Method::POST, "/api/statements", Some(json!({"practice": practices[1]})))
            .await;
    let b_statements: Vec<i64> =
        sent.body["sent"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    // Each documented path with a record ID, and the records of practice B it names. A new
    // endpoint with an ID must be added here, or this test fails.
    let doc = call(&app, &Client::default(), Method::GET, "/api/openapi.json", None).await;
    for (path, ops) in doc.body["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        let ids = match path.as_str() {
            "/api/patients/{id}" => &b_patients,
            "/api/claims/{id}" => &b_claims,
            "/api/encounters/{id}"
            | "/api/encounters/{id}/check"
            | "/api/encounters/{id}/coding" => &b_encounters,
            "/api/batches/{id}/file" => &b_batches,
            "/api/denials/{id}/assign" => &b_denials,
            "/api/claims/{id}/appeal"
            | "/api/claims/{id}/correct"
            | "/api/claims/{id}/appeal-letter" => &b_claims,
            "/api/practices/{id}/fees" => &vec![practices[1]],
            "/api/suspense/{id}/resolve" | "/api/suspense/{id}/apply" => &b_suspense,
            "/api/statements/{id}" => &b_statements,
            "/api/admin/users/{id}" | "/api/admin/users/{id}/roles" => &b_users,
            // Payers are the whole billing service's, no practice's.
            "/api/payers/{id}" => continue,
            other => panic!("{other}: say which records of practice B it must hide"),
        };
        assert!(!ids.is_empty(), "{path}: no record of practice B to try");
        for method in ops.as_object().unwrap().keys() {
            for id in ids {
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                // A well-formed body, so that only the record decides the answer.
                let body = (m != Method::GET).then(|| {
                    json!({"diagnoses": [{"code": "I10"}], "username": "coder", "reason": "x", "void": false,
                        "practice": practices[1], "role": "coder", "code": "99213", "charge_cents": 100,
                        "resolution": "x", "claim": "X"})
                });
                let r = call(&app, &ca, m, &path.replace("{id}", &id.to_string()), body).await;
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path} {id}");
            }
        }
    }
    // Lists never carry B's records either.
    assert!(all_patients(&app, &ca).await.iter().all(|p| p["practice"] == practices[0]));
    assert!(all_claims(&app, &ca, EVERY_STATE).await.iter().all(|c| c["practice"] == practices[0]));
    assert!(all_encounters(&app, &ca, "open").await.iter().all(|e| e["practice"] == practices[0]));
});

/// The app over the sample code sets, with the MS-DRG v43.1 definitions when `../shared` has
/// them.
async fn coding_app(s: &Store) -> (Router, Vec<i64>, bool) {
    let (_, practices) = demo_app(s, Policy::default()).await;
    let tmp = tempfile::tempdir().unwrap();
    let lib = test_support::sample_library(&tmp.path().join("data"));
    let mut engines = backoffice::engines::Engines::from_library(lib);
    let v431 = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/drg/msdrg_definitions_drgpy/msdrg_v43.1.json.xz");
    if let Ok(xz) = std::fs::read(&v431) {
        let mut json = Vec::new();
        std::io::Read::read_to_end(&mut xz2::read::XzDecoder::new(&xz[..]), &mut json).unwrap();
        engines.msdrg.push(drg::Definitions::parse(&json).unwrap());
    } else {
        eprintln!("MS-DRG part skipped: {} not present", v431.display());
    }
    let grouping = !engines.msdrg.is_empty();
    let mut state = AppState::new(s.clone(), Some(engines), Policy::default());
    state.today = Some("2026-06-15".parse().unwrap());
    (server::app(state), practices, grouping)
}

both!(coding_an_encounter, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, grouping) = coding_app(&s).await;
    let (_, coder) = login(&app, "coder", PW).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    // The worklist: documented, charged, not coded; the clinic's visits and the hospital's stays.
    let open = all_encounters(&app, &coder, "open").await;
    assert_eq!(open.len(), 8, "{open:?}");
    let visit = open.iter().find(|e| e["kind"] == "professional").unwrap();
    let id = visit["id"].as_i64().unwrap();
    let e = call(&app, &coder, Method::GET, &format!("/api/encounters/{id}"), None).await;
    assert_eq!(e.status, StatusCode::OK);
    assert!(e.body["note"].as_str().unwrap().contains("diabetes"));
    assert!(e.body["diagnoses"].as_array().unwrap().is_empty());
    assert_eq!(e.body["charges"][0]["code"], "99214");
    // A category is not billable: the check says so and what to do; saving it is refused.
    let category = json!({"diagnoses": [{"code": "E11"}, {"code": "I10"}]});
    let check = call(
        &app,
        &coder,
        Method::POST,
        &format!("/api/encounters/{id}/check"),
        Some(category.clone()),
    )
    .await;
    assert_eq!(check.status, StatusCode::OK, "{:?}", check.body);
    assert!(check.body["codes"][0]["problem"].as_str().unwrap().contains("more specific"));
    assert!(check.body["codes"][1]["problem"].is_null());
    assert_eq!(check.body["codes"][1]["title"], "Essential (primary) hypertension");
    assert!(check.body["findings"].is_array());
    assert!(check.body["drg"].is_null(), "no DRG on a visit");
    let refused =
        call(&app, &coder, Method::PUT, &format!("/api/encounters/{id}/coding"), Some(category))
            .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body["message"].as_str().unwrap().starts_with("diagnosis 1: E11 is a category")
    );
    let not_a_code = json!({"diagnoses": [{"code": "Q99.999"}]});
    let r =
        call(&app, &coder, Method::PUT, &format!("/api/encounters/{id}/coding"), Some(not_a_code))
            .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
    assert_eq!(
        call(&app, &coder, Method::GET, &format!("/api/encounters/{id}"), None).await.body["status"],
        "open",
        "nothing saved"
    );
    // A biller reads the worklist but does not code.
    let good = json!({"diagnoses": [{"code": "E11.9"}, {"code": "i10"}]});
    let r =
        call(&app, &ca, Method::PUT, &format!("/api/encounters/{id}/coding"), Some(good.clone()))
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let saved =
        call(&app, &coder, Method::PUT, &format!("/api/encounters/{id}/coding"), Some(good)).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["status"], "coded");
    assert_eq!(saved.body["diagnoses"][1]["code"], "I10");
    assert!(all_encounters(&app, &coder, "coded").await.iter().any(|e| e["id"] == id));
    assert_eq!(all_encounters(&app, &coder, "open").await.len(), 7);
    let audit = s.audit_events(None, 0, 50).await.unwrap();
    assert!(
        audit.iter().any(|a| a.action == "code" && a.record == format!("encounter/{id}")),
        "{audit:?}"
    );
    // An inpatient stay: POA is required, and with the definitions installed the DRG and what
    // each code does to it.
    let stay =
        open.iter().find(|e| e["kind"] == "inpatient" && e["practice"] == practices[1]).unwrap();
    let sid = stay["id"].as_i64().unwrap();
    let no_poa = json!({"diagnoses": [{"code": "J18.9"}]});
    let r = call(&app, &coder, Method::POST, &format!("/api/encounters/{sid}/check"), Some(no_poa))
        .await;
    assert!(r.body["codes"][0]["problem"].as_str().unwrap().contains("present on admission"));
    let coding = json!({"diagnoses": [
        {"code": "J18.9", "poa": "Y"}, {"code": "E11.9", "poa": "Y"}, {"code": "I10", "poa": "Y"}, {"code": "A41.9", "poa": "Y"}
    ]});
    let r = call(&app, &coder, Method::POST, &format!("/api/encounters/{sid}/check"), Some(coding))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    if grouping {
        let drg = &r.body["drg"];
        assert_eq!(drg["version"], "v43.1", "{drg}");
        assert_eq!(drg["drg"], "193", "{drg}");
        let codes = drg["codes"].as_array().unwrap();
        let sepsis = codes.iter().find(|c| c["code"] == "A419").unwrap();
        assert_eq!(sepsis["changes_drg"], true, "{drg}");
        assert_eq!(sepsis["drg_without"], "195", "{drg}");
        let htn = codes.iter().find(|c| c["code"] == "I10").unwrap();
        assert_eq!(htn["changes_drg"], false, "{drg}");
    } else {
        assert!(
            r.body["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n.as_str().unwrap().contains("MS-DRG"))
        );
    }
});

both!(sign_in_contract_and_lockout, async |db: &TestDb| {
    let s = db.store().await;
    let (app, _) = demo_app(&s, Policy::default()).await;
    let (a, c) = login(&app, "biller-a", PW).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let set: Vec<&str> =
        a.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
    let session = set.iter().find(|c| c.starts_with("sb_session=")).unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");
    assert!(!session.contains("Secure"), "no TLS here");
    assert!(a.headers.get(header::CONTENT_SECURITY_POLICY).is_some());
    let me = call(&app, &c, Method::GET, "/api/me", None).await;
    assert_eq!(me.body["username"], "biller-a");
    assert_eq!(me.body["grants"].as_array().unwrap().len(), 1);

    // Wrong password: 401; an unknown login answers the same.
    let (a, _) = login(&app, "coder", "wrong").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let (b, _) = login(&app, "nobody", "wrong").await;
    assert_eq!((b.status, &b.body["error"]), (StatusCode::UNAUTHORIZED, &a.body["error"]));
    // Five failures in a row lock the account: even the right password is refused.
    for _ in 0..4 {
        login(&app, "coder", "wrong").await;
    }
    let (a, _) = login(&app, "coder", PW).await;
    assert!(matches!(a.status.as_u16(), 423 | 429), "{}", a.status);
    // A success resets the count: four failures then the right password sign in.
    for _ in 0..4 {
        login(&app, "auditor", "wrong").await;
    }
    assert_eq!(login(&app, "auditor", PW).await.0.status, StatusCode::OK);
    assert_eq!(login(&app, "auditor", "wrong").await.0.status, StatusCode::UNAUTHORIZED);
    // Nothing without a session.
    let a = call(&app, &Client::default(), Method::GET, "/api/patients", None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    // The failures and sign-ins are audited, with no password in them.
    let audit = s.audit_events(None, 0, 100).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "login failed"));
    assert!(audit.iter().all(|e| !e.detail.contains("wrong") && !e.detail.contains(PW)));
});

both!(csrf_and_session_expiry, async |db: &TestDb| {
    let s = db.store().await;
    let (app, _) = demo_app(&s, Policy::default()).await;
    let (_, c) = login(&app, "admin", PW).await;
    // A state-changing request without the token, or with another, is refused.
    let no_token = Client { csrf: None, ..c.clone() };
    let a = call(&app, &no_token, Method::POST, "/api/logout", None).await;
    assert_eq!((a.status, a.body["error"].as_str()), (StatusCode::FORBIDDEN, Some("csrf")));
    let wrong = Client { csrf: Some("0".repeat(64)), ..c.clone() };
    assert_eq!(
        call(&app, &wrong, Method::POST, "/api/logout", None).await.status,
        StatusCode::FORBIDDEN
    );
    // A sign-in posted from another site is refused.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"username": "admin", "password": PW}).to_string()))
        .unwrap();
    assert_eq!(app.clone().oneshot(req).await.unwrap().status(), StatusCode::FORBIDDEN);
    // With the token: signed out, and the cookie no longer works.
    assert_eq!(
        call(&app, &c, Method::POST, "/api/logout", None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(call(&app, &c, Method::GET, "/api/me", None).await.status, StatusCode::UNAUTHORIZED);

    // A session unused for longer than the idle limit ends; so does one past its absolute end.
    let (_, c) = login(&app, "admin", PW).await;
    assert_eq!(call(&app, &c, Method::GET, "/api/me", None).await.status, StatusCode::OK);
    store::testing::execute(
        &db.url,
        "UPDATE web_session SET last_seen = '2000-01-01T00:00:00.000Z'",
    )
    .await
    .unwrap();
    assert_eq!(call(&app, &c, Method::GET, "/api/me", None).await.status, StatusCode::UNAUTHORIZED);
    let (_, c) = login(&app, "admin", PW).await;
    store::testing::execute(
        &db.url,
        "UPDATE web_session SET expires_at = '2000-01-01T00:00:00.000Z'",
    )
    .await
    .unwrap();
    assert_eq!(call(&app, &c, Method::GET, "/api/me", None).await.status, StatusCode::UNAUTHORIZED);
});

both!(a_biller_sees_only_their_practice, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices) = demo_app(&s, Policy::default()).await;
    let (a, b) = (practices[0], practices[1]);
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, cb) = login(&app, "biller-b", PW).await;
    let (_, admin) = login(&app, "admin", PW).await;
    let seen_a = all_patients(&app, &ca).await;
    let seen_b = all_patients(&app, &cb).await;
    let seen_all = all_patients(&app, &admin).await;
    assert!(!seen_a.is_empty() && !seen_b.is_empty());
    assert!(seen_a.iter().all(|p| p["practice"] == a));
    assert!(seen_b.iter().all(|p| p["practice"] == b));
    assert_eq!(seen_all.len(), seen_a.len() + seen_b.len(), "paging loses and repeats nothing");
    let mut ids: Vec<i64> = seen_all.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), seen_all.len());
    // Every record of practice B is 404 for biller-a (as for an ID that does not exist).
    for p in &seen_b {
        let id = p["id"].as_i64().unwrap();
        let r = call(&app, &ca, Method::GET, &format!("/api/patients/{id}"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "patient {id}");
        assert!(!r.body.to_string().contains(p["last_name"].as_str().unwrap()));
    }
    assert_eq!(
        call(&app, &ca, Method::GET, "/api/patients/999999", None).await.status,
        StatusCode::NOT_FOUND
    );
    let own = seen_a[0]["id"].as_i64().unwrap();
    let r = call(&app, &ca, Method::GET, &format!("/api/patients/{own}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["coverages"].is_array() && r.body["claims"].is_array());
    // Bad paging is a 400 that says what to do.
    let r = call(&app, &ca, Method::GET, "/api/patients?limit=0", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("1 to 500"));
    let r = call(&app, &ca, Method::GET, "/api/patients?cursor=abc", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // The audit log: billers and coders may not read it; admins and auditors may, newest
    // first, with who, what, which record, when and from where.
    assert_eq!(
        call(&app, &ca, Method::GET, "/api/audit", None).await.status,
        StatusCode::FORBIDDEN
    );
    let (_, coder) = login(&app, "coder", PW).await;
    assert_eq!(
        call(&app, &coder, Method::GET, "/api/audit", None).await.status,
        StatusCode::FORBIDDEN
    );
    let (_, auditor) = login(&app, "auditor", PW).await;
    let log = call(&app, &auditor, Method::GET, "/api/audit?limit=50", None).await;
    assert_eq!(log.status, StatusCode::OK);
    let events = log.body.as_array().unwrap();
    let read = events
        .iter()
        .find(|e| e["action"] == "read" && e["record"] == format!("patient/{own}"))
        .expect("biller-a's read of the patient is audited");
    assert_eq!(read["user"], "biller-a");
    assert!(read["at"].is_string() && read["address"].is_string());
    let ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");
    // Paging the audit log.
    let first = call(&app, &auditor, Method::GET, "/api/audit?limit=3", None).await;
    let next = first.headers.get("x-next-cursor").unwrap().to_str().unwrap().to_string();
    let second =
        call(&app, &auditor, Method::GET, &format!("/api/audit?limit=3&cursor={next}"), None).await;
    assert!(second.body[0]["id"].as_i64().unwrap() < first.body[2]["id"].as_i64().unwrap() + 1);
});

both!(api_tokens_act_as_their_user, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices) = demo_app(&s, Policy::default()).await;
    let (_, admin) = login(&app, "admin", PW).await;
    let made = call(
        &app,
        &admin,
        Method::POST,
        "/api/tokens",
        Some(json!({"username": "biller-a", "name": "nightly export"})),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let token = made.body["token"].as_str().unwrap().to_string();
    let script = Client { bearer: Some(token.clone()), ..Default::default() };
    let seen = all_patients(&app, &script).await;
    assert!(!seen.is_empty() && seen.iter().all(|p| p["practice"] == practices[0]));
    // The token is not kept: only its hash.
    let n = s.count("api_token").await.unwrap();
    assert_eq!(n, 1);
    assert!(s.api_token_user(&token).await.unwrap().is_none());
    // A wrong token is 401; a biller cannot make tokens.
    let bad = Client { bearer: Some("f".repeat(64)), ..Default::default() };
    assert_eq!(
        call(&app, &bad, Method::GET, "/api/patients", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (_, ca) = login(&app, "biller-a", PW).await;
    let r = call(
        &app,
        &ca,
        Method::POST,
        "/api/tokens",
        Some(json!({"username": "biller-a", "name": "x"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A token is exempt from CSRF: an admin's script makes a token without one.
    let made = call(
        &app,
        &admin,
        Method::POST,
        "/api/tokens",
        Some(json!({"username": "admin", "name": "ops"})),
    )
    .await;
    let ops =
        Client { bearer: made.body["token"].as_str().map(String::from), ..Default::default() };
    let r = call(
        &app,
        &ops,
        Method::POST,
        "/api/tokens",
        Some(json!({"username": "coder", "name": "coding bot"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = call(
        &app,
        &ops,
        Method::POST,
        "/api/tokens",
        Some(json!({"username": "coder", "name": " "})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_search_answers_like_the_cli() {
    let db = TestDb::sqlite().await;
    let s = db.store().await;
    let tmp = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sample");
    let files: Vec<_> = std::fs::read_dir(repo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "txt"))
        .collect();
    let data = releases::DataDir::new(tmp.path());
    data.import(&files, None).unwrap();
    let lib = data.open(None).unwrap();
    let date: code_sets::Date = "2026-06-15".parse().unwrap();
    let expected = serde_json::to_value(lib.search("diabetes", None, false, 5, date)).unwrap();
    let (_, _) = demo_app(&s, Policy::default()).await;
    let mut state = AppState::new(
        s.clone(),
        Some(backoffice::engines::Engines::from_library(lib)),
        Policy::default(),
    );
    state.today = Some(date);
    let app = server::app(state);
    let (_, c) = login(&app, "coder", PW).await;
    let a = call(&app, &c, Method::GET, "/api/codes/search?q=diabetes&limit=5", None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, expected);
    assert!(!a.body.as_array().unwrap().is_empty());
    for k in [
        "code",
        "system",
        "title",
        "billable",
        "score",
        "matched",
        "release",
        "release_covers_date",
    ] {
        assert!(a.body[0].get(k).is_some(), "{k}");
    }
    let a = call(&app, &c, Method::GET, "/api/codes/search?q=diabetes&system=klingon", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = call(&app, &c, Method::GET, "/api/codes/search?q=diabetes&date=June", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_matches_the_routes() {
    let db = TestDb::sqlite().await;
    let s = db.store().await;
    let app = server::app(AppState::new(s, None, Policy::default()));
    let doc = call(&app, &Client::default(), Method::GET, "/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc.body["paths"].as_object().unwrap();
    let mut documented = Vec::new();
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    // Every documented operation is routed: without a session it is refused (401), or for the
    // sign-in itself answered, never 404 or 405.
    for (method, path) in &documented {
        let uri = path.replace("{id}", "1");
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let body = (m == Method::POST).then(|| json!({}));
        let a = call(&app, &Client::default(), m, &uri, body).await;
        assert!(
            !matches!(a.status, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED),
            "{method} {path} is documented but not routed ({})",
            a.status
        );
    }
    // And routes that are not documented do not exist: an unknown API path is 404.
    let a = call(&app, &Client::default(), Method::GET, "/api/nothing-here", None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let expected = [
        ("GET", "/api/audit"),
        ("GET", "/api/claims"),
        ("GET", "/api/claims/{id}"),
        ("GET", "/api/codes/search"),
        ("POST", "/api/login"),
        ("POST", "/api/logout"),
        ("GET", "/api/me"),
        ("GET", "/api/patients"),
        ("GET", "/api/patients/{id}"),
        ("POST", "/api/tokens"),
    ];
    for (m, p) in expected {
        assert!(documented.contains(&(m.to_string(), p.to_string())), "{m} {p} is not documented");
    }
    db.finish().await;
}

both!(a_second_factor_is_asked_for_and_checked, async |db: &TestDb| {
    let s = db.store().await;
    let (app, _) = demo_app(&s, Policy::default()).await;
    let u = s.user_for_login("coder").await.unwrap().unwrap();
    let secret = server::auth::new_totp_secret();
    s.set_totp_secret(&Actor::system("test"), u.id, &secret).await.unwrap();
    // The right password alone asks for the code; a wrong code is refused; the right one signs in.
    let (a, _) = login(&app, "coder", PW).await;
    assert_eq!(
        (a.status, a.body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("totp_required"))
    );
    let with = |code: &str| json!({"username": "coder", "password": PW, "totp": code});
    let now = std::time::SystemTime::now();
    let good = server::auth::totp(&secret, now).unwrap();
    let bad = if good == "000000" { "111111" } else { "000000" };
    let r = call(&app, &Client::default(), Method::POST, "/api/login", Some(with(bad))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call(&app, &Client::default(), Method::POST, "/api/login", Some(with(&good))).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // Off again: the password alone signs in.
    s.set_totp_secret(&Actor::system("test"), u.id, "").await.unwrap();
    assert_eq!(login(&app, "coder", PW).await.0.status, StatusCode::OK);
});

both!(submit_download_and_post_from_the_api, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, _) = played_app(&s).await;
    let b = practices[1];
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, cb) = login(&app, "biller-b", PW).await;
    let (_, coder) = login(&app, "coder", PW).await;
    let ready = all_claims(&app, &cb, "ready").await.len();
    assert!(ready > 0);
    // Only billers and admins of the practice submit it; another practice's biller does not see it.
    let r = call(&app, &ca, Method::POST, "/api/batches", Some(json!({"practice": b}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call(&app, &coder, Method::POST, "/api/batches", Some(json!({"practice": b}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let sub = call(&app, &cb, Method::POST, "/api/batches", Some(json!({"practice": b}))).await;
    assert_eq!(sub.status, StatusCode::CREATED, "{:?}", sub.body);
    assert_eq!(sub.body["claims"].as_u64().unwrap() as usize, ready);
    assert!(all_claims(&app, &cb, "ready").await.is_empty());
    let again = call(&app, &cb, Method::POST, "/api/batches", Some(json!({"practice": b}))).await;
    assert_eq!(again.status, StatusCode::OK, "nothing ready: nothing written");
    assert_eq!(again.body["claims"], 0);
    // The 837 downloads for B's biller, not for A's.
    let link = sub.body["download"].as_str().unwrap().to_string();
    let (st, h, file) = call_raw(&app, &cb, Method::GET, &link, Vec::new()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/edi-x12");
    assert!(file.starts_with(b"ISA"));
    let (st, _, _) = call_raw(&app, &ca, Method::GET, &link, Vec::new()).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let listed = call(&app, &cb, Method::GET, "/api/batches", None).await;
    assert!(listed.body.as_array().unwrap().iter().all(|x| x["practices"] == json!([b])));
    assert_eq!(listed.body[0]["status"], "live", "sent, not yet acknowledged");
    // What comes back: the 999, the 277CA, then the 835, uploaded by B's biller; A's biller may
    // not post B's money.
    let paid_on: code_sets::Date = "2026-07-01".parse().unwrap();
    let ack = backoffice::payer::answer_999(&file, paid_on).unwrap();
    let up = |c: &Client, name: &str, bytes: Vec<u8>| {
        let (app, c, uri) = (
            app.clone(),
            Client { cookie: c.cookie.clone(), csrf: c.csrf.clone(), bearer: None },
            format!("/api/remittances?name={name}"),
        );
        async move {
            let (st, _, body) = call_raw(&app, &c, Method::POST, &uri, bytes).await;
            (st, serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null))
        }
    };
    let (st, _) = up(&ca, "b.999", ack.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, body) = up(&cb, "b.999", ack).await;
    assert_eq!(st, StatusCode::OK, "{body:?}");
    assert_eq!(body["kind"], "999");
    let listed = call(&app, &cb, Method::GET, "/api/batches", None).await;
    assert_eq!(listed.body[0]["status"], "accepted", "the 999 accepted the batch");
    let ca277 = backoffice::payer::answer_277ca(&file, paid_on).unwrap();
    let (st, body) = up(&cb, "b.277", ca277).await;
    assert_eq!(st, StatusCode::OK, "{body:?}");
    assert_eq!(body["kind"], "277CA");
    let era = backoffice::payer::answer_835(&file, paid_on, 77).unwrap();
    let (st, _) = up(&ca, "b.835", era.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, body) = up(&cb, "b.835", era.clone()).await;
    assert_eq!(st, StatusCode::OK, "{body:?}");
    assert_eq!(body["kind"], "835");
    assert_eq!(body["posting"]["claims_matched"].as_u64().unwrap() as usize, ready);
    assert_eq!(body["posting"]["balanced"], true);
    let (_, body) = up(&cb, "b.835", era).await;
    assert_eq!(body["posting"]["already_posted"], true, "the same file twice changes nothing");
    // Wrong files say what is wrong.
    let (st, body) = up(&cb, "notes.txt", b"hello".to_vec()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("not an X12 file"), "{body:?}");
    let (st, body) = up(&cb, "claims.837", file.clone()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("837"), "{body:?}");
    let broken = String::from_utf8(backoffice::payer::answer_835(&file, paid_on, 78).unwrap())
        .unwrap()
        .replacen("CLP*", "CLP", 1);
    let (st, body) = up(&cb, "broken.835", broken.into_bytes()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let m = body["message"].as_str().unwrap();
    assert!(m.starts_with("broken.835: segment 10 (CLP):") && m.contains("[X12-SYN-003]"), "{m}");
    assert!(m.ends_with("nothing was imported"), "{m}");
});

both!(working_denials, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, _) = played_app(&s).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, cb) = login(&app, "biller-b", PW).await;
    let (_, auditor) = login(&app, "auditor", PW).await;
    let groups = call(&app, &ca, Method::GET, "/api/denials?by=payer", None).await;
    assert_eq!(groups.status, StatusCode::OK);
    let groups = groups.body.as_array().unwrap().clone();
    assert!(!groups.is_empty(), "the test payer denies some");
    let deadlines: Vec<&str> =
        groups.iter().map(|g| g["earliest_deadline"].as_str().unwrap()).collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "nearest deadline first: {deadlines:?}");
    let denials: Vec<Value> =
        groups.iter().flat_map(|g| g["denials"].as_array().unwrap().clone()).collect();
    assert_eq!(
        groups.iter().map(|g| g["count"].as_u64().unwrap()).sum::<u64>() as usize,
        denials.len()
    );
    let by_reason = call(&app, &ca, Method::GET, "/api/denials", None).await;
    assert!(by_reason.body[0]["key"].as_str().unwrap().contains('-'), "group code and CARC");
    // A long queue lists the nearest deadlines only; the groups still count every denial.
    let short = call(&app, &ca, Method::GET, "/api/denials?by=payer&limit=1", None).await.body;
    let short = short.as_array().unwrap();
    let listed: usize = short.iter().map(|g| g["denials"].as_array().unwrap().len()).sum();
    assert_eq!(listed, 1);
    assert_eq!(short[0]["denials"][0]["id"], denials[0]["id"], "the nearest deadline");
    assert_eq!(
        short.iter().map(|g| g["count"].as_u64().unwrap()).sum::<u64>() as usize,
        denials.len()
    );
    assert_eq!(
        call(&app, &ca, Method::GET, "/api/denials?by=mood", None).await.status,
        StatusCode::BAD_REQUEST
    );
    assert!(
        call(&app, &cb, Method::GET, "/api/denials", None)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Assign: to someone who works the practice, by its biller or admin.
    let d0 = denials[0]["id"].as_i64().unwrap();
    let assign = |c: &Client, who: &str| {
        let (app, c, who) = (
            app.clone(),
            Client { cookie: c.cookie.clone(), csrf: c.csrf.clone(), bearer: None },
            who.to_string(),
        );
        async move {
            call(
                &app,
                &c,
                Method::POST,
                &format!("/api/denials/{d0}/assign"),
                Some(json!({"username": who})),
            )
            .await
            .status
        }
    };
    assert_eq!(assign(&ca, "coder").await, StatusCode::NO_CONTENT);
    assert_eq!(assign(&ca, "biller-b").await, StatusCode::BAD_REQUEST, "biller-b has no role in A");
    assert_eq!(assign(&cb, "coder").await, StatusCode::NOT_FOUND);
    assert_eq!(assign(&auditor, "coder").await, StatusCode::FORBIDDEN);
    let coder = s.user_for_login("coder").await.unwrap().unwrap().id;
    let again = call(&app, &ca, Method::GET, "/api/denials?by=payer", None).await;
    let mine = again
        .body
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["denials"].as_array().unwrap().clone())
        .find(|d| d["id"] == d0)
        .unwrap();
    assert_eq!(mine["assigned_to"], coder);
    // Appeal the first denied claim: a reason is required.
    let claim = denials[0]["claim_id"].as_i64().unwrap();
    // Its letter before the appeal: the claim, its denials, a place for the reason.
    let letter = format!("/api/claims/{claim}/appeal-letter");
    let (st, h, body) =
        call_raw(&app, &ca, Method::GET, &format!("{letter}?format=text"), Vec::new()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    let pcn = denials[0]["pcn"].as_str().unwrap();
    assert!(text.contains(&format!("Our claim no.:     {pcn}")), "{text}");
    assert!(text.contains(denials[0]["carc"].as_str().unwrap()), "{text}");
    assert!(text.contains("[State why the claim should be paid.]"), "{text}");
    let r = call(
        &app,
        &ca,
        Method::POST,
        &format!("/api/claims/{claim}/appeal"),
        Some(json!({"reason": " "})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = call(
        &app,
        &ca,
        Method::POST,
        &format!("/api/claims/{claim}/appeal"),
        Some(json!({"reason": "the service was authorized (ref 123)"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(r.body["denials"].as_u64().unwrap() >= 1);
    assert_eq!(
        call(&app, &ca, Method::GET, &format!("/api/claims/{claim}"), None).await.body["state"],
        "appealed"
    );
    let open: Vec<i64> = call(&app, &ca, Method::GET, "/api/denials", None)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["denials"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["claim_id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!open.contains(&claim), "an appealed claim's denials leave the queue");
    // After the appeal the letter carries its reason; as a PDF by default; billers and admins of
    // the practice only; a claim with no denial has none.
    let (_, _, body) =
        call_raw(&app, &ca, Method::GET, &format!("{letter}?format=text"), Vec::new()).await;
    assert!(String::from_utf8(body).unwrap().contains("the service was authorized (ref 123)"));
    let (st, h, body) = call_raw(&app, &ca, Method::GET, &letter, Vec::new()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/pdf");
    assert!(body.starts_with(b"%PDF-"));
    let (_, coder_client) = login(&app, "coder", PW).await;
    assert_eq!(
        call(&app, &coder_client, Method::GET, &letter, None).await.status,
        StatusCode::FORBIDDEN
    );
    let (_, cb) = login(&app, "biller-b", PW).await;
    assert_eq!(call(&app, &cb, Method::GET, &letter, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        call(&app, &ca, Method::GET, &format!("{letter}?format=doc"), None).await.status,
        StatusCode::BAD_REQUEST
    );
    let mut clean = None;
    for c in all_claims(&app, &ca, "paid").await {
        let id = c["id"].as_i64().unwrap();
        if call(&app, &ca, Method::GET, &format!("/api/claims/{id}"), None).await.body["denials"]
            == 0
        {
            clean = Some(id);
            break;
        }
    }
    let clean = clean.expect("a claim paid in full");
    let r = call(&app, &ca, Method::GET, &format!("/api/claims/{clean}/appeal-letter"), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("nothing to appeal"), "{:?}", r.body);
    // Correct another denied claim: the replacement is built, scrubbed and waits to be submitted.
    let other =
        denials.iter().map(|d| d["claim_id"].as_i64().unwrap()).find(|c| *c != claim).unwrap();
    let r = call(&app, &ca, Method::POST, &format!("/api/claims/{other}/correct"), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let new = r.body["claim"].as_i64().unwrap();
    assert!(["ready", "scrubbed"].contains(&r.body["state"].as_str().unwrap()), "{:?}", r.body);
    let replacement = call(&app, &ca, Method::GET, &format!("/api/claims/{new}"), None).await;
    assert_eq!(replacement.body["claim"]["frequency"], "7", "{:?}", replacement.body["claim"]);
    assert_eq!(replacement.body["practice"], practices[0]);
});

both!(dashboards_per_practice_and_across, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, _) = played_app(&s).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, admin) = login(&app, "admin", PW).await;
    let mine = call(&app, &ca, Method::GET, "/api/dashboard?weeks=4", None).await;
    assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
    let boards = mine.body.as_array().unwrap();
    assert_eq!(boards.len(), 1, "biller-a sees practice A only");
    let a = &boards[0];
    assert_eq!(a["practice"], practices[0]);
    let ar = a["ar_cents"].as_i64().unwrap();
    assert!(ar > 0);
    let aged: i64 =
        a["aging"].as_array().unwrap().iter().map(|b| b["value"].as_i64().unwrap()).sum();
    assert_eq!(aged, ar, "the aging buckets add up to the A/R");
    assert_eq!(a["insurance_cents"].as_i64().unwrap() + a["patient_cents"].as_i64().unwrap(), ar);
    assert!(!a["denial_reasons"].as_array().unwrap().is_empty(), "the test payer denied some");
    let trend = a["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 4);
    assert_eq!(trend[3]["as_of"], "2026-06-15");
    assert!(trend[3]["first_pass_rate"].as_f64().is_some_and(|r| (0.0..=1.0).contains(&r)));
    assert_eq!(trend[3]["ar_cents"], a["ar_cents"], "today's point is today's A/R");
    assert!(trend[3]["days_in_ar"].as_f64().is_some_and(|d| d > 0.0));
    assert_eq!(
        call(&app, &ca, Method::GET, "/api/dashboard?weeks=0", None).await.status,
        StatusCode::BAD_REQUEST
    );
    // The admin sees both practices and the total, which is their sum.
    let all = call(&app, &admin, Method::GET, "/api/dashboard?weeks=1", None).await;
    let boards = all.body.as_array().unwrap();
    assert_eq!(boards.len(), 3);
    assert!(boards[2]["practice"].is_null());
    let sum = boards[0]["ar_cents"].as_i64().unwrap() + boards[1]["ar_cents"].as_i64().unwrap();
    assert_eq!(boards[2]["ar_cents"].as_i64().unwrap(), sum);
});

both!(applying_a_suspended_payment_to_its_claim, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, _) = played_app(&s).await;
    let b = practices[1];
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, cb) = login(&app, "biller-b", PW).await;
    let (_, coder) = login(&app, "coder", PW).await;
    let (era, _) = answered_with_a_stranger(&app, &cb, b).await;
    // The CLP the payer mistyped was for this claim, which stays submitted meanwhile.
    let text = String::from_utf8(era).unwrap();
    let at = text.find("CLP*").unwrap() + 4;
    let meant = text[at..at + text[at..].find('*').unwrap()].to_string();
    let meant_id = s.claim_by_pcn(&meant).await.unwrap();
    assert_eq!(s.claim(meant_id).await.unwrap().state, ledger::lifecycle::ClaimState::Submitted);
    let item = call(&app, &cb, Method::GET, "/api/suspense", None).await.body[0].clone();
    let id = item["id"].as_i64().unwrap();
    let apply = format!("/api/suspense/{id}/apply");
    let to = |pcn: &str| Some(json!({ "claim": pcn }));
    // Who may: not A's biller (the entry is B's), not a coder.
    assert_eq!(
        call(&app, &ca, Method::POST, &apply, to(&meant)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&app, &coder, Method::POST, &apply, to(&meant)).await.status,
        StatusCode::FORBIDDEN
    );
    // A claim that does not exist, one of practice A, one already paid: refused, nothing changed.
    let a_claim = all_claims(&app, &ca, EVERY_STATE).await[0]["pcn"].as_str().unwrap().to_string();
    for pcn in ["NOSUCHCLAIM", a_claim.as_str()] {
        let r = call(&app, &cb, Method::POST, &apply, to(pcn)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{pcn}");
        assert!(
            r.body["message"].as_str().unwrap().contains("no claim of your practices"),
            "{:?}",
            r.body
        );
    }
    let paid = all_claims(&app, &cb, "paid,partially_paid,denied").await;
    let paid = paid[0]["pcn"].as_str().unwrap();
    let r = call(&app, &cb, Method::POST, &apply, to(paid)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("waiting for the payer"), "{:?}", r.body);
    let journal = s.count("journal").await.unwrap();
    assert_eq!(
        call(&app, &cb, Method::GET, "/api/suspense", None).await.body.as_array().unwrap().len(),
        1
    );
    // The claim it was for: posted as if the 835 had named it, the entry resolved.
    let r = call(&app, &cb, Method::POST, &apply, to(&meant)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["posting"]["claims_matched"], 1);
    assert_eq!(r.body["posting"]["paid_cents"], item["amount_cents"]);
    assert_eq!(r.body["suspense"]["resolution"], format!("applied to claim {meant}"));
    assert_eq!(r.body["suspense"]["resolved_by"], "biller-b");
    assert!(s.count("journal").await.unwrap() > journal);
    assert_ne!(s.claim(meant_id).await.unwrap().state, ledger::lifecycle::ClaimState::Submitted);
    assert!(
        call(&app, &cb, Method::GET, "/api/suspense", None)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    let again = call(&app, &cb, Method::POST, &apply, to(&meant)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(store::testing::journal_day_agrees(&s).await.unwrap());
    assert!(store::testing::daily_figures_agree(&s).await.unwrap());
    let audit = s.audit_events(None, 0, 20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "apply" && a.record == format!("suspense/{id}")));
});

both!(a_patients_encounters_ledger_and_statements, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, _) = played_app(&s).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, coder) = login(&app, "coder", PW).await;
    // Statements: billers of the practice only; a second run the same day sends nothing twice.
    let ask = json!({"practice": practices[0]});
    let r = call(&app, &coder, Method::POST, "/api/statements", Some(ask.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        call(&app, &ca, Method::POST, "/api/statements", Some(json!({"practice": practices[1]})))
            .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let sent = call(&app, &ca, Method::POST, "/api/statements", Some(ask.clone())).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    let ids: Vec<i64> =
        sent.body["sent"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len() as u64, sent.body["statements"].as_u64().unwrap());
    let again = call(&app, &ca, Method::POST, "/api/statements", Some(ask)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["statements"], 0);
    assert_eq!(again.body["already_sent"].as_u64().unwrap(), ids.len() as u64);
    // The statement's text, and its guarantor's screen.
    let text = call(&app, &ca, Method::GET, &format!("/api/statements/{}", ids[0]), None).await;
    assert_eq!(text.status, StatusCode::OK);
    assert!(text.body["body"].as_str().unwrap().contains("AMOUNT DUE"), "{:?}", text.body);
    let due = text.body["total_cents"].as_i64().unwrap();
    let guarantor = text.body["guarantor_id"].as_i64().unwrap();
    let p = call(&app, &ca, Method::GET, &format!("/api/patients/{guarantor}"), None).await;
    assert_eq!(p.status, StatusCode::OK);
    let p = p.body;
    assert_eq!(p["statements"][0]["id"], ids[0]);
    assert_eq!(p["statements"][0]["total_cents"], due);
    // Encounters, newest first, with their diagnoses.
    let encounters = p["encounters"].as_array().unwrap();
    assert!(!encounters.is_empty());
    assert!(
        encounters
            .iter()
            .all(|e| !e["diagnoses"].as_array().unwrap().is_empty() || e["status"] == "open")
    );
    let dates: Vec<&str> = encounters.iter().map(|e| e["service_date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    // The ledger: oldest first, a running balance that ends at what is owed, which the
    // statement (for a guarantor who is the patient) asks for.
    let ledger = p["ledger"].as_array().unwrap();
    assert!(!ledger.is_empty());
    assert_eq!(p["ledger_truncated"], false);
    let posted: Vec<&str> = ledger.iter().map(|l| l["posting_date"].as_str().unwrap()).collect();
    assert!(posted.windows(2).all(|w| w[0] <= w[1]), "{posted:?}");
    let mut running = 0;
    for l in ledger {
        running += l["amount_cents"].as_i64().unwrap();
        assert_eq!(l["balance_cents"].as_i64().unwrap(), running, "{l:?}");
    }
    let (patient, insurance) = (
        p["patient_balance_cents"].as_i64().unwrap(),
        p["insurance_balance_cents"].as_i64().unwrap(),
    );
    assert_eq!(running, patient + insurance);
    assert!(patient > 0, "the guarantor owes what the statement asked for");
    assert!(
        ledger.iter().any(|l| l["kind"] == "charge")
            && ledger.iter().any(|l| l["kind"] == "payment")
    );
    // Another practice's biller: the statement does not exist for them.
    let (_, cb) = login(&app, "biller-b", PW).await;
    let r = call(&app, &cb, Method::GET, &format!("/api/statements/{}", ids[0]), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let audit = s.audit_events(None, 0, 50).await.unwrap();
    assert!(
        audit.iter().any(|a| a.action == "read" && a.record == format!("statement/{}", ids[0]))
    );
});

both!(audit_log_exports_as_csv, async |db: &TestDb| {
    let s = db.store().await;
    let (app, _) = demo_app(&s, Policy::default()).await;
    let (_, auditor) = login(&app, "auditor", PW).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    let _ = call(&app, &ca, Method::GET, "/api/patients?limit=3", None).await;
    let (st, h, body) =
        call_raw(&app, &auditor, Method::GET, "/api/audit/export", Vec::new()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "id,at,user,action,record,practice,address,detail");
    assert!(lines.iter().any(|l| l.contains(",biller-a,list,patient,")), "{text}");
    // Newest first: the export's own event heads the list.
    assert!(lines[1].contains(",auditor,export,audit_log,"), "{}", lines[1]);
    let (st, _, _) = call_raw(&app, &ca, Method::GET, "/api/audit/export", Vec::new()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});

fn id_of(users: &Value, login: &str) -> i64 {
    users.as_array().unwrap().iter().find(|u| u["login"] == login).unwrap()["id"].as_i64().unwrap()
}

both!(administering_users_and_roles, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices) = demo_app(&s, Policy::default()).await;
    let (a, b) = (practices[0], practices[1]);
    let (_, admin) = login(&app, "admin", PW).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    let users = call(&app, &admin, Method::GET, "/api/admin/users", None).await;
    assert_eq!(users.status, StatusCode::OK);
    let logins: Vec<&str> =
        users.body.as_array().unwrap().iter().map(|u| u["login"].as_str().unwrap()).collect();
    assert_eq!(logins, ["admin", "auditor", "biller-a", "biller-b", "coder"]);
    assert_eq!(users.body[2]["roles"], json!([{"practice": a, "role": "biller"}]));
    assert_eq!(
        call(&app, &ca, Method::GET, "/api/admin/users", None).await.status,
        StatusCode::FORBIDDEN
    );

    // A new user: the form is checked before anything is saved.
    let bad = call(
        &app,
        &admin,
        Method::POST,
        "/api/admin/users",
        Some(json!({"login": "biller-c", "name": "C", "password": "short"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body["message"].as_str().unwrap().contains("at least 12"), "{:?}", bad.body);
    let bad = call(
        &app,
        &admin,
        Method::POST,
        "/api/admin/users",
        Some(json!({"login": "biller c", "name": "C", "password": "a long enough phrase"})),
    )
    .await;
    assert!(bad.body["message"].as_str().unwrap().contains("login \"biller c\""), "{:?}", bad.body);
    let taken = call(
        &app,
        &admin,
        Method::POST,
        "/api/admin/users",
        Some(json!({"login": "Biller-A", "name": "C", "password": "a long enough phrase"})),
    )
    .await;
    assert!(taken.body["message"].as_str().unwrap().contains("is taken"), "{:?}", taken.body);
    let made = call(
        &app,
        &admin,
        Method::POST,
        "/api/admin/users",
        Some(json!({
        "login": "biller-c", "name": "Clinic Biller Two", "password": "a long enough phrase",
        "roles": [{"practice": a, "role": "biller"}]})),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let c_id = made.body["id"].as_i64().unwrap();
    let (ok, cc) = login(&app, "biller-c", "a long enough phrase").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(all_patients(&app, &cc).await.iter().all(|p| p["practice"] == a));

    // Roles per practice: granted, then taken away.
    let role = format!("/api/admin/users/{c_id}/roles");
    let g = call(&app, &admin, Method::POST, &role, Some(json!({"practice": b, "role": "biller"})))
        .await;
    assert_eq!(g.status, StatusCode::OK, "{:?}", g.body);
    assert_eq!(g.body["roles"].as_array().unwrap().len(), 2);
    assert!(all_patients(&app, &cc).await.iter().any(|p| p["practice"] == b));
    let bad =
        call(&app, &admin, Method::POST, &role, Some(json!({"practice": b, "role": "owner"})))
            .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let r =
        call(&app, &admin, Method::DELETE, &format!("{role}?practice={b}&role=biller"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(all_patients(&app, &cc).await.iter().all(|p| p["practice"] == a));
    // A practice keeps an admin.
    let admin_id = id_of(&users.body, "admin");
    let r = call(
        &app,
        &admin,
        Method::DELETE,
        &format!("/api/admin/users/{admin_id}/roles?practice={a}&role=admin"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("no admin left"), "{:?}", r.body);

    // Disabled: the session ends and sign-in fails; enabled again, it works.
    let user = format!("/api/admin/users/{c_id}");
    let d = call(&app, &admin, Method::PUT, &user, Some(json!({"disabled": true}))).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body["disabled"], true);
    assert_eq!(
        call(&app, &cc, Method::GET, "/api/me", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&app, "biller-c", "a long enough phrase").await.0.status,
        StatusCode::UNAUTHORIZED
    );
    let me = call(
        &app,
        &admin,
        Method::PUT,
        &format!("/api/admin/users/{admin_id}"),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(me.status, StatusCode::BAD_REQUEST, "nobody disables themselves");
    call(&app, &admin, Method::PUT, &user, Some(json!({"disabled": false}))).await;
    // Locked after failures, unlocked by an admin.
    for _ in 0..5 {
        login(&app, "biller-c", "wrong password").await;
    }
    assert_eq!(login(&app, "biller-c", "a long enough phrase").await.0.status, StatusCode::LOCKED);
    let u = call(
        &app,
        &admin,
        Method::PUT,
        &user,
        Some(json!({"unlock": true, "name": "Clinic Biller 2"})),
    )
    .await;
    assert_eq!(u.body["locked_until"], Value::Null);
    assert_eq!(u.body["name"], "Clinic Biller 2");
    let (ok, cc) = login(&app, "biller-c", "a long enough phrase").await;
    assert_eq!(ok.status, StatusCode::OK);
    // A new password ends the user's sessions.
    call(&app, &admin, Method::PUT, &user, Some(json!({"password": "another long phrase"}))).await;
    assert_eq!(
        call(&app, &cc, Method::GET, "/api/me", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(login(&app, "biller-c", "another long phrase").await.0.status, StatusCode::OK);
    // A change with a part refused changes nothing: not the password, not the lock state.
    let long = "n".repeat(201);
    let r = call(
        &app,
        &admin,
        Method::PUT,
        &user,
        Some(json!({"password": "a third long phrase", "name": long, "disabled": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("name"), "{:?}", r.body);
    assert_eq!(login(&app, "biller-c", "another long phrase").await.0.status, StatusCode::OK);

    // An admin of practice A alone manages A's people only.
    let made = call(
        &app,
        &admin,
        Method::POST,
        "/api/admin/users",
        Some(json!({
        "login": "admin-a", "name": "Clinic Admin", "password": "a long enough phrase",
        "roles": [{"practice": a, "role": "admin"}]})),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let (_, aa) = login(&app, "admin-a", "a long enough phrase").await;
    let seen = call(&app, &aa, Method::GET, "/api/admin/users", None).await.body;
    let logins: Vec<&str> =
        seen.as_array().unwrap().iter().map(|u| u["login"].as_str().unwrap()).collect();
    assert!(!logins.contains(&"biller-b"), "{logins:?}");
    assert!(logins.contains(&"biller-a") && logins.contains(&"coder"));
    // The coder also works for B: A's admin sees only the role in A and cannot change the user.
    let coder = id_of(&seen, "coder");
    assert_eq!(
        seen.as_array().unwrap().iter().find(|u| u["id"] == coder).unwrap()["roles"],
        json!([{"practice": a, "role": "coder"}])
    );
    let r = call(
        &app,
        &aa,
        Method::PUT,
        &format!("/api/admin/users/{coder}"),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let bb = id_of(&users.body, "biller-b");
    let r =
        call(&app, &aa, Method::PUT, &format!("/api/admin/users/{bb}"), Some(json!({"name": "x"})))
            .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call(
        &app,
        &aa,
        Method::POST,
        &format!("/api/admin/users/{c_id}/roles"),
        Some(json!({"practice": b, "role": "biller"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "B does not exist for A's admin");
    // What the whole service shares is a service admin's.
    let r = call(
        &app,
        &aa,
        Method::POST,
        "/api/payers",
        Some(json!({"name": "X", "code": "X1",
        "filing_indicator": "CI", "timely_filing_days": 90, "appeal_days": 60})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Every change is in the audit log.
    let log = call(&app, &admin, Method::GET, "/api/audit?limit=100", None).await.body;
    let actions: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["action"].as_str().unwrap(), e["record"].as_str().unwrap()))
        .collect();
    for want in [
        format!("create user/{c_id}"),
        format!("disable user/{c_id}"),
        format!("unlock user/{c_id}"),
        format!("revoke user_role/{c_id}"),
        format!("set password user/{c_id}"),
    ] {
        assert!(actions.contains(&want), "{want} not in {actions:?}");
    }
});

both!(administering_practices_payers_and_fees, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices) = demo_app(&s, Policy::default()).await;
    let a = practices[0];
    let (_, admin) = login(&app, "admin", PW).await;
    let (_, ca) = login(&app, "biller-a", PW).await;
    // Practices: each user lists their own.
    let mine = call(&app, &ca, Method::GET, "/api/practices", None).await.body;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["id"], a);
    let new = json!({"name": "Eastside Pediatrics", "npi": "1234567890", "tax_id": "12-3456789", "claim_prefix": "EP"});
    let bad = call(&app, &admin, Method::POST, "/api/practices", Some(new.clone())).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body["message"].as_str().unwrap().contains("NPI"), "{:?}", bad.body);
    let mut good = new.clone();
    good["npi"] = json!("1234567893");
    assert_eq!(
        call(&app, &ca, Method::POST, "/api/practices", Some(good.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    let made = call(&app, &admin, Method::POST, "/api/practices", Some(good.clone())).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let p = made.body["id"].as_i64().unwrap();
    let again = call(&app, &admin, Method::POST, "/api/practices", Some(good)).await;
    assert!(again.body["message"].as_str().unwrap().contains("already named"), "{:?}", again.body);
    let me = call(&app, &admin, Method::GET, "/api/me", None).await.body;
    assert!(me["grants"].as_array().unwrap().contains(&json!({"practice": p, "role": "admin"})));
    let all = call(&app, &admin, Method::GET, "/api/practices", None).await.body;
    assert_eq!(all.as_array().unwrap().last().unwrap()["tax_id"], "123456789");

    // Payers.
    let payers = call(&app, &ca, Method::GET, "/api/payers", None).await.body;
    assert!(!payers["payers"].as_array().unwrap().is_empty());
    let tp = payers["trading_partners"][0]["id"].as_i64().unwrap();
    let payer = json!({"name": "Acme Health", "code": "ACME1", "filing_indicator": "ZZZ",
        "timely_filing_days": 180, "appeal_days": 60, "trading_partner": tp});
    let bad = call(&app, &admin, Method::POST, "/api/payers", Some(payer.clone())).await;
    assert!(
        bad.body["message"].as_str().unwrap().contains("filing indicator \"ZZZ\""),
        "{:?}",
        bad.body
    );
    let mut payer = payer;
    payer["filing_indicator"] = json!("CI");
    let dup = call(&app, &admin, Method::POST, "/api/payers", Some(payer.clone())).await;
    assert!(
        dup.body["message"].as_str().unwrap().contains("is \"Acme Health Plan\"'s"),
        "{:?}",
        dup.body
    );
    payer["code"] = json!("ACME2");
    let made = call(&app, &admin, Method::POST, "/api/payers", Some(payer.clone())).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().unwrap();
    payer["timely_filing_days"] = json!(90);
    let put =
        call(&app, &admin, Method::PUT, &format!("/api/payers/{id}"), Some(payer.clone())).await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    let listed = call(&app, &admin, Method::GET, "/api/payers", None).await.body;
    let acme = listed["payers"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap().clone();
    assert_eq!(acme["timely_filing_days"], 90);
    assert_eq!(
        call(&app, &ca, Method::PUT, &format!("/api/payers/{id}"), Some(payer)).await.status,
        StatusCode::FORBIDDEN
    );

    // Fee schedules: everyone in the practice reads it, its admins change it.
    let fees = format!("/api/practices/{a}/fees");
    let before = call(&app, &ca, Method::GET, &fees, None).await;
    assert_eq!(before.status, StatusCode::OK);
    let n = before.body.as_array().unwrap().len();
    assert!(n > 0);
    let fee = json!({"code": "99214", "modifier": "25", "charge_cents": 21_000});
    assert_eq!(
        call(&app, &ca, Method::PUT, &fees, Some(fee.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    let bad =
        call(&app, &admin, Method::PUT, &fees, Some(json!({"code": "9921", "charge_cents": 1})))
            .await;
    assert!(bad.body["message"].as_str().unwrap().contains("five-character"), "{:?}", bad.body);
    let set = call(&app, &admin, Method::PUT, &fees, Some(fee)).await;
    assert_eq!(set.status, StatusCode::OK);
    assert!(
        set.body
            .as_array()
            .unwrap()
            .contains(&json!({"code": "99214", "modifier": "25", "charge_cents": 21_000}))
    );
    let gone =
        call(&app, &admin, Method::DELETE, &format!("{fees}?code=99214&modifier=25"), None).await;
    assert_eq!(gone.body.as_array().unwrap().len(), n);
    let missing =
        call(&app, &admin, Method::DELETE, &format!("{fees}?code=99214&modifier=25"), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let log = call(&app, &admin, Method::GET, "/api/audit?limit=20", None).await.body;
    let details: Vec<&str> =
        log.as_array().unwrap().iter().filter_map(|e| e["detail"].as_str()).collect();
    assert!(details.contains(&"99214-25: none -> 21000"), "{details:?}");
    assert!(details.contains(&"99214-25: 21000 -> none"), "{details:?}");
});

both!(working_the_suspense_queue, async |db: &TestDb| {
    let s = db.store().await;
    let (app, practices, _) = played_app(&s).await;
    let b = practices[1];
    let (_, ca) = login(&app, "biller-a", PW).await;
    let (_, cb) = login(&app, "biller-b", PW).await;
    let (_, coder) = login(&app, "coder", PW).await;
    let (_, posted) = answered_with_a_stranger(&app, &cb, b).await;
    assert_eq!(posted["posting"]["claims_unmatched"], 1, "{posted:?}");
    // B's biller sees the CLP that matched nothing, with what identifies the money.
    let q = call(&app, &cb, Method::GET, "/api/suspense", None).await;
    assert_eq!(q.status, StatusCode::OK);
    let items = q.body.as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    let item = &items[0];
    assert_eq!(item["kind"], "unmatched_claim");
    assert_eq!(item["practice"], b);
    assert_eq!(item["pcn"], "ZZNOTOURS1");
    assert!(!item["trace"].as_str().unwrap().is_empty());
    let id = item["id"].as_i64().unwrap();
    // Not A's biller, not a coder.
    assert!(
        call(&app, &ca, Method::GET, "/api/suspense", None)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        call(&app, &coder, Method::GET, "/api/suspense", None).await.status,
        StatusCode::FORBIDDEN
    );
    let resolve = format!("/api/suspense/{id}/resolve");
    let r = call(&app, &ca, Method::POST, &resolve, Some(json!({"resolution": "x"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Resolved once, with what was done.
    let r = call(&app, &cb, Method::POST, &resolve, Some(json!({"resolution": " "}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = call(
        &app,
        &cb,
        Method::POST,
        &resolve,
        Some(json!({"resolution": "not our patient: returned to the payer"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["resolved_by"], "biller-b");
    let again = call(&app, &cb, Method::POST, &resolve, Some(json!({"resolution": "again"}))).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body["message"].as_str().unwrap().contains("already resolved"));
    assert!(
        call(&app, &cb, Method::GET, "/api/suspense", None)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (_, admin) = login(&app, "admin", PW).await;
    let log = call(&app, &admin, Method::GET, "/api/audit?limit=10", None).await.body;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "resolve" && e["record"] == format!("suspense/{id}"))
    );
});

both!(fixing_a_claim_from_its_screen, async |db: &TestDb| {
    let s = db.store().await;
    let (_, practices, _) = played_app(&s).await;
    let tmp = tempfile::tempdir().unwrap();
    let lib = test_support::sample_library(tmp.path());
    let engines = backoffice::engines::Engines::from_library(lib);
    let mut state = AppState::new(s.clone(), Some(engines), Policy::default());
    state.today = Some("2026-06-15".parse().unwrap());
    let app = server::app(state);
    // Practice B's claims wait in the ready queue after the played month.
    let (_, cb) = login(&app, "biller-b", PW).await;
    let ready = all_claims(&app, &cb, "ready").await;
    let id = ready.iter().find(|c| c["practice"] == practices[1]).unwrap()["id"].as_i64().unwrap();
    let path = format!("/api/claims/{id}");
    let before = call(&app, &cb, Method::GET, &path, None).await.body;
    let dx: Vec<Value> = before["claim"]["diagnoses"].as_array().unwrap().clone();
    let codes: Vec<&str> = dx.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // The claim's diagnoses (with their POA) with another principal code.
    let with = |principal: &str| {
        let list: Vec<Value> = dx
            .iter()
            .enumerate()
            .map(|(i, d)| json!({"code": if i == 0 { principal } else { d["code"].as_str().unwrap() }, "poa": d["poa"]}))
            .collect();
        json!({"diagnoses": list})
    };
    // A category instead of a code: the scrubber holds the claim and says why.
    let bad = call(&app, &cb, Method::PUT, &path, Some(with("E11"))).await;
    assert_eq!(bad.status, StatusCode::OK, "{:?}", bad.body);
    let mut after = codes.clone();
    after[0] = "E11";
    assert_eq!(
        bad.body["changes"][0],
        format!("diagnoses {} → {}", codes.join(" "), after.join(" "))
    );
    assert_eq!(bad.body["claim"]["state"], "scrubbed");
    let findings = bad.body["claim"]["findings_list"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["message"].as_str().unwrap().contains("E11")),
        "{findings:?}"
    );
    assert!(all_claims(&app, &cb, "scrubbed").await.iter().any(|c| c["id"] == id));
    // Fixed: clean again, ready to go, and the history says what was done.
    let fixed = call(&app, &cb, Method::PUT, &path, Some(with(codes[0]))).await;
    assert_eq!(fixed.body["claim"]["state"], "ready", "{:?}", fixed.body);
    let history: Vec<&str> = fixed.body["claim"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert!(history.iter().any(|r| r.starts_with("edited: diagnoses")), "{history:?}");
    // The same values again change nothing.
    let same = call(&app, &cb, Method::PUT, &path, Some(with(codes[0]))).await;
    assert_eq!(same.body["changes"], json!([]));
    // A malformed value is refused and nothing changes.
    let r = call(
        &app,
        &cb,
        Method::PUT,
        &path,
        Some(json!({"lines": [{"line": 1, "modifiers": ["2"]}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("line 1: modifier \"2\""), "{:?}", r.body);
    assert_eq!(call(&app, &cb, Method::GET, &path, None).await.body["state"], "ready");
    // Who may: coders yes, auditors no, the other practice's biller does not see it.
    let (_, coder) = login(&app, "coder", PW).await;
    let r = call(&app, &coder, Method::PUT, &path, Some(with(codes[0]))).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let (_, auditor) = login(&app, "auditor", PW).await;
    let r = call(&app, &auditor, Method::PUT, &path, Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (_, ca) = login(&app, "biller-a", PW).await;
    let r = call(&app, &ca, Method::PUT, &path, Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A claim the payer adjudicated is corrected by a replacement, not edited.
    let paid = all_claims(&app, &ca, "paid").await;
    let uri = format!("/api/claims/{}", paid[0]["id"]);
    let r =
        call(&app, &ca, Method::PUT, &uri, Some(json!({"lines": [{"line": 1, "units": 2}]}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("replacement claim"), "{:?}", r.body);
});
