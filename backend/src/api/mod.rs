//! JSON endpoints under `/api/v1`, one module per area of the product.

pub mod audit;
pub mod campaigns;
pub mod dialex;
pub mod do_not_call;
pub mod events;
pub mod health;
pub mod idempotency;
pub mod jobs;
pub mod me;
pub mod meetings;
pub mod metrics;
pub mod numbers;
pub mod openapi;
pub mod rooms;
pub mod webhooks;

use axum::{
    routing::{get, post},
    Router,
};

use crate::app::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/me", get(me::me))
        .route("/openapi.json", get(openapi::document))
        .route("/numbers/validate", post(numbers::validate))
        .route("/dialex", post(dialex::start))
        .route("/dialex/jobs", post(dialex::create_job))
        .route("/meetings/{meeting_id}/callout", post(meetings::callout))
        .route("/meetings/{meeting_id}/callouts", get(meetings::status))
        .route("/meetings/{meeting_id}/check", get(meetings::check))
        .route("/meetings/{meeting_id}/callout/cancel", post(meetings::cancel))
        .route("/meetings/{meeting_id}/ms-open-ids", post(meetings::ms_open_ids))
        .route("/room-calls", post(rooms::call))
        .route("/room-calls/status", post(rooms::status))
        .route("/room-calls/cancel", post(rooms::cancel))
        .route("/callouts", post(jobs::create).get(jobs::list))
        .route("/callouts/template.csv", get(jobs::template))
        .route("/callouts/{id}", get(jobs::get))
        .route("/callouts/{id}/export.csv", get(jobs::export))
        .route("/callouts/{id}/retry-unknown", post(jobs::retry_unknown))
        .route("/callouts/{id}/cancel-ringing", post(jobs::cancel_ringing))
        .route("/callouts/{id}/pause", post(jobs::pause))
        .route("/callouts/{id}/resume", post(jobs::resume))
        .route("/callouts/{id}/stop", post(jobs::stop))
        .route("/campaigns/preview", post(campaigns::preview))
        .route("/sandbox/clock", get(campaigns::clock).post(campaigns::advance_clock))
        .route("/events", get(events::stream))
        .route("/audit", get(audit::list))
        .route("/audit/export.csv", get(audit::export))
        .route("/do-not-call", get(do_not_call::list).post(do_not_call::add))
        .route("/do-not-call/{e164}", axum::routing::delete(do_not_call::remove))
        .fallback(not_found)
        .with_state(state)
}

/// Any other `/api` path: the JSON error body, like every refusal of the API.
async fn not_found(uri: axum::http::Uri) -> crate::error::AppError {
    crate::error::AppError::NotFound(format!("no API endpoint at {}", uri.path()))
}
