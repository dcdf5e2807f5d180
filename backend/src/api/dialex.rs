//! Alibaba Cloud CCC DialEx: one back-office call (`POST /dialex`) or a list (`POST /dialex/jobs`).

use axum::{extract::State, http::StatusCode, response::Response};
use callout_shared::{dialex::StartDialEx, jobs::CreateDialExJob};

use super::idempotency::{self, IdempotencyKey};
use crate::{app::AppState, extract::ApiJson, security::CurrentUser};

pub async fn start(State(state): State<AppState>, user: CurrentUser, key: IdempotencyKey, ApiJson(body): ApiJson<StartDialEx>) -> Response {
    let (calls, actor, request) = (state.calls.clone(), user.actor(), body.clone());
    idempotency::keyed(&user, key, "POST /dialex", &body, StatusCode::OK, move |key, answering| async move {
        calls.dialex(&actor, &key, answering, &request).await
    })
    .await
}

pub async fn create_job(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<CreateDialExJob>,
) -> Response {
    let (calls, actor, request) = (state.calls.clone(), user.actor(), body.clone());
    let work = async move { calls.create_dialex_job(&actor, &request).await };
    idempotency::once(&state, &user, key, "POST /dialex/jobs", &body, StatusCode::ACCEPTED, work).await
}
