//! The Tencent Meeting REST client: builds each request, signs the exact bytes it sends, and turns
//! answers into the product's types or a classified [`ProviderError`].

use std::{collections::BTreeMap, fmt};

use callout_shared::meeting::{
    AcceptedCallout, CalloutResult, CalloutStatusItem, CalloutStatusPage, CancelResult, MraProtocol, MsOpenIdResult, MsOpenIds,
    PhoneNumber, PhoneTarget, RejectedNumber, RoomCallInfo, RoomCallRequest, RoomCallResult, RoomTarget,
};
use reqwest::Method;
use serde::{de::DeserializeOwned, Serialize};

use super::{
    map_callout_status, map_room_call_status, signer,
    wire::{self, INSTANCE_ID_PC, OPERATOR_ID_TYPE_USERID},
    RATE_LIMIT_CODES,
};
use crate::providers::{
    transport::{self, Classified},
    HttpSettings, Provider, ProviderError, ProviderErrorBody,
};

/// Most numbers one callout or cancel request may carry, per the SDK and WeCom (the current doc says 30).
pub const DEFAULT_CALLOUT_BATCH_CAP: usize = 50;
/// Largest `page_size` of the callout status list.
pub const MAX_PAGE_SIZE: u32 = 100;

/// One Tencent Meeting enterprise app. Debug output never shows the secret key.
#[derive(Clone)]
pub struct TencentAccount {
    /// `https://api.meeting.qq.com`, or an emulator's address.
    pub base_url: String,
    /// Enterprise id (`AppId` header).
    pub app_id: String,
    /// Sent as `SdkId` only when one was assigned; sending one that was not gives 190303.
    pub sdk_id: Option<String>,
    pub secret_id: String,
    pub secret_key: String,
    /// Local cap on numbers per callout/cancel; docs disagree (30 vs 50).
    pub callout_batch_cap: usize,
}

impl TencentAccount {
    pub fn new(
        base_url: impl Into<String>,
        app_id: impl Into<String>,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            app_id: app_id.into(),
            sdk_id: None,
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            callout_batch_cap: DEFAULT_CALLOUT_BATCH_CAP,
        }
    }
}

impl fmt::Debug for TencentAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TencentAccount")
            .field("base_url", &self.base_url)
            .field("app_id", &self.app_id)
            .field("sdk_id", &self.sdk_id)
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("callout_batch_cap", &self.callout_batch_cap)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct TencentMeetingClient {
    account: TencentAccount,
    settings: HttpSettings,
    http: reqwest::Client,
}

impl TencentMeetingClient {
    pub fn new(account: TencentAccount, settings: HttpSettings) -> Self {
        let http = settings.client();
        Self { account, settings, http }
    }

    pub fn account(&self) -> &TencentAccount {
        &self.account
    }

    /// POST `/v1/meeting/{id}/phone/callout`: starts calling every target; returns at once.
    pub async fn callout(&self, meeting_id: &str, operator_id: &str, targets: &[PhoneTarget]) -> Result<CalloutResult, ProviderError> {
        self.check_batch(targets.len()).map_err(|e| *e)?;
        let body = wire::PhoneBatchRequest {
            operator_id,
            operator_id_type: OPERATOR_ID_TYPE_USERID,
            phone_numbers: targets
                .iter()
                .map(|t| wire::PhoneOut {
                    area: t.area,
                    phone: &t.phone,
                    extension_number: t.extension.as_deref(),
                    nick_name: t.nick_name.as_deref(),
                })
                .collect(),
        };
        let path = format!("/v1/meeting/{}/phone/callout", segment(meeting_id));
        let answer: wire::CalloutResponse = self.call("callout", Method::POST, &path, Some(&body)).await?;
        Ok(CalloutResult {
            meeting_id: meeting_id.to_owned(),
            accepted: answer
                .phone_numbers
                .into_iter()
                .map(|n| {
                    let raw_status = n.status.clone().unwrap_or_default();
                    AcceptedCallout { status: map_callout_status(&raw_status), raw_status, number: number(&n) }
                })
                .collect(),
            invalid: answer.invalid_phone_numbers.iter().map(rejected).collect(),
        })
    }

