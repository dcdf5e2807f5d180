//! A provider (or a proxy before it) that echoes the request's signing headers in its error text:
//! the console repeats the code and the words, never the header values.

use crate::common;

use axum::{http::HeaderMap, routing::any, Json, Router};
use serde_json::{json, Value};

#[tokio::test]
async fn echoed_signing_headers_never_reach_the_answer_or_the_audit_log() {
    let echo = Router::new().fallback(any(|headers: HeaderMap| async move {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let message = format!("signature mismatch: X-TC-Key: {} X-TC-Signature: {}", header("x-tc-key"), header("x-tc-signature"));
        (axum::http::StatusCode::UNAUTHORIZED, Json(json!({ "error_info": { "error_code": 200003, "message": message } })))
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, echo).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("key"), "LIVE-SECRET-KEY").unwrap();
    let config = format!(
        "operator_ids = {{ \"dev@localhost\" = \"host\" }}\n[[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\nbase_url = \"{base}\"\napp_id = \"1\"\n\
         secret_id = \"VisibleSecretId42\"\nsecret_key_file = {:?}\n",
        dir.path().join("key").display().to_string()
    );
    let app = common::spawn_with(&config, &[]).await;
    let body = json!({ "account_id": "hq", "meeting_id": "6058890385480921052",
                       "target": { "kind": "meeting_room", "meeting_room_id": "2360000010" } });
    let response = app.post_json("/api/v1/room-calls", &body).await;
    assert_eq!(response.status(), 422);
    let answer: Value = response.json().await.unwrap();
    assert_eq!((answer["code"].as_str(), answer["provider_code"].as_str()), (Some("provider_credentials_rejected"), Some("200003")));
    let message = answer["message"].as_str().unwrap();
    assert!(message.contains("signature mismatch"), "the provider's words stay: {message}");
    let audit = app.get("/api/v1/audit?action=room_call").await.text().await.unwrap();
    for shown in [message, audit.as_str()] {
        assert!(!shown.contains("VisibleSecretId42"), "the X-TC-Key value leaked: {shown}");
        assert!(shown.contains("X-TC-Signature: [redacted]"), "{shown}");
    }
}
