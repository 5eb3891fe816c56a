//! The coding screen's API: the coders' worklist, an encounter with its documentation, a check
//! of a coding in progress (each code validated, the scrubber's findings on the claim it would
//! make, and for inpatient stays the MS-DRG with what each code does to it), and saving the
//! coding (validated again on the server).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use code_sets::{Date, System};
use serde::{Deserialize, Serialize};
use store::coding::{CodedDiagnosis, CodedProcedure, EncounterDetail};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ErrorBody, cut_page, page_cursor, page_limit, paged};
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// The worklist.
#[derive(Deserialize, IntoParams)]
pub struct EncounterQuery {
    /// `open` (to code, the default), `coded` or `billed`.
    pub status: Option<String>,
    /// At most this many (1–500, default 50).
    pub limit: Option<i64>,
    /// The `X-Next-Cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The encounters of the caller's practices by coding status, the longest waiting first.
#[utoipa::path(get, path = "/api/encounters", tag = "coding", params(EncounterQuery),
    responses(
        (status = 200, description = "A page of encounters; the next cursor is in X-Next-Cursor", body = Vec<store::coding::EncounterItem>),
        (status = 400, body = ErrorBody),
    ))]
pub(crate) async fn list_encounters(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<EncounterQuery>,
) -> Result<Response, ApiError> {
    let limit = page_limit(q.limit)?;
    let after = page_cursor(&q.cursor)?;
    let status = q.status.unwrap_or_else(|| "open".into());
    let mut items = st.store.encounters_page(&c.practices(), &status, after, limit + 1).await?;
    let next = cut_page(&mut items, limit, |x| x.id);
    st.store.audit_request(&c.actor(), "list", "encounter", None, None, &c.address).await?;
    Ok(paged(items, next, "/api/encounters", limit))
}

async fn visible(st: &AppState, c: &Caller, id: i64) -> Result<EncounterDetail, ApiError> {
    let e = st.store.encounter_detail(id).await?.ok_or(ApiError::NotFound)?;
    if !c.sees(e.item.practice) {
        return Err(ApiError::NotFound);
    }
    Ok(e)
}

/// An encounter with its documentation, coding and charges; 404 outside the caller's practices.
#[utoipa::path(get, path = "/api/encounters/{id}", tag = "coding",
    params(("id" = i64, Path, description = "Encounter ID")),
    responses(
        (status = 200, body = EncounterDetail),
        (status = 404, description = "No encounter the caller may see has this ID", body = ErrorBody),
    ))]
