use axum::{extract::State, Json};
use callout_shared::health::HealthResponse;

use crate::app::AppState;

pub async fn health(State(state): State<AppState>) -> Json<HealthResponse> {
    Json(HealthResponse { status: "ok".into(), version: crate::VERSION.into(), mode: state.mode })
}
