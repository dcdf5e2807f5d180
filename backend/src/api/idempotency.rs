//! `Idempotency-Key` on every dialling POST: the same key and body replays the first answer
//! (nothing is dialled again); the same key with another body is 409. The work runs in a task of its
//! own, so a client that disconnects changes nothing about what is sent, recorded and replayed.

use std::future::Future;

use axum::{
    extract::FromRequestParts,
    http::{request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::{
    app::AppState,
    error::AppError,
    security::CurrentUser,
    service::{
        idempotency::{Answer, Answered, Answering, RequestKey},
        ServiceError,
    },
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
/// replays the stored answer for a repeat. The key is claimed and answered in commits of their own.
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
    let calls = state.calls.clone();
    keyed(user, key, route, body, status, move |key, answering| async move { calls.once(&key, answering, work).await }).await
}

/// Runs a service function that takes the request's key itself (and claims it and stores its answer
/// in its own transactions) in a task of its own, answering what it answered or replayed.
pub async fn keyed<B, F, Fut>(
    user: &CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    route: &str,
    body: &B,
    status: StatusCode,
    run: F,
) -> Response
where
    B: Serialize,
    F: FnOnce(RequestKey, Answering) -> Fut,
    Fut: Future<Output = Result<Answered, ServiceError>> + Send + 'static,
{
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update([0]);
    match serde_json::to_vec(body) {
        Ok(bytes) => hasher.update(bytes),
        Err(e) => return AppError::from(ServiceError::Internal(e.to_string())).into_response(),
    }
    let key = RequestKey { subject: user.identity.subject.clone(), key, request_hash: hex::encode(hasher.finalize()) };
    let answering = Answering { success: status.as_u16(), error: error_answer };
    // The dial and its records finish even if this request's future is dropped.
    // In the request's span: the dial's log lines, provider calls included, carry its request id.
    let task = tokio::spawn(Instrument::in_current_span(run(key, answering)));
    match task.await {
        Ok(Ok(Answered::Fresh(answer))) => json_response(answer),
        Ok(Ok(Answered::Replay(answer))) => {
            let mut response = json_response(answer);
            response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Err(err)) => AppError::from(err).into_response(),
        Err(e) => AppError::from(ServiceError::Internal(format!("the request's task failed: {e}"))).into_response(),
    }
}

/// The status and JSON body of a failed request, as a replay answers it.
fn error_answer(err: ServiceError) -> (u16, String) {
    let (status, body) = AppError::from(err).status_and_body();
    let text = serde_json::to_string(&body).unwrap_or_else(|_| r#"{"code":"internal","message":"unserialisable error"}"#.into());
    (status.as_u16(), text)
}

fn json_response(Answer { status, body }: Answer) -> Response {
    (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), [("content-type", "application/json")], body).into_response()
}