    /// GET `/v1/meeting/{id}/phone/callout`: every callout of the meeting, `page` from 1.
    pub async fn callout_status(
        &self,
        meeting_id: &str,
        operator_id: &str,
        page: u32,
        page_size: u32,
    ) -> Result<CalloutStatusPage, ProviderError> {
        if page == 0 || page_size == 0 || page_size > MAX_PAGE_SIZE {
            return Err(local_refusal(format!("page must be ≥ 1 and page_size 1..={MAX_PAGE_SIZE}")));
        }
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("operator_id", operator_id)
            .append_pair("operator_id_type", &OPERATOR_ID_TYPE_USERID.to_string())
            .append_pair("page", &page.to_string())
            .append_pair("page_size", &page_size.to_string())
            .finish();
        let path = format!("/v1/meeting/{}/phone/callout?{query}", segment(meeting_id));
        let answer: wire::CalloutListResponse = self.call("callout_status", Method::GET, &path, None::<&()>).await?;
        Ok(CalloutStatusPage {
            meeting_id: meeting_id.to_owned(),
            items: answer
                .phone_numbers
                .into_iter()
                .map(|n| {
                    let raw_status = n.status.unwrap_or_default();
                    CalloutStatusItem {
                        status: map_callout_status(&raw_status),
                        raw_status,
                        callee: PhoneTarget {
                            area: n.area,
                            phone: n.phone,
                            extension: n.extension_number.filter(|e| !e.is_empty()),
                            nick_name: n.nick_name.filter(|e| !e.is_empty()),
                        },
                        ms_open_id: n.ms_open_id.filter(|e| !e.is_empty()),
                        console: None,
                    }
                })
                .collect(),
            // The doc's descriptions of current_page/current_size are swapped; the request's own
            // paging is what the page means.
            current_page: page,
            page_size,
            total_count: answer.total_count,
            total_page: answer.total_page,
        })
    }

    /// POST `/v1/meeting/{id}/phone/cancelcall`: cancels ringing callouts; the final word comes as `CANCLE_INVITE`.
    pub async fn cancel_callout(
        &self,
        meeting_id: &str,
        operator_id: &str,
        numbers: &[PhoneNumber],
    ) -> Result<CancelResult, ProviderError> {
        self.check_batch(numbers.len()).map_err(|e| *e)?;
        let body = phone_batch(operator_id, numbers);
        let path = format!("/v1/meeting/{}/phone/cancelcall", segment(meeting_id));
        let answer: wire::CancelResponse = self.call("cancel_callout", Method::POST, &path, Some(&body)).await?;
        Ok(CancelResult {
            succeeded: answer.success_list.iter().map(number).collect(),
            failed: answer.failed_list.iter().map(rejected).collect(),
        })
    }

    /// POST `/v1/meetings/{id}/phone/ms-open-id` (plural `meetings`): the ms_open_ids of connected numbers.
    pub async fn pstn_ms_open_ids(
        &self,
        meeting_id: &str,
        operator_id: &str,
        numbers: &[PhoneNumber],
    ) -> Result<MsOpenIdResult, ProviderError> {
        self.check_batch(numbers.len()).map_err(|e| *e)?;
        let body = phone_batch(operator_id, numbers);
        let path = format!("/v1/meetings/{}/phone/ms-open-id", segment(meeting_id));
        let answer: wire::MsOpenIdResponse = self.call("ms_open_ids", Method::POST, &path, Some(&body)).await?;
        // One entry per ms_open_id; group them by number, keeping the provider's order.
        let mut grouped: BTreeMap<usize, MsOpenIds> = BTreeMap::new();
        let mut index: Vec<PhoneNumber> = Vec::new();
        for entry in answer.ms_open_id_list {
            let Some(phone) = entry.phone() else { continue };
            let key = PhoneNumber { area: entry.area, phone, extension: entry.extension_number.filter(|e| !e.is_empty()) };
            let slot = index.iter().position(|k| *k == key).unwrap_or_else(|| {
                index.push(key.clone());
                index.len() - 1
            });
            let item = grouped.entry(slot).or_insert_with(|| MsOpenIds { number: key, ms_open_ids: Vec::new() });
            if !item.ms_open_ids.contains(&entry.ms_open_id) {
                item.ms_open_ids.push(entry.ms_open_id);
            }
        }
        Ok(MsOpenIdResult { meeting_id: meeting_id.to_owned(), numbers: grouped.into_values().collect() })
    }

