//! The JSON API. Each handler carries its OpenAPI description (`#[utoipa::path]`) and is
//! registered with `routes!`, which adds the route and its description together, so the
//! document at `/api/openapi.json` lists exactly the routes the router serves.

use std::time::{Duration, SystemTime};

use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header::{AUTHORIZATION, COOKIE, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, Caller};
use crate::{ApiError, AppState, ClientAddress};

/// The session cookie (HttpOnly: scripts never see it).
pub const SESSION_COOKIE: &str = "sb_session";
/// The CSRF cookie (readable by the page's script, which echoes it as `X-CSRF-Token`).
pub const CSRF_COOKIE: &str = "sb_csrf";
/// How often a session's last use is written (its idle timeout is counted from it).
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// The header state-changing requests of a session carry.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "superbill",
        description = "Medical coding and billing: patients, claims, remittances, code search and the audit log. \
Sign in with POST /api/login (a session cookie; state-changing requests then carry the X-CSRF-Token header) \
or send an API token as `Authorization: Bearer …`."
    ),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// Every API route with its description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_patients))
        .routes(routes!(get_patient))
        .routes(routes!(get_statement))
        .routes(routes!(crate::billing::send_statements))
        .routes(routes!(search_codes))
        .routes(routes!(list_claims))
        .routes(routes!(get_claim, crate::billing::edit_claim))
        .routes(routes!(list_audit))
        .routes(routes!(export_audit))
        .routes(routes!(create_token))
        .routes(routes!(crate::coding::list_encounters))
        .routes(routes!(crate::coding::get_encounter))
        .routes(routes!(crate::coding::check_coding))
        .routes(routes!(crate::coding::save_coding))
        .routes(routes!(crate::billing::submit_batch, crate::billing::list_batches))
        .routes(routes!(crate::billing::batch_file))
        .routes(routes!(crate::billing::list_denials))
        .routes(routes!(crate::dashboard::dashboard))
        .routes(routes!(crate::billing::assign_denial))
        .routes(routes!(crate::billing::appeal_claim))
        .routes(routes!(crate::billing::appeal_letter))
        .routes(routes!(crate::billing::correct_claim))
        .routes(routes!(crate::billing::list_suspense))
        .routes(routes!(crate::billing::resolve_suspense))
        .routes(routes!(crate::billing::apply_suspense))
        .routes(routes!(crate::admin::list_users, crate::admin::create_user))
        .routes(routes!(crate::admin::update_user))
        .routes(routes!(crate::admin::grant_role, crate::admin::revoke_role))
        .routes(routes!(crate::admin::list_practices, crate::admin::create_practice))
        .routes(routes!(crate::admin::list_payers, crate::admin::create_payer))
        .routes(routes!(crate::admin::update_payer))
        .routes(routes!(crate::admin::list_fees, crate::admin::set_fee, crate::admin::remove_fee))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(crate::billing::upload))
                .layer(axum::extract::DefaultBodyLimit::max(crate::billing::UPLOAD_LIMIT)),
        )
}

/// An error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `unauthorized`, `bad_credentials`, `totp_required`, `locked`, `csrf`,
    /// `forbidden`, `not_found`, `bad_request`, `internal`.
    pub error: String,
    /// What happened and what to do.
    pub message: String,
}

// ---------------------------------------------------------------------------------------------
// Who is asking.

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn address(parts: &Parts) -> String {
    parts.extensions.get::<ClientAddress>().map(|a| a.0.clone()).unwrap_or_else(|| "unknown".into())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Caller, ApiError> {
        let now = SystemTime::now();
        let addr = address(parts);
        // A script's API token: exempt from CSRF (a browser never sends it by itself).
        if let Some(h) = parts.headers.get(AUTHORIZATION) {
            let token = h
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(ApiError::Unauthorized)?;
            let user_id = st
                .store
                .api_token_user(&store::sha256_hex(token.trim().as_bytes()))
                .await?
                .ok_or(ApiError::Unauthorized)?;
            return caller(st, user_id, None, addr).await;
        }
        let secret = cookie(&parts.headers, SESSION_COOKIE).ok_or(ApiError::Unauthorized)?;
        let key = store::sha256_hex(secret.as_bytes());
        let s = st.store.session(&key).await?.ok_or(ApiError::Unauthorized)?;
        let stamp = auth::timestamp(now);
        let idle_end = auth::timestamp(
            parse_stamp(&s.last_seen).unwrap_or(SystemTime::UNIX_EPOCH) + st.policy.idle,
        );
        if stamp >= s.expires_at || stamp >= idle_end {
            st.store.end_session(&key).await?;
            return Err(ApiError::Unauthorized);
        }
        if crate::changes_state(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !auth::same_token(sent, &s.csrf) {
                return Err(ApiError::Csrf);
            }
        }
        // The idle clock moves at most once a minute: a write per request would cost a commit
        // each, for a precision (seconds of a 30-minute timeout) nobody needs.
        let seen = parse_stamp(&s.last_seen).unwrap_or(SystemTime::UNIX_EPOCH);
        if now.duration_since(seen).unwrap_or_default() >= TOUCH_EVERY {
            st.store.touch_session(&key, &stamp).await?;
        }
        caller(st, s.user_id, Some(s.csrf), addr).await
    }
}

