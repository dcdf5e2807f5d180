//! Tencent Meeting PSTN operations on one meeting: callout (one provider batch), the callout
//! status list, cancelling ringing callouts, and the ms_open_id lookup.

use axum::{extract::State, http::StatusCode, response::Response, Json};
use callout_shared::meeting::{
    CalloutStatusPage, CalloutStatusQuery, CancelResult, MeetingCalloutRequest, MeetingCheck, MeetingCheckQuery, MeetingNumbersRequest,
    MsOpenIdResult,
};

use super::idempotency::{self, IdempotencyKey};
use crate::{
    app::AppState,
    error::AppError,
    extract::{ApiJson, ApiPath, ApiQuery},
    security::CurrentUser,
};

pub async fn callout(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    ApiPath(meeting_id): ApiPath<String>,
    ApiJson(body): ApiJson<MeetingCalloutRequest>,
) -> Response {
    let route = format!("POST /meetings/{meeting_id}/callout");
    let (calls, actor, request) = (state.calls.clone(), user.actor(), body.clone());
    let work = async move { calls.callout_batch(&actor, &meeting_id, &request).await };
    idempotency::once(&state, &user, key, &route, &body, StatusCode::OK, work).await
}

/// The meeting (by id or 9-digit code) as the provider describes it, before anything is dialled.
pub async fn check(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(meeting): ApiPath<String>,
    ApiQuery(query): ApiQuery<MeetingCheckQuery>,
) -> Result<Json<MeetingCheck>, AppError> {
    Ok(Json(state.calls.check_meeting(&user.actor(), &meeting, &query).await?))
}

pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(meeting_id): ApiPath<String>,
    ApiQuery(query): ApiQuery<CalloutStatusQuery>,
) -> Result<Json<CalloutStatusPage>, AppError> {
    Ok(Json(state.calls.callout_status(&user.actor(), &meeting_id, &query).await?))
}

pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(meeting_id): ApiPath<String>,
    ApiJson(body): ApiJson<MeetingNumbersRequest>,
) -> Result<Json<CancelResult>, AppError> {
    Ok(Json(state.calls.cancel_callouts(&user.actor(), &meeting_id, &body).await?))
}

pub async fn ms_open_ids(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(meeting_id): ApiPath<String>,
    ApiJson(body): ApiJson<MeetingNumbersRequest>,
) -> Result<Json<MsOpenIdResult>, AppError> {
    Ok(Json(state.calls.ms_open_ids(&user.actor(), &meeting_id, &body).await?))
}