    /// PUT `/v1/meeting-rooms/room-call`: rings a Rooms meeting room or a SIP/H.323 device into the meeting.
    pub async fn room_call(&self, operator_id: &str, request: &RoomCallRequest) -> Result<RoomCallResult, ProviderError> {
        let body = room_body(operator_id, request, None, None);
        let answer: wire::RoomCallResponse = self.call("room_call", Method::PUT, "/v1/meeting-rooms/room-call", Some(&body)).await?;
        Ok(RoomCallResult { invite_id: answer.invite_id })
    }

    /// POST `/v1/meeting-rooms/room-call-info`: the answer state of the latest call to that room.
    pub async fn room_call_info(&self, operator_id: &str, request: &RoomCallRequest) -> Result<RoomCallInfo, ProviderError> {
        let body = room_body(operator_id, request, Some(INSTANCE_ID_PC), None);
        let answer: wire::RoomCallInfoResponse =
            self.call("room_call_info", Method::POST, "/v1/meeting-rooms/room-call-info", Some(&body)).await?;
        Ok(RoomCallInfo {
            status: map_room_call_status(answer.status),
            raw_status: answer.status,
            response_time: answer.response_time.map(|v| wire::code_text(&v)).filter(|t| !t.is_empty() && t != "null"),
        })
    }

    /// PUT `/v1/meeting-rooms/cancel-room-call`.
    pub async fn cancel_room_call(&self, operator_id: &str, request: &RoomCallRequest, invite_id: &str) -> Result<(), ProviderError> {
        let body = room_body(operator_id, request, Some(INSTANCE_ID_PC), Some(invite_id));
        let _: wire::Empty = self.call("cancel_room_call", Method::PUT, "/v1/meeting-rooms/cancel-room-call", Some(&body)).await?;
        Ok(())
    }

    /// GET `/v1/meetings/{id}?userid=&instanceid=`: the meeting, as `userid` may see it.
    pub async fn meeting(&self, meeting_id: &str, userid: &str) -> Result<Option<MeetingDetails>, ProviderError> {
        let query = meeting_query(&[("userid", userid)]);
        let path = format!("/v1/meetings/{}?{query}", segment(meeting_id));
        let answer: wire::MeetingQueryResponse = self.call("meeting", Method::GET, &path, None::<&()>).await?;
        Ok(answer.meeting_info_list.into_iter().next().map(MeetingDetails::from))
    }

    /// GET `/v1/meetings?meeting_code=&userid=&instanceid=`: the meeting people join with this 9-digit code.
    pub async fn meeting_by_code(&self, meeting_code: &str, userid: &str) -> Result<Option<MeetingDetails>, ProviderError> {
        let query = meeting_query(&[("meeting_code", meeting_code), ("userid", userid)]);
        let answer: wire::MeetingQueryResponse =
            self.call("meeting_by_code", Method::GET, &format!("/v1/meetings?{query}"), None::<&()>).await?;
        Ok(answer.meeting_info_list.into_iter().next().map(MeetingDetails::from))
    }

    /// Refuses, without sending, a batch the provider would refuse (empty or over the cap).
    fn check_batch(&self, len: usize) -> Result<(), Box<ProviderError>> {
        let cap = self.account.callout_batch_cap;
        if len == 0 || len > cap {
            return Err(Box::new(local_refusal(format!("{len} numbers in one request; 1 to {cap} allowed"))));
        }
        Ok(())
    }

