//! A job's campaign before it is submitted (when it would dial), and the sandbox's clock.

use axum::{extract::State, Json};
use callout_shared::{
    campaign::{AdvanceClock, CampaignPreview, CampaignPreviewRequest, ClockReading},
    me::Role,
};

use crate::{app::AppState, error::AppError, extract::ApiJson, security::CurrentUser, service::ServiceError};

pub async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CampaignPreviewRequest>,
) -> Result<Json<CampaignPreview>, AppError> {
    Ok(Json(state.calls.preview_campaign(&user.actor(), &body)?))
}

pub async fn clock(State(state): State<AppState>, _user: CurrentUser) -> Json<ClockReading> {
    Json(reading(&state))
}

/// Moves the clock forward (admins, where `server.clock_control` allows it).
pub async fn advance_clock(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<AdvanceClock>,
) -> Result<Json<ClockReading>, AppError> {
    user.actor().require(Role::Admin)?;
    if !state.settings.clock_control() {
        return Err(ServiceError::Forbidden("this backend's clock cannot be moved (server.clock_control is off)".into()).into());
    }
    if !(1..=31_536_000).contains(&body.seconds) {
        return Err(ServiceError::invalid("seconds", "move the clock 1 second to a year ahead").into());
    }
    tracing::warn!(seconds = body.seconds, by = %user.actor().subject, "the clock was moved forward");
    state.calls.clock().advance(std::time::Duration::from_secs(body.seconds));
    Ok(Json(reading(&state)))
}

fn reading(state: &AppState) -> ClockReading {
    let clock = state.calls.clock();
    ClockReading { now: clock.now_ms(), shift_ms: clock.shift_ms() }
}
