//! Typed client for the backend's JSON API: one function per endpoint, one error type.
//! Every state-changing call carries `X-CSRF: 1`; dialling calls also carry an `Idempotency-Key`
//! so a retried submit cannot dial twice.

use callout_shared::{
    audit::{AuditEntry, AuditQuery},
    dialex::{DialExResult, StartDialEx},
    dnc::{AddDoNotCall, DoNotCallAdded, DoNotCallEntry},
    error::ApiErrorBody,
    health::HealthResponse,
    jobs::{
        CalloutJob, CreateCalloutJob, CreateDialExJob, JobControl, JobControlled, JobCreated, JobItem, JobList, JobListQuery, RetryResult,
        RetryUnknown,
    },
    me::MeResponse,
    meeting::{
        CalloutStatusPage, CancelResult, MeetingCheck, MeetingNumbersRequest, MsOpenIdResult, RoomCallApiRequest, RoomCallInfo,
        RoomCallResult,
    },
    numbers::{ValidateNumbersRequest, ValidateNumbersResponse},
    API_PREFIX,
};
use gloo_net::http::Request;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// Why a call to the backend did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an HTTP answer (backend down, network gone).
    Network(String),
    /// The backend refused with its JSON error body.
    Api { status: u16, body: ApiErrorBody },
    /// An error status without the JSON body (a route the backend does not have yet, a proxy page).
    Status { status: u16, text: String },
    /// A success status, but not the JSON we expected.
    Decode(String),
}

impl ApiError {
    /// The request field the backend blamed (`rout_point`, `callee`, …).
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Api { body, .. } => body.field.as_deref(),
            _ => None,
        }
    }
}

pub async fn health() -> Result<HealthResponse, ApiError> {
    get(url("/health")).await
}

pub async fn me() -> Result<MeResponse, ApiError> {
    get(url("/me")).await
}

pub async fn validate_numbers(request: &ValidateNumbersRequest) -> Result<ValidateNumbersResponse, ApiError> {
    let answer: wire::Validations = post(url("/numbers/validate"), request, None).await?;
    answer.into_response().map_err(ApiError::Decode)
}

pub async fn dialex(request: &StartDialEx, idempotency_key: &str) -> Result<DialExResult, ApiError> {
    post(url("/dialex"), request, Some(idempotency_key)).await
}

/// DialEx calls to a list of numbers, one job followed like a meeting callout.
pub async fn start_dialex_job(request: &CreateDialExJob, idempotency_key: &str) -> Result<JobCreated, ApiError> {
    post(url("/dialex/jobs"), request, Some(idempotency_key)).await
}

pub async fn start_callout(request: &CreateCalloutJob, idempotency_key: &str) -> Result<JobCreated, ApiError> {
    post(url("/callouts"), request, Some(idempotency_key)).await
}

pub async fn job(id: &str) -> Result<CalloutJob, ApiError> {
    // Read as its two halves: decoding the flattened summary would compile a second, buffered
    // decoder for the summary and everything in it.
    #[derive(Deserialize)]
    struct Items {
        items: Vec<JobItem>,
        #[serde(default)]
        attempts: Vec<callout_shared::jobs::PastAttempt>,
    }
    let value = parse(&exchange(Method::Get, &job_url(id, ""), None, None).await?).map_err(ApiError::Decode)?;
    let summary = read(value.clone()).map_err(ApiError::Decode)?;
    let Items { items, attempts } = read(value).map_err(ApiError::Decode)?;
    Ok(CalloutJob { summary, items, attempts })
}

/// When a campaign plan would dial (the window in force and its next openings).
pub async fn preview_campaign(
    request: &callout_shared::campaign::CampaignPreviewRequest,
) -> Result<callout_shared::campaign::CampaignPreview, ApiError> {
    post(url("/campaigns/preview"), request, None).await
}

/// The live event stream (server-sent events).
pub fn events_url() -> String {
    url("/events")
}

/// Where the browser downloads a job's rows as CSV, its times in the browser's zone.
pub fn job_export_url(id: &str) -> String {
    format!("{}?utc_offset_minutes={}", job_url(id, "/export.csv"), utc_offset_minutes())
}

/// The browser's offset from UTC now, minutes east (480 in China).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Re-dialling needs an explicit yes in the body, not only the button.
pub async fn retry_unknown(id: &str, idempotency_key: &str) -> Result<RetryResult, ApiError> {
    post(job_url(id, "/retry-unknown"), &RetryUnknown { confirm: true }, Some(idempotency_key)).await
}

/// Pause, resume or stop the job's numbers not sent yet.
pub async fn control_job(id: &str, action: JobControl) -> Result<JobControlled, ApiError> {
    // The action is the path; it takes no parameters: an empty JSON object.
    decode(&exchange(Method::Post, &job_url(id, &format!("/{}", action.as_str())), Some("{}".to_owned()), None).await?)
}

pub async fn cancel_ringing(id: &str) -> Result<CancelResult, ApiError> {
    // The action takes no parameters: an empty JSON object.
    decode(&exchange(Method::Post, &job_url(id, "/cancel-ringing"), Some("{}".to_owned()), None).await?)
}

