//! The biller's files: submit the ready claims of a practice as an 837 batch and download it,
//! list the batches, and upload what comes back (an 835 to post, a 999 or 277CA to import).
//! A file is taken only from someone who may work (biller or admin) every practice whose
//! claims it names.

use std::path::PathBuf;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ErrorBody, cut_page, page_cursor, page_limit, paged};
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// The largest file an upload takes (a large payer's 835).
pub const UPLOAD_LIMIT: usize = 256 * 1024 * 1024;

const WORKERS: [&str; 2] = ["biller", "admin"];

/// A failure of a back-office step: the store's own errors keep their answer; anything else
/// is the file's or the request's fault and says why.
fn work_error(e: anyhow::Error) -> ApiError {
    match e.downcast::<store::Error>() {
        Ok(se) => se.into(),
        Err(e) if e.downcast_ref::<std::io::Error>().is_some() => {
            ApiError::Internal("reading or writing a file".into())
        }
        Err(e) => ApiError::BadRequest(format!("{e:#}")),
    }
}

/// Submit a practice's ready claims.
#[derive(Deserialize, ToSchema)]
pub struct SubmitRequest {
    /// Practice ID.
    pub practice: i64,
}

/// What a submission wrote.
#[derive(Serialize, ToSchema)]
pub struct Submitted {
    /// Claims in the file.
    pub claims: usize,
    /// Their total charge.
    pub total_cents: i64,
    /// The batches recorded (one per clearinghouse).
    pub batches: Vec<i64>,
    /// Ready claims left out, with why (`{ claim, reason }`).
    pub skipped: Vec<Skipped>,
    /// Where to download the file (`/api/batches/{id}/file`), when one was written.
    pub download: Option<String>,
}

/// A claim left out of a batch.
#[derive(Serialize, ToSchema)]
pub struct Skipped {
    /// Patient control number.
    pub claim: String,
    /// Why.
    pub reason: String,
}

/// Writes every ready claim of the practice into one 837 file (one interchange per
/// clearinghouse) and records the batches; billers and admins of the practice.
#[utoipa::path(post, path = "/api/batches", tag = "billing", request_body = SubmitRequest,
    responses(
        (status = 201, description = "The batch was written", body = Submitted),
        (status = 200, description = "No claim was ready: nothing written", body = Submitted),
        (status = 403, description = "Only billers and admins of the practice submit", body = ErrorBody),
    ))]
pub(crate) async fn submit_batch(
    State(st): State<AppState>,
    c: Caller,
    Json(req): Json<SubmitRequest>,
) -> Result<Response, ApiError> {
    c.may(req.practice, &WORKERS)?;
    let now = std::time::SystemTime::now();
    let stamp = crate::auth::timestamp(now);
    let hhmm = format!("{}{}", &stamp[11..13], &stamp[14..16]);
    let dir: PathBuf = st.files_dir.join("batches");
    std::fs::create_dir_all(&dir).map_err(|_| ApiError::Internal("the batch folder".into()))?;
    let out = dir.join(format!(
        "practice{}-{}-{}.837",
        req.practice,
        stamp.replace([':', '.'], "-"),
        &crate::auth::random_token()[..8]
    ));
    let s = backoffice::work::submit(
        &st.store,
        &c.actor(),
        Some(req.practice),
        &out,
        backoffice::work::stamp(st.today(), &hhmm),
    )
    .await
    .map_err(work_error)?;
    let body = Submitted {
        claims: s.claims,
        total_cents: s.total_cents,
        download: s.batches.first().map(|b| format!("/api/batches/{b}/file")),
        batches: s.batches,
        skipped: s.skipped.into_iter().map(|(claim, reason)| Skipped { claim, reason }).collect(),
    };
    let code = if body.claims > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((code, Json(body)).into_response())
}

/// Send a practice's patient statements.
#[derive(Deserialize, ToSchema)]
pub struct StatementsRequest {
    /// Practice ID.
    pub practice: i64,
}

