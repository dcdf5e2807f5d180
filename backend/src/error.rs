//! The API's one error type. Every failing `/api` call becomes `{code, message, field?, provider_code?}`
//! with the right HTTP status here, and nowhere else.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use callout_shared::{error::ApiErrorBody, numbers::NumberProblem};

use crate::providers::{Provider, ProviderError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required: {0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("state-changing requests must carry the header X-CSRF: 1")]
    CsrfHeaderMissing,
    #[error("cross-site requests are refused")]
    CrossSite,
    #[error("{message}")]
    InvalidRequest { message: String, field: Option<String> },
    #[error("{field}: {}", .problem.message())]
    InvalidNumber { field: String, problem: NumberProblem },
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Boxed: provider errors carry whole bodies, and every `Result` of the API pays for its error's size.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<ProviderError> for AppError {
    fn from(err: ProviderError) -> Self {
        AppError::Provider(Box::new(err))
    }
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::InvalidRequest { message: message.into(), field: Some(field.into()) }
    }

    /// Status, stable code, and the provider's code when a provider answered.
    fn parts(&self) -> (StatusCode, &'static str, Option<String>) {
        match self {
            AppError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated", None),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", None),
            AppError::CsrfHeaderMissing => (StatusCode::UNAUTHORIZED, "csrf_header_missing", None),
            AppError::CrossSite => (StatusCode::FORBIDDEN, "cross_site_request", None),
            AppError::InvalidRequest { .. } => (StatusCode::BAD_REQUEST, "invalid_request", None),
            AppError::InvalidNumber { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_number", None),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            AppError::Conflict { code, .. } => (StatusCode::CONFLICT, code, None),
            AppError::Provider(err) => provider_parts(err),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
        }
    }
}

/// Provider outcomes in the API: a refusal is the client's to fix (422 with the provider's code),
/// a rate limit is 429, and an ambiguous outcome is 502 with its own code so nobody retries blindly.
fn provider_parts(err: &ProviderError) -> (StatusCode, &'static str, Option<String>) {
    match err {
        ProviderError::NotSent { .. } => (StatusCode::BAD_GATEWAY, "provider_unreachable", None),
        ProviderError::RateLimited { body, .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", Some(body.code.clone())),
        ProviderError::Rejected { provider, body } => {
            (StatusCode::UNPROCESSABLE_ENTITY, rejection_code(*provider, &body.code), Some(body.code.clone()))
        }
        ProviderError::Unknown { .. } => (StatusCode::BAD_GATEWAY, "provider_outcome_unknown", None),
    }
}

/// The request field a CCC refusal names (`InvalidParameter.RoutPoint` → `rout_point`), so the UI can
/// show the error beside it.
fn provider_field(err: &ProviderError) -> Option<String> {
    let ProviderError::Rejected { provider: Provider::AliyunCcc, body } = err else { return None };
    let name = body.code.strip_prefix("InvalidParameter.").or_else(|| body.code.strip_prefix("Missing"))?;
    let field = match name {
        "RoutPoint" => "rout_point",
        "Callee" => "callee",
        "Caller" => "caller",
        "InstanceId" => "instance_id",
        "AnswerMode" => "answer_mode",
        _ => return None,
    };
    Some(field.to_owned())
}

/// Stable codes for the provider refusals the UI explains in its own words.
fn rejection_code(provider: Provider, code: &str) -> &'static str {
    match (provider, code) {
        (Provider::TencentMeeting, "190457") => "meeting_not_found",
        (Provider::TencentMeeting, "9006") => "meeting_ended",
        (Provider::TencentMeeting, "9042") => "provider_permission_denied",
        (Provider::TencentMeeting, "200003" | "190300" | "190301" | "190303") => "provider_credentials_rejected",
        (Provider::AliyunCcc, c) if c.starts_with("InvalidAccessKeyId") || c.starts_with("Signature") => "provider_credentials_rejected",
        (Provider::AliyunCcc, c) if c.starts_with("Forbidden") => "provider_permission_denied",
        _ => "provider_error",
    }
}

impl AppError {
    /// The status and JSON body this error answers with.
    pub fn status_and_body(&self) -> (StatusCode, ApiErrorBody) {
        let (status, code, provider_code) = self.parts();
        let field = match self {
            AppError::InvalidRequest { field, .. } => field.clone(),
            AppError::InvalidNumber { field, .. } => Some(field.clone()),
            AppError::Provider(err) => provider_field(err),
            _ => None,
        };
        let problem = match self {
            AppError::InvalidNumber { problem, .. } => Some(*problem),
            _ => None,
        };
        (status, ApiErrorBody { code: code.to_owned(), message: self.to_string(), field, provider_code, problem })
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        if status.is_server_error() {
            tracing::error!(code = %body.code, error = %self, "request failed");
        } else {
            tracing::info!(code = %body.code, error = %self, "request refused");
        }
        (status, Json(body)).into_response()
    }
}
