//! The provider routes. Authentication already happened (see `auth`); these check the operation's
//! own rules and answer in Tencent's JSON.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    Json,
};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{json, Value};

use super::{
    auth::ApiError,
    lifecycle,
    state::{Call, Emulator, RoomInvite, RoomKey},
};

type Answer = Result<Json<Value>, ApiError>;

#[derive(Deserialize)]
struct PhoneIn {
    area: u32,
    phone: String,
    #[serde(default)]
    extension_number: Option<String>,
    #[serde(default)]
    nick_name: Option<String>,
}

impl PhoneIn {
    fn extension(&self) -> Option<&str> {
        self.extension_number.as_deref().filter(|e| !e.is_empty())
    }

    fn echo(&self) -> Value {
        json!({"area": self.area, "phone": self.phone, "extension_number": self.extension().unwrap_or_default()})
    }
}

#[derive(Deserialize)]
struct PhoneBatch {
    operator_id: String,
    operator_id_type: i64,
    phone_numbers: Vec<PhoneIn>,
}

fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(ApiError::invalid_param)
}

impl Emulator {
    /// Parses a callout/cancel/ms-open-id body and checks the meeting, the operator and the batch size.
    fn phone_batch(&self, meeting_id: &str, body: &Bytes, placing: bool) -> Result<PhoneBatch, ApiError> {
        let request: PhoneBatch = parse(body)?;
        self.operable_meeting(meeting_id, &request.operator_id, request.operator_id_type, placing)?;
        let (cap, len) = (self.config.callout_batch_cap, request.phone_numbers.len());
        if len == 0 || len > cap {
            return Err(ApiError::invalid_param(format!("phone_numbers must hold 1 to {cap} numbers, got {len}")));
        }
        Ok(request)
    }
}

/// POST /v1/meeting/{meeting_id}/phone/callout
pub async fn callout(State(emulator): State<Arc<Emulator>>, Path(meeting_id): Path<String>, body: Bytes) -> Answer {
    let request = emulator.phone_batch(&meeting_id, &body, true)?;
    let (mut accepted, mut invalid, mut placed) = (Vec::new(), Vec::new(), Vec::new());
    {
        let mut inner = emulator.lock();
        for number in &request.phone_numbers {
            let busy = inner
                .calls
                .get(&meeting_id)
                .is_some_and(|calls| calls.iter().any(|c| c.is_live() && c.same_number(number.area, &number.phone, number.extension())));
            let refusal = emulator
                .refusal(number.area, &number.phone, number.extension())
                .or(busy.then_some("该号码正在通话中 (the number is already in a live call of this meeting)"));
            if let Some(reason) = refusal {
                let mut entry = number.echo();
                entry["error_msg"] = json!(reason);
                invalid.push(entry);
                continue;
            }
            let call = Call {
                id: inner.next_id(),
                area: number.area,
                phone: number.phone.clone(),
                extension: number.extension().map(str::to_owned),
                nick_name: number.nick_name.clone().filter(|n| !n.is_empty()),
                status: "",
                ms_open_ids: Vec::new(),
            };
            inner.calls.entry(meeting_id.clone()).or_default().push(call.clone());
            let mut entry = number.echo();
            entry["status"] = json!(call.status);
            accepted.push(entry);
            placed.push(call);
        }
    }
    for call in &placed {
        emulator.faults.record_dial(&call.dial_label());
        lifecycle::start_call(&emulator, &meeting_id, call);
    }
    Ok(Json(json!({"meeting_id": meeting_id, "phone_numbers": accepted, "invalid_phone_numbers": invalid})))
}

