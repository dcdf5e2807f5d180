//! Webhook delivery end to end: the emulator subscribes a small receiver (URL check first), then
//! posts signed, optionally AES-encrypted events that the receiver verifies and decrypts with the
//! provider module's webhook functions.

use crate::tencent_meeting_common;

use std::{
    collections::{HashMap, HashSet},
    sync::{
        atomic::{AtomicU32, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use callout_console::{
    providers::tencent_meeting::webhook::{EventKind, WebhookEvent, WebhookSecrets, ACK_BODY},
    sandbox::tencent_meeting::{self as emu, TencentEmulator, TencentEmulatorConfig},
};
use callout_shared::{
    call_status::CallStatus,
    meeting::{PhoneNumber, PhoneTarget},
};
use serde_json::json;
use tencent_meeting_common::*;

const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const WAIT: Duration = Duration::from_secs(5);

#[derive(Clone)]
struct Receiver {
    secrets: WebhookSecrets,
    events: Arc<Mutex<Vec<WebhookEvent>>>,
    posts: Arc<AtomicU32>,
    fail_next: Arc<AtomicU32>,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

async fn check(State(r): State<Receiver>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let check_str = query.get("check_str").cloned().unwrap_or_default();
    match r.secrets.open_check(header(&headers, "timestamp"), header(&headers, "nonce"), &check_str, header(&headers, "signature")) {
        Ok(plain) => plain.into_response(),
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    }
}

async fn event(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> Response {
    r.posts.fetch_add(1, Ordering::SeqCst);
    if r.fail_next.load(Ordering::SeqCst) > 0 {
        r.fail_next.fetch_sub(1, Ordering::SeqCst);
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    match r.secrets.open_event(header(&headers, "timestamp"), header(&headers, "nonce"), &body, header(&headers, "signature")) {
        Ok(event) => {
            r.events.lock().unwrap().push(event);
            ACK_BODY.into_response()
        }
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    }
}

async fn receiver(token: &str, aes_key: Option<&str>) -> (Receiver, String) {
    let state = Receiver {
        secrets: WebhookSecrets::new(token, aes_key).unwrap(),
        events: Arc::default(),
        posts: Arc::default(),
        fail_next: Arc::default(),
    };
    let app = Router::new().route("/tencent/webhook", get(check).post(event)).with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/tencent/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (state, url)
}

/// `PUT /__emulator/webhook`; returns the HTTP status.
async fn subscribe(emulator: &TencentEmulator, url: &str, aes_key: Option<&str>) -> u16 {
    let body = json!({"url": url, "token": TOKEN, "encoding_aes_key": aes_key});
    let response = reqwest::Client::new().put(format!("{}/__emulator/webhook", emulator.base_url())).json(&body).send().await.unwrap();
    response.status().as_u16()
}

/// (raw status, pstn_number, user_name) of every PSTN status event received so far.
fn phone_statuses(r: &Receiver) -> Vec<(String, String, String, CallStatus)> {
    let events = r.events.lock().unwrap();
    let mut out = Vec::new();
    for event in events.iter() {
        if let EventKind::PhoneStatusUpdated(items) = &event.kind {
            for item in items {
                let op = &item.operator;
                out.push((
                    item.raw_status.clone(),
                    op.pstn_number.clone().unwrap_or_default(),
                    op.user_name.clone().unwrap_or_default(),
                    item.status,
                ));
            }
        }
    }
    out
}

fn participants(r: &Receiver, joined: bool) -> Vec<(String, String)> {
    let events = r.events.lock().unwrap();
    let mut out = Vec::new();
    for event in events.iter() {
        let items = match (&event.kind, joined) {
            (EventKind::ParticipantJoined(items), true) | (EventKind::ParticipantLeft(items), false) => items,
            _ => continue,
        };
        for item in items {
            out.push((item.operator.pstn_number.clone().unwrap_or_default(), item.operator.ms_open_id.clone().unwrap_or_default()));
        }
    }
    out
}

#[tokio::test]
async fn plain_events_follow_every_state_change_and_verify() {
    let (receiver, url) = receiver(TOKEN, None).await;
    let emulator = start(fast_config()).await;
    assert_eq!(subscribe(&emulator, &url, None).await, 204);
    let client = client(&emulator);
    let targets = [PhoneTarget { nick_name: Some("Alice".into()), ..target("13800138004") }, target("13800138008")];
    client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &targets).await.unwrap();

    eventually(WAIT, || async { (participants(&receiver, false).len() == 1 && phone_statuses(&receiver).len() == 5).then_some(()) }).await;
    let statuses = phone_statuses(&receiver);
    let of = |number: &str| statuses.iter().filter(|s| s.1 == number).map(|s| (s.0.as_str(), s.2.as_str(), s.3)).collect::<Vec<_>>();
    assert_eq!(
        of("008613800138004"),
        [
            ("START_INVITE", "Alice", CallStatus::Ringing),
            ("START_ACCEPT", "Alice", CallStatus::Answered),
            ("LEAVE_WITH_ACCEPTED", "Alice", CallStatus::Completed)
        ]
    );
    assert_eq!(
        of("008613800138008"),
        [("START_INVITE", "13800138008", CallStatus::Ringing), ("LEAVE_WITHOUT_ACCEPT", "13800138008", CallStatus::NotAnswered)]
    );

    let joined = participants(&receiver, true);
    assert_eq!(joined, participants(&receiver, false), "the same identity joins and leaves");
    assert_eq!(joined[0].0, "008613800138004");
    let ids = client
        .pstn_ms_open_ids(
            emu::SANDBOX_MEETING_ID,
            emu::SANDBOX_OPERATOR_ID,
            &[PhoneNumber { area: 86, phone: "13800138004".into(), extension: None }],
        )
        .await
        .unwrap();
    assert_eq!(ids.numbers[0].ms_open_ids, [joined[0].1.clone()], "events and the lookup agree on the ms_open_id");

    let events = receiver.events.lock().unwrap();
    let trace_ids: HashSet<_> = events.iter().map(|e| e.trace_id.clone()).collect();
    assert_eq!(trace_ids.len(), events.len(), "every event has its own trace_id");
}

#[tokio::test]
async fn aes_encrypted_events_decrypt_with_the_encoding_aes_key() {
    let (receiver, url) = receiver(TOKEN, Some(AES_KEY)).await;
    let mut config = fast_config();
    config.delays.ring_out = Duration::from_secs(30);
    let emulator = start(config).await;
    assert_eq!(subscribe(&emulator, &url, Some(AES_KEY)).await, 204);
    let client = client(&emulator);
    client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138003"), target("13800138006")]).await.unwrap();

    // Two identities for a number ending in 3: two joined events with distinct ms_open_ids.
    let joined = eventually(WAIT, || async {
        let joined = participants(&receiver, true);
        (joined.len() == 2).then_some(joined)
    })
    .await;
    assert!(joined.iter().all(|(number, _)| number == "008613800138003"));
    assert_ne!(joined[0].1, joined[1].1);

    let ringing = [PhoneNumber { area: 86, phone: "13800138006".into(), extension: None }];
    let cancel = client.cancel_callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &ringing).await.unwrap();
    assert_eq!(cancel.succeeded.len(), 1);
    eventually(WAIT, || async {
        phone_statuses(&receiver)
            .iter()
            .any(|s| s.0 == "CANCLE_INVITE" && s.1 == "008613800138006" && s.3 == CallStatus::Canceled)
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn webhook_delivery_is_retried_until_acknowledged() {
    let (receiver, url) = receiver(TOKEN, None).await;
    let emulator = start(fast_config()).await;
    assert_eq!(subscribe(&emulator, &url, None).await, 204);
    receiver.fail_next.store(2, Ordering::SeqCst);
    client(&emulator).callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138008")]).await.unwrap();
    eventually(WAIT, || async { (phone_statuses(&receiver).len() == 2).then_some(()) }).await;
    assert_eq!(phone_statuses(&receiver)[0].0, "START_INVITE", "the refused event came through on its third attempt");
    assert_eq!(receiver.posts.load(Ordering::SeqCst), 4, "two refusals, then two accepted events");
}

#[tokio::test]
async fn url_that_fails_the_check_is_not_subscribed() {
    let (receiver, url) = receiver("a-different-token-0000000", None).await;
    let emulator = start(fast_config()).await;
    assert_eq!(subscribe(&emulator, &url, None).await, 400);
    client(&emulator).callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138008")]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.posts.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn webhook_set_in_the_configuration_is_checked_at_start() {
    let (receiver, url) = receiver(TOKEN, Some(AES_KEY)).await;
    let webhook = emu::WebhookTarget { url: url.clone(), token: TOKEN.into(), encoding_aes_key: Some(AES_KEY.into()) };
    let emulator = start(TencentEmulatorConfig { webhook: Some(webhook), ..fast_config() }).await;
    client(&emulator).callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138008")]).await.unwrap();
    eventually(WAIT, || async { (!phone_statuses(&receiver).is_empty()).then_some(()) }).await;

    let wrong = emu::WebhookTarget { url, token: "a-different-token-0000000".into(), encoding_aes_key: None };
    let config = TencentEmulatorConfig { webhook: Some(wrong), ..fast_config() };
    assert!(emu::start("127.0.0.1:0".parse().unwrap(), config).await.is_err(), "a failing URL check stops the start");
}
