//! The API's errors: a status and `{ "error": CODE, "message": TEXT }`, where the text says what
//! to do and never carries patient data (a store failure is logged by kind and answered with a
//! generic message).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An API error.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid session or token.
    #[error("sign in first")]
    Unauthorized,
    /// Wrong login or password (one message for both).
    #[error("wrong login or password")]
    BadCredentials,
    /// The second factor is needed or wrong.
    #[error("enter the six-digit code from your authenticator app")]
    SecondFactor,
    /// Too many failures in a row.
    #[error(
        "too many failed sign-ins: this account is locked for a while; ask an admin to unlock it sooner"
    )]
    Locked,
    /// The session's CSRF token is missing or wrong.
    #[error("the request lacks this session's CSRF token (X-CSRF-Token): reload the page")]
    Csrf,
    /// Signed in, but the role does not allow it.
    #[error("your role does not allow this")]
    Forbidden,
    /// Nothing the caller may see has that ID.
    #[error("not found")]
    NotFound,
    /// The request is wrong; the text says what to fix.
    #[error("{0}")]
    BadRequest(String),
    /// Something failed on our side; the text names the operation (for the log), never a value.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            ApiError::SecondFactor => (StatusCode::UNAUTHORIZED, "totp_required"),
            ApiError::Locked => (StatusCode::LOCKED, "locked"),
            ApiError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<store::Error> for ApiError {
    fn from(e: store::Error) -> ApiError {
        match e {
            store::Error::NotFound(_) => ApiError::NotFound,
            store::Error::Invalid(m) => ApiError::BadRequest(m),
            // The driver's own message may quote a value (a constraint's key): only the action
            // is kept.
            store::Error::Db { action, .. } => {
                ApiError::Internal(format!("database error while {action}"))
            }
            _ => ApiError::Internal("the store failed".into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.code();
        if let ApiError::Internal(e) = &self {
            tracing::error!(failed = %e, "request failed");
        }
        (status, Json(serde_json::json!({ "error": code, "message": self.to_string() })))
            .into_response()
    }
}