/// The statements sent.
#[derive(Serialize, ToSchema)]
pub struct StatementsSent {
    /// Statements recorded (one per guarantor who owes).
    pub statements: usize,
    /// Their total due.
    pub total_due_cents: i64,
    /// Claims left off because insurance has not finished with them.
    pub pending_with_insurance: usize,
    /// Each statement (`/api/statements/{id}` for its text) and its guarantor.
    pub sent: Vec<backoffice::statements::SentStatement>,
    /// Guarantors left off because they were sent one today already.
    pub already_sent: usize,
}

/// Records the statement of every guarantor of the practice who owes on claims insurance has
/// finished with (their claims become patient billed), except those sent one today already;
/// billers and admins of the practice.
#[utoipa::path(post, path = "/api/statements", tag = "patients", request_body = StatementsRequest,
    responses(
        (status = 201, description = "Statements were recorded", body = StatementsSent),
        (status = 200, description = "No patient owes: nothing recorded", body = StatementsSent),
        (status = 403, description = "Only billers and admins of the practice send statements", body = ErrorBody),
    ))]
pub(crate) async fn send_statements(
    State(st): State<AppState>,
    c: Caller,
    Json(req): Json<StatementsRequest>,
) -> Result<Response, ApiError> {
    c.may(req.practice, &WORKERS)?;
    let s = backoffice::statements::send_due(&st.store, &c.actor(), st.today(), Some(req.practice))
        .await
        .map_err(work_error)?;
    let body = StatementsSent {
        statements: s.statements,
        total_due_cents: s.total_due_cents,
        pending_with_insurance: s.pending_with_insurance,
        sent: s.sent,
        already_sent: s.already_sent,
    };
    let code = if body.statements > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((code, Json(body)).into_response())
}

/// Paging.
#[derive(Deserialize, IntoParams)]
pub struct BatchQuery {
    /// At most this many (1–500, default 50).
    pub limit: Option<i64>,
    /// The `X-Next-Cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The batches with claims of the caller's practices, newest first.
#[utoipa::path(get, path = "/api/batches", tag = "billing", params(BatchQuery),
    responses((status = 200, body = Vec<store::files::BatchItem>)))]
pub(crate) async fn list_batches(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<BatchQuery>,
) -> Result<Response, ApiError> {
    let limit = page_limit(q.limit)?;
    let before = page_cursor(&q.cursor)?;
    let mut items = st.store.batches_page(&c.practices(), before, limit + 1).await?;
    let next = cut_page(&mut items, limit, |x| x.id);
    Ok(paged(items, next, "/api/batches", limit))
}

