//! The CCC emulator's fault knobs against the real client: only a rate limit (never acted on) or a
//! connection that never opened is retried; every answer that may follow a placed call is `Unknown`
//! and dialled exactly once, as the emulator's dial counter proves over HTTP.

use std::{collections::BTreeMap, time::Duration};

use callout_console::{
    providers::{
        aliyun_ccc::{AliyunAccount, AliyunCccClient},
        HttpSettings, ProviderError, RetryPolicy,
    },
    sandbox::{
        aliyun_ccc::{self, AliyunEmulator, AliyunEmulatorConfig, *},
        faults::FaultSettings,
    },
};
use callout_shared::dialex::{AnswerMode, DialExRequest};

const CALLEE: &str = "15799990000";

async fn emulator_with(faults: FaultSettings) -> AliyunEmulator {
    let emulator = aliyun_ccc::start("127.0.0.1:0".parse().unwrap(), AliyunEmulatorConfig::default()).await.unwrap();
    // Set over the admin endpoint, as an operator would.
    let answer = reqwest::Client::new().put(format!("{}/__emulator/faults", emulator.base_url())).json(&faults).send().await.unwrap();
    assert!(answer.status().is_success());
    emulator
}

fn settings(max_attempts: u32, total_timeout: Duration) -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs(2),
        total_timeout,
        retry: RetryPolicy { max_attempts, base_delay: Duration::from_millis(100), max_delay: Duration::from_millis(400) },
        use_system_proxy: false,
    }
}

fn dial() -> DialExRequest {
    DialExRequest {
        instance_id: SANDBOX_INSTANCE_ID.into(),
        caller: SANDBOX_CALLER.into(),
        callee: CALLEE.into(),
        answer_mode: AnswerMode::SkillGroup,
        rout_point: SANDBOX_SKILL_GROUPS[0].into(),
        provider: None,
    }
}

async fn dials_over_http(emulator: &AliyunEmulator) -> BTreeMap<String, u64> {
    reqwest::get(format!("{}/__emulator/dials", emulator.base_url())).await.unwrap().json().await.unwrap()
}

async fn unknown_after_one_dial(faults: FaultSettings, total_timeout: Duration) -> (Option<u16>, Option<String>) {
    let emulator = emulator_with(faults).await;
    let outcome = AliyunCccClient::new(emulator.account(), settings(3, total_timeout)).dial_ex(&dial()).await;
    let (http_status, raw) = match outcome {
        Err(ProviderError::Unknown { http_status, raw, .. }) => (http_status, raw),
        other => panic!("expected an unknown outcome, got {other:?}"),
    };
    assert_eq!(dials_over_http(&emulator).await.get(CALLEE), Some(&1), "placed once, never retried");
    assert_eq!(emulator.seen_requests().len(), 1, "exactly one attempt");
    (http_status, raw)
}

#[tokio::test]
async fn rate_limit_is_retried_with_a_fresh_nonce_and_dialled_once() {
    let emulator = emulator_with(FaultSettings { rate_limit: 1, ..Default::default() }).await;
    let result = AliyunCccClient::new(emulator.account(), settings(3, Duration::from_secs(5))).dial_ex(&dial()).await;
    assert!(!result.expect("the second attempt succeeds").task_id.is_empty());
    assert_eq!(dials_over_http(&emulator).await.get(CALLEE), Some(&1));
    let nonces: Vec<String> = emulator.seen_requests().into_iter().map(|seen| seen.signature_nonce.unwrap()).collect();
    assert_eq!(nonces.len(), 2);
    assert_ne!(nonces[0], nonces[1], "each attempt is signed afresh");
}

#[tokio::test]
async fn a_rate_limit_that_persists_ends_rate_limited_after_the_configured_attempts() {
    let emulator = emulator_with(FaultSettings { rate_limit: 10, ..Default::default() }).await;
    let outcome = AliyunCccClient::new(emulator.account(), settings(3, Duration::from_secs(5))).dial_ex(&dial()).await;
    match outcome {
        Err(ProviderError::RateLimited { body, .. }) => {
            assert_eq!(body.code, "Throttling.User");
            assert!(body.request_id.is_some());
        }
        other => panic!("expected a rate limit, got {other:?}"),
    }
    assert_eq!(emulator.seen_requests().len(), 3);
    assert!(dials_over_http(&emulator).await.is_empty(), "a refused request dials nobody");
}

#[tokio::test]
async fn http_500_after_processing_is_unknown_and_never_retried() {
    let (status, _) = unknown_after_one_dial(FaultSettings { http_500: 1, ..Default::default() }, Duration::from_secs(5)).await;
    assert_eq!(status, Some(500));
}

#[tokio::test]
async fn a_timeout_after_the_request_was_read_is_unknown_and_never_retried() {
    let faults = FaultSettings { timeout_after_read: 1, timeout_ms: 3_000, ..Default::default() };
    let (status, _) = unknown_after_one_dial(faults, Duration::from_millis(500)).await;
    assert_eq!(status, None, "no answer came back");
}

#[tokio::test]
async fn malformed_json_after_processing_is_unknown_and_never_retried() {
    let (status, raw) = unknown_after_one_dial(FaultSettings { malformed_json: 1, ..Default::default() }, Duration::from_secs(5)).await;
    assert_eq!(status, Some(200));
    assert!(raw.is_some(), "the broken body is kept for the audit trail");
}

#[tokio::test]
async fn a_connection_reset_mid_answer_is_unknown_and_never_retried() {
    unknown_after_one_dial(FaultSettings { connection_reset: 1, ..Default::default() }, Duration::from_secs(5)).await;
}

#[tokio::test]
async fn nothing_listening_is_not_sent_after_the_configured_attempts() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let account = AliyunAccount {
        endpoint: format!("http://127.0.0.1:{port}"),
        region_id: SANDBOX_REGION_ID.into(),
        access_key_id: SANDBOX_ACCESS_KEY_ID.into(),
        access_key_secret: SANDBOX_ACCESS_KEY_SECRET.into(),
    };
    let started = std::time::Instant::now();
    let outcome = AliyunCccClient::new(account, settings(3, Duration::from_secs(5))).dial_ex(&dial()).await;
    assert!(matches!(outcome, Err(ProviderError::NotSent { .. })), "{outcome:?}");
    // Three attempts wait 100 ms then 200 ms between them; a single attempt would not wait at all.
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
}
