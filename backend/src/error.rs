//! The API's one error type, and the only place errors meet HTTP: every failing `/api` call becomes
//! `{code, message, field?, provider_code?, problem?}` with its status here, and nowhere else.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use callout_shared::error::{ApiErrorBody, ErrorCode};

use crate::{
    providers::{Provider, ProviderError},
    service::ServiceError,
};

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
    /// The request itself is malformed (a header, the path, the query or the body).
    #[error("{message}")]
    InvalidRequest { message: String, field: Option<String> },
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::InvalidRequest { message: message.into(), field: Some(field.into()) }
    }

    /// Status, stable code, and the provider's code when a provider answered.
    fn parts(&self) -> (StatusCode, ErrorCode, Option<String>) {
        match self {
            AppError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, None),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, None),
            AppError::CsrfHeaderMissing => (StatusCode::UNAUTHORIZED, ErrorCode::CsrfHeaderMissing, None),
            AppError::CrossSite => (StatusCode::FORBIDDEN, ErrorCode::CrossSiteRequest, None),
            AppError::InvalidRequest { .. } => (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, None),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound, None),
            AppError::Service(err) => service_parts(err),
        }
    }

    /// The status and JSON body this error answers with.
    pub fn status_and_body(&self) -> (StatusCode, ApiErrorBody) {
        let (status, code, provider_code) = self.parts();
        let field = match self {
            AppError::InvalidRequest { field, .. } => field.clone(),
            AppError::Service(ServiceError::Invalid { field, .. }) => field.clone(),
            AppError::Service(ServiceError::Unprocessable { field, .. }) => Some(field.clone()),
            AppError::Service(ServiceError::InvalidNumber { field, .. } | ServiceError::DoNotCall { field, .. }) => Some(field.clone()),
            AppError::Service(ServiceError::Provider(err)) => provider_field(err),
            AppError::Service(ServiceError::UnknownAccount { .. }) => Some("account_id".into()),
            AppError::Service(ServiceError::UnknownInstance(_)) => Some("instance_id".into()),
            AppError::Service(ServiceError::MeetingRefused { .. }) => Some("meeting_id".into()),
            _ => None,
        };
        let problem = match self {
            AppError::Service(ServiceError::InvalidNumber { problem, .. }) => Some(*problem),
            _ => None,
        };
        (status, ApiErrorBody { code, message: self.to_string(), field, provider_code, problem })
    }
}

fn service_parts(err: &ServiceError) -> (StatusCode, ErrorCode, Option<String>) {
    match err {
        ServiceError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, None),
        ServiceError::Invalid { .. } => (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, None),
        ServiceError::Unprocessable { .. } => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRequest, None),
        ServiceError::InvalidNumber { .. } => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidNumber, None),
        ServiceError::DoNotCall { .. } => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::DoNotCall, None),
        ServiceError::NotFound(_) | ServiceError::UnknownAccount { .. } | ServiceError::UnknownInstance(_) => {
            (StatusCode::NOT_FOUND, ErrorCode::NotFound, None)
        }
        ServiceError::Conflict { code, .. } => (StatusCode::CONFLICT, *code, None),
        ServiceError::MeetingRefused { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code, None),
        ServiceError::Provider(err) => provider_parts(err),
        ServiceError::Store(err) if err.is_unwritable() => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::StorageUnavailable, None),
        ServiceError::Store(_) | ServiceError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, None),
    }
}

/// Provider outcomes in the API: a refusal is the client's to fix (422 with the provider's code),
/// a rate limit is 429, and an ambiguous outcome is 502 with its own code so nobody retries blindly.
fn provider_parts(err: &ProviderError) -> (StatusCode, ErrorCode, Option<String>) {
    match err {
        ProviderError::NotSent { .. } => (StatusCode::BAD_GATEWAY, ErrorCode::ProviderUnreachable, None),
        ProviderError::RateLimited { body, .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited, Some(body.code.clone())),
        ProviderError::Rejected { provider, body } => {
            (StatusCode::UNPROCESSABLE_ENTITY, rejection_code(*provider, &body.code), Some(body.code.clone()))
        }
        ProviderError::Unknown { .. } => (StatusCode::BAD_GATEWAY, ErrorCode::ProviderOutcomeUnknown, None),
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
fn rejection_code(provider: Provider, code: &str) -> ErrorCode {
    match (provider, code) {
        (Provider::TencentMeeting, "190457") => ErrorCode::MeetingNotFound,
        (Provider::TencentMeeting, "9006") => ErrorCode::MeetingEnded,
        (Provider::TencentMeeting, "9042") => ErrorCode::ProviderPermissionDenied,
        (Provider::TencentMeeting, "200003" | "190300" | "190301" | "190303") => ErrorCode::ProviderCredentialsRejected,
        (Provider::AliyunCcc, c) if c.starts_with("InvalidAccessKeyId") || c.starts_with("Signature") => {
            ErrorCode::ProviderCredentialsRejected
        }
        (Provider::AliyunCcc, c) if c.starts_with("Forbidden") => ErrorCode::ProviderPermissionDenied,
        _ => ErrorCode::ProviderError,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        if status.is_server_error() {
            tracing::error!(code = ?body.code, error = %self, "request failed");
        } else {
            tracing::info!(code = ?body.code, error = %self, "request refused");
        }
        (status, Json(body)).into_response()
    }
}
