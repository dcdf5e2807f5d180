//! Typed client for the backend's JSON API: one function per endpoint, one error type.
//! Every state-changing call carries `X-CSRF: 1`; dialling calls also carry an `Idempotency-Key`
//! so a retried submit cannot dial twice.

use callout_shared::{
    dialex::{DialExResult, StartDialEx},
    error::ApiErrorBody,
    health::HealthResponse,
    jobs::CreateCalloutJob,
    me::MeResponse,
    numbers::{ValidateNumbersRequest, ValidateNumbersResponse},
    API_PREFIX,
};
use gloo_net::http::{Request, RequestBuilder, Response};
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

/// The part of `POST /api/v1/callouts`' answer the form needs (the job summary is for the status page).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CalloutStarted {
    pub job_id: String,
}

pub async fn health() -> Result<HealthResponse, ApiError> {
    send(Request::get(&url("/health"))).await
}

pub async fn me() -> Result<MeResponse, ApiError> {
    send(Request::get(&url("/me"))).await
}

pub async fn validate_numbers(request: &ValidateNumbersRequest) -> Result<ValidateNumbersResponse, ApiError> {
    post(url("/numbers/validate"), request, None).await
}

pub async fn dialex(request: &StartDialEx, idempotency_key: &str) -> Result<DialExResult, ApiError> {
    post(url("/dialex"), request, Some(idempotency_key)).await
}

pub async fn start_callout(request: &CreateCalloutJob, idempotency_key: &str) -> Result<CalloutStarted, ApiError> {
    post(url("/callouts"), request, Some(idempotency_key)).await
}

/// A fresh key per submit: 128 random bits as 32 hex digits.
pub fn new_idempotency_key() -> String {
    (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32)).collect()
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

async fn post<B: Serialize, T: DeserializeOwned>(url: String, body: &B, idempotency_key: Option<&str>) -> Result<T, ApiError> {
    let mut builder = Request::post(&url).header("X-CSRF", "1");
    if let Some(key) = idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    let request = builder.json(body).map_err(|e| ApiError::Decode(e.to_string()))?;
    read(request.send().await).await
}

async fn send<T: DeserializeOwned>(builder: RequestBuilder) -> Result<T, ApiError> {
    read(builder.send().await).await
}

async fn read<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    let response = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    if !response.ok() {
        let text = response.text().await.unwrap_or_default();
        return Err(match serde_json::from_str::<ApiErrorBody>(&text) {
            Ok(body) => ApiError::Api { status, body },
            Err(_) => ApiError::Status { status, text },
        });
    }
    response.json().await.map_err(|e| ApiError::Decode(e.to_string()))
}
