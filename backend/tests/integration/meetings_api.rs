//! Tencent Meeting operations end to end: browser-facing API → signing client → emulator over HTTP.

use crate::common;

use std::time::Duration;

use callout_console::sandbox::tencent_meeting::{
    SANDBOX_ENDED_MEETING_ID, SANDBOX_LONG_MEETING_ID, SANDBOX_MEETING_ID, SANDBOX_MEETING_ROOM_IDS, SANDBOX_WEBINAR_ID,
};
use serde_json::{json, Value};

/// Sandbox with calls a hundred times faster than life.
async fn fast_sandbox() -> common::TestApp {
    common::spawn_with("[sandbox]\ntime_scale = 0.01\n", &[]).await
}

fn numbers(list: &[&str]) -> Value {
    json!(list.iter().map(|n| json!({ "country_code": "86", "number": n })).collect::<Vec<_>>())
}

async fn statuses(app: &common::TestApp, meeting: &str) -> Value {
    let response = app.get(&format!("/api/v1/meetings/{meeting}/callouts?account_id=sandbox-tencent&all=true")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_callout_batch_is_accepted_and_its_calls_reach_final_states() {
    let app = fast_sandbox().await;
    let body = json!({ "account_id": "sandbox-tencent", "numbers": [
        { "country_code": "86", "number": "138 0013 8001", "nick_name": "张三" },
        { "country_code": "86", "number": "13800138006" },
        { "country_code": "86", "number": "17000000001" },
        { "number": "+852 2123 4568" }
    ]});
    let response = app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &body).await;
    assert_eq!(response.status(), 200);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["accepted"].as_array().unwrap().len(), 3, "{result}");
    assert_eq!(result["invalid"].as_array().unwrap().len(), 1, "the provider refuses the 170 prefix: {result}");
    assert_eq!(result["invalid"][0]["number"]["phone"], "17000000001");

    // 1 answers and stays (0-3), 6 rings out (6-7), 8 is rejected (8-9).
    let mut last = Value::Null;
    for _ in 0..100 {
        last = statuses(&app, SANDBOX_MEETING_ID).await;
        let s: Vec<&str> = last["items"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
        if s.len() == 3 && s.iter().all(|x| ["answered", "completed", "not_answered"].contains(x)) && s.contains(&"not_answered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let items = last["items"].as_array().unwrap();
    let by_phone = |p: &str| items.iter().find(|i| i["phone"] == p).unwrap_or_else(|| panic!("{p} in {last}")).clone();
    assert!(["answered", "completed"].contains(&by_phone("13800138001")["status"].as_str().unwrap()), "{last}");
    assert_eq!(by_phone("13800138006")["status"], "not_answered", "{last}");
    assert_eq!(by_phone("13800138001")["nick_name"], "张三");
}

#[tokio::test]
async fn meeting_problems_keep_their_provider_codes() {
    let app = fast_sandbox().await;
    let body = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&["13800138000"]) });
    for (meeting, code, provider_code) in [
        ("1234567890", "meeting_not_found", "190457"),
        (SANDBOX_ENDED_MEETING_ID, "meeting_ended", "9006"),
        (SANDBOX_WEBINAR_ID, "provider_error", "14220"),
    ] {
        let response = app.post_json(&format!("/api/v1/meetings/{meeting}/callout"), &body).await;
        assert_eq!(response.status(), 422, "{meeting}");
        let error: Value = response.json().await.unwrap();
        assert_eq!((error["code"].as_str(), error["provider_code"].as_str()), (Some(code), Some(provider_code)), "{error}");
    }
    let bad_id = app.post_json("/api/v1/meetings/530%20812%20452/callout", &body).await;
    assert_eq!(bad_id.json::<Value>().await.unwrap()["field"], "meeting_id");
}

#[tokio::test]
async fn acting_for_an_operator_who_is_not_a_host_is_refused_by_the_provider() {
    let app = fast_sandbox().await;
    let body = json!({ "account_id": "sandbox-tencent", "operator_id": "someone-else", "numbers": numbers(&["13800138000"]) });
    let response = app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &body).await;
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "provider_permission_denied", "{error}");
}

#[tokio::test]
async fn only_admins_act_for_others_and_viewers_only_read() {
    let app = common::spawn_with("[auth.dev]\ngroups = [\"callout-operators\"]\n[sandbox]\ntime_scale = 0.01\n", &[]).await;
    let body = json!({ "account_id": "sandbox-tencent", "operator_id": "sandbox-cohost", "numbers": numbers(&["13800138000"]) });
    let response = app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &body).await;
    assert_eq!(response.status(), 403);

    let viewer = common::spawn_with("[auth.dev]\ngroups = [\"callout-viewers\"]\n", &[]).await;
    let body = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&["13800138000"]) });
    assert_eq!(viewer.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &body).await.status(), 403);
    assert_eq!(statuses(&viewer, SANDBOX_MEETING_ID).await["items"], json!([]));
}

