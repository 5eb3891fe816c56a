//! Administration: users and their roles per practice, practices, payers and fee schedules.
//!
//! Who may do what follows the tenant boundary. An admin of a practice manages the roles held
//! in that practice, its fee schedule, and the users who work only in practices they
//! administer (or nowhere yet). What the whole billing service shares (new practices, payers)
//! belongs to a *service admin*: an admin of every practice of the organization. A user outside
//! the caller's practices does not exist for the caller (404), like any other record.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use store::admin::{FeeItem, PayerItem, PracticeItem, RoleGrant, UserItem};
use utoipa::{IntoParams, ToSchema};

use crate::api::ErrorBody;
use crate::auth::{self, Caller};
use crate::{ApiError, AppState};

fn admin_of(c: &Caller) -> Result<Vec<i64>, ApiError> {
    let a = c.practices_as(&["admin"]);
    if a.is_empty() { Err(ApiError::Forbidden) } else { Ok(a) }
}

/// Refuses a caller who does not administer every practice of the organization.
async fn need_service_admin(st: &AppState, c: &Caller) -> Result<(), ApiError> {
    if crate::api::in_every_practice(st, c, &["admin"]).await? {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// How the caller stands to a user: `None` when the user is not the caller's to see (another
/// organization, or working only in practices the caller does not administer).
fn standing(admin_of: &[i64], u: &UserItem) -> Option<bool> {
    let ours = u.roles.iter().filter(|g| admin_of.contains(&g.practice)).count();
    if !u.roles.is_empty() && ours == 0 {
        return None;
    }
    // Managed: every role the user holds is in a practice the caller administers.
    Some(ours == u.roles.len())
}

/// The user `id` as the caller may see it (roles outside the caller's practices left out), and
/// whether the caller manages the user.
async fn user_for(st: &AppState, c: &Caller, id: i64) -> Result<(UserItem, bool), ApiError> {
    let admin_of = c.practices_as(&["admin"]);
    let mut u = st
        .store
        .users(c.org_id)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(ApiError::NotFound)?;
    // Someone working only elsewhere does not exist for the caller; someone the caller can see
    // is still only an admin's to look at.
    let managed = standing(&admin_of, &u).ok_or(ApiError::NotFound)?;
    if admin_of.is_empty() {
        return Err(ApiError::Forbidden);
    }
    u.roles.retain(|g| admin_of.contains(&g.practice));
    Ok((u, managed))
}

fn check_password(p: &str) -> Result<(), ApiError> {
    auth::check_password(p).map_err(ApiError::BadRequest)
}

/// The users the caller administers or may grant roles to, by login; each with the roles held
/// in the caller's practices.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin",
    responses((status = 200, body = Vec<UserItem>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_users(
    State(st): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<UserItem>>, ApiError> {
    let admin_of = admin_of(&c)?;
    let mut users = st.store.users(c.org_id).await?;
    users.retain(|u| standing(&admin_of, u).is_some());
    for u in &mut users {
        u.roles.retain(|g| admin_of.contains(&g.practice));
    }
    Ok(Json(users))
}

/// A new user.
#[derive(Deserialize, ToSchema)]
pub struct NewUser {
    /// Login: 3 to 64 letters, digits, `.`, `-`, `_` or `@`.
    pub login: String,
    /// The person's name.
    pub name: String,
    /// First password (at least 12 characters); the user should change it.
    pub password: String,
    /// Roles to grant at once, each in a practice the caller administers.
    #[serde(default)]
    pub roles: Vec<RoleGrant>,
}

/// A user made.
#[derive(Serialize, ToSchema)]
pub struct Created {
    /// The new record's ID.
    pub id: i64,
}

/// Add a user (admins), with roles in practices the caller administers.
#[utoipa::path(post, path = "/api/admin/users", tag = "admin", request_body = NewUser,
    responses(
        (status = 201, body = Created),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn create_user(
    State(st): State<AppState>,
    c: Caller,
    Json(req): Json<NewUser>,
) -> Result<Response, ApiError> {
    admin_of(&c)?;
    for g in &req.roles {
        c.may(g.practice, &["admin"])?;
    }
    store::admin::check_login(req.login.trim())?;
    check_password(&req.password)?;
    let hash = hash(&req.password).await?;
    let id = st
        .store
        .add_user(&c.actor(), c.org_id, req.login.trim(), &req.name, &hash, &req.roles)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

async fn hash(password: &str) -> Result<String, ApiError> {
    // argon2id takes tens of milliseconds of CPU: off the request threads.
    let p = password.to_string();
    tokio::task::spawn_blocking(move || auth::hash_password(&p))
        .await
        .map_err(|_| ApiError::Internal("hashing a password".into()))?
        .map_err(|_| ApiError::Internal("hashing a password".into()))
}

/// A change to a user; what is left out stays.
#[derive(Deserialize, ToSchema, Default)]
pub struct UserChange {
    /// New display name.
    #[serde(default)]
    pub name: Option<String>,
    /// New password (at least 12 characters); the user's sessions end.
    #[serde(default)]
    pub password: Option<String>,
    /// Disable (sessions end, tokens stop working) or enable again.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Lift a lockout after failed sign-ins.
    #[serde(default)]
    pub unlock: bool,
}

/// Change a user the caller manages (every role the user holds is in a practice the caller
/// administers): rename, new password, disable or enable, unlock.
#[utoipa::path(put, path = "/api/admin/users/{id}", tag = "admin", request_body = UserChange,
    params(("id" = i64, Path, description = "User ID")),
    responses(
        (status = 200, body = UserItem),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn update_user(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(req): Json<UserChange>,
) -> Result<Json<UserItem>, ApiError> {
    let (_, managed) = user_for(&st, &c, id).await?;
    if !managed {
        return Err(ApiError::Forbidden);
    }
    if req.disabled == Some(true) && id == c.user_id {
        return Err(ApiError::BadRequest("you cannot disable yourself: ask another admin".into()));
    }
    // Check everything before changing anything.
    if let Some(p) = &req.password {
        check_password(p)?;
    }
    if req.name.as_ref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::BadRequest("name: the person's name".into()));
    }
    let password_hash = match &req.password {
        Some(p) => Some(hash(p).await?),
        None => None,
    };
    // All of it in one transaction, or nothing.
    let change = store::admin::UserUpdate {
        name: req.name.clone(),
        password_hash,
        disabled: req.disabled,
        unlock: req.unlock,
    };
    st.store.update_user(&c.actor(), id, &change).await?;
    Ok(Json(user_for(&st, &c, id).await?.0))
}

/// Grant a role in a practice the caller administers.
#[utoipa::path(post, path = "/api/admin/users/{id}/roles", tag = "admin", request_body = RoleGrant,
    params(("id" = i64, Path, description = "User ID")),
    responses(
        (status = 200, body = UserItem),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn grant_role(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(g): Json<RoleGrant>,
) -> Result<Json<UserItem>, ApiError> {
    user_for(&st, &c, id).await?;
    c.may(g.practice, &["admin"])?;
    st.store.grant_role(&c.actor(), id, g.practice, &g.role).await?;
    Ok(Json(user_for(&st, &c, id).await?.0))
}

/// Which role to take away.
#[derive(Deserialize, IntoParams)]
pub struct RoleQuery {
    /// Practice ID.
    #[serde(default)]
    pub practice: i64,
    /// The role.
    #[serde(default)]
    pub role: String,
}

/// Take a role away (refused for a practice's last admin).
#[utoipa::path(delete, path = "/api/admin/users/{id}/roles", tag = "admin",
    params(("id" = i64, Path, description = "User ID"), RoleQuery),
    responses(
        (status = 200, body = UserItem),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn revoke_role(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Query(q): Query<RoleQuery>,
) -> Result<Json<UserItem>, ApiError> {
    user_for(&st, &c, id).await?;
    c.may(q.practice, &["admin"])?;
    st.store.revoke_role(&c.actor(), id, q.practice, &q.role).await?;
    // Taking away one's own last role in the practices one administers leaves nothing to show.
    match user_for(&st, &c, id).await {
        Ok((u, _)) => Ok(Json(u)),
        Err(ApiError::NotFound | ApiError::Forbidden) => Err(ApiError::NotFound),
        Err(e) => Err(e),
    }
}

/// The practices the caller works in.
#[utoipa::path(get, path = "/api/practices", tag = "admin",
    responses((status = 200, body = Vec<PracticeItem>)))]
pub(crate) async fn list_practices(
    State(st): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<PracticeItem>>, ApiError> {
    Ok(Json(st.store.practice_items(Some(&c.practices())).await?))
}

/// Add a practice (service admins); the caller becomes its admin.
#[utoipa::path(post, path = "/api/practices", tag = "admin", request_body = store::setup::NewPractice,
    responses(
        (status = 201, body = Created),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub(crate) async fn create_practice(
    State(st): State<AppState>,
    c: Caller,
    Json(p): Json<store::setup::NewPractice>,
) -> Result<Response, ApiError> {
    need_service_admin(&st, &c).await?;
    let tax_id: String = p.tax_id.chars().filter(|ch| *ch != '-').collect();
    let new = store::setup::NewPractice {
        org_id: c.org_id,
        name: p.name.trim().to_string(),
        npi: p.npi.trim().to_string(),
        tax_id,
        taxonomy: p.taxonomy.trim().to_string(),
        address: p.address.trim().to_string(),
        city: p.city.trim().to_string(),
        state: p.state.trim().to_ascii_uppercase(),
        zip: p.zip.trim().to_string(),
        claim_prefix: p.claim_prefix.trim().to_string(),
    };
    let id = st.store.add_practice(&c.actor(), &new, c.user_id).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// Payers and the clearinghouses their claims can go through.
#[derive(Serialize, ToSchema)]
pub struct Payers {
    /// Payers, by name.
    pub payers: Vec<PayerItem>,
    /// Clearinghouses (trading partners).
    pub trading_partners: Vec<TradingPartnerName>,
}

/// A clearinghouse.
#[derive(Serialize, ToSchema)]
pub struct TradingPartnerName {
    /// ID.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The billing service's payers (anyone signed in: reference data, no patient data).
#[utoipa::path(get, path = "/api/payers", tag = "admin", responses((status = 200, body = Payers)))]
pub(crate) async fn list_payers(
    State(st): State<AppState>,
    c: Caller,
) -> Result<Json<Payers>, ApiError> {
    let payers = st.store.payer_items(c.org_id).await?;
    let trading_partners = st
        .store
        .trading_partner_names(c.org_id)
        .await?
        .into_iter()
        .map(|(id, name)| TradingPartnerName { id, name })
        .collect();
    Ok(Json(Payers { payers, trading_partners }))
}

/// Add a payer (service admins).
#[utoipa::path(post, path = "/api/payers", tag = "admin", request_body = PayerItem,
    responses(
        (status = 201, body = Created),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub(crate) async fn create_payer(
    State(st): State<AppState>,
    c: Caller,
    Json(p): Json<PayerItem>,
) -> Result<Response, ApiError> {
    need_service_admin(&st, &c).await?;
    let id = st.store.add_payer(&c.actor(), c.org_id, &p).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// Change a payer (service admins); claims built from now on use the change.
#[utoipa::path(put, path = "/api/payers/{id}", tag = "admin", request_body = PayerItem,
    params(("id" = i64, Path, description = "Payer ID")),
    responses(
        (status = 200, body = PayerItem),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn update_payer(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(p): Json<PayerItem>,
) -> Result<Json<PayerItem>, ApiError> {
    need_service_admin(&st, &c).await?;
    let p = PayerItem { id, ..p };
    st.store.update_payer(&c.actor(), c.org_id, &p).await?;
    Ok(Json(p))
}

/// A practice's fee schedule (anyone working in the practice).
#[utoipa::path(get, path = "/api/practices/{id}/fees", tag = "admin",
    params(("id" = i64, Path, description = "Practice ID")),
    responses((status = 200, body = Vec<FeeItem>), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_fees(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<FeeItem>>, ApiError> {
    c.may(id, &auth::ROLES)?;
    Ok(Json(st.store.fees(id).await?))
}

/// Set one fee (admins of the practice); charges already on claims stay as they are.
#[utoipa::path(put, path = "/api/practices/{id}/fees", tag = "admin", request_body = FeeItem,
    params(("id" = i64, Path, description = "Practice ID")),
    responses(
        (status = 200, body = Vec<FeeItem>),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn set_fee(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Json(f): Json<FeeItem>,
) -> Result<Json<Vec<FeeItem>>, ApiError> {
    c.may(id, &["admin"])?;
    st.store.change_fee(&c.actor(), id, &f).await?;
    Ok(Json(st.store.fees(id).await?))
}

/// Which fee to remove.
#[derive(Deserialize, IntoParams)]
pub struct FeeQuery {
    /// The code.
    #[serde(default)]
    pub code: String,
    /// The modifier (empty for none).
    #[serde(default)]
    pub modifier: String,
}

/// Remove a fee (admins of the practice).
#[utoipa::path(delete, path = "/api/practices/{id}/fees", tag = "admin",
    params(("id" = i64, Path, description = "Practice ID"), FeeQuery),
    responses(
        (status = 200, body = Vec<FeeItem>),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn remove_fee(
    State(st): State<AppState>,
    c: Caller,
    Path(id): Path<i64>,
    Query(q): Query<FeeQuery>,
) -> Result<Json<Vec<FeeItem>>, ApiError> {
    c.may(id, &["admin"])?;
    st.store.remove_fee(&c.actor(), id, &q.code, &q.modifier).await?;
    Ok(Json(st.store.fees(id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[(i64, &str)]) -> UserItem {
        UserItem {
            id: 1,
            login: "x".into(),
            name: "X".into(),
            disabled: false,
            locked_until: None,
            failed_logins: 0,
            second_factor: false,
            has_password: true,
            roles: roles
                .iter()
                .map(|(p, r)| RoleGrant { practice: *p, role: r.to_string() })
                .collect(),
        }
    }

    #[test]
    fn an_admin_manages_users_of_their_practices_only() {
        // An admin of practice 1 only.
        let admin_of = [1];
        assert_eq!(standing(&admin_of, &user(&[])), Some(true), "a user with no role yet");
        assert_eq!(standing(&admin_of, &user(&[(1, "biller")])), Some(true));
        assert_eq!(standing(&admin_of, &user(&[(1, "biller"), (2, "coder")])), Some(false));
        assert_eq!(standing(&admin_of, &user(&[(2, "biller")])), None, "not theirs to see");
    }
}
