//! Tencent Meeting event subscriptions: `GET` (URL check and heartbeat) and `POST` (events) at
//! `/webhooks/tencent/{account_id}`. Outside `/api`: the provider calls it, not a signed-in admin,
//! so it is authenticated by its signature, not by SSO or CSRF.
//!
//! Events are verified (signature, timestamp window, ±5 min by default), decrypted, de-duplicated on their
//! trace id (or, without one, the digest of the decrypted event), answered at once, and processed after the
//! reply: a PSTN status event moves its item, anything else wakes the meeting's follower (`service/webhooks.rs`).

use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use serde::Deserialize;

use crate::{
    app::AppState,
    // Freshness is about the wire: the wall clock, as the provider's (see `clock.rs`).
    clock::wall_ms as now_ms,
    metrics::{self, WebhookVerdict},
    providers::tencent_meeting::webhook::{is_fresh, ACK_BODY},
};

const MAX_BODY: usize = 256 * 1024;

pub fn router(state: AppState) -> Router {
    Router::new().route("/webhooks/tencent/{account_id}", get(check).post(event)).layer(DefaultBodyLimit::max(MAX_BODY)).with_state(state)
}

#[derive(Deserialize)]
pub struct CheckQuery {
    check_str: String,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

fn refuse(why: &str) -> Response {
    metrics::webhook_event(WebhookVerdict::Refused);
    tracing::warn!(target: "audit", event = "webhook_refused", reason = why);
    (StatusCode::UNAUTHORIZED, why.to_owned()).into_response()
}

async fn check(State(state): State<AppState>, Path(account_id): Path<String>, headers: HeaderMap, Query(q): Query<CheckQuery>) -> Response {
    let Some(secrets) = state.accounts.tencent(&account_id).and_then(|e| e.webhook.as_ref()) else {
        return (StatusCode::NOT_FOUND, "no event subscription for this account").into_response();
    };
    let (ts, nonce, sig) = (header(&headers, "timestamp"), header(&headers, "nonce"), header(&headers, "signature"));
    match secrets.open_check(ts, nonce, &q.check_str, sig) {
        // The bare plaintext, exactly: that is how the subscription proves it holds the secrets.
        Ok(plain) => plain.into_response(),
        Err(err) => refuse(&format!("check refused: {err}")),
    }
}

async fn event(State(state): State<AppState>, Path(account_id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((secrets, tolerance)) = state.accounts.tencent(&account_id).and_then(|e| e.webhook.as_ref().map(|w| (w, e.webhook_tolerance)))
    else {
        metrics::webhook_event(WebhookVerdict::Refused);
        return (StatusCode::NOT_FOUND, "no event subscription for this account").into_response();
    };
    let (ts, nonce, sig) = (header(&headers, "timestamp"), header(&headers, "nonce"), header(&headers, "signature"));
    if !is_fresh(ts, now_ms(), tolerance) {
        return refuse("stale or missing timestamp");
    }
    let event = match secrets.open_event(ts, nonce, &body, sig) {
        Ok(event) => event,
        Err(err) => return refuse(&format!("event refused: {err}")),
    };
    match state.calls.accept_tencent_event(&account_id, &event).await {
        Ok(first_time) => {
            metrics::webhook_event(if first_time { WebhookVerdict::Accepted } else { WebhookVerdict::Duplicate });
            ACK_BODY.into_response()
        }
        // Not recorded: let the provider deliver it again.
        Err(err) => {
            metrics::webhook_event(WebhookVerdict::NotRecorded);
            tracing::error!(%err, "a webhook event could not be recorded");
            (StatusCode::SERVICE_UNAVAILABLE, "the event could not be recorded; deliver it again").into_response()
        }
    }
}
