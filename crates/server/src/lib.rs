//! superbill's web app: a JSON API (described by the OpenAPI document at `/api/openapi.json`,
//! generated from the handlers) over the store and the engines, with sign-in, sessions, CSRF,
//! roles per practice and an audit trail of every read and write of patient data.
//!
//! The router is a plain value ([`app`]) so that tests drive it without a socket; [`serve`]
//! binds it to an address.

pub mod admin;
pub mod api;
pub mod auth;
pub mod billing;
pub mod coding;
pub mod dashboard;
mod error;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

pub use auth::Policy;
pub use error::ApiError;

/// What every request shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: store::Store,
    /// The installed code sets, edit tables and grouper (code search, the coding screen's
    /// checks, scrubbing).
    pub engines: Arc<backoffice::engines::Engines>,
    /// Sign-in rules.
    pub policy: Arc<Policy>,
    /// Where submitted 837 files are written (`batches/` under it).
    pub files_dir: std::path::PathBuf,
    /// What the app takes as today (the CLI's `--today`), else the calendar's date (UTC).
    pub today: Option<code_sets::Date>,
}

impl AppState {
    /// State over a store and the installed engines (`None`: nothing installed).
    pub fn new(
        store: store::Store,
        engines: Option<backoffice::engines::Engines>,
        policy: Policy,
    ) -> Self {
        let engines = engines
            .unwrap_or_else(|| backoffice::engines::Engines::from_library(Default::default()));
        AppState {
            store,
            engines: Arc::new(engines),
            policy: Arc::new(policy),
            files_dir: std::env::temp_dir().join("superbill-files"),
            today: None,
        }
    }

    /// Today's date.
    pub fn today(&self) -> code_sets::Date {
        self.today.unwrap_or_else(|| {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs() as i64;
            code_sets::Date::from_day_number(secs / 86_400)
                .unwrap_or_else(|| code_sets::Date::fiscal_year_start(2026))
        })
    }
}

/// The Content-Security-Policy of every response: nothing from elsewhere, no inline script.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The whole application: the API and its OpenAPI document, behind the security headers.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api::routes().split_for_parts();
    // Serialized once: the document does not change while the server runs.
    let doc: Arc<str> = serde_json::to_string(&doc).unwrap_or_default().into();
    api.route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let doc = doc.clone();
            async move {
                (
                    [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                    doc.to_string(),
                )
            }
        }),
    )
    .route("/", axum::routing::get(|| asset("text/html; charset=utf-8", INDEX_HTML)))
    .route("/assets/app.js", axum::routing::get(|| asset("text/javascript; charset=utf-8", APP_JS)))
    .route("/assets/app.css", axum::routing::get(|| asset("text/css; charset=utf-8", APP_CSS)))
    .layer(axum::middleware::from_fn_with_state(state.policy.secure_cookies, security_headers))
    .layer(axum::middleware::from_fn(log_request))
    .layer(axum::middleware::from_fn(client_address))
    .with_state(state)
}

// The screens, compiled into the binary: nothing is loaded from anywhere else.
const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");

async fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut res = Response::new(axum::body::Body::from(body));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// The OpenAPI document (what `/api/openapi.json` serves).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::routes().split_for_parts().1
}

/// The client's address, kept in the request for the audit log ("unknown" without a socket).
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

async fn client_address(mut req: Request, next: Next) -> Response {
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientAddress(addr));
    next.run(req).await
}

/// Logs each request as its method, route template (`/api/patients/{id}`, never the ID or the
/// query string, which can carry a name), status and time: nothing of a patient reaches the log.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(no route)".into());
    let start = std::time::Instant::now();
    let res = next.run(req).await;
    tracing::info!(
        target: "superbill::request",
        "{method} {route} {} {} ms",
        res.status().as_u16(),
        start.elapsed().as_millis()
    );
    res
}

/// The headers of every answer; over TLS (`tls`), browsers are also told to use nothing else for
/// this host for a year (HSTS).
async fn security_headers(
    axum::extract::State(tls): axum::extract::State<bool>,
    req: Request,
    next: Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    res
}

/// Whether a method changes state (and so needs the CSRF token).
pub(crate) fn changes_state(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A certificate chain and its private key, PEM files, for serving over TLS.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// The certificate chain (the server's certificate first).
    pub cert: std::path::PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: std::path::PathBuf,
}

/// Serves the app on `listen` (over TLS with rustls when `tls` names a certificate) until
/// Ctrl-C, calling `ready` once connections are accepted.
pub async fn serve(
    state: AppState,
    listen: SocketAddr,
    tls: Option<TlsFiles>,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let make = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let Some(tls) = tls else {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("listening on {listen}: {e}"))?;
        ready(listener.local_addr()?);
        axum::serve(listener, make)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        return Ok(());
    };
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "reading the TLS certificate {} and key {}: {e}",
                tls.cert.display(),
                tls.key.display()
            )
        })?;
    let listener = std::net::TcpListener::bind(listen)
        .map_err(|e| anyhow::anyhow!("listening on {listen}: {e}"))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let handle = axum_server::Handle::new();
    let stop = handle.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        stop.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    let server = axum_server::from_tcp_rustls(listener, config)?.handle(handle);
    ready(addr);
    server.serve(make).await?;
    Ok(())
}