async fn caller(
    st: &AppState,
    user_id: i64,
    csrf: Option<String>,
    address: String,
) -> Result<Caller, ApiError> {
    let user = st.store.user_auth(user_id).await?.ok_or(ApiError::Unauthorized)?;
    if user.disabled {
        return Err(ApiError::Unauthorized);
    }
    let grants = st.store.roles(user_id).await?;
    Ok(Caller { user_id, org_id: user.org_id, login: user.login, grants, csrf, address })
}

/// Whether the caller holds one of `roles` in every practice of the organization (a service
/// admin, someone who works every practice).
pub(crate) async fn in_every_practice(
    st: &AppState,
    c: &Caller,
    roles: &[&str],
) -> Result<bool, ApiError> {
    let mine = c.practices_as(roles);
    let all = st.store.practices(Some(c.org_id)).await?;
    Ok(!mine.is_empty() && all.iter().all(|p| mine.contains(&p.id)))
}

/// Reads a time the store wrote (`YYYY-MM-DDTHH:MM:SS.mmmZ`).
fn parse_stamp(s: &str) -> Option<SystemTime> {
    let date: code_sets::Date = s.get(..10)?.parse().ok()?;
    let h: u64 = s.get(11..13)?.parse().ok()?;
    let m: u64 = s.get(14..16)?.parse().ok()?;
    let sec: u64 = s.get(17..19)?.parse().ok()?;
    let ms: u64 = s.get(20..23).and_then(|x| x.parse().ok()).unwrap_or(0);
    let days = u64::try_from(date.day_number()).ok()?;
    Some(
        SystemTime::UNIX_EPOCH
            + Duration::from_secs(days * 86_400 + h * 3600 + m * 60 + sec)
            + Duration::from_millis(ms),
    )
}

// ---------------------------------------------------------------------------------------------
// Sign-in.

/// Sign-in request.
#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Login.
    pub username: String,
    /// Password.
    pub password: String,
    /// The six-digit code, for users with a second factor.
    #[serde(default)]
    pub totp: Option<String>,
}

/// The signed-in user.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// User ID.
    pub id: i64,
    /// Login.
    pub username: String,
    /// The session's CSRF token (also in the `sb_csrf` cookie); absent for API tokens.
    pub csrf: Option<String>,
    /// Roles per practice.
    pub grants: Vec<Grant>,
}

/// A role in a practice.
#[derive(Serialize, ToSchema)]
pub struct Grant {
    /// Practice ID.
    pub practice: i64,
    /// `admin`, `coder`, `biller` or `auditor`.
    pub role: String,
}

fn me_of(c: &Caller) -> Me {
    Me {
        id: c.user_id,
        username: c.login.clone(),
        csrf: c.csrf.clone(),
        grants: c.grants.iter().map(|(p, r)| Grant { practice: *p, role: r.clone() }).collect(),
    }
}

/// Sign in: sets the session cookie. Five failures in a row lock the account (423) for a while,
/// even for the right password.
#[utoipa::path(post, path = "/api/login", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Me),
        (status = 401, description = "Wrong login or password, or the second factor is needed", body = ErrorBody),
        (status = 423, description = "Locked after too many failures", body = ErrorBody),
    ))]