/// The meeting (id or 9-digit code) as the provider describes it, before anything is dialled.
pub async fn check_meeting(meeting: &str, account_id: &str, operator_id: Option<&str>) -> Result<MeetingCheck, ApiError> {
    let operator = operator_id.map(|o| format!("&operator_id={}", encode(o))).unwrap_or_default();
    get(url(&format!("/meetings/{}/check?account_id={}{operator}", encode(meeting), encode(account_id)))).await
}

/// One page of the provider's callout list of a meeting (every callout, whoever placed it).
pub async fn callout_status(meeting_id: &str, account_id: &str, page: u32, page_size: u32) -> Result<CalloutStatusPage, ApiError> {
    let path = format!("/meetings/{}/callouts?account_id={}&page={page}&page_size={page_size}", encode(meeting_id), encode(account_id));
    let page: wire::StatusPage = get(url(&path)).await?;
    Ok(page.into())
}

pub async fn ms_open_ids(meeting_id: &str, request: &MeetingNumbersRequest) -> Result<MsOpenIdResult, ApiError> {
    post(url(&format!("/meetings/{}/ms-open-ids", encode(meeting_id))), request, None).await
}

pub async fn room_call(request: &RoomCallApiRequest, idempotency_key: &str) -> Result<RoomCallResult, ApiError> {
    post(url("/room-calls"), request, Some(idempotency_key)).await
}

pub async fn room_call_status(request: &RoomCallApiRequest) -> Result<RoomCallInfo, ApiError> {
    post(url("/room-calls/status"), request, None).await
}

pub async fn cancel_room_call(request: &RoomCallApiRequest) -> Result<(), ApiError> {
    let body = serde_json::to_string(request).map_err(|e| ApiError::Decode(e.to_string()))?;
    exchange(Method::Post, &url("/room-calls/cancel"), Some(body), None).await.map(drop)
}

pub async fn do_not_call() -> Result<Vec<DoNotCallEntry>, ApiError> {
    get(url("/do-not-call")).await
}

/// Adds a number (the backend normalises it) and answers with the entry as stored and whether it
/// was listed already.
pub async fn add_do_not_call(request: &AddDoNotCall) -> Result<DoNotCallAdded, ApiError> {
    post(url("/do-not-call"), request, None).await
}

pub async fn remove_do_not_call(e164: &str) -> Result<(), ApiError> {
    exchange(Method::Delete, &url(&format!("/do-not-call/{}", encode(e164))), None, None).await.map(drop)
}

pub async fn audit(query: &AuditQuery) -> Result<Vec<AuditEntry>, ApiError> {
    get(audit_url("", query)).await
}

/// `/audit` or `/audit/export.csv` with the filters that are set.
pub fn audit_url(suffix: &str, query: &AuditQuery) -> String {
    let pairs = [
        ("user", text(&query.user)),
        ("action", text(&query.action)),
        ("account_id", text(&query.account_id)),
        ("from", query.from.map(|v| v.to_string())),
        ("to", query.to.map(|v| v.to_string())),
        ("limit", query.limit.map(|v| v.to_string())),
        ("offset", query.offset.map(|v| v.to_string())),
        ("utc_offset_minutes", query.utc_offset_minutes.map(|v| v.to_string())),
    ];
    url(&format!("/audit{suffix}{}", query_string(pairs)))
}

/// One page of every job, newest first, with the filters that are set.
pub async fn jobs(query: &JobListQuery) -> Result<JobList, ApiError> {
    let pairs = [
        ("page", query.page.map(|v| v.to_string())),
        ("page_size", query.page_size.map(|v| v.to_string())),
        ("from", query.from.map(|v| v.to_string())),
        ("to", query.to.map(|v| v.to_string())),
        ("account_id", text(&query.account_id)),
        ("meeting_id", text(&query.meeting_id)),
        ("created_by", text(&query.created_by)),
        ("state", query.state.map(|s| s.as_str().to_owned())),
        ("kind", query.kind.map(|k| k.as_str().to_owned())),
        ("search", text(&query.search)),
    ];
    get(url(&format!("/callouts{}", query_string(pairs)))).await
}

/// A filter's text, trimmed and URL-encoded; blank is no filter.
fn text(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(encode)
}

/// `?k=v&…` of the pairs that have a value (values already encoded), or nothing.
fn query_string<const N: usize>(pairs: [(&str, Option<String>); N]) -> String {
    let pairs: Vec<String> = pairs.into_iter().filter_map(|(k, v)| v.map(|v| format!("{k}={v}"))).collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// A fresh key per submit: 128 random bits as 32 hex digits.
pub fn new_idempotency_key() -> String {
    (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32)).collect()
}

fn job_url(id: &str, suffix: &str) -> String {
    url(&format!("/callouts/{}{suffix}", encode(id)))
}

