//! JSON endpoints under `/api/v1`, one module per area of the product.

pub mod dialex;
pub mod health;
pub mod me;
pub mod meetings;
pub mod numbers;
pub mod rooms;

use axum::{
    routing::{get, post},
    Router,
};

use crate::app::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .route("/me", get(me::me))
        .route("/numbers/validate", post(numbers::validate))
        .route("/dialex", post(dialex::start))
        .route("/meetings/{meeting_id}/callout", post(meetings::callout))
        .route("/meetings/{meeting_id}/callouts", get(meetings::status))
        .route("/meetings/{meeting_id}/callout/cancel", post(meetings::cancel))
        .route("/meetings/{meeting_id}/ms-open-ids", post(meetings::ms_open_ids))
        .route("/room-calls", post(rooms::call))
        .route("/room-calls/status", post(rooms::status))
        .route("/room-calls/cancel", post(rooms::cancel))
        .with_state(state)
}