async fn login(
    State(st): State<AppState>,
    parts: axum::http::request::Parts,
    Json(req): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    let addr = address(&parts);
    // A sign-in from another site's page (login CSRF) is refused when the browser says so.
    if let (Some(origin), Some(host)) = (
        parts.headers.get(ORIGIN).and_then(|v| v.to_str().ok()),
        parts.headers.get(axum::http::header::HOST).and_then(|v| v.to_str().ok()),
    ) && origin.split_once("://").map(|(_, h)| h) != Some(host)
    {
        return Err(ApiError::Csrf);
    }
    let now = SystemTime::now();
    let Some(user) = st.store.user_for_login(req.username.trim()).await? else {
        let decoy = auth::decoy_hash();
        let pw = req.password.clone();
        let _ = tokio::task::spawn_blocking(move || auth::verify_password(&pw, decoy)).await;
        return Err(ApiError::BadCredentials);
    };
    if user.disabled {
        return Err(ApiError::BadCredentials);
    }
    if user.locked_until.as_deref().is_some_and(|until| auth::timestamp(now).as_str() < until) {
        return Err(ApiError::Locked);
    }
    let hash = user.password_hash.clone();
    let pw = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    let second_ok = user.totp_secret.is_empty()
        || req.totp.as_deref().is_some_and(|c| auth::totp_matches(&user.totp_secret, c, now));
    if !ok || !second_ok {
        let until = auth::timestamp(now + st.policy.lock_for);
        let n = st.store.record_login_failure(&user, st.policy.lock_after, &until, &addr).await?;
        if n >= st.policy.lock_after {
            return Err(ApiError::Locked);
        }
        return Err(if ok { ApiError::SecondFactor } else { ApiError::BadCredentials });
    }
    let secret = auth::random_token();
    let csrf = auth::random_token();
    st.store
        .start_session(
            &user,
            &store::sha256_hex(secret.as_bytes()),
            &csrf,
            &auth::timestamp(now),
            &auth::timestamp(now + st.policy.absolute),
            &addr,
        )
        .await?;
    let c = caller(&st, user.id, Some(csrf.clone()), addr).await?;
    let secure = if st.policy.secure_cookies { "; Secure" } else { "" };
    let mut res = Json(me_of(&c)).into_response();
    let h = res.headers_mut();
    let session = format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict{secure}");
    let csrf_cookie = format!("{CSRF_COOKIE}={csrf}; Path=/; SameSite=Strict{secure}");
    for v in [session, csrf_cookie] {
        h.append(
            SET_COOKIE,
            HeaderValue::from_str(&v).map_err(|_| ApiError::Internal("cookie".into()))?,
        );
    }
    Ok(res)
}

/// Sign out: ends the session and clears its cookies.
#[utoipa::path(post, path = "/api/logout", tag = "session",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody)))]
async fn logout(
    State(st): State<AppState>,
    c: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        st.store.end_session(&store::sha256_hex(secret.as_bytes())).await?;
    }
    st.store.audit_request(&c.actor(), "logout", "user", Some(c.user_id), None, &c.address).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    for name in [SESSION_COOKIE, CSRF_COOKIE] {
        let v = format!("{name}=; Path=/; Max-Age=0; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&v) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// The signed-in user, roles per practice and the CSRF token.
#[utoipa::path(get, path = "/api/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(c: Caller) -> Json<Me> {
    Json(me_of(&c))
}

// ---------------------------------------------------------------------------------------------
// Patients.

/// Paging.
#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    /// At most this many (1–500, default 50).
    pub limit: Option<i64>,
    /// The `X-Next-Cursor` of the previous page.
    pub cursor: Option<String>,
    /// Last name (prefix) or account number.
    pub q: Option<String>,
}

pub(crate) fn page_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=500).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::BadRequest(format!("limit {n}: use 1 to 500"))),
    }
}

pub(crate) fn page_cursor(cursor: &Option<String>) -> Result<i64, ApiError> {
    match cursor.as_deref() {
        None | Some("") => Ok(0),
        Some(c) => c.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "cursor {c:?}: use the X-Next-Cursor of the previous page"
            ))
        }),
    }
}

/// Cuts a page fetched with one row more than `limit` back to `limit` rows and returns the next
/// page's cursor (the last row's key), if there is a next page.
pub(crate) fn cut_page<T>(items: &mut Vec<T>, limit: i64, key: impl Fn(&T) -> i64) -> Option<i64> {
    if items.len() as i64 <= limit {
        return None;
    }
    items.truncate(limit as usize);
    items.last().map(key)
}

