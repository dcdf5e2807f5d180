//! The Tencent Meeting event endpoint accepts the official example with its token and refuses
//! tampered, stale or replayed deliveries.

use crate::common;

const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
const DATA: &str = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCIsInVuaXF1ZV9zZXF1ZW5jZSI6ImYyMDA5NmVlLThhYzgtNGRmMi1hN2RlLTA1NzQ2NDlmMjExYiIsInBheWxvYWQiOlt7Im9wZXJhdGVfdGltZSI6IjIwMjAtMTItMjkgMTc6NDE6MDYiLCJvcGVyYXRvciI6eyJ1c2VyaWQiOiJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJ9LCJtZWV0aW5nX2luZm8iOnsibWVldGluZ19pZCI6IjYwNTg4OTAzODU0ODA5MjEwNTIiLCJtZWV0aW5nX2NvZGUiOiI1MzA4MTI0NTIiLCJzdWJqZWN0IjoibWVkaWEgdGVzdGVyIG1lZXRpbmciLCJjcmVhdG9yX2lkIjoidGVzdGVyMDAwMDZiYTViYWIzMzk4NThjMTNjOTMwY2NhOTU2ODQiLCJob3N0cyI6WyJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJdLCJtZWV0aW5nX3R5cGUiOjAsInN0YXJ0X3RpbWUiOiIyMDIwLTEyLTI5IDE3OjQxOjA0IiwiZW5kX3RpbWUiOiIyMDIwLTEyLTI5IDE4OjAxOjA0In19XX0";
const SIGNATURE: &str = "b11e507817336a91d7df0c8536ee2aca18bbbae8";

/// A configured account whose subscription uses the documented token (and, optionally, the
/// documented EncodingAESKey), with a window wide enough for the 2020 example's timestamp.
async fn app_with_subscription(tolerance_secs: u64, aes: bool) -> common::TestApp {
    let dir = tempfile::tempdir().unwrap().keep();
    std::fs::write(dir.join("secret"), "unused-secret").unwrap();
    std::fs::write(dir.join("token"), TOKEN).unwrap();
    std::fs::write(dir.join("aes"), "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").unwrap();
    let aes_line = if aes { format!("webhook_aes_key_file = {:?}\n", dir.join("aes").display().to_string()) } else { String::new() };
    let config = format!(
        "[[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\nbase_url = \"http://127.0.0.1:1\"\napp_id = \"1\"\nsecret_id = \"sid\"\n\
         secret_key_file = {:?}\nwebhook_token_file = {:?}\n{aes_line}webhook_tolerance_secs = {tolerance_secs}\n",
        dir.join("secret").display().to_string(),
        dir.join("token").display().to_string(),
    );
    common::spawn_with(&config, &[]).await
}

async fn deliver(app: &common::TestApp, timestamp: &str, nonce: &str, signature: &str, data: &str) -> reqwest::Response {
    app.http
        .post(app.url("/webhooks/tencent/hq"))
        .header("timestamp", timestamp)
        .header("nonce", nonce)
        .header("signature", signature)
        .json(&serde_json::json!({ "data": data }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_official_example_is_accepted_once_and_tampered_copies_are_refused() {
    let app = app_with_subscription(10 * 365 * 24 * 3600, false).await;
    let ok = deliver(&app, "1609239040864", "14964161", SIGNATURE, DATA).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "successfully received callback");

    let mut tampered = DATA.to_owned();
    tampered.replace_range(40..41, "A");
    assert_eq!(deliver(&app, "1609239040864", "14964161", SIGNATURE, &tampered).await.status(), 401);
    assert_eq!(
        deliver(&app, "1609239040864", "14964161", SIGNATURE, &format!("{DATA}=")).await.status(),
        401,
        "padding changes the signature"
    );
    assert_eq!(deliver(&app, "1609239040865", "14964161", SIGNATURE, DATA).await.status(), 401, "timestamp is signed");
    assert_eq!(deliver(&app, "1609239040864", "14964161", &SIGNATURE.replace('b', "c"), DATA).await.status(), 401);

    // A redelivery (same trace id) is acknowledged but stored once.
    assert_eq!(deliver(&app, "1609239040864", "14964161", SIGNATURE, DATA).await.status(), 200);
    let store = callout_console::store::Store::open(app.data.path(), callout_console::clock::Clock::system()).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT trace_id, event FROM webhook_events").fetch_all(store.pool()).await.unwrap();
    assert_eq!(rows, vec![("f20096ee-8ac8-4df2-a7de-0574649f211b".to_owned(), "meeting.created".to_owned())]);
}

#[tokio::test]
async fn stale_deliveries_are_refused_by_the_default_window() {
    let app = app_with_subscription(300, false).await;
    assert_eq!(deliver(&app, "1609239040864", "14964161", SIGNATURE, DATA).await.status(), 401);
}

#[tokio::test]
async fn the_url_check_answers_the_decrypted_plaintext() {
    let app = app_with_subscription(300, true).await;
    let response = app
        .http
        .get(app.url("/webhooks/tencent/hq?check_str=YnHy14NsKhY55Rz1BYrElA%3D%3D"))
        .header("timestamp", "1700000000000")
        .header("nonce", "12345678")
        .header("signature", "0b2b859a205282e04519b83a4ecf14d99d3aa057")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "hello-check");
    let wrong = app
        .http
        .get(app.url("/webhooks/tencent/hq?check_str=YnHy14NsKhY55Rz1BYrElA%3D%3D"))
        .header("timestamp", "1700000000000")
        .header("nonce", "1")
        .header("signature", "0b2b859a205282e04519b83a4ecf14d99d3aa057")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
}