#[tokio::test]
async fn bad_rows_are_named_and_nothing_is_sent() {
    let app = fast_sandbox().await;
    let body = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&["13800138000", "12", "13800138000"]) });
    let response = app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &body).await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "numbers[1]");
    let dup = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&["13800138000", "138-0013-8000"]) });
    let response = app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &dup).await;
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "numbers[1]");
    let too_many = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&vec!["13800138000"; 51]) });
    assert_eq!(app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &too_many).await.status(), 400);
    assert_eq!(statuses(&app, SANDBOX_MEETING_ID).await["total_count"], 0, "nothing reached the provider");
}

#[tokio::test]
async fn status_pages_cancel_and_ms_open_ids() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.2\n", &[]).await;
    let list: Vec<String> = (0..25).map(|i| format!("1390000{:04}", i * 10 + 3)).collect();
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    let body = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&refs) });
    assert_eq!(app.post_json(&format!("/api/v1/meetings/{SANDBOX_LONG_MEETING_ID}/callout"), &body).await.status(), 200);

    let page2: Value = app
        .get(&format!("/api/v1/meetings/{SANDBOX_LONG_MEETING_ID}/callouts?account_id=sandbox-tencent&page=2&page_size=10"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (page2["total_count"].as_u64(), page2["total_page"].as_u64(), page2["items"].as_array().unwrap().len()),
        (Some(25), Some(3), 10)
    );
    assert_eq!(page2["meeting_id"], SANDBOX_LONG_MEETING_ID, "20-digit ids stay exact");
    let too_big = app.get(&format!("/api/v1/meetings/{SANDBOX_LONG_MEETING_ID}/callouts?account_id=sandbox-tencent&page_size=101")).await;
    assert_eq!(too_big.json::<Value>().await.unwrap()["field"], "page_size");

    // Cancel two while they ring.
    let cancel = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&refs[..2]) });
    let cancelled: Value =
        app.post_json(&format!("/api/v1/meetings/{SANDBOX_LONG_MEETING_ID}/callout/cancel"), &cancel).await.json().await.unwrap();
    assert_eq!(cancelled["succeeded"].as_array().unwrap().len(), 2, "{cancelled}");

    // Numbers ending in 3 answer and get two ms_open_ids once connected.
    let lookup = json!({ "account_id": "sandbox-tencent", "numbers": numbers(&refs[2..3]) });
    let mut ids = Value::Null;
    for _ in 0..100 {
        ids = app.post_json(&format!("/api/v1/meetings/{SANDBOX_LONG_MEETING_ID}/ms-open-ids"), &lookup).await.json().await.unwrap();
        if ids["numbers"][0]["ms_open_ids"].as_array().is_some_and(|a| a.len() == 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ids["numbers"][0]["ms_open_ids"].as_array().map(Vec::len), Some(2), "{ids}");
}

#[tokio::test]
async fn room_calls_by_id_and_by_sip_address() {
    let app = fast_sandbox().await;
    let by_id = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "target": { "kind": "meeting_room", "meeting_room_id": SANDBOX_MEETING_ROOM_IDS[0] } });
    let response = app.post_json("/api/v1/room-calls", &by_id).await;
    assert_eq!(response.status(), 200);
    assert!(!response.json::<Value>().await.unwrap()["invite_id"].as_str().unwrap().is_empty());

    let sip = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "target": { "kind": "mra_address", "protocol": "sip", "dial_string": "room5@rooms.example.com" } });
    let invite: Value = app.post_json("/api/v1/room-calls", &sip).await.json().await.unwrap();
    let info: Value = app.post_json("/api/v1/room-calls/status", &sip).await.json().await.unwrap();
    assert!(info["raw_status"].is_i64(), "{info}");
    let mut cancel = sip.clone();
    cancel["invite_id"] = invite["invite_id"].clone();
    assert_eq!(app.post_json("/api/v1/room-calls/cancel", &cancel).await.status(), 204);

    let bad = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "target": { "kind": "mra_address", "protocol": "h323", "dial_string": "10.0.0.1/abc" } });
    let response = app.post_json("/api/v1/room-calls", &bad).await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "target.dial_string");
}

#[tokio::test]
async fn rate_limits_and_ambiguous_outcomes_have_their_own_codes() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\n[http]\nretry_base_delay_ms = 20\n", &[]).await;
    let url = format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout");
    let body = |n: &str| json!({ "account_id": "sandbox-tencent", "numbers": numbers(&[n]) });

    app.set_faults(json!({ "rate_limit": 5 })).await;
    let response = app.post_json(&url, &body("13800138010")).await;
    assert_eq!(response.status(), 429);
    let error: Value = response.json().await.unwrap();
    assert_eq!((error["code"].as_str(), error["provider_code"].as_str()), (Some("rate_limited"), Some("190310")), "{error}");
    assert_eq!(app.dial_counts().await.get("+8613800138010"), None, "a refused request dialled nothing");

    app.set_faults(json!({ "http_500": 1 })).await;
    let response = app.post_json(&url, &body("13800138011")).await;
    assert_eq!(response.status(), 502);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "provider_outcome_unknown", "{error}");
    assert_eq!(app.dial_counts().await.get("+8613800138011"), Some(&1), "placed once, never retried");
}
