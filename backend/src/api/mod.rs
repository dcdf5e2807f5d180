//! JSON endpoints under `/api/v1`, one module per area of the product.

pub mod health;

use axum::{routing::get, Router};

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health::health))
}