pub(crate) async fn get_encounter(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> Result<Json<EncounterDetail>, ApiError> {
    let e = visible(&st, &c, id).await?;
    st.store
        .audit_request(&c.actor(), "read", "encounter", Some(id), Some(e.item.practice), &c.address)
        .await?;
    Ok(Json(e))
}

/// A coding: diagnoses (principal first) and ICD-10-PCS procedures.
#[derive(Deserialize, ToSchema)]
pub struct Coding {
    /// Diagnoses, principal first.
    pub diagnoses: Vec<CodedDiagnosis>,
    /// ICD-10-PCS procedures.
    #[serde(default)]
    pub procedures: Vec<CodedProcedure>,
}

/// One code of a coding, validated against the release in force on the date of service.
#[derive(Serialize, ToSchema)]
pub struct CodeCheck {
    /// The code as given.
    pub code: String,
    /// `diagnosis` or `procedure`.
    pub kind: String,
    /// 1-based position among its kind.
    pub position: usize,
    /// Its title, when it is a code.
    pub title: String,
    /// Reportable on a claim.
    pub billable: bool,
    /// What is wrong and what to do, when something is.
    pub problem: Option<String>,
}

/// What a coding would give.
#[derive(Serialize, ToSchema)]
pub struct CodingCheck {
    /// Each code, validated.
    pub codes: Vec<CodeCheck>,
    /// The scrubber's findings on the claim the coding would make (rule, severity, message,
    /// fix, line…).
    #[schema(value_type = Vec<Object>)]
    pub findings: serde_json::Value,
    /// For an inpatient stay: the MS-DRG and each code's effect on it.
    pub drg: Option<backoffice::engines::DrgImpact>,
    /// Why there is no MS-DRG or no findings (not a stay, no definitions installed, no
    /// coverage in force…).
    pub notes: Vec<String>,
}

fn validate(st: &AppState, e: &EncounterDetail, coding: &Coding) -> Vec<CodeCheck> {
    let date: Date = e.item.service_date.parse().unwrap_or_else(|_| st.today());
    let lib = &st.engines.library;
    let installed = |s: System| lib.in_force(s, date).is_some();
    let mut out = Vec::new();
    let inpatient = e.item.kind == "inpatient";
    let mut one = |system: System, kind: &str, position: usize, code: &str, poa: Option<&str>| {
        let mut check = CodeCheck {
            code: code.to_string(),
            kind: kind.into(),
            position,
            title: String::new(),
            billable: false,
            problem: None,
        };
        let name = system.display_name();
        match system.normalize(code) {
            Err(_) => check.problem = Some(format!("{code:?} is not shaped like an {name} code")),
            Ok(key) => match lib.lookup(system, &key, date) {
                Some(l) => {
                    check.title = l.title.to_string();
                    check.billable = l.billable;
                    if !l.billable {
                        check.problem = Some(format!(
                            "{code} is a category, not a billable code: choose a more specific code under it"
                        ));
                    } else if !l.release_covers_date {
                        check.problem = Some(format!(
                            "no {name} release installed covers the date of service {date}: the code was checked against the nearest one"
                        ));
                    }
                }
                None if installed(system) => {
                    check.problem =
                        Some(format!("{code} is not an {name} code on the date of service {date}"))
                }
                None => {
                    check.billable = true;
                    check.problem = None;
                }
            },
        }
        if let Some(p) = poa
            && check.problem.is_none()
        {
            if inpatient && p.is_empty() {
                check.problem = Some(format!(
                    "{code}: present on admission is required on an inpatient stay (Y, N, U, W or 1)"
                ));
            } else if !matches!(p, "" | "Y" | "N" | "U" | "W" | "1") {
                check.problem = Some(format!("{code}: POA {p:?} is not Y, N, U, W or 1"));
            }
        }
        out.push(check);
    };
    for (i, d) in coding.diagnoses.iter().enumerate() {
        one(System::Icd10Cm, "diagnosis", i + 1, d.code.trim(), Some(d.poa.trim()));
    }
    for (i, p) in coding.procedures.iter().enumerate() {
        one(System::Icd10Pcs, "procedure", i + 1, p.code.trim(), None);
    }
    out
}

/// Checks a coding without saving it: each code validated on the date of service, the
/// scrubber's findings on the claim it would make, and for an inpatient stay the MS-DRG with
/// the DRG without each secondary diagnosis and procedure (what each code is worth).
#[utoipa::path(post, path = "/api/encounters/{id}/check", tag = "coding", request_body = Coding,
    params(("id" = i64, Path, description = "Encounter ID")),
    responses(
        (status = 200, body = CodingCheck),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn check_coding(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(coding): Json<Coding>,
) -> Result<Json<CodingCheck>, ApiError> {
    let e = visible(&st, &c, id).await?;
    let codes = validate(&st, &e, &coding);
    let mut notes = Vec::new();
    let (mut findings, mut drg) = (serde_json::Value::Array(Vec::new()), None);
    if coding.diagnoses.is_empty() {
        notes.push("add the principal diagnosis first".to_string());
    } else {
        match st.store.coding_preview(id, &coding.diagnoses, &coding.procedures).await? {
            None => notes.push(
                "no coverage in force on the date of service: the claim would go to the patient, not scrubbed here".into(),
            ),
            Some(claim) => {
                let engines = st.engines.clone();
                let today = st.today();
                let inpatient = e.item.kind == "inpatient";
                let (f, d) = tokio::task::spawn_blocking(move || {
                    let cx = engines.scrub_context(today);
                    let found = scrub::Scrubber::default().scrub(&claim, &cx);
                    let drg = inpatient.then(|| engines.drg_impact(&claim));
                    (found, drg)
                })
                .await
                .map_err(|_| ApiError::Internal("checking the coding".into()))?;
                findings = serde_json::to_value(f).unwrap_or_default();
                match d {
                    Some(Ok(impact)) => drg = Some(impact),
                    Some(Err(why)) => notes.push(format!("MS-DRG: {why}")),
                    None => {}
                }
            }
        }
    }
    Ok(Json(CodingCheck { codes, findings, drg, notes }))
}

/// Saves the coding and marks the encounter coded (coders and admins of its practice). Every
/// code is validated again here: a coding with a problem is refused with what to fix, and
/// nothing is saved. A billed encounter is refused (correct its claim instead).
#[utoipa::path(put, path = "/api/encounters/{id}/coding", tag = "coding", request_body = Coding,
    params(("id" = i64, Path, description = "Encounter ID")),
    responses(
        (status = 200, description = "Saved; the encounter is coded", body = EncounterDetail),
        (status = 400, description = "What to fix", body = ErrorBody),
        (status = 403, description = "Only coders and admins code", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn save_coding(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(coding): Json<Coding>,
) -> Result<Json<EncounterDetail>, ApiError> {
    let e = visible(&st, &c, id).await?;
    c.may(e.item.practice, &["coder", "admin"])?;
    if coding.diagnoses.is_empty() {
        return Err(ApiError::BadRequest("add at least the principal diagnosis".into()));
    }
    let problems: Vec<String> = validate(&st, &e, &coding)
        .into_iter()
        .filter_map(|c| c.problem.map(|p| format!("{} {}: {p}", c.kind, c.position)))
        .collect();
    if !problems.is_empty() {
        return Err(ApiError::BadRequest(problems.join("; ")));
    }
    let dx: Vec<(String, String)> = coding
        .diagnoses
        .iter()
        .map(|d| (d.code.trim().to_ascii_uppercase(), d.poa.trim().to_string()))
        .collect();
    let mut px = Vec::new();
    for p in &coding.procedures {
        let date = match p.date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(d.parse::<Date>().map_err(|_| {
                ApiError::BadRequest(format!("procedure {}: date {d:?}: use YYYY-MM-DD", p.code))
            })?),
        };
        px.push((p.code.trim().to_ascii_uppercase(), date));
    }
    st.store.code_encounter(&c.actor(), id, &dx, &px).await?;
    Ok(Json(visible(&st, &c, id).await?))
}
