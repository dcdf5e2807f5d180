//! A job's campaign before it is submitted (when it would dial), and the sandbox's clock.

use axum::{extract::State, Json};
use callout_shared::campaign::{AdvanceClock, CampaignPreview, CampaignPreviewRequest, ClockReading};

use crate::{app::AppState, error::AppError, extract::ApiJson, security::CurrentUser};

pub async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CampaignPreviewRequest>,
) -> Result<Json<CampaignPreview>, AppError> {
    Ok(Json(state.calls.preview_campaign(&user.actor(), &body)?))
}

pub async fn clock(State(state): State<AppState>, _user: CurrentUser) -> Json<ClockReading> {
    Json(state.calls.clock_reading())
}

pub async fn advance_clock(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<AdvanceClock>,
) -> Result<Json<ClockReading>, AppError> {
    Ok(Json(state.calls.advance_clock(&user.actor(), body.seconds).await?))
}