/// The 837 file a batch was written to (the whole file: every interchange of that submission);
/// 404 unless the caller sees every practice whose claims it holds.
#[utoipa::path(get, path = "/api/batches/{id}/file", tag = "billing",
    params(("id" = i64, Path, description = "Batch ID")),
    responses(
        (status = 200, description = "The X12 837 file", content_type = "application/edi-x12", body = String),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn batch_file(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (batch, path) = st.store.batch_file(id).await?.ok_or(ApiError::NotFound)?;
    if batch.practices.is_empty() || !batch.practices.iter().all(|p| c.sees(*p)) {
        return Err(ApiError::NotFound);
    }
    let bytes = tokio::fs::read(&path).await.map_err(|_| {
        ApiError::BadRequest(format!("batch {id}: its file is no longer on the server"))
    })?;
    st.store
        .audit_request(
            &c.actor(),
            "download",
            "batch",
            Some(id),
            batch.practices.first().copied(),
            &c.address,
        )
        .await?;
    let mut res = Response::new(axum::body::Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/edi-x12"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"batch-{id}.837\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Which form of the letter.
#[derive(Deserialize, IntoParams)]
pub struct LetterQuery {
    /// `pdf` (default) or `text`.
    pub format: Option<String>,
}

/// The appeal letter of a denied claim, addressed to its payer with the claim's facts, each
/// denial and the reason given when it was appealed (a place for one before); billers and
/// admins of its practice.
#[utoipa::path(get, path = "/api/claims/{id}/appeal-letter", tag = "denials", params(
        ("id" = i64, Path, description = "Claim ID"), LetterQuery),
    responses(
        (status = 200, description = "The letter (`application/pdf`, or `text/plain` with `format=text`)"),
        (status = 400, description = "The payer denied nothing on the claim, or an unknown format", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn appeal_letter(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, ApiError> {
    let practice = st.store.claim_detail(id).await?.ok_or(ApiError::NotFound)?.item.practice;
    c.may(practice, &WORKERS)?;
    let pdf = match q.format.as_deref().unwrap_or("pdf") {
        "pdf" => true,
        "text" => false,
        other => return Err(ApiError::BadRequest(format!("format {other:?}: use pdf or text"))),
    };
    let data = st.store.appeal_data(id).await?.ok_or(ApiError::NotFound)?;
    st.store
        .audit_request(&c.actor(), "read", "appeal_letter", Some(id), Some(practice), &c.address)
        .await?;
    let today = st.today();
    let (bytes, kind, ext) = if pdf {
        (backoffice::appeals::pdf(&data, today), "application/pdf", "pdf")
    } else {
        (backoffice::appeals::text(&data, today).into_bytes(), "text/plain; charset=utf-8", "txt")
    };
    let mut res = Response::new(axum::body::Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"appeal-{}.{ext}\"", data.pcn))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// The file's name.
#[derive(Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The file's name as the user picked it (shown in messages and the audit log).
    pub name: Option<String>,
}

/// What an upload did.
#[derive(Serialize, ToSchema)]
pub struct Uploaded {
    /// `835`, `999` or `277CA`.
    pub kind: String,
    /// For an 835: the posting (claims matched and unmatched, paid, adjusted, patient
    /// responsibility, provider adjustments, whether the deposit balanced, denials, notes).
    #[schema(value_type = Option<Object>)]
    pub posting: Option<serde_json::Value>,
    /// For a 999 or 277CA: claims accepted, rejected, unmatched, notes.
    #[schema(value_type = Option<Object>)]
    pub acknowledgment: Option<serde_json::Value>,
}

/// Upload an 835 (posted in one transaction; the same file twice changes nothing), a 999 or a
/// 277CA (imported). The body is the X12 file. Billers and admins, of every practice whose
/// claims the file names; a malformed file is refused with its positioned errors.
#[utoipa::path(post, path = "/api/remittances", tag = "billing", params(UploadQuery),
    request_body(content = String, content_type = "application/edi-x12", description = "The X12 file"),
    responses(
        (status = 200, body = Uploaded),
        (status = 400, description = "Not an 835, 999 or 277CA, or malformed: what and where", body = ErrorBody),
        (status = 403, description = "The file names claims of a practice the caller does not work", body = ErrorBody),
    ))]
pub(crate) async fn upload(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Result<Json<Uploaded>, ApiError> {
    let mine = c.practices_as(&WORKERS);
    if mine.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let name: String = q
        .name
        .unwrap_or_else(|| "upload".into())
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_'))
        .take(80)
        .collect();
    let name = if name.is_empty() { "upload".to_string() } else { name };
    let bytes = body.to_vec();
    let kind = backoffice::work::transaction_set(&bytes).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "{name}: not an X12 file (no interchange with a transaction set, ISA … ST, was found): upload an 835, 999 or 277CA"
        ))
    })?;
    let theirs = match kind.as_str() {
        "835" | "277" => {
            st.store.practices_of_pcns(&backoffice::work::control_numbers(&bytes)).await?
        }
        "999" => {
            st.store.practices_of_groups(&backoffice::work::acknowledged_groups(&bytes)).await?
        }
        other => {
            return Err(ApiError::BadRequest(format!(
                "{name}: transaction set {other} cannot be uploaded here: upload an 835, 999 or 277CA"
            )));
        }
    };
    // Someone who does not work every practice the file names may not post it (answered the
    // same whether or not the caller can see that practice).
    if theirs.iter().any(|p| !mine.contains(p)) {
        return Err(ApiError::Forbidden);
    }
    let out = if kind == "835" {
        let s = backoffice::work::post_835_bytes(&st.store, &c.actor(), &name, &bytes, st.today())
            .await
            .map_err(work_error)?;
        Uploaded {
            kind: "835".into(),
            posting: Some(serde_json::to_value(&s).unwrap_or_default()),
            acknowledgment: None,
        }
    } else {
        let s = backoffice::work::import_ack_bytes(&st.store, &c.actor(), &name, &bytes)
            .await
            .map_err(work_error)?;
        Uploaded {
            kind: if kind == "999" { "999".into() } else { "277CA".into() },
            posting: None,
            acknowledgment: Some(serde_json::to_value(&s).unwrap_or_default()),
        }
    };
    Ok(Json(out))
}