/// GET /v1/meeting/{meeting_id}/phone/callout?operator_id=&operator_id_type=&page=&page_size=
pub async fn callout_list(State(emulator): State<Arc<Emulator>>, Path(meeting_id): Path<String>, RawQuery(query): RawQuery) -> Answer {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let number = |name: &str| -> Result<i64, ApiError> {
        field(name).and_then(|v| v.parse().ok()).ok_or_else(|| ApiError::invalid_param(format!("{name} is required and must be a number")))
    };
    let operator_id = field("operator_id").ok_or_else(|| ApiError::invalid_param("operator_id is required"))?;
    let (operator_id_type, page, page_size) = (number("operator_id_type")?, number("page")?, number("page_size")?);
    emulator.operable_meeting(&meeting_id, operator_id, operator_id_type, false)?;
    let max = emulator.config.max_page_size as i64;
    if page < 1 || !(1..=max).contains(&page_size) {
        return Err(ApiError::invalid_param(format!("page starts at 1 and page_size is 1 to {max}")));
    }
    let calls = emulator.lock().calls.get(&meeting_id).cloned().unwrap_or_default();
    let total = calls.len() as i64;
    let items: Vec<Value> = calls
        .iter()
        .skip(((page - 1) * page_size) as usize)
        .take(page_size as usize)
        .map(|c| {
            json!({
                "area": c.area, "phone": c.phone, "extension_number": c.extension.clone().unwrap_or_default(),
                "status": c.status, "ms_open_id": c.ms_open_ids.last().cloned().unwrap_or_default(),
                "nick_name": c.nick_name.clone().unwrap_or_default(),
            })
        })
        .collect();
    Ok(Json(json!({
        "meeting_id": meeting_id, "current_size": items.len(), "current_page": page,
        "total_count": total, "total_page": (total + page_size - 1) / page_size, "phone_numbers": items,
    })))
}

/// POST /v1/meeting/{meeting_id}/phone/cancelcall — only ringing calls can be cancelled.
pub async fn cancel_call(State(emulator): State<Arc<Emulator>>, Path(meeting_id): Path<String>, body: Bytes) -> Answer {
    let request = emulator.phone_batch(&meeting_id, &body, false)?;
    let (mut succeeded, mut failed, mut cancelled) = (Vec::new(), Vec::new(), Vec::new());
    {
        let mut inner = emulator.lock();
        let calls = inner.calls.entry(meeting_id.clone()).or_default();
        for number in &request.phone_numbers {
            let latest = calls.iter_mut().rev().find(|c| c.same_number(number.area, &number.phone, number.extension()));
            let reason = match latest {
                Some(call) if matches!(call.status, "" | "START_INVITE") => {
                    call.status = "CANCLE_INVITE";
                    cancelled.push(call.clone());
                    succeeded.push(number.echo());
                    continue;
                }
                Some(call) if call.status == "START_ACCEPT" => "通话已接通,无法取消 (already answered; cannot cancel)",
                Some(_) => "外呼已结束 (the call has already ended)",
                None => "该号码没有外呼记录 (no callout to this number)",
            };
            let mut entry = number.echo();
            entry["error_msg"] = json!(reason);
            failed.push(entry);
        }
    }
    for call in &cancelled {
        lifecycle::emit_phone_status(&emulator, &meeting_id, call);
    }
    Ok(Json(json!({"success_list": succeeded, "failed_list": failed})))
}

/// The `userid` and `instanceid` every meeting query carries.
fn query_user(query: Option<String>) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    let has = |name: &str| pairs.iter().any(|(k, v)| k == name && !v.is_empty());
    if !has("userid") {
        return Err(ApiError::invalid_param("userid is required"));
    }
    if !pairs.iter().any(|(k, v)| k == "instanceid" && v.parse::<u8>().is_ok_and(|i| (1..=8).contains(&i))) {
        return Err(ApiError::invalid_param("instanceid is required (1 to 8)"));
    }
    Ok(pairs)
}

/// GET /v1/meetings/{meeting_id}?userid=&instanceid= — the meeting's details.
pub async fn meeting(State(emulator): State<Arc<Emulator>>, Path(meeting_id): Path<String>, RawQuery(query): RawQuery) -> Answer {
    query_user(query)?;
    let meeting = emulator.meeting(&meeting_id)?;
    Ok(Json(json!({"meeting_number": 1, "meeting_info_list": [lifecycle::meeting_details(meeting)]})))
}

