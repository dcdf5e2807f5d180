//! What the real service checks before any operation: credentials, timestamp window, signature over
//! the raw request-target and body, nonce replay, and the per-app rate limit.

use std::{
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{request::Parts, HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::json;
use subtle::ConstantTimeEq;

use super::state::Emulator;
use crate::providers::tencent_meeting::signer;

const MAX_BODY: usize = 1 << 20;

/// Tencent's error answer: `{"error_info":{"error_code","new_error_code","message"}}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: i64,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        Self { status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), code, message: message.into() }
    }

    /// A request error (HTTP 400).
    pub fn request(code: i64, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    /// A service error (HTTP 500).
    pub fn service(code: i64, message: impl Into<String>) -> Self {
        Self::new(500, code, message)
    }

    pub fn invalid_param(detail: impl std::fmt::Display) -> Self {
        Self::request(190004, format!("参数错误 (invalid parameter): {detail}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Newer answers carry a new_error_code; its prefix is no fixed rule (190303 → 200190303),
        // so the emulator uses 200000000 + code throughout.
        let body = json!({"error_info": {"error_code": self.code, "new_error_code": 200_000_000 + self.code, "message": self.message}});
        (self.status, [("content-type", "application/json")], body.to_string()).into_response()
    }
}

/// The answer of the `rate_limit` fault knob (it cannot see the configuration, so always HTTP 400).
pub fn rate_limited_fault() -> Response {
    rate_limited(400).into_response()
}

fn rate_limited(status: u16) -> ApiError {
    ApiError::new(status, 190310, "接口调用频率超过每分钟总调用次数限制 (per-minute call limit exceeded)")
}

/// Middleware in front of every provider route.
pub async fn authenticate(State(emulator): State<Arc<Emulator>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return ApiError::invalid_param("body too large or unreadable").into_response();
    };
    if let Err(err) = check(&emulator, &parts, &bytes) {
        return err.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn check(emulator: &Emulator, parts: &Parts, body: &[u8]) -> Result<(), ApiError> {
    let config = &emulator.config;
    let headers = &parts.headers;
    let unknown_secret =
        || ApiError::request(190303, "鉴权失败:请检查请求头公共参数里字段AppId和X-TC-Key内容是否正确,字段SdkId如未分配不要携带。");
    let key = header(headers, "x-tc-key").ok_or_else(unknown_secret)?;
    let app_id = header(headers, "appid").ok_or_else(unknown_secret)?;
    let sdk_id = header(headers, "sdkid").filter(|s| !s.is_empty());
    if key != config.secret_id || app_id != config.app_id || sdk_id != config.sdk_id.as_deref() {
        return Err(unknown_secret());
    }

    let timestamp = header(headers, "x-tc-timestamp").unwrap_or_default();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() as i64;
    match timestamp.parse::<i64>() {
        Ok(ts) if (now - ts).unsigned_abs() <= config.timestamp_window.as_secs() => {}
        _ => return Err(ApiError::request(190300, "X-TC-Timestamp 与服务器时间相差超过5分钟 (timestamp expired)")),
    }

    let nonce = header(headers, "x-tc-nonce").unwrap_or_default();
    let received = header(headers, "x-tc-signature").unwrap_or_default();
    let target = parts.uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
    // The signature covers the body as received; a body that is not UTF-8 cannot have been signed.
    let body_text = std::str::from_utf8(body).unwrap_or("\u{FFFD}");
    let expected =
        signer::sign(&config.secret_key, &signer::string_to_sign(parts.method.as_str(), key, nonce, timestamp, target, body_text));
    if nonce.is_empty() || !bool::from(expected.as_bytes().ct_eq(received.as_bytes())) {
        return Err(ApiError::new(config.signature_error_status, 200003, "Signature failed (签名校验失败)"));
    }

    let mut inner = emulator.lock();
    if !inner.remember_nonce(timestamp, nonce, config.timestamp_window) {
        return Err(ApiError::request(190301, "重放请求: X-TC-Nonce 与 X-TC-Timestamp 五分钟内重复使用 (replayed request)"));
    }
    if !inner.take_rate_token(config.rate_limit_per_minute, Duration::from_secs(60)) {
        return Err(rate_limited(config.rate_limit_status));
    }
    Ok(())
}

/// Header values by case-insensitive name (the official Go SDK canonicalises `X-TC-Key` to `X-Tc-Key`).
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
