//! `Idempotency-Key` on every dialling POST: the same key and body replays the first answer
//! (nothing is dialled again); the same key with another body is 409.

use std::future::Future;

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{app::AppState, error::AppError, security::CurrentUser, store::idempotency::Claim};

const HEADER: &str = "idempotency-key";

/// Runs `action` once per (user, key); replays its stored answer for a repeat.
pub async fn once<B, T, F, Fut>(state: &AppState, user: &CurrentUser, headers: &HeaderMap, route: &str, body: &B, action: F) -> Response
where
    B: Serialize,
    T: Serialize,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(StatusCode, T), AppError>>,
{
    match run(state, user, headers, route, body, action).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn run<B, T, F, Fut>(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    route: &str,
    body: &B,
    action: F,
) -> Result<Response, AppError>
where
    B: Serialize,
    T: Serialize,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(StatusCode, T), AppError>>,
{
    let key =
        headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::trim).filter(|k| !k.is_empty() && k.len() <= 200).ok_or_else(|| {
            AppError::InvalidRequest {
                message: "dialling requests need an Idempotency-Key header (1 to 200 characters)".into(),
                field: Some("Idempotency-Key".into()),
            }
        })?;
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update([0]);
    hasher.update(serde_json::to_vec(body).map_err(|e| AppError::Internal(e.to_string()))?);
    let hash = hex::encode(hasher.finalize());
    let subject = &user.identity.subject;
    match state.store.claim_idempotency_key(subject, key, &hash).await? {
        Claim::Replay { status, body } => {
            let mut response =
                (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), [("content-type", "application/json")], body).into_response();
            response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(response)
        }
        Claim::Mismatch => Err(AppError::Conflict {
            code: "idempotency_key_reused",
            message: "this Idempotency-Key was used for a different request".into(),
        }),
        Claim::InProgress => Err(AppError::Conflict {
            code: "idempotency_key_in_progress",
            message: "a request with this Idempotency-Key is still being processed".into(),
        }),
        Claim::Fresh => {
            let (status, text) = match action().await {
                Ok((status, value)) => (status, serde_json::to_string(&value).map_err(|e| AppError::Internal(e.to_string()))?),
                Err(err) => {
                    let (status, body) = err.status_and_body();
                    (status, serde_json::to_string(&body).map_err(|e| AppError::Internal(e.to_string()))?)
                }
            };
            state.store.finish_idempotent(subject, key, status.as_u16(), &text).await?;
            Ok((status, [("content-type", "application/json")], text).into_response())
        }
    }
}