/// GET /v1/meetings?meeting_code=&userid=&instanceid= — the meeting joined with this code. An unknown
/// code answers an empty list here; what the real service answers then is not documented.
pub async fn meeting_by_code(State(emulator): State<Arc<Emulator>>, RawQuery(query): RawQuery) -> Answer {
    let pairs = query_user(query)?;
    let code = pairs.iter().find(|(k, _)| k == "meeting_code").map(|(_, v)| v.as_str()).unwrap_or_default();
    if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid_param("meeting_code must be the 9-digit meeting code"));
    }
    let list: Vec<Value> = emulator.config.meetings.iter().filter(|m| m.meeting_code == code).map(lifecycle::meeting_details).collect();
    Ok(Json(json!({"meeting_number": list.len(), "meeting_info_list": list})))
}

/// POST /v1/meetings/{meeting_id}/phone/ms-open-id — one entry per identity, history included.
pub async fn ms_open_ids(State(emulator): State<Arc<Emulator>>, Path(meeting_id): Path<String>, body: Bytes) -> Answer {
    let request = emulator.phone_batch(&meeting_id, &body, false)?;
    let calls = emulator.lock().calls.get(&meeting_id).cloned().unwrap_or_default();
    let numeric = emulator.config.ms_open_id_numeric_phone;
    let mut list = Vec::new();
    for number in &request.phone_numbers {
        for call in calls.iter().filter(|c| c.same_number(number.area, &number.phone, number.extension())) {
            for id in &call.ms_open_ids {
                let mut entry = number.echo();
                if numeric {
                    let object = entry.as_object_mut().expect("echo is an object");
                    object.remove("phone");
                    object.insert("phone_number".into(), json!(number.phone.parse::<u64>().unwrap_or_default()));
                }
                entry["ms_open_id"] = json!(id);
                list.push(entry);
            }
        }
    }
    Ok(Json(json!({"meeting_id": meeting_id, "ms_open_id_list": list})))
}

#[derive(Deserialize)]
struct MraIn {
    protocol: u8,
    dial_string: String,
}

/// Body of room-call, room-call-info and cancel-room-call.
#[derive(Deserialize)]
struct RoomBody {
    operator_id: String,
    operator_id_type: i64,
    /// A string in the doc example, an integer in the table and the Go SDK: both accepted.
    meeting_id: Value,
    #[serde(default)]
    meeting_room_id: Option<String>,
    #[serde(default)]
    mra_address: Option<MraIn>,
    #[serde(default)]
    invite_id: Option<String>,
}

impl RoomBody {
    fn meeting_id(&self) -> Result<String, ApiError> {
        match &self.meeting_id {
            Value::String(s) if !s.is_empty() => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(ApiError::invalid_param("meeting_id is required")),
        }
    }

    /// Exactly one of meeting_room_id and mra_address.
    fn key(&self) -> Result<RoomKey, ApiError> {
        match (self.meeting_room_id.as_deref().filter(|s| !s.is_empty()), &self.mra_address) {
            (Some(room), None) => Ok(RoomKey::Room(room.to_owned())),
            (None, Some(mra)) if matches!(mra.protocol, 1 | 2) && !mra.dial_string.is_empty() => {
                Ok(RoomKey::Mra(mra.protocol, mra.dial_string.clone()))
            }
            (None, Some(_)) => Err(ApiError::invalid_param("mra_address needs protocol 1 (SIP) or 2 (H.323) and a dial_string")),
            _ => Err(ApiError::invalid_param("give exactly one of meeting_room_id and mra_address")),
        }
    }
}

