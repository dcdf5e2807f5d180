//! JSON endpoints under `/api/v1`, one module per area of the product.

pub mod dialex;
pub mod health;
pub mod me;
pub mod numbers;

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
        .with_state(state)
}
