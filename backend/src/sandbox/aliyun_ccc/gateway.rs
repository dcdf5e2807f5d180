//! The RPC gateway in front of CCC: parameter merging, routing by Action/Version, AccessKey,
//! timestamp, signature and nonce checks, and the gateway's error body.

use std::{sync::Mutex, time::Duration};

use axum::{
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;
use subtle::ConstantTimeEq;

use super::{acs3, config::AliyunEmulatorConfig};
use crate::providers::aliyun_ccc::{signer, API_VERSION};

/// The APIs this emulator serves.
pub(super) const DIAL_EX: &str = "DialEx";
pub(super) const LIST_CALL_DETAIL_RECORDS: &str = "ListCallDetailRecords";
pub(super) const DEFAULT_HOST_ID: &str = "ccc.cn-shanghai.aliyuncs.com";

/// An error as the gateway words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GatewayError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl GatewayError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self { status, code: code.to_owned(), message: message.into() }
    }

    /// A mandatory parameter is absent (the gateway's `Missing<Name>` codes).
    pub fn missing(name: &str) -> Self {
        Self::new(400, &format!("Missing{name}"), format!("{name} is mandatory for this action."))
    }

    /// `{"RequestId","HostId","Code","Message","Recommend"}`, the gateway's error body.
    pub fn into_response(self, host_id: &str) -> Response {
        let request_id = new_request_id();
        let body = json!({
            "RequestId": request_id,
            "HostId": host_id,
            "Code": self.code,
            "Message": self.message,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={}&product=CCC&requestId={request_id}", self.code),
        });
        answer(StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST), body)
    }
}

/// A JSON answer as the gateway sends it: the body's `RequestId` also in the `x-acs-request-id`
/// header, which the official SDKs read.
pub(super) fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    let request_id = body["RequestId"].as_str().unwrap_or_default().to_owned();
    (status, [("x-acs-request-id", request_id)], Json(body)).into_response()
}

/// The rate-limit answer the fault knob sends. Its HTTP status (400) follows the docs; unconfirmed.
pub(super) fn throttled() -> Response {
    GatewayError::new(400, "Throttling.User", "Request was denied due to user flow control.").into_response(DEFAULT_HOST_ID)
}

/// Request ids look like the gateway's: an uppercase UUID.
pub(super) fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string().to_uppercase()
}

/// Query and form-body parameters together, decoded (`+` is a space, as in any form decoding).
#[derive(Debug, Default)]
pub(super) struct Params(Vec<(String, String)>);

impl Params {
    pub fn merge(query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Self {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned().collect();
        let is_form = headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            pairs.extend(form_urlencoded::parse(body).into_owned());
        }
        Self(pairs)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    pub fn require(&self, name: &str) -> Result<&str, GatewayError> {
        self.get(name).filter(|value| !value.is_empty()).ok_or_else(|| GatewayError::missing(name))
    }
}

/// SignatureNonces seen within the replay window.
#[derive(Default)]
pub(super) struct NonceLedger(Mutex<crate::sandbox::ReplayLedger<String, DateTime<Utc>>>);

impl NonceLedger {
    /// Records `nonce`; false when it was already used within `window`.
    fn record(&self, nonce: &str, now: DateTime<Utc>, window: Duration) -> bool {
        let window = chrono::TimeDelta::from_std(window).unwrap_or(chrono::TimeDelta::MAX);
        self.0.lock().unwrap().record(nonce.to_owned(), now, now.checked_sub_signed(window))
    }
}

/// What the gateway looks at in one HTTP request.
pub(super) struct Incoming<'a> {
    pub method: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub params: &'a Params,
}

impl Incoming<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// Checks what the gateway checks before CCC sees the call: an `ACS3-HMAC-SHA256` Authorization
/// header (V3), or otherwise the RPC HMAC-SHA1 parameters.
pub(super) fn check(
    config: &AliyunEmulatorConfig,
    nonces: &NonceLedger,
    incoming: &Incoming<'_>,
    now: DateTime<Utc>,
) -> Result<(), GatewayError> {
    match incoming.header("authorization").and_then(|value| value.strip_prefix(acs3::ALGORITHM)) {
        Some(credentials) => acs3::check(config, nonces, incoming, credentials.trim_start(), now),
        None => check_rpc(config, nonces, incoming.method, incoming.params, now),
    }
}

fn check_rpc(
    config: &AliyunEmulatorConfig,
    nonces: &NonceLedger,
    method: &str,
    params: &Params,
    now: DateTime<Utc>,
) -> Result<(), GatewayError> {
    route(params.require("Version")?, params.require("Action")?)?;
    let secret = secret_for(config, params.require("AccessKeyId")?)?;
    if params.require("SignatureMethod")? != "HMAC-SHA1" {
        return Err(GatewayError::new(400, "InvalidSignatureMethod", "Specified signature method is not supported."));
    }
    if params.require("SignatureVersion")? != "1.0" {
        return Err(GatewayError::new(400, "InvalidSignatureVersion", "Specified signature version is not supported."));
    }
    check_timestamp(config, params.get("Timestamp").filter(|value| !value.is_empty()), now)?;
    let nonce = params.require("SignatureNonce")?;
    let signature = params.require("Signature")?;
    let server_string_to_sign = signer::string_to_sign(method, &params.0);
    verify_signature(config, &signer::sign(secret, &server_string_to_sign), signature, &server_string_to_sign)?;
    use_nonce(config, nonces, nonce, now)
}

