//! Nothing of a patient reaches the log. Alone in its own test binary: the capture is a
//! thread's tracing subscriber, which other tests running at once in one process would share
//! tracing's callsite state with.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use server::Policy;
use test_support::TestDb;

/// A log sink for the test below.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn nothing_of_a_patient_reaches_the_log() {
    let log = Captured::default();
    let sink = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let db = TestDb::sqlite().await;
    let s = db.store().await;
    let (app, _) = demo_app(&s, Policy::default()).await;
    let (_, c) = login(&app, "biller-a", PW).await;
    let first = all_patients(&app, &c).await[0].clone();
    let (id, last, given, born) = (
        first["id"].as_i64().unwrap(),
        first["last_name"].as_str().unwrap().to_string(),
        first["first_name"].as_str().unwrap().to_string(),
        first["birth_date"].as_str().unwrap().to_string(),
    );
    let r = call(&app, &c, Method::GET, &format!("/api/patients?q={last}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = call(&app, &c, Method::GET, &format!("/api/patients/{id}"), None).await;
    assert_eq!(r.body["last_name"], last.as_str());
    call(&app, &c, Method::GET, "/api/patients/99999999", None).await;
    login(&app, "biller-a", "Secret-Guess-123").await;
    call(&app, &c, Method::GET, "/api/patients?limit=oops", None).await;
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("GET /api/patients/{id} 200"), "requests are logged: {text}");
    assert!(text.contains("POST /api/login 401"), "{text}");
    for secret in [last.as_str(), given.as_str(), born.as_str(), "Secret-Guess-123", "99999999"] {
        assert!(!text.contains(secret), "{secret:?} reached the log:\n{text}");
    }
    assert!(!text.contains(&format!("/api/patients/{id}")), "{text}");
    db.finish().await;
}
