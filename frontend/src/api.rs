//! Typed client for the backend's JSON API. Every call goes through [`get_json`] so errors have one shape.

use callout_shared::{health::HealthResponse, API_PREFIX};
use gloo_net::http::Request;
use serde::de::DeserializeOwned;

/// Why a call to the backend did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an HTTP answer (backend down, network gone).
    Network(String),
    /// The backend answered with an error status.
    Status { status: u16, message: String },
    /// The answer was not the JSON we expected.
    Decode(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Network(e) => write!(f, "the backend cannot be reached ({e})"),
            ApiError::Status { status, message } => write!(f, "HTTP {status}: {message}"),
            ApiError::Decode(e) => write!(f, "unexpected answer from the backend ({e})"),
        }
    }
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(&format!("{API_PREFIX}{path}")).send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        let message = response.text().await.unwrap_or_default();
        return Err(ApiError::Status { status: response.status(), message });
    }
    response.json().await.map_err(|e| ApiError::Decode(e.to_string()))
}

pub async fn health() -> Result<HealthResponse, ApiError> {
    get_json("/health").await
}