/// The gateway routes on Version and Action before it looks at credentials.
pub(super) fn route(version: &str, action: &str) -> Result<(), GatewayError> {
    if version != API_VERSION {
        return Err(GatewayError::new(400, "InvalidVersion", "Specified parameter Version is not valid."));
    }
    if action != DIAL_EX && action != LIST_CALL_DETAIL_RECORDS {
        return Err(GatewayError::new(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."));
    }
    Ok(())
}

pub(super) fn secret_for<'c>(config: &'c AliyunEmulatorConfig, access_key_id: &str) -> Result<&'c str, GatewayError> {
    config.access_keys.get(access_key_id).map(String::as_str).ok_or_else(|| {
        GatewayError::new(config.statuses.access_key_not_found, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    })
}

/// Constant-time comparison; the mismatch message echoes the server's string to sign, as the real gateway does.
pub(super) fn verify_signature(
    config: &AliyunEmulatorConfig,
    expected: &str,
    given: &str,
    server_string_to_sign: &str,
) -> Result<(), GatewayError> {
    if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        return Ok(());
    }
    Err(GatewayError::new(
        config.statuses.signature_does_not_match,
        "SignatureDoesNotMatch",
        format!("Specified signature is not matched with our calculation. server string to sign is:{server_string_to_sign}"),
    ))
}

/// Called only after the signature matched, so nobody else can burn a client's nonce.
pub(super) fn use_nonce(config: &AliyunEmulatorConfig, nonces: &NonceLedger, nonce: &str, now: DateTime<Utc>) -> Result<(), GatewayError> {
    if nonces.record(nonce, now, config.nonce_window) {
        Ok(())
    } else {
        Err(GatewayError::new(400, "SignatureNonceUsed", "Specified signature nonce was used already."))
    }
}

pub(super) fn check_timestamp(config: &AliyunEmulatorConfig, timestamp: Option<&str>, now: DateTime<Utc>) -> Result<(), GatewayError> {
    let timestamp = timestamp.ok_or_else(|| {
        GatewayError::new(
            400,
            "IllegalTimestamp",
            r#"The input parameter "Timestamp" that is mandatory for processing this request is not supplied."#,
        )
    })?;
    // Whole seconds with a literal Z, as every official SDK sends; other forms are unconfirmed, so refused.
    let sent = NaiveDateTime::parse_from_str(timestamp, "%Y-%m-%dT%H:%M:%SZ")
        .map_err(|_| GatewayError::new(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."))?
        .and_utc();
    let skew = (now - sent).abs().to_std().unwrap_or(Duration::MAX);
    if skew > config.timestamp_window {
        return Err(GatewayError::new(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_used_once_within_the_window_and_forgotten_after() {
        let ledger = NonceLedger::default();
        let t0 = Utc::now();
        let window = Duration::from_secs(900);
        assert!(ledger.record("n", t0, window));
        assert!(!ledger.record("n", t0 + chrono::TimeDelta::seconds(899), window));
        assert!(ledger.record("n", t0 + chrono::TimeDelta::seconds(2000), window));
    }

    #[test]
    fn timestamps_outside_the_window_either_way_are_expired() {
        let config = AliyunEmulatorConfig::default();
        let now = NaiveDateTime::parse_from_str("2026-01-01T12:00:00Z", "%Y-%m-%dT%H:%M:%SZ").unwrap().and_utc();
        assert!(check_timestamp(&config, Some("2026-01-01T11:45:00Z"), now).is_ok());
        assert!(check_timestamp(&config, Some("2026-01-01T12:15:00Z"), now).is_ok());
        assert_eq!(check_timestamp(&config, Some("2026-01-01T11:44:59Z"), now).unwrap_err().code, "InvalidTimeStamp.Expired");
        assert_eq!(check_timestamp(&config, Some("2026-01-01T12:15:01Z"), now).unwrap_err().code, "InvalidTimeStamp.Expired");
        assert_eq!(check_timestamp(&config, Some("2026-01-01T12:00:00.000Z"), now).unwrap_err().code, "InvalidTimeStamp.Format");
        assert_eq!(check_timestamp(&config, None, now).unwrap_err().code, "IllegalTimestamp");
    }

    #[test]
    fn form_bodies_decode_plus_as_space_and_merge_with_the_query() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/x-www-form-urlencoded; charset=utf-8".parse().unwrap());
        let params = Params::merge(Some("A=1&Sig=a%2Bb"), &headers, b"Callee=%2B86+1&Empty=");
        assert_eq!(params.get("Sig"), Some("a+b"));
        assert_eq!(params.get("Callee"), Some("+86 1"));
        assert_eq!(params.get("A"), Some("1"));
        assert_eq!(params.require("Empty").unwrap_err().code, "MissingEmpty");
    }
}
