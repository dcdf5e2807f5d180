//! `Idempotency-Key` on every dialling POST: the same key and body replays the first answer
//! (nothing is dialled again); the same key with another body is 409. The work runs in a task of its
//! own, so a client that disconnects changes nothing about what is sent, recorded and replayed.

use std::future::Future;

use axum::{
    extract::FromRequestParts,
    http::{request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use callout_shared::error::ErrorCode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::{
    app::AppState,
    error::AppError,
    security::CurrentUser,
    service::{idempotency::Claim, ServiceError},
};

const HEADER: &str = "idempotency-key";

/// The request's `Idempotency-Key` (1 to 200 characters).
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .headers
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 200)
            .map(|k| IdempotencyKey(k.to_owned()))
            .ok_or_else(|| AppError::invalid("Idempotency-Key", "dialling requests need an Idempotency-Key header (1 to 200 characters)"))
    }
}

/// Runs `work` once per (user, key) in a task of its own, answering `status` and its JSON on success;
/// replays the stored answer for a repeat.
pub async fn once<B, T, Fut>(
    state: &AppState,
    user: &CurrentUser,
    key: IdempotencyKey,
    route: &str,
    body: &B,
    status: StatusCode,
    work: Fut,
) -> Response
where
    B: Serialize,
    T: Serialize + Send + 'static,
    Fut: Future<Output = Result<T, ServiceError>> + Send + 'static,
{
    match run(state, user, key, route, body, status, work).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn run<B, T, Fut>(
    state: &AppState,
    user: &CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    route: &str,
    body: &B,
    status: StatusCode,
    work: Fut,
) -> Result<Response, AppError>
where
    B: Serialize,
    T: Serialize + Send + 'static,
    Fut: Future<Output = Result<T, ServiceError>> + Send + 'static,
{
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update([0]);
    hasher.update(serde_json::to_vec(body).map_err(|e| ServiceError::Internal(e.to_string()))?);
    let hash = hex::encode(hasher.finalize());
    let subject = user.identity.subject.clone();
    let (status, text) = match state.calls.claim_key(&subject, &key, &hash).await? {
        Claim::Replay { status, body } => {
            let mut response = json_response(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body);
            response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(response);
        }
        Claim::Mismatch => {
            let message = "this Idempotency-Key was used for a different request".into();
            return Err(ServiceError::Conflict { code: ErrorCode::IdempotencyKeyReused, message }.into());
        }
        Claim::InProgress => {
            let message = "a request with this Idempotency-Key is still being processed".into();
            return Err(ServiceError::Conflict { code: ErrorCode::IdempotencyKeyInProgress, message }.into());
        }
        Claim::Fresh => {
            let calls = state.calls.clone();
            // The dial and its records finish even if this request's future is dropped.
            // In the request's span: the dial's log lines, provider calls included, carry its request id.
            let task = tokio::spawn(Instrument::in_current_span(async move {
                let (status, text) = match work.await {
                    Ok(value) => match serde_json::to_string(&value) {
                        Ok(text) => (status, text),
                        Err(e) => answer(AppError::from(ServiceError::Internal(e.to_string()))),
                    },
                    Err(err) => answer(err.into()),
                };
                if let Err(err) = calls.finish_key(&subject, &key, status.as_u16(), &text).await {
                    tracing::error!(%err, "the answer of an idempotent request could not be stored");
                }
                (status, text)
            }));
            task.await.map_err(|e| ServiceError::Internal(format!("the request's task failed: {e}")))?
        }
    };
    Ok(json_response(status, text))
}

fn answer(err: AppError) -> (StatusCode, String) {
    let (status, body) = err.status_and_body();
    let text = serde_json::to_string(&body).unwrap_or_else(|_| r#"{"code":"internal","message":"unserialisable error"}"#.into());
    (status, text)
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}