fn encode(part: &str) -> String {
    String::from(js_sys::encode_uri_component(part))
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

// The transport below is deliberately not generic: one async state machine for every endpoint, and only
// the JSON decoding is compiled per answer type. Generic async helpers cost the bundle several KB each.

async fn post<B: Serialize, T: DeserializeOwned>(url: String, body: &B, idempotency_key: Option<&str>) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
    decode(&exchange(Method::Post, &url, Some(body), idempotency_key).await?)
}

async fn get<T: DeserializeOwned>(url: String) -> Result<T, ApiError> {
    decode(&exchange(Method::Get, &url, None, None).await?)
}

/// The HTTP methods the API uses.
#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
    Delete,
}

/// Sends one request and returns the body of a successful answer; a refusal becomes the matching `ApiError`.
async fn exchange(method: Method, url: &str, body: Option<String>, idempotency_key: Option<&str>) -> Result<String, ApiError> {
    // Every state change carries the CSRF header; reads do not need it.
    let mut builder = match method {
        Method::Get => Request::get(url),
        Method::Post => Request::post(url).header("X-CSRF", "1"),
        Method::Delete => Request::delete(url).header("X-CSRF", "1"),
    };
    if let Some(key) = idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    let request = match body {
        Some(body) => builder.header("Content-Type", "application/json").body(body),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(text);
    }
    Err(match from_json::<ApiErrorBody>(&text) {
        Ok(body) => ApiError::Api { status, body },
        Err(_) => ApiError::Status { status, text },
    })
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    from_json(text).map_err(ApiError::Decode)
}

/// Parses JSON with the browser's own parser and reads the value as `T`.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    read(parse(text)?)
}

fn parse(text: &str) -> Result<wasm_bindgen::JsValue, String> {
    js_sys::JSON::parse(text).map_err(|e| String::from(js_sys::Error::from(e).message()))
}

fn read<T: DeserializeOwned>(value: wasm_bindgen::JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// Plain mirrors of the answers whose shared types use `#[serde(flatten)]` or an internally tagged
/// enum: serde decodes those through a buffered copy of every field, which compiles a second decoder
/// for each type inside them (several KB of the bundle). The JSON read is the same.
mod wire {
    use callout_shared::{
        call_status::CallStatus,
        meeting::{CalloutStatusItem, CalloutStatusPage, ConsoleCallout, PhoneTarget},
        numbers::{NormalizedNumber, NumberProblem, NumberValidation, ValidateNumbersResponse},
    };
    use serde::Deserialize;

    /// [`CalloutStatusPage`], its items' callee fields inline.
    #[derive(Deserialize)]
    pub struct StatusPage {
        meeting_id: String,
        items: Vec<StatusItem>,
        current_page: u32,
        page_size: u32,
        total_count: u32,
        total_page: u32,
    }

    #[derive(Deserialize)]
    struct StatusItem {
        area: u32,
        phone: String,
        #[serde(default)]
        extension: Option<String>,
        #[serde(default)]
        nick_name: Option<String>,
        raw_status: String,
        #[serde(default)]
        ms_open_id: Option<String>,
        status: CallStatus,
        #[serde(default)]
        console: Option<ConsoleCallout>,
    }

    impl From<StatusPage> for CalloutStatusPage {
        fn from(page: StatusPage) -> Self {
            let items = page
                .items
                .into_iter()
                .map(|i| CalloutStatusItem {
                    callee: PhoneTarget { area: i.area, phone: i.phone, extension: i.extension, nick_name: i.nick_name },
                    raw_status: i.raw_status,
                    ms_open_id: i.ms_open_id,
                    status: i.status,
                    console: i.console,
                })
                .collect();
            CalloutStatusPage {
                meeting_id: page.meeting_id,
                items,
                current_page: page.current_page,
                page_size: page.page_size,
                total_count: page.total_count,
                total_page: page.total_page,
            }
        }
    }

    /// [`ValidateNumbersResponse`], each verdict's `result` tag as a plain field.
    #[derive(Deserialize)]
    pub struct Validations {
        results: Vec<Verdict>,
    }

    #[derive(Deserialize)]
    struct Verdict {
        result: VerdictKind,
        #[serde(default)]
        number: Option<NormalizedNumber>,
        #[serde(default)]
        problem: Option<NumberProblem>,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        do_not_call: bool,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum VerdictKind {
        Valid,
        Invalid,
    }

    impl Validations {
        pub fn into_response(self) -> Result<ValidateNumbersResponse, String> {
            let missing = |field: &str| format!("missing field `{field}`");
            let results = self
                .results
                .into_iter()
                .map(|v| match v.result {
                    VerdictKind::Valid => {
                        Ok(NumberValidation::Valid { number: v.number.ok_or_else(|| missing("number"))?, do_not_call: v.do_not_call })
                    }
                    VerdictKind::Invalid => Ok(NumberValidation::Invalid {
                        problem: v.problem.ok_or_else(|| missing("problem"))?,
                        message: v.message.ok_or_else(|| missing("message"))?,
                    }),
                })
                .collect::<Result<_, String>>()?;
            Ok(ValidateNumbersResponse { results })
        }
    }
}