/// A page as a JSON array, the next cursor in `X-Next-Cursor` and a `Link: <…>; rel="next"`.
pub(crate) fn paged<T: Serialize>(
    items: Vec<T>,
    next: Option<i64>,
    path: &str,
    limit: i64,
) -> Response {
    let mut res = Json(items).into_response();
    if let Some(n) = next {
        let h = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&n.to_string()) {
            h.insert("x-next-cursor", v);
        }
        if let Ok(v) =
            HeaderValue::from_str(&format!("<{path}?limit={limit}&cursor={n}>; rel=\"next\""))
        {
            h.insert(axum::http::header::LINK, v);
        }
    }
    res
}

/// The patients the caller may see (every practice where the caller holds a role), by ID.
#[utoipa::path(get, path = "/api/patients", tag = "patients", params(PageQuery),
    responses(
        (status = 200, description = "A page of patients; the next cursor is in X-Next-Cursor", body = Vec<store::web::PatientListItem>),
        (status = 401, body = ErrorBody),
    ))]
async fn list_patients(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let limit = page_limit(q.limit)?;
    let after = page_cursor(&q.cursor)?;
    let search = q.q.unwrap_or_default();
    let mut items = st.store.patients_page(&c.practices(), after, limit + 1, search.trim()).await?;
    let next = cut_page(&mut items, limit, |x| x.id);
    st.store.audit_request(&c.actor(), "list", "patient", None, None, &c.address).await?;
    Ok(paged(items, next, "/api/patients", limit))
}

/// A patient with coverages and claims; 404 when the caller may not see it.
#[utoipa::path(get, path = "/api/patients/{id}", tag = "patients",
    params(("id" = i64, Path, description = "Patient ID")),
    responses(
        (status = 200, body = store::web::PatientDetail),
        (status = 404, description = "No patient the caller may see has this ID", body = ErrorBody),
    ))]
async fn get_patient(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> Result<Json<store::web::PatientDetail>, ApiError> {
    let p = st.store.patient_detail(id).await?.ok_or(ApiError::NotFound)?;
    if !c.sees(p.patient.practice) {
        return Err(ApiError::NotFound);
    }
    st.store
        .audit_request(
            &c.actor(),
            "read",
            "patient",
            Some(id),
            Some(p.patient.practice),
            &c.address,
        )
        .await?;
    Ok(Json(p))
}

/// A statement sent to a guarantor, with its text; 404 when the caller may not see it.
#[utoipa::path(get, path = "/api/statements/{id}", tag = "patients",
    params(("id" = i64, Path, description = "Statement ID")),
    responses(
        (status = 200, body = store::web::StatementText),
        (status = 404, description = "No statement the caller may see has this ID", body = ErrorBody),
    ))]
async fn get_statement(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> Result<Json<store::web::StatementText>, ApiError> {
    let s = st.store.statement(id).await?.ok_or(ApiError::NotFound)?;
    if !c.sees(s.statement.practice) {
        return Err(ApiError::NotFound);
    }
    st.store
        .audit_request(
            &c.actor(),
            "read",
            "statement",
            Some(id),
            Some(s.statement.practice),
            &c.address,
        )
        .await?;
    Ok(Json(s))
}

// ---------------------------------------------------------------------------------------------
// Claims.

/// A claim queue.
#[derive(Deserialize, IntoParams)]
pub struct ClaimQuery {
    /// `ready`, `scrubbed` (held by findings), `draft`, `rejected`, `denied`, `no_response`
    /// (submitted or accepted with no answer for `days`), `paid`, `partially_paid`,
    /// `patient_billed`, `closed`… or several separated by commas. Default: `ready`.
    pub queue: Option<String>,
    /// For `no_response`: days without an answer (default 30).
    pub days: Option<i64>,
    /// At most this many (1–500, default 50).
    pub limit: Option<i64>,
    /// The `X-Next-Cursor` of the previous page.
    pub cursor: Option<String>,
}

const STATES: [&str; 16] = [
    "draft",
    "scrubbed",
    "ready",
    "submitted",
    "accepted",
    "rejected",
    "paid",
    "partially_paid",
    "denied",
    "reversed",
    "forwarded",
    "appealed",
    "secondary_billed",
    "patient_billed",
    "closed",
    "voided",
];

/// The claims of the caller's practices in a queue, newest first.
#[utoipa::path(get, path = "/api/claims", tag = "claims", params(ClaimQuery),
    responses(
        (status = 200, description = "A page of claims; the next cursor is in X-Next-Cursor", body = Vec<store::web::ClaimListItem>),
        (status = 400, body = ErrorBody),
    ))]