// ---------------------------------------------------------------------------------------------
// Denials.

/// How to group the denials.
#[derive(Deserialize, IntoParams)]
pub struct DenialQuery {
    /// `reason` (group code and CARC, the default), `category` or `payer`.
    pub by: Option<String>,
    /// How many denials to list across the groups, nearest deadline first (default 200, at
    /// most 1000); the groups' counts and amounts cover them all.
    pub limit: Option<i64>,
}

/// The open denials of the caller's practices in groups (each with its full count, amount and
/// nearest deadline), the group with the nearest appeal deadline first, listing the denials with
/// the nearest deadlines.
#[utoipa::path(get, path = "/api/denials", tag = "denials", params(DenialQuery),
    responses((status = 200, body = Vec<store::reports::DenialGroup>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_denials(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<DenialQuery>,
) -> Result<Json<Vec<store::reports::DenialGroup>>, ApiError> {
    let by = match q.by.as_deref().unwrap_or("reason") {
        "reason" => store::reports::DenialKey::Reason,
        "category" => store::reports::DenialKey::Category,
        "payer" => store::reports::DenialKey::Payer,
        other => {
            return Err(ApiError::BadRequest(format!(
                "by {other:?}: use reason, category or payer"
            )));
        }
    };
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    let groups = st.store.denial_queue(&c.practices(), by, limit).await?;
    st.store.audit_request(&c.actor(), "list", "denial", None, None, &c.address).await?;
    Ok(Json(groups))
}

/// Whom to give a denial to.
#[derive(Deserialize, ToSchema)]
pub struct AssignRequest {
    /// The user's login (who must hold a role in the claim's practice).
    pub username: String,
}

/// Assign a denial to someone who works the practice (billers and admins of its practice).
#[utoipa::path(post, path = "/api/denials/{id}/assign", tag = "denials", request_body = AssignRequest,
    params(("id" = i64, Path, description = "Denial ID")),
    responses(
        (status = 204, description = "Assigned"),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn assign_denial(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<AssignRequest>,
) -> Result<StatusCode, ApiError> {
    let practice = st.store.denial_practice(id).await?.ok_or(ApiError::NotFound)?;
    c.may(practice, &WORKERS)?;
    let login = req.username.trim();
    let to = st.store.user_for_login(login).await?;
    let works_there = match &to {
        Some(u) => st.store.roles(u.id).await?.iter().any(|(p, _)| *p == practice),
        None => false,
    };
    if !works_there {
        return Err(ApiError::BadRequest(format!(
            "username {login:?}: assign the denial to someone with a role in the claim's practice"
        )));
    }
    st.store.assign_denial(&c.actor(), id, login).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn workable_claim(st: &AppState, c: &Caller, id: i64) -> Result<i64, ApiError> {
    let d = st.store.claim_detail(id).await?.ok_or(ApiError::NotFound)?;
    c.may(d.item.practice, &WORKERS)?;
    Ok(d.item.practice)
}

/// Why the claim is appealed.
#[derive(Deserialize, ToSchema)]
pub struct AppealRequest {
    /// The reason, as the appeal letter states it.
    pub reason: String,
}

/// Appeal a denied claim: it becomes `appealed`, its open denials too (billers and admins).
#[utoipa::path(post, path = "/api/claims/{id}/appeal", tag = "denials", request_body = AppealRequest,
    params(("id" = i64, Path, description = "Claim ID")),
    responses(
        (status = 200, description = "How many denials the appeal covers", body = Object),
        (status = 400, description = "No reason, or the claim cannot be appealed in its state", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn appeal_claim(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<AppealRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    workable_claim(&st, &c, id).await?;
    if req.reason.trim().is_empty() {
        return Err(ApiError::BadRequest("reason: say why the claim should be paid".into()));
    }
    let n = st.store.appeal(&c.actor(), id, req.reason.trim()).await?;
    Ok(Json(serde_json::json!({ "denials": n })))
}

/// A correction.
#[derive(Deserialize, ToSchema)]
pub struct CorrectRequest {
    /// True to void the claim (frequency 8) instead of replacing it (frequency 7).
    #[serde(default)]
    pub void: bool,
}

/// What a correction made.
#[derive(Serialize, ToSchema)]
pub struct Corrected {
    /// The replacement (or void) claim.
    pub claim: i64,
    /// Its state after the scrubber ran: `ready` to submit, or `scrubbed` (held by findings).
    pub state: String,
}

/// Correct a claim the payer has (a replacement, frequency 7, or a void, frequency 8, naming the
/// payer's claim number), scrubbed at once so that it goes out with the next batch; billers and
/// admins.
#[utoipa::path(post, path = "/api/claims/{id}/correct", tag = "denials", request_body = CorrectRequest,
    params(("id" = i64, Path, description = "Claim ID")),
    responses(
        (status = 201, body = Corrected),
        (status = 400, description = "The payer has not given a claim number yet, or the state forbids it", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn correct_claim(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<CorrectRequest>,
) -> Result<Response, ApiError> {
    workable_claim(&st, &c, id).await?;
    let new = st.store.correct_claim(&c.actor(), id, req.void).await?;
    let cx = st.engines.scrub_context(st.today());
    backoffice::work::scrub_claim(&st.store, &c.actor(), new, &cx, &scrub::Scrubber::default())
        .await
        .map_err(work_error)?;
    let state = st.store.claim_detail(new).await?.map(|d| d.item.state).unwrap_or_default();
    Ok((StatusCode::CREATED, Json(Corrected { claim: new, state })).into_response())
}

/// Whether the caller works every practice of the organization as biller or admin: only such
/// a person sees money no practice can be told for.
async fn works_everywhere(st: &AppState, c: &Caller) -> Result<bool, ApiError> {
    crate::api::in_every_practice(st, c, &WORKERS).await
}

/// The suspense queue: money remittances carried that could not be posted (a CLP for no claim
/// of ours, a deposit that does not balance), oldest first; billers and admins of the practice
/// paid, and entries no practice can be told for only for those who work every practice.
#[utoipa::path(get, path = "/api/suspense", tag = "billing",
    responses((status = 200, body = Vec<store::remits::SuspenseItem>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_suspense(
    State(st): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<store::remits::SuspenseItem>>, ApiError> {
    let mine = c.practices_as(&WORKERS);
    if mine.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let everywhere = works_everywhere(&st, &c).await?;
    let items = st.store.suspense_items(c.org_id, &mine, everywhere).await?;
    st.store.audit_request(&c.actor(), "list", "suspense", None, None, &c.address).await?;
    Ok(Json(items))
}

/// A suspense entry the caller may work: of their billing service, and of a practice they work
/// as biller or admin (an entry no practice can be told for: someone who works every practice).
async fn worked_suspense(
    st: &AppState,
    c: &Caller,
    id: i64,
) -> Result<store::remits::SuspenseItem, ApiError> {
    let item = st.store.suspense_item(id).await?;
    if item.org_id != c.org_id {
        return Err(ApiError::NotFound);
    }
    match item.practice {
        Some(p) => c.may(p, &WORKERS)?,
        None if works_everywhere(st, c).await? => {}
        None => return Err(ApiError::NotFound),
    }
    Ok(item)
}

/// What was done about a suspense entry.
#[derive(Deserialize, ToSchema)]
pub struct ResolveRequest {
    /// What was done: posted by hand to a claim, returned to the payer, deposit reconciled…
    pub resolution: String,
}

/// Resolve a suspense entry (billers and admins who see it); refused when already resolved.
#[utoipa::path(post, path = "/api/suspense/{id}/resolve", tag = "billing", request_body = ResolveRequest,
    params(("id" = i64, Path, description = "Suspense entry ID")),
    responses(
        (status = 200, body = store::remits::SuspenseItem),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn resolve_suspense(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<ResolveRequest>,
) -> Result<Json<store::remits::SuspenseItem>, ApiError> {
    worked_suspense(&st, &c, id).await?;
    st.store.resolve_suspense(&c.actor(), id, &req.resolution).await?;
    Ok(Json(st.store.suspense_item(id).await?))
}

/// The claim a suspended payment was for.
#[derive(Deserialize, ToSchema)]
pub struct ApplyRequest {
    /// Its patient control number (CLM01), as the claim screen shows it.
    pub claim: String,
}

/// A suspended payment applied.
#[derive(Serialize, ToSchema)]
pub struct Applied {
    /// The entry, resolved.
    pub suspense: store::remits::SuspenseItem,
    /// The posting (the `remit post --json` form).
    #[schema(value_type = Object)]
    pub posting: serde_json::Value,
}

/// Apply an unmatched claim payment to the claim it was for (billers and admins who see the
/// entry and work the claim's practice): posted as if the 835 had named the claim, the entry
/// resolved; refused with the reason, nothing changed, when the payment cannot apply to it.
#[utoipa::path(post, path = "/api/suspense/{id}/apply", tag = "billing", request_body = ApplyRequest,
    params(("id" = i64, Path, description = "Suspense entry ID")),
    responses(
        (status = 200, body = Applied),
        (status = 400, description = "No such claim of the caller's practices, or the payment cannot apply to it", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn apply_suspense(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<ApplyRequest>,
) -> Result<Json<Applied>, ApiError> {
    worked_suspense(&st, &c, id).await?;
    let pcn = req.claim.trim();
    let unknown = || {
        ApiError::BadRequest(format!(
            "claim {pcn:?}: no claim of your practices has this patient control number"
        ))
    };
    let claim = match st.store.claim_by_pcn(pcn).await {
        Ok(claim) => claim,
        Err(store::Error::NotFound(_)) => return Err(unknown()),
        Err(e) => return Err(e.into()),
    };
    let detail = st.store.claim_detail(claim).await?.ok_or_else(unknown)?;
    if !c.sees(detail.item.practice) {
        return Err(unknown());
    }
    c.may(detail.item.practice, &WORKERS)?;
    let posting = st.store.apply_suspense(&c.actor(), id, pcn, st.today()).await?;
    Ok(Json(Applied {
        suspense: st.store.suspense_item(id).await?,
        posting: serde_json::to_value(&posting).unwrap_or_default(),
    }))
}

/// A claim after an edit: its changes in words and the claim as the scrubber left it.
#[derive(Serialize, ToSchema)]
pub struct Edited {
    /// What changed (empty: nothing did, nothing was written).
    pub changes: Vec<String>,
    /// The claim, scrubbed again: `ready`, or `scrubbed` with the findings still blocking it.
    pub claim: store::web::ClaimDetail,
}

/// Fix a claim the payer has not adjudicated (draft, held by edits, ready, rejected): its
/// diagnoses and each line's code, modifiers, units and pointers (never charges); the claim is
/// scrubbed again at once. Coders, billers and admins of its practice.
#[utoipa::path(put, path = "/api/claims/{id}", tag = "claims", request_body = ledger::edit::ClaimEdit,
    params(("id" = i64, Path, description = "Claim ID")),
    responses(
        (status = 200, body = Edited),
        (status = 400, description = "A value is malformed, or the claim's state forbids editing", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn edit_claim(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(edit): Json<ledger::edit::ClaimEdit>,
) -> Result<Json<Edited>, ApiError> {
    let d = st.store.claim_detail(id).await?.ok_or(ApiError::NotFound)?;
    c.may(d.item.practice, &["coder", "biller", "admin"])?;
    let engines = st.engines.clone();
    let changes = st.store.edit_claim(&c.actor(), id, &edit, |cl| engines.drg(cl)).await?;
    if !changes.is_empty() {
        let cx = st.engines.scrub_context(st.today());
        backoffice::work::scrub_claim(&st.store, &c.actor(), id, &cx, &scrub::Scrubber::default())
            .await
            .map_err(work_error)?;
    }
    let claim = st.store.claim_detail(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(Edited { changes, claim }))
}
