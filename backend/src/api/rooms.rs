//! Calling a meeting room (Tencent Rooms id, or a SIP/H.323 device) into a meeting.

use axum::{extract::State, http::StatusCode, response::Response, Json};
use callout_shared::meeting::{RoomCallApiRequest, RoomCallInfo};

use super::idempotency::{self, IdempotencyKey};
use crate::{app::AppState, error::AppError, extract::ApiJson, security::CurrentUser};

pub async fn call(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<RoomCallApiRequest>,
) -> Response {
    let (calls, actor, request) = (state.calls.clone(), user.actor(), body.clone());
    let work = async move { calls.room_call(&actor, &request).await };
    idempotency::once(&state, &user, key, "POST /room-calls", &body, StatusCode::OK, work).await
}

pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<RoomCallApiRequest>,
) -> Result<Json<RoomCallInfo>, AppError> {
    Ok(Json(state.calls.room_call_status(&user.actor(), &body).await?))
}

pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<RoomCallApiRequest>,
) -> Result<StatusCode, AppError> {
    state.calls.cancel_room_call(&user.actor(), &body).await?;
    Ok(StatusCode::NO_CONTENT)
}
