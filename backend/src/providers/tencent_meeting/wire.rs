//! Tencent Meeting's JSON exactly as it goes over the wire. Never leaves `providers::tencent_meeting`.
//! Responses are read leniently (missing lists are empty) but the fields that identify a result are required.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `operator_id_type` 1 = enterprise userid: the only value the callout docs promise.
pub const OPERATOR_ID_TYPE_USERID: u8 = 1;
/// `instance_id` of the operator's device for room-call info and cancel: 1 = PC.
pub const INSTANCE_ID_PC: u8 = 1;

#[derive(Debug, Serialize)]
pub struct PhoneOut<'a> {
    pub area: u32,
    pub phone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<&'a str>,
}

/// Body of callout, cancelcall and the PSTN ms-open-id lookup.
#[derive(Debug, Serialize)]
pub struct PhoneBatchRequest<'a> {
    pub operator_id: &'a str,
    pub operator_id_type: u8,
    pub phone_numbers: Vec<PhoneOut<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct CalloutResponse {
    #[serde(default)]
    pub phone_numbers: Vec<NumberIn>,
    #[serde(default)]
    pub invalid_phone_numbers: Vec<NumberIn>,
}

/// A phone entry in any answer; which optional fields are present depends on the operation.
#[derive(Debug, Deserialize)]
pub struct NumberIn {
    pub area: u32,
    pub phone: String,
    #[serde(default)]
    pub extension_number: Option<String>,
    #[serde(default)]
    pub nick_name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub ms_open_id: Option<String>,
    #[serde(default)]
    pub error_msg: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CalloutListResponse {
    #[serde(default)]
    pub phone_numbers: Vec<NumberIn>,
    pub total_count: u32,
    #[serde(default)]
    pub total_page: u32,
}

/// The doc's example writes `SuccessList`/`FailedList`; the SDK uses snake_case. Accept both.
#[derive(Debug, Deserialize)]
pub struct CancelResponse {
    #[serde(default, alias = "SuccessList")]
    pub success_list: Vec<NumberIn>,
    #[serde(default, alias = "FailedList")]
    pub failed_list: Vec<NumberIn>,
}

#[derive(Debug, Deserialize)]
pub struct MsOpenIdResponse {
    #[serde(default)]
    pub ms_open_id_list: Vec<MsOpenIdIn>,
}

/// Seen both as a string `phone` and as a numeric `phone_number`.
#[derive(Debug, Deserialize)]
pub struct MsOpenIdIn {
    pub area: u32,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub phone_number: Option<Value>,
    #[serde(default)]
    pub extension_number: Option<String>,
    pub ms_open_id: String,
}

impl MsOpenIdIn {
    pub fn phone(&self) -> Option<String> {
        self.phone.clone().filter(|p| !p.is_empty()).or_else(|| match &self.phone_number {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MraAddress<'a> {
    /// 1 = SIP, 2 = H.323.
    pub protocol: u8,
    pub dial_string: &'a str,
}

/// Room-call, room-call-info and cancel-room-call bodies (the last two add `instance_id`, cancel adds `invite_id`).
/// `meeting_id` goes as a string like the doc example, although the table and Go SDK say integer:
/// 20-digit ids do not fit an i64.
#[derive(Debug, Serialize)]
pub struct RoomCallBody<'a> {
    pub operator_id: &'a str,
    pub operator_id_type: u8,
    pub meeting_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_room_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mra_address: Option<MraAddress<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_id: Option<&'a str>,
}

#[derive(Debug, Deserialize)]
pub struct RoomCallResponse {
    pub invite_id: String,
}

#[derive(Debug, Deserialize)]
pub struct RoomCallInfoResponse {
    pub status: i64,
    #[serde(default)]
    pub response_time: Option<Value>,
}

/// Answers that carry nothing we need (`{}` or an empty body).
#[derive(Debug, Deserialize)]
pub struct Empty {}

#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    pub error_info: ErrorInfo,
}

#[derive(Debug, Deserialize)]
pub struct ErrorInfo {
    pub error_code: Value,
    #[serde(default)]
    pub new_error_code: Option<Value>,
    #[serde(default)]
    pub message: Option<String>,
}

/// A code as text, whether Tencent sent it as a number or a string.
pub fn code_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `GET /v1/meetings/{id}` and `GET /v1/meetings?meeting_code=`: a list of (usually one) meetings.
#[derive(Debug, Deserialize)]
pub struct MeetingQueryResponse {
    #[serde(default)]
    pub meeting_info_list: Vec<MeetingInfoIn>,
}

/// The fields of a meeting the callout pre-check reads. Times come as strings of Unix seconds from
/// the by-id query and as numbers elsewhere: both are read.
#[derive(Debug, Deserialize)]
pub struct MeetingInfoIn {
    #[serde(default)]
    pub meeting_id: String,
    #[serde(default)]
    pub meeting_code: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub start_time: Option<Value>,
    #[serde(default)]
    pub end_time: Option<Value>,
    /// 0 one-off, 1 recurring, 2 WeChat, 3/4 Rooms screen-cast, 5 personal meeting id, 6 webinar.
    #[serde(default)]
    pub meeting_type: Option<i64>,
    #[serde(default)]
    pub hosts: Vec<UserIn>,
    #[serde(default)]
    pub current_hosts: Vec<UserIn>,
    #[serde(default)]
    pub current_co_hosts: Vec<UserIn>,
}

#[derive(Debug, Deserialize)]
pub struct UserIn {
    #[serde(default)]
    pub userid: Option<String>,
}

/// Unix seconds given as a number or a string of digits; 0 and blanks are no time.
pub fn seconds(value: &Option<Value>) -> Option<i64> {
    let seconds = match value.as_ref()? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (seconds > 0).then_some(seconds)
}
