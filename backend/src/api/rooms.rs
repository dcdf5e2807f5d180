//! Calling a meeting room (Tencent Rooms id, or a SIP/H.323 device) into a meeting.

use axum::{extract::State, http::StatusCode, Json};
use callout_shared::{
    me::Role,
    meeting::{validate_dial_string, RoomCallApiRequest, RoomCallInfo, RoomCallRequest, RoomCallResult, RoomTarget},
};

use super::meetings::{meeting_id_param, resolve};
use crate::{app::AppState, error::AppError, extract::ApiJson, security::CurrentUser};

pub async fn call(State(state): State<AppState>, user: CurrentUser, ApiJson(body): ApiJson<RoomCallApiRequest>) -> Result<Json<RoomCallResult>, AppError> {
    user.require(Role::Operator)?;
    let (entry, operator) = resolve(&state, &user, &body.account)?;
    let request = room_request(&body)?;
    tracing::info!(target: "audit", event = "room_call", user = %user.identity.subject, %operator, meeting_id = %request.meeting_id, target = ?request.target);
    Ok(Json(entry.client.room_call(&operator, &request).await?))
}

pub async fn status(State(state): State<AppState>, user: CurrentUser, ApiJson(body): ApiJson<RoomCallApiRequest>) -> Result<Json<RoomCallInfo>, AppError> {
    let (entry, operator) = resolve(&state, &user, &body.account)?;
    let request = room_request(&body)?;
    Ok(Json(entry.client.room_call_info(&operator, &request).await?))
}

pub async fn cancel(State(state): State<AppState>, user: CurrentUser, ApiJson(body): ApiJson<RoomCallApiRequest>) -> Result<StatusCode, AppError> {
    user.require(Role::Operator)?;
    let (entry, operator) = resolve(&state, &user, &body.account)?;
    let request = room_request(&body)?;
    let invite_id = body.invite_id.as_deref().filter(|i| !i.trim().is_empty()).ok_or_else(|| AppError::invalid("invite_id", "cancelling needs the invite id"))?;
    tracing::info!(target: "audit", event = "room_call_cancel", user = %user.identity.subject, %operator, %invite_id);
    entry.client.cancel_room_call(&operator, &request, invite_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn room_request(body: &RoomCallApiRequest) -> Result<RoomCallRequest, AppError> {
    let meeting_id = meeting_id_param(&body.meeting_id)?.to_owned();
    let target = match &body.target {
        RoomTarget::MeetingRoom { meeting_room_id } => {
            let id = meeting_room_id.trim();
            if id.is_empty() || id.len() > 64 || id.chars().any(char::is_whitespace) {
                return Err(AppError::invalid("target.meeting_room_id", "a meeting room id is a single word of at most 64 characters"));
            }
            RoomTarget::MeetingRoom { meeting_room_id: id.to_owned() }
        }
        RoomTarget::MraAddress { protocol, dial_string } => {
            validate_dial_string(*protocol, dial_string).map_err(|p| AppError::invalid("target.dial_string", p.message()))?;
            RoomTarget::MraAddress { protocol: *protocol, dial_string: dial_string.trim().to_owned() }
        }
    };
    Ok(RoomCallRequest { meeting_id, target })
}