async fn list_claims(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<ClaimQuery>,
) -> Result<Response, ApiError> {
    let limit = page_limit(q.limit)?;
    let before = page_cursor(&q.cursor)?;
    let queue = q.queue.unwrap_or_else(|| "ready".into());
    let mut states: Vec<&str> = Vec::new();
    let mut older_than = None;
    for name in queue.split(',').map(str::trim) {
        match name {
            "no_response" => {
                let days = q.days.unwrap_or(30);
                if !(0..=3650).contains(&days) {
                    return Err(ApiError::BadRequest(format!("days {days}: use 0 to 3650")));
                }
                let then = SystemTime::now() - Duration::from_secs(days as u64 * 86_400);
                older_than = Some(auth::timestamp(then));
                states.extend(["submitted", "accepted"]);
            }
            s if STATES.contains(&s) => states.push(s),
            other => {
                return Err(ApiError::BadRequest(format!(
                    "queue {other:?}: use no_response or a state ({})",
                    STATES.join(", ")
                )));
            }
        }
    }
    let mut items = st
        .store
        .claims_page(&c.practices(), &states, older_than.as_deref(), before, limit + 1)
        .await?;
    let next = cut_page(&mut items, limit, |x| x.id);
    st.store.audit_request(&c.actor(), "list", "claim", None, None, &c.address).await?;
    Ok(paged(items, next, "/api/claims", limit))
}

/// A claim with its findings (rule, message, fix hint, line), the claim itself and its history;
/// 404 outside the caller's practices.
#[utoipa::path(get, path = "/api/claims/{id}", tag = "claims",
    params(("id" = i64, Path, description = "Claim ID")),
    responses(
        (status = 200, body = store::web::ClaimDetail),
        (status = 404, description = "No claim the caller may see has this ID", body = ErrorBody),
    ))]
async fn get_claim(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> Result<Json<store::web::ClaimDetail>, ApiError> {
    let d = st.store.claim_detail(id).await?.ok_or(ApiError::NotFound)?;
    if !c.sees(d.item.practice) {
        return Err(ApiError::NotFound);
    }
    st.store
        .audit_request(&c.actor(), "read", "claim", Some(id), Some(d.item.practice), &c.address)
        .await?;
    Ok(Json(d))
}

// ---------------------------------------------------------------------------------------------
// Codes.

/// Code search.
#[derive(Deserialize, IntoParams)]
pub struct CodeQuery {
    /// The words to look for.
    pub q: String,
    /// Only this system (`icd10cm`, `icd10pcs`, `hcpcs`…).
    pub system: Option<String>,
    /// Only billable codes.
    #[serde(default)]
    pub billable: bool,
    /// How many results (default 20, at most 200).
    pub limit: Option<usize>,
    /// Date of service (YYYY-MM-DD) [default: today].
    pub date: Option<String>,
}

/// A search result, as `superbill codes search --json` prints it.
#[derive(Serialize, ToSchema)]
pub struct CodeHit {
    /// The code.
    pub code: String,
    /// The system's ID.
    pub system: String,
    /// Its title.
    pub title: String,
    /// Reportable.
    pub billable: bool,
    /// Relevance.
    pub score: f64,
    /// What matched.
    pub matched: String,
    /// The release that answered.
    pub release: String,
    /// False when the release is not in force on the date.
    pub release_covers_date: bool,
}

/// Search titles, inclusion terms, index terms, abbreviations and synonyms (results while typing).
#[utoipa::path(get, path = "/api/codes/search", tag = "codes", params(CodeQuery),
    responses(
        (status = 200, description = "Results, best first (the form of `codes search --json`)", body = Vec<CodeHit>),
        (status = 400, body = ErrorBody),
    ))]
async fn search_codes(
    State(st): State<AppState>,
    _c: Caller,
    Query(q): Query<CodeQuery>,
) -> Result<Response, ApiError> {
    let system = match q.system.as_deref() {
        None | Some("") => None,
        Some(s) => Some(s.parse::<code_sets::System>().map_err(ApiError::BadRequest)?),
    };
    let date = match q.date.as_deref() {
        None | Some("") => st.today(),
        Some(d) => {
            d.parse().map_err(|_| ApiError::BadRequest(format!("date {d:?}: use YYYY-MM-DD")))?
        }
    };
    let limit = q.limit.unwrap_or(20).clamp(1, 200);
    let lib = st.engines.library.clone();
    let query = q.q;
    let results =
        tokio::task::spawn_blocking(move || lib.search(&query, system, q.billable, limit, date))
            .await
            .map_err(|_| ApiError::Internal("code search".into()))?;
    Ok(Json(results).into_response())
}