/// Checks shared by the room operations; returns (meeting id, room key).
fn room_request(emulator: &Emulator, body: &RoomBody) -> Result<(String, RoomKey), ApiError> {
    let (meeting_id, key) = (body.meeting_id()?, body.key()?);
    if body.operator_id_type != 1 {
        return Err(ApiError::invalid_param("operator_id_type must be 1 (userid)"));
    }
    let meeting = emulator.meeting(&meeting_id)?;
    // Any participant or admin may call their enterprise's rooms; calling a device address needs host rights.
    let admin = matches!(key, RoomKey::Room(_)) && emulator.config.enterprise_admins.contains(&body.operator_id);
    if !meeting.may_operate(&body.operator_id) && !admin {
        return Err(ApiError::request(9042, "没有权限 (permission denied)"));
    }
    Ok((meeting_id, key))
}

/// PUT /v1/meeting-rooms/room-call
pub async fn room_call(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Answer {
    let body: RoomBody = parse(&body)?;
    let (meeting_id, key) = room_request(&emulator, &body)?;
    if emulator.meeting(&meeting_id)?.kind == super::MeetingKind::Ended {
        return Err(ApiError::service(9006, "会议已结束 (meeting already ended)"));
    }
    if let RoomKey::Room(id) = &key {
        if !emulator.config.meeting_rooms.contains(id) {
            return Err(ApiError::service(10004, "呼叫会议室失败 (room call failed): unknown meeting room"));
        }
    }
    let invite_id = {
        let mut inner = emulator.lock();
        if inner.rooms.iter().any(|r| r.meeting_id == meeting_id && r.key == key && matches!(r.status, 2 | 4)) {
            return Err(ApiError::service(10004, "呼叫会议室失败 (room call failed): already being called or in the meeting"));
        }
        let invite_id = uuid::Uuid::new_v4().simple().to_string();
        inner.rooms.push(RoomInvite { invite_id: invite_id.clone(), meeting_id, key: key.clone(), status: 4, response_time: None });
        invite_id
    };
    emulator.faults.record_dial(&key.dial_label());
    lifecycle::start_room_call(&emulator, &invite_id, &key);
    Ok(Json(json!({ "invite_id": invite_id })))
}

/// POST /v1/meeting-rooms/room-call-info — the latest invitation of that room into that meeting.
pub async fn room_call_info(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Answer {
    let body: RoomBody = parse(&body)?;
    let (meeting_id, key) = room_request(&emulator, &body)?;
    let inner = emulator.lock();
    let latest = inner.rooms.iter().rev().find(|r| r.meeting_id == meeting_id && r.key == key);
    Ok(Json(match latest {
        Some(invite) => json!({"status": invite.status, "response_time": invite.response_time.clone().unwrap_or_default()}),
        None => json!({"status": 1, "response_time": ""}),
    }))
}

/// PUT /v1/meeting-rooms/cancel-room-call — only while calling (4). Rooms become 5 (cancelled);
/// devices, which have no such state, go back to 1 (not called).
pub async fn cancel_room_call(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Answer {
    let body: RoomBody = parse(&body)?;
    let (meeting_id, key) = room_request(&emulator, &body)?;
    let invite_id = body.invite_id.as_deref().filter(|s| !s.is_empty()).ok_or_else(|| ApiError::invalid_param("invite_id is required"))?;
    let mut inner = emulator.lock();
    let invite = inner
        .rooms
        .iter_mut()
        .find(|r| r.invite_id == invite_id && r.meeting_id == meeting_id && r.key == key)
        .ok_or_else(|| ApiError::invalid_param("unknown invite_id for this meeting and room"))?;
    if invite.status != 4 {
        return Err(ApiError::service(10004, "取消呼叫失败 (cancel failed): the room is not being called"));
    }
    invite.status = if matches!(key, RoomKey::Room(_)) { 5 } else { 1 };
    Ok(Json(json!({})))
}

pub async fn not_found() -> ApiError {
    ApiError::new(404, 190004, "unknown API path")
}
