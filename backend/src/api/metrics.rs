//! `GET /metrics`: Prometheus text. On the main listener for admins (through the same sign-in as
//! `/api`); on `server.metrics_bind`, when configured, for anyone who reaches that address.

use axum::{
    extract::State,
    http::header,
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

use crate::{app::AppState, error::AppError, security, security::CurrentUser};

/// The exposition format's content type.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `/metrics` on the main listener: signed in, admins only.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(for_admins))
        .layer(middleware::from_fn_with_state(state.clone(), security::guard_api))
        .with_state(state)
}

/// `/metrics` alone, unauthenticated, for the internal listener.
pub fn internal_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(internal)).with_state(state)
}

async fn for_admins(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    Ok(([(header::CONTENT_TYPE, CONTENT_TYPE)], state.calls.metrics_for(&user.actor()).await?).into_response())
}

async fn internal(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], state.calls.metrics().await).into_response()
}
