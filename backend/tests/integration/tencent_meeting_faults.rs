//! The retry rules against every fault knob of the Tencent Meeting emulator, proven with its dial
//! counter: only what provably was not acted on is sent again.

use crate::tencent_meeting_common;

use std::time::{Duration, Instant};

use callout_console::{
    providers::{
        tencent_meeting::{TencentAccount, TencentMeetingClient},
        HttpSettings, ProviderError,
    },
    sandbox::tencent_meeting as emu,
};
use serde_json::json;
use tencent_meeting_common::*;

const PHONE: &str = "13800138000";
const DIALLED: &str = "+8613800138000";

async fn callout(client: &TencentMeetingClient) -> Result<callout_shared::meeting::CalloutResult, ProviderError> {
    client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target(PHONE)]).await
}

fn assert_unknown(result: Result<impl std::fmt::Debug, ProviderError>) {
    assert!(matches!(result, Err(ProviderError::Unknown { .. })), "expected an unknown outcome, got {result:?}");
}

#[tokio::test]
async fn rate_limited_callout_is_retried_and_dials_once() {
    let emulator = start(fast_config()).await;
    set_faults(&emulator, json!({"rate_limit": 2})).await;
    let result = callout(&client(&emulator)).await.unwrap();
    assert_eq!(result.accepted.len(), 1);
    assert_eq!(dials(&emulator).await[DIALLED], 1);
}

#[tokio::test]
async fn rate_limit_outlasting_the_retries_is_reported_and_dials_nothing() {
    let emulator = start(fast_config()).await;
    set_faults(&emulator, json!({"rate_limit": 3})).await;
    match callout(&client(&emulator)).await {
        Err(ProviderError::RateLimited { body, .. }) => assert_eq!(body.code, "190310"),
        other => panic!("expected the rate limit, got {other:?}"),
    }
    assert!(dials(&emulator).await.is_empty());
}

/// A fault that fires after the call was placed: the outcome is unknown and nothing is sent again.
async fn unknown_outcome_and_dialled_once(faults: serde_json::Value) {
    let emulator = start(fast_config()).await;
    set_faults(&emulator, faults).await;
    assert_unknown(callout(&client(&emulator)).await);
    assert_eq!(dials(&emulator).await[DIALLED], 1);
}

#[tokio::test]
async fn http_500_after_the_dial_is_unknown_and_never_retried() {
    unknown_outcome_and_dialled_once(json!({"http_500": 1})).await;
}

#[tokio::test]
async fn random_error_rate_is_unknown_and_never_retried() {
    unknown_outcome_and_dialled_once(json!({"error_rate": 1.0})).await;
}

#[tokio::test]
async fn timeout_after_the_dial_is_unknown_and_never_retried() {
    let emulator = start(fast_config()).await;
    set_faults(&emulator, json!({"timeout_after_read": 1, "timeout_ms": 3000})).await;
    let mut settings = settings();
    settings.total_timeout = Duration::from_millis(300);
    let client = TencentMeetingClient::new(account(&emulator.base_url()), settings);
    assert_unknown(callout(&client).await);
    assert_eq!(dials(&emulator).await[DIALLED], 1);
}

#[tokio::test]
async fn malformed_json_after_the_dial_is_unknown_and_never_retried() {
    unknown_outcome_and_dialled_once(json!({"malformed_json": 1})).await;
}

#[tokio::test]
async fn connection_reset_after_the_dial_is_unknown_and_never_retried() {
    unknown_outcome_and_dialled_once(json!({"connection_reset": 1})).await;
}

#[tokio::test]
async fn latency_within_the_timeout_still_succeeds() {
    let emulator = start(fast_config()).await;
    set_faults(&emulator, json!({"latency_ms": 100})).await;
    let started = Instant::now();
    callout(&client(&emulator)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!(dials(&emulator).await[DIALLED], 1);
}

#[tokio::test]
async fn connection_refused_is_not_sent_after_retries() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let account =
        TencentAccount::new(format!("http://127.0.0.1:{port}"), emu::SANDBOX_APP_ID, emu::SANDBOX_SECRET_ID, emu::SANDBOX_SECRET_KEY);
    let settings: HttpSettings = settings();
    let started = Instant::now();
    match callout(&TencentMeetingClient::new(account, settings)).await {
        Err(ProviderError::NotSent { .. }) => {}
        other => panic!("expected NotSent, got {other:?}"),
    }
    // Three attempts mean two pauses of 50 ms and 100 ms.
    assert!(started.elapsed() >= Duration::from_millis(150), "the attempts were retried with backoff");
}

#[tokio::test]
async fn faults_do_not_touch_the_admin_endpoints() {
    let emulator = start(fast_config()).await;
    set_faults(&emulator, json!({"http_500": 5})).await;
    assert!(dials(&emulator).await.is_empty(), "the dial counter still answers");
}