    /// Sends one request through the shared transport: the body is serialized once, and every
    /// attempt gets a fresh nonce, timestamp and signature over the exact target and body sent.
    async fn call<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path_and_query: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, ProviderError> {
        let body = match body {
            Some(body) => serde_json::to_string(body).expect("request bodies are plain data"),
            None => String::new(),
        };
        let url = reqwest::Url::parse(&format!("{}{path_and_query}", self.account.base_url.trim_end_matches('/')))
            .map_err(|err| local_refusal(format!("invalid Tencent Meeting base URL: {err}")))?;
        // The request-target as it goes on the wire, after the URL parser's normalisation.
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let account = &self.account;
        let build = || {
            let nonce = signer::fresh_nonce();
            let timestamp = signer::timestamp_now();
            let to_sign = signer::string_to_sign(method.as_str(), &account.secret_id, &nonce, &timestamp, &target, &body);
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .header("Content-Type", "application/json")
                .header("X-TC-Key", &account.secret_id)
                .header("X-TC-Timestamp", &timestamp)
                .header("X-TC-Nonce", &nonce)
                .header("X-TC-Signature", signer::sign(&account.secret_key, &to_sign))
                .header("AppId", &account.app_id)
                .header("X-TC-Registered", "1");
            if let Some(sdk_id) = &account.sdk_id {
                request = request.header("SdkId", sdk_id);
            }
            if method != Method::GET {
                request = request.body(body.clone());
            }
            request
        };
        tracing::debug!(%method, path = url.path(), "Tencent Meeting request");
        let text = transport::send(Provider::TencentMeeting, operation, &self.settings.retry, build, classify::<T>).await?;
        parse_success(&text).map_err(|detail| ProviderError::Unknown {
            provider: Provider::TencentMeeting,
            detail,
            http_status: None,
            raw: Some(text),
        })
    }
}

/// The query of the meeting look-ups, in the SDK's order, the device type last.
fn meeting_query(pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    query.append_pair("instanceid", &INSTANCE_ID_PC.to_string()).finish()
}

/// What the callout pre-check needs to know of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDetails {
    pub meeting_id: String,
    pub meeting_code: Option<String>,
    pub subject: Option<String>,
    /// `MEETING_STATE_STARTED` and its siblings, as sent.
    pub status: String,
    /// Unix seconds.
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
    pub meeting_type: Option<i64>,
    /// Hosts and co-hosts, booked and current; empty when the answer listed none.
    pub hosts: Vec<String>,
}

impl From<wire::MeetingInfoIn> for MeetingDetails {
    fn from(m: wire::MeetingInfoIn) -> Self {
        let hosts = m.hosts.iter().chain(&m.current_hosts).chain(&m.current_co_hosts).filter_map(|u| u.userid.clone()).collect();
        Self {
            start_time: wire::seconds(&m.start_time),
            end_time: wire::seconds(&m.end_time),
            meeting_id: m.meeting_id,
            meeting_code: m.meeting_code.filter(|c| !c.is_empty()),
            subject: m.subject.filter(|s| !s.is_empty()),
            status: m.status.unwrap_or_default(),
            meeting_type: m.meeting_type,
            hosts,
        }
    }
}

/// Sorts one answer into success, a definite refusal, a rate limit, or "outcome unknown".
fn classify<T: DeserializeOwned>(status: u16, body: String) -> Classified {
    if let Ok(error) = serde_json::from_str::<wire::ErrorBody>(&body) {
        // A parseable error_info is Tencent's own definite answer whatever the HTTP status: it
        // reports business errors such as 9006 (meeting ended) with HTTP 500, and nothing was done.
        let code = wire::code_text(&error.error_info.error_code);
        let error_body = ProviderErrorBody {
            http_status: status,
            new_code: error.error_info.new_error_code.as_ref().map(wire::code_text),
            message: super::super::redact_echoed_credentials(&error.error_info.message.unwrap_or_default()),
            request_id: None,
            raw: body,
            code,
        };
        return if RATE_LIMIT_CODES.contains(&error_body.code.as_str()) {
            Classified::RateLimited(error_body)
        } else {
            Classified::Rejected(error_body)
        };
    }
    match status {
        200..=299 => match parse_success::<T>(&body) {
            Ok(_) => Classified::Success(body),
            // The call may well have been placed: never treat this as a refusal.
            Err(detail) => Classified::Unknown(detail),
        },
        // A 4xx without Tencent's error body (proxy, wrong path): the request was refused before any action.
        400..=499 => Classified::Rejected(ProviderErrorBody {
            http_status: status,
            code: format!("HTTP {status}"),
            new_code: None,
            message: "HTTP error without a Tencent error body".into(),
            request_id: None,
            raw: body,
        }),
        _ => Classified::Unknown(format!("HTTP {status} without a Tencent error body")),
    }
}

