//! Every refusal of the Tencent Meeting emulator, in Tencent's error shape, and how the client
//! classifies it.

use crate::tencent_meeting_common;

use callout_console::{
    providers::{tencent_meeting::TencentMeetingClient, ProviderError},
    sandbox::tencent_meeting::{self as emu, TencentEmulatorConfig},
};
use tencent_meeting_common::*;

const CALLOUT: &str = "/v1/meeting/6058890385480921052/phone/callout";
const BODY: &str = r#"{"operator_id":"sandbox-host","operator_id_type":1,"phone_numbers":[{"area":86,"phone":"13800138000"}]}"#;

#[tokio::test]
async fn correctly_signed_raw_request_is_accepted() {
    let emulator = start(fast_config()).await;
    let (status, code, json) = Raw::default().send(&emulator, "POST", CALLOUT, BODY, BODY).await;
    assert_eq!((status, code), (200, 0), "{json}");
    assert_eq!(json["phone_numbers"][0]["phone"], "13800138000");
}

#[tokio::test]
async fn body_changed_after_signing_fails_with_200003_and_dials_nothing() {
    let emulator = start(fast_config()).await;
    let tampered = BODY.replace("13800138000", "13800138009");
    let (status, code, json) = Raw::default().send(&emulator, "POST", CALLOUT, &tampered, BODY).await;
    assert_eq!((status, code), (400, 200003));
    assert_eq!(json["error_info"]["new_error_code"], 200_200_003);
    assert!(json["error_info"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(dials(&emulator).await.is_empty());
}

#[tokio::test]
async fn signature_with_a_wrong_secret_key_fails_with_200003() {
    let emulator = start(fast_config()).await;
    let raw = Raw { secret_key: "not-the-key".into(), ..Raw::default() };
    assert_eq!(raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await.1, 200003);
}

#[tokio::test]
async fn signature_error_status_is_configurable() {
    let emulator = start(TencentEmulatorConfig { signature_error_status: 500, ..fast_config() }).await;
    let raw = Raw { secret_key: "not-the-key".into(), ..Raw::default() };
    let (status, code, _) = raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await;
    assert_eq!((status, code), (500, 200003));
}

#[tokio::test]
async fn query_changed_after_signing_fails_with_200003() {
    let emulator = start(fast_config()).await;
    let signed = format!("{CALLOUT}?operator_id=sandbox-host&operator_id_type=1&page=1&page_size=20");
    let sent = format!("{CALLOUT}?operator_id=sandbox-host&operator_id_type=1&page=2&page_size=20");
    let raw = Raw::default();
    let to_sign =
        callout_console::providers::tencent_meeting::signer::string_to_sign("GET", &raw.secret_id, &raw.nonce, &raw.timestamp, &signed, "");
    let signature = callout_console::providers::tencent_meeting::signer::sign(&raw.secret_key, &to_sign);
    let response = reqwest::Client::new()
        .get(format!("{}{sent}", emulator.base_url()))
        .header("x-tc-key", &raw.secret_id)
        .header("x-tc-timestamp", &raw.timestamp)
        .header("x-tc-nonce", &raw.nonce)
        .header("x-tc-signature", signature)
        .header("appid", &raw.app_id)
        .send()
        .await
        .unwrap();
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["error_info"]["error_code"], 200003);
}

#[tokio::test]
async fn expired_timestamp_fails_with_190300() {
    let emulator = start(fast_config()).await;
    let old = (chrono::Utc::now().timestamp() - 301).to_string();
    let raw = Raw { timestamp: old, ..Raw::default() };
    assert_eq!(raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await.1, 190300);
    let future = (chrono::Utc::now().timestamp() + 400).to_string();
    let raw = Raw { timestamp: future, ..Raw::default() };
    assert_eq!(raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await.1, 190300);
}

#[tokio::test]
async fn replayed_nonce_fails_with_190301_and_dials_once() {
    let emulator = start(fast_config()).await;
    let raw = Raw::default();
    assert_eq!(raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await.0, 200);
    let (status, code, _) = raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await;
    assert_eq!((status, code), (400, 190301));
    assert_eq!(dials(&emulator).await["+8613800138000"], 1);
}

#[tokio::test]
async fn unknown_secret_id_app_id_or_unassigned_sdk_id_fail_with_190303() {
    let emulator = start(fast_config()).await;
    for raw in [
        Raw { secret_id: "someone-else".into(), ..Raw::default() },
        Raw { app_id: "1".into(), ..Raw::default() },
        Raw { sdk_id: Some("20000".into()), ..Raw::default() },
    ] {
        let (status, code, _) = raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await;
        assert_eq!((status, code), (400, 190303));
    }
}

#[tokio::test]
async fn assigned_sdk_id_must_be_sent() {
    let emulator = start(TencentEmulatorConfig { sdk_id: Some("24680".into()), ..fast_config() }).await;
    assert_eq!(Raw::default().send(&emulator, "POST", CALLOUT, BODY, BODY).await.1, 190303);
    let raw = Raw { sdk_id: Some("24680".into()), ..Raw::default() };
    assert_eq!(raw.send(&emulator, "POST", CALLOUT, BODY, BODY).await.0, 200);
    let mut account = account(&emulator.base_url());
    account.sdk_id = Some("24680".into());
    let client = TencentMeetingClient::new(account, settings());
    client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138001")]).await.unwrap();
}

#[tokio::test]
async fn client_with_a_wrong_key_is_rejected_not_retried() {
    let emulator = start(fast_config()).await;
    let mut account = account(&emulator.base_url());
    account.secret_key = "wrong".into();
    let result = TencentMeetingClient::new(account, settings())
        .callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138000")])
        .await;
    assert_eq!(rejected_code(result), ("200003".to_owned(), 400));
}

#[tokio::test]
async fn unknown_meeting_fails_with_190457() {
    let emulator = start(fast_config()).await;
    let result = client(&emulator).callout("1234567890123456789", emu::SANDBOX_OPERATOR_ID, &[target("13800138000")]).await;
    assert_eq!(rejected_code(result), ("190457".to_owned(), 400));
}

#[tokio::test]
async fn ended_meeting_fails_with_9006_as_a_definite_answer_despite_http_500() {
    let emulator = start(fast_config()).await;
    let result = client(&emulator).callout(emu::SANDBOX_ENDED_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138000")]).await;
    assert_eq!(rejected_code(result), ("9006".to_owned(), 500));
    assert!(dials(&emulator).await.is_empty());
}

#[tokio::test]
async fn webinar_callout_is_refused_with_a_clear_error() {
    let emulator = start(fast_config()).await;
    let result = client(&emulator).callout(emu::SANDBOX_WEBINAR_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138000")]).await;
    match result {
        Err(ProviderError::Rejected { body, .. }) => {
            assert_eq!(body.code, "14220");
            assert!(body.message.contains("webinar"), "{}", body.message);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn operator_who_is_not_creator_host_or_cohost_fails_with_9042() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    let result = client.callout(emu::SANDBOX_MEETING_ID, "someone-else", &[target("13800138000")]).await;
    assert_eq!(rejected_code(result), ("9042".to_owned(), 400));
    let result = client.callout_status(emu::SANDBOX_MEETING_ID, "someone-else", 1, 20).await;
    assert_eq!(rejected_code(result), ("9042".to_owned(), 400));
}

#[tokio::test]
async fn batch_over_the_emulator_cap_fails_with_190004() {
    let emulator = start(TencentEmulatorConfig { callout_batch_cap: 30, ..fast_config() }).await;
    let targets: Vec<_> = (0..31).map(|i| target(&format!("139{i:08}"))).collect();
    let result = client(&emulator).callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &targets).await;
    assert_eq!(rejected_code(result), ("190004".to_owned(), 400));
    assert!(dials(&emulator).await.is_empty());
}

#[tokio::test]
async fn batch_over_the_client_cap_is_refused_before_sending() {
    let emulator = start(fast_config()).await;
    let targets: Vec<_> = (0..51).map(|i| target(&format!("139{i:08}"))).collect();
    let result = client(&emulator).callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &targets).await;
    assert_eq!(rejected_code(result), ("190004".to_owned(), 0), "HTTP status 0: never sent");
}

#[tokio::test]
async fn page_size_over_100_fails_with_190004() {
    let emulator = start(fast_config()).await;
    let target = format!("{CALLOUT}?operator_id=sandbox-host&operator_id_type=1&page=1&page_size=101");
    let (status, code, _) = Raw::default().send(&emulator, "GET", &target, "", "").await;
    assert_eq!((status, code), (400, 190004));
    let local = client(&emulator).callout_status(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, 1, 101).await;
    assert_eq!(rejected_code(local), ("190004".to_owned(), 0));
}

#[tokio::test]
async fn more_than_the_per_minute_limit_fails_with_190310_after_retries() {
    let emulator = start(TencentEmulatorConfig { rate_limit_per_minute: 2, ..fast_config() }).await;
    let client = client(&emulator);
    for _ in 0..2 {
        client.callout_status(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, 1, 20).await.unwrap();
    }
    match client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138000")]).await {
        Err(ProviderError::RateLimited { body, .. }) => assert_eq!(body.code, "190310"),
        other => panic!("expected the rate limit, got {other:?}"),
    }
    assert!(dials(&emulator).await.is_empty());
}
