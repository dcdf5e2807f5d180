//! Helpers for the Tencent Meeting tests: an emulator with short lifecycles, a client pointed at
//! it, raw signed requests for the error cases, and the emulator's admin endpoints.
#![allow(dead_code)]

use std::{collections::BTreeMap, future::Future, time::Duration};

use callout_console::{
    providers::{
        tencent_meeting::{signer, TencentAccount, TencentMeetingClient},
        HttpSettings, ProviderError, RetryPolicy,
    },
    sandbox::tencent_meeting::{self as emu, LifecycleDelays, TencentEmulator, TencentEmulatorConfig},
};
use callout_shared::meeting::PhoneTarget;
use serde_json::Value;

/// Lifecycles in milliseconds instead of seconds.
pub fn fast_config() -> TencentEmulatorConfig {
    TencentEmulatorConfig {
        delays: LifecycleDelays {
            invite_after: Duration::from_millis(20),
            answer_after: Duration::from_millis(80),
            connected: Duration::from_millis(500),
            short_call: Duration::from_millis(150),
            ring_out: Duration::from_millis(250),
            reject_after: Duration::from_millis(60),
        },
        webhook_retry_delay: Duration::from_millis(50),
        ..TencentEmulatorConfig::default()
    }
}

pub async fn start(config: TencentEmulatorConfig) -> TencentEmulator {
    callout_console::telemetry::init(callout_console::config::LogFormat::Text);
    emu::start("127.0.0.1:0".parse().unwrap(), config).await.expect("emulator binds")
}

/// Retries with short pauses so fault tests stay fast.
pub fn settings() -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        retry: RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(50), max_delay: Duration::from_millis(200) },
        use_system_proxy: false,
    }
}

pub fn account(base_url: &str) -> TencentAccount {
    TencentAccount::new(base_url, emu::SANDBOX_APP_ID, emu::SANDBOX_SECRET_ID, emu::SANDBOX_SECRET_KEY)
}

pub fn client(emulator: &TencentEmulator) -> TencentMeetingClient {
    TencentMeetingClient::new(account(&emulator.base_url()), settings())
}

pub fn target(phone: &str) -> PhoneTarget {
    PhoneTarget { area: 86, phone: phone.into(), extension: None, nick_name: None }
}

/// `GET /__emulator/dials`.
pub async fn dials(emulator: &TencentEmulator) -> BTreeMap<String, u64> {
    let url = format!("{}/__emulator/dials", emulator.base_url());
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

/// `PUT /__emulator/faults`.
pub async fn set_faults(emulator: &TencentEmulator, faults: Value) {
    let url = format!("{}/__emulator/faults", emulator.base_url());
    let response = reqwest::Client::new().put(url).json(&faults).send().await.unwrap();
    assert!(response.status().is_success(), "fault settings accepted");
}

/// The provider's error code of a definite rejection.
pub fn rejected_code(result: Result<impl std::fmt::Debug, ProviderError>) -> (String, u16) {
    match result {
        Err(ProviderError::Rejected { body, .. }) => (body.code, body.http_status),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// Credentials and stamp of a hand-made request.
#[derive(Clone)]
pub struct Raw {
    pub app_id: String,
    pub sdk_id: Option<String>,
    pub secret_id: String,
    pub secret_key: String,
    pub timestamp: String,
    pub nonce: String,
}

impl Default for Raw {
    fn default() -> Self {
        Self {
            app_id: emu::SANDBOX_APP_ID.into(),
            sdk_id: None,
            secret_id: emu::SANDBOX_SECRET_ID.into(),
            secret_key: emu::SANDBOX_SECRET_KEY.into(),
            timestamp: signer::timestamp_now(),
            nonce: signer::fresh_nonce(),
        }
    }
}

impl Raw {
    /// Sends `method target body` signed over `signed_body` (normally the same body), returning
    /// (HTTP status, Tencent error code or 0, JSON body).
    pub async fn send(&self, emulator: &TencentEmulator, method: &str, target: &str, body: &str, signed_body: &str) -> (u16, i64, Value) {
        let to_sign = signer::string_to_sign(method, &self.secret_id, &self.nonce, &self.timestamp, target, signed_body);
        let mut request = reqwest::Client::new()
            .request(method.parse().unwrap(), format!("{}{target}", emulator.base_url()))
            .header("Content-Type", "application/json")
            .header("X-TC-Key", &self.secret_id)
            .header("X-TC-Timestamp", &self.timestamp)
            .header("X-TC-Nonce", &self.nonce)
            .header("X-TC-Signature", signer::sign(&self.secret_key, &to_sign))
            .header("AppId", &self.app_id)
            .header("X-TC-Registered", "1")
            .body(body.to_owned());
        if let Some(sdk_id) = &self.sdk_id {
            request = request.header("SdkId", sdk_id);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let json: Value = response.json().await.unwrap_or(Value::Null);
        let code = json["error_info"]["error_code"].as_i64().unwrap_or(0);
        (status, code, json)
    }
}

/// Polls `check` until it gives a value or `timeout` passes.
pub async fn eventually<T, F, Fut>(timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "condition not reached within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