fn parse_success<T: DeserializeOwned>(body: &str) -> Result<T, String> {
    let body = if body.trim().is_empty() { "{}" } else { body };
    serde_json::from_str(body).map_err(|err| format!("the answer is not the expected JSON: {err}"))
}

/// A request this client refuses to send; shaped like Tencent's own invalid-parameter answer
/// (190004) with HTTP status 0 to show it never left.
fn local_refusal(message: String) -> ProviderError {
    ProviderError::Rejected {
        provider: Provider::TencentMeeting,
        body: ProviderErrorBody {
            http_status: 0,
            code: "190004".into(),
            new_code: None,
            message: format!("not sent: {message}"),
            request_id: None,
            raw: String::new(),
        },
    }
}

/// Meeting ids are digits; percent-encode anything else so it cannot change the path.
fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn phone_batch<'a>(operator_id: &'a str, numbers: &'a [PhoneNumber]) -> wire::PhoneBatchRequest<'a> {
    wire::PhoneBatchRequest {
        operator_id,
        operator_id_type: OPERATOR_ID_TYPE_USERID,
        phone_numbers: numbers
            .iter()
            .map(|n| wire::PhoneOut { area: n.area, phone: &n.phone, extension_number: n.extension.as_deref(), nick_name: None })
            .collect(),
    }
}

fn room_body<'a>(
    operator_id: &'a str,
    request: &'a RoomCallRequest,
    instance_id: Option<u8>,
    invite_id: Option<&'a str>,
) -> wire::RoomCallBody<'a> {
    let (meeting_room_id, mra_address) = match &request.target {
        RoomTarget::MeetingRoom { meeting_room_id } => (Some(meeting_room_id.as_str()), None),
        RoomTarget::MraAddress { protocol, dial_string } => {
            let protocol = match protocol {
                MraProtocol::Sip => 1,
                MraProtocol::H323 => 2,
            };
            (None, Some(wire::MraAddress { protocol, dial_string }))
        }
    };
    wire::RoomCallBody {
        operator_id,
        operator_id_type: OPERATOR_ID_TYPE_USERID,
        meeting_id: &request.meeting_id,
        meeting_room_id,
        mra_address,
        instance_id,
        invite_id,
    }
}

fn number(n: &wire::NumberIn) -> PhoneNumber {
    PhoneNumber { area: n.area, phone: n.phone.clone(), extension: n.extension_number.clone().filter(|e| !e.is_empty()) }
}

fn rejected(n: &wire::NumberIn) -> RejectedNumber {
    RejectedNumber { number: number(n), reason: n.error_msg.clone().unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret_key() {
        let account = TencentAccount::new("http://x", "app", "sid", "very-secret-key");
        let text = format!("{account:?}");
        assert!(!text.contains("very-secret-key"));
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn error_body_with_500_is_a_definite_rejection() {
        let body = r#"{"error_info":{"error_code":9006,"new_error_code":200009006,"message":"meeting ended"}}"#;
        match classify::<wire::Empty>(500, body.into()) {
            Classified::Rejected(b) => {
                assert_eq!((b.code.as_str(), b.new_code.as_deref(), b.http_status), ("9006", Some("200009006"), 500));
            }
            _ => panic!("9006 is a definite answer"),
        }
    }

    #[test]
    fn rate_limit_codes_are_retryable() {
        for code in ["190310", "190311", "190313"] {
            let body = format!(r#"{{"error_info":{{"error_code":{code},"message":"limit"}}}}"#);
            assert!(matches!(classify::<wire::Empty>(400, body), Classified::RateLimited(_)), "{code}");
        }
    }

    #[test]
    fn broken_answers_are_unknown() {
        assert!(matches!(classify::<wire::Empty>(500, String::new()), Classified::Unknown(_)));
        assert!(matches!(classify::<wire::RoomCallResponse>(200, r#"{"meeting_id":"8"#.into()), Classified::Unknown(_)));
        assert!(matches!(classify::<wire::RoomCallResponse>(200, "{}".into()), Classified::Unknown(_)), "invite_id is required");
        assert!(matches!(classify::<wire::Empty>(200, String::new()), Classified::Success(_)), "empty body = nothing to say");
    }
}
