//! What the server's integration tests share: a client that signs in and calls the router
//! without a socket, and the demo billing service with its users' passwords set.
#![allow(dead_code, unreachable_pub)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use server::{AppState, Policy};
use store::{Actor, Store};
use tower::ServiceExt;

/// A signed-in client: the session cookie and CSRF token.
#[derive(Clone, Default)]
pub struct Client {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

pub async fn call(
    app: &Router,
    c: &Client,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> Answer {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(k) = &c.cookie {
        b = b.header(header::COOKIE, k);
    }
    if let Some(t) = &c.csrf {
        b = b.header("x-csrf-token", t);
    }
    if let Some(t) = &c.bearer {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

pub async fn login(app: &Router, user: &str, password: &str) -> (Answer, Client) {
    let a = call(
        app,
        &Client::default(),
        Method::POST,
        "/api/login",
        Some(json!({"username": user, "password": password})),
    )
    .await;
    let cookies: Vec<String> = a
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("sb_session="))
        .map(|c| c.split(';').next().unwrap().to_string());
    let csrf = a.body["csrf"].as_str().map(String::from);
    (a, Client { cookie: session, csrf, bearer: None })
}

pub const PW: &str = "superbill-demo";

/// The demo billing service (small) with the demo users' passwords set.
pub async fn demo_app(s: &Store, policy: Policy) -> (Router, Vec<i64>) {
    let seeded = backoffice::demo::seed(
        s,
        &Actor::system("test"),
        "2026-06-15".parse().unwrap(),
        backoffice::demo::Size { patients: 40, days: 10, stays: 2 },
    )
    .await
    .unwrap();
    let hash = server::auth::hash_password(PW).unwrap();
    for login in ["admin", "coder", "biller-a", "biller-b", "auditor"] {
        let u = s.user_for_login(login).await.unwrap().unwrap();
        s.set_password_hash(&Actor::system("test"), u.id, &hash).await.unwrap();
    }
    let mut state = AppState::new(s.clone(), None, policy);
    state.today = Some("2026-06-15".parse().unwrap());
    (server::app(state), seeded.practices)
}

/// Every item of a paged list (`uri` with its query, `limit` included), following the cursor;
/// each page but the last says where the next one is in `X-Next-Cursor` and `Link`.
pub async fn all_pages(app: &Router, c: &Client, uri: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = uri.to_string();
    loop {
        let a = call(app, c, Method::GET, &next, None).await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        out.extend(a.body.as_array().unwrap().iter().cloned());
        match a.headers.get("x-next-cursor") {
            Some(n) => next = format!("{uri}&cursor={}", n.to_str().unwrap()),
            None => break,
        }
        assert!(a.headers.get(header::LINK).is_some());
    }
    out
}

/// Every patient a client can list, following the cursor.
pub async fn all_patients(app: &Router, c: &Client) -> Vec<Value> {
    all_pages(app, c, "/api/patients?limit=7").await
}

/// A request with a raw body (an uploaded file), answering the raw bytes.
pub async fn call_raw(
    app: &Router,
    c: &Client,
    method: Method,
    uri: &str,
    body: Vec<u8>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(k) = &c.cookie {
        b = b.header(header::COOKIE, k);
    }
    if let Some(t) = &c.csrf {
        b = b.header("x-csrf-token", t);
    }
    let req = b.header(header::CONTENT_TYPE, "application/edi-x12").body(Body::from(body)).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}
