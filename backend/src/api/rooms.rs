//! Calling a meeting room (Tencent Rooms id, or a SIP/H.323 device) into a meeting.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use callout_shared::{
    me::Role,
    meeting::{validate_dial_string, RoomCallApiRequest, RoomCallInfo, RoomCallRequest, RoomTarget},
};

use super::{
    audit::record,
    dialex::outcome_of,
    idempotency,
    meetings::{meeting_id_param, resolve},
};
use crate::{app::AppState, error::AppError, extract::ApiJson, security::CurrentUser};

pub async fn call(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RoomCallApiRequest>,
) -> Response {
    idempotency::once(&state, &user, &headers, "POST /room-calls", &body, || async {
        user.require(Role::Operator)?;
        let (entry, operator) = resolve(&state, &user, &body.account)?;
        let request = room_request(&body)?;
        let target = describe(&request);
        entry.limiter.acquire().await;
        let result = entry.client.room_call(&operator, &request).await;
        let (outcome, detail) = outcome_of(&result, |r| format!("invite {}", r.invite_id));
        record(&state, &user, "room_call", Some(&body.account.account_id), Some(&target), Some(&operator), outcome, Some(&detail)).await;
        let result = result?;
        state
            .store
            .record_room_call(&body.account.account_id, &request.meeting_id, &target, &result.invite_id, &user.identity.subject)
            .await?;
        Ok((StatusCode::OK, result))
    })
    .await
}

fn describe(request: &RoomCallRequest) -> String {
    match &request.target {
        RoomTarget::MeetingRoom { meeting_room_id } => format!("room {meeting_room_id} into meeting {}", request.meeting_id),
        RoomTarget::MraAddress { protocol, dial_string } => format!("{protocol:?} {dial_string} into meeting {}", request.meeting_id),
    }
}

pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<RoomCallApiRequest>,
) -> Result<Json<RoomCallInfo>, AppError> {
    let (entry, operator) = resolve(&state, &user, &body.account)?;
    let request = room_request(&body)?;
    Ok(Json(entry.client.room_call_info(&operator, &request).await?))
}

pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<RoomCallApiRequest>,
) -> Result<StatusCode, AppError> {
    user.require(Role::Operator)?;
    let (entry, operator) = resolve(&state, &user, &body.account)?;
    let request = room_request(&body)?;
    let invite_id = body
        .invite_id
        .as_deref()
        .filter(|i| !i.trim().is_empty())
        .ok_or_else(|| AppError::invalid("invite_id", "cancelling needs the invite id"))?;
    let result = entry.client.cancel_room_call(&operator, &request, invite_id).await;
    let (outcome, detail) = outcome_of(&result, |_| format!("invite {invite_id}"));
    record(
        &state,
        &user,
        "room_call_cancel",
        Some(&body.account.account_id),
        Some(&describe(&request)),
        Some(&operator),
        outcome,
        Some(&detail),
    )
    .await;
    result?;
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
