//! Liveness (`/health`: the process answers) and readiness (`/ready`: it can serve), both without sign-in.

use axum::{extract::State, http::StatusCode, Json};
use callout_shared::health::{HealthResponse, ReadinessResponse};

use crate::app::AppState;

pub async fn health(State(state): State<AppState>) -> Json<HealthResponse> {
    Json(HealthResponse { status: "ok".into(), version: crate::VERSION.into(), mode: state.mode })
}

pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<ReadinessResponse>) {
    let readiness = state.calls.readiness().await;
    let status = if readiness.ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(readiness))
}
