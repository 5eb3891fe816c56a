//! The dashboards: A/R aging, denial reasons, first-pass acceptance and days in A/R over time,
//! per practice and across the caller's practices. Figures only: no patient appears here.

use axum::Json;
use axum::extract::{Query, State};
use code_sets::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::ErrorBody;
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// Which period.
#[derive(Deserialize, IntoParams)]
pub struct DashboardQuery {
    /// Weekly points of the trend (1–52, default 12), each over the 30 days ending that week.
    pub weeks: Option<i64>,
}

/// One practice's figures (or all the caller's practices together).
#[derive(Serialize, ToSchema)]
pub struct Board {
    /// Practice ID; `None` for all the caller's practices together.
    pub practice: Option<i64>,
    /// The practice's name (`All practices` for the total).
    pub name: String,
    /// A/R on the last day: total, insurance, patient.
    pub ar_cents: i64,
    /// Owed by payers.
    pub insurance_cents: i64,
    /// Owed by patients.
    pub patient_cents: i64,
    /// A/R by age from the date of service (`0-30`, `31-60`…).
    pub aging: Vec<Slice>,
    /// A/R by payer, largest first.
    pub by_payer: Vec<Slice>,
    /// Denials of the last 30 days by reason (group-CARC), most first.
    pub denial_reasons: Vec<Slice>,
    /// The trend, oldest week first.
    pub trend: Vec<Point>,
}

/// A labelled amount or count.
#[derive(Serialize, ToSchema)]
pub struct Slice {
    /// Label.
    pub label: String,
    /// Amount in cents, or a count.
    pub value: i64,
}

/// One week of the trend (the 30 days ending on `as_of`).
#[derive(Serialize, ToSchema)]
pub struct Point {
    /// The period's last day.
    pub as_of: String,
    /// First-pass acceptance (clean-claim) rate, 0–1.
    pub first_pass_rate: Option<f64>,
    /// Days in A/R.
    pub days_in_ar: Option<f64>,
    /// Denial rate, 0–1.
    pub denial_rate: Option<f64>,
    /// A/R on that day.
    pub ar_cents: i64,
}

async fn board(
    st: &AppState,
    practice: Option<i64>,
    name: String,
    weeks: i64,
) -> Result<Board, ApiError> {
    let today = st.today();
    let aging = st.store.aging(today, practice).await?;
    let ends: Vec<Date> = (0..weeks)
        .rev()
        .filter_map(|k| Date::from_day_number(today.day_number() - 7 * k))
        .collect();
    let trend = st
        .store
        .periods(practice, &ends, 30)
        .await?
        .iter()
        .map(|p| Point {
            as_of: p.as_of.clone(),
            first_pass_rate: p.first_pass_rate(),
            days_in_ar: p.days_in_ar(30),
            denial_rate: p.denial_rate(),
            ar_cents: p.ar_cents,
        })
        .collect();
    let month_ago = Date::from_day_number(today.day_number() - 29).unwrap_or(today);
    let denial_reasons = st
        .store
        .denial_reasons(practice, month_ago, today)
        .await?
        .into_iter()
        .map(|(label, value)| Slice { label, value })
        .collect();
    Ok(Board {
        practice,
        name,
        ar_cents: aging.total_cents,
        insurance_cents: aging.insurance_cents,
        patient_cents: aging.patient_cents,
        aging: aging
            .buckets
            .iter()
            .map(|b| Slice { label: b.label.clone(), value: b.cents })
            .collect(),
        by_payer: aging
            .by_payer
            .iter()
            .map(|p| Slice { label: p.payer.clone(), value: p.cents })
            .collect(),
        denial_reasons,
        trend,
    })
}

/// The dashboards of each practice the caller works in, then (when the caller sees every
/// practice of the billing service) all of them together.
#[utoipa::path(get, path = "/api/dashboard", tag = "dashboards", params(DashboardQuery),
    responses((status = 200, body = Vec<Board>), (status = 400, body = ErrorBody)))]
pub(crate) async fn dashboard(
    State(st): State<AppState>,
    c: Caller,
    Query(q): Query<DashboardQuery>,
) -> Result<Json<Vec<Board>>, ApiError> {
    let weeks = q.weeks.unwrap_or(12);
    if !(1..=52).contains(&weeks) {
        return Err(ApiError::BadRequest(format!("weeks {weeks}: use 1 to 52")));
    }
    let all = st.store.practices(None).await?;
    let mut out = Vec::new();
    for p in all.iter().filter(|p| c.sees(p.id)) {
        out.push(board(&st, Some(p.id), p.name.clone(), weeks).await?);
    }
    if all.len() > 1 && all.iter().all(|p| c.sees(p.id)) {
        out.push(board(&st, None, "All practices".into(), weeks).await?);
    }
    st.store.audit_request(&c.actor(), "read", "dashboard", None, None, &c.address).await?;
    Ok(Json(out))
}