// ---------------------------------------------------------------------------------------------
// Audit.

/// Audit paging.
#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// At most this many (1–500, default 100).
    pub limit: Option<i64>,
    /// The `X-Next-Cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The audit log, newest first (admins and auditors: the events of their practices and those of
/// no practice such as sign-ins).
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses(
        (status = 200, body = Vec<store::web::AuditEvent>),
        (status = 403, description = "Only admins and auditors", body = ErrorBody),
    ))]
async fn list_audit(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let practices = c.practices_as(&["admin", "auditor"]);
    if practices.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let limit = q.limit.map_or(Ok(100), |l| page_limit(Some(l)))?;
    let before = page_cursor(&q.cursor)?;
    let mut items = st.store.audit_events(Some(&practices), before, limit + 1).await?;
    let next = cut_page(&mut items, limit, |x| x.id);
    st.store.audit_request(&c.actor(), "read", "audit_log", None, None, &c.address).await?;
    Ok(paged(items, next, "/api/audit", limit))
}

/// One CSV field: quoted when it holds a comma, a quote or a line break, and a leading `=`, `+`,
/// `-` or `@` defused with an apostrophe (a spreadsheet would run it as a formula).
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// The audit log as CSV (admins and auditors: the events of their practices and those of no
/// practice), newest first, for a reviewer's spreadsheet; the export itself is audited.
#[utoipa::path(get, path = "/api/audit/export", tag = "audit",
    responses(
        (status = 200, description = "id,at,user,action,record,practice,address,detail", content_type = "text/csv", body = String),
        (status = 403, description = "Only admins and auditors", body = ErrorBody),
    ))]
async fn export_audit(State(st): State<AppState>, c: Caller) -> Result<Response, ApiError> {
    let practices = c.practices_as(&["admin", "auditor"]);
    if practices.is_empty() {
        return Err(ApiError::Forbidden);
    }
    st.store.audit_request(&c.actor(), "export", "audit_log", None, None, &c.address).await?;
    let mut out = String::from("id,at,user,action,record,practice,address,detail\r\n");
    let mut before = 0;
    loop {
        let page = st.store.audit_events(Some(&practices), before, 5_000).await?;
        for e in &page {
            let practice = e.practice.map(|p| p.to_string()).unwrap_or_default();
            let row = [
                e.id.to_string(),
                e.at.clone(),
                e.user.clone(),
                e.action.clone(),
                e.record.clone(),
                practice,
                e.address.clone(),
                e.detail.clone(),
            ];
            out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        match page.last() {
            Some(last) if page.len() == 5_000 => before = last.id,
            _ => break,
        }
    }
    let mut res = out.into_response();
    let h = res.headers_mut();
    h.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(
        axum::http::header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"superbill-audit.csv\""),
    );
    Ok(res)
}

// ---------------------------------------------------------------------------------------------
// API tokens.

/// A new API token.
#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// The user the token acts as (login).
    pub username: String,
    /// What it is for.
    pub name: String,
}

/// The token, shown once.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    /// Token ID.
    pub id: i64,
    /// Send as `Authorization: Bearer …`; it is not stored and cannot be shown again.
    pub token: String,
}

/// Create an API token for a user (admins, for users whose practices they administer).
#[utoipa::path(post, path = "/api/tokens", tag = "admin", request_body = TokenRequest,
    responses(
        (status = 201, body = TokenCreated),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn create_token(
    State(st): State<AppState>,
    c: Caller,
    Json(req): Json<TokenRequest>,
) -> Result<Response, ApiError> {
    let admin_of = c.practices_as(&["admin"]);
    if admin_of.is_empty() {
        return Err(ApiError::Forbidden);
    }
    if req.name.trim().is_empty() {
        return Err(ApiError::BadRequest("name: say what the token is for".into()));
    }
    let user = st.store.user_for_login(req.username.trim()).await?.ok_or(ApiError::NotFound)?;
    let theirs = st.store.roles(user.id).await?;
    if theirs.iter().any(|(p, _)| !admin_of.contains(p)) {
        return Err(ApiError::Forbidden);
    }
    let token = auth::random_token();
    let id = st
        .store
        .create_api_token(
            &c.actor(),
            c.user_id,
            user.id,
            req.name.trim(),
            &store::sha256_hex(token.as_bytes()),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { id, token })).into_response())
}
