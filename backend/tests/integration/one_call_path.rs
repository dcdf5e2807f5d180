//! Every dialling path keeps the same promises: the do-not-call list, write-ahead records and audit
//! rows that survive a client going away, pacing for every provider call, de-duplicated webhooks,
//! expiring idempotency keys, and batches split when the provider refuses their size.

use crate::common;

use std::time::Duration;

use callout_console::{
    accounts::{SANDBOX_TENCENT_ACCOUNT, SANDBOX_WEBHOOK_AES_KEY, SANDBOX_WEBHOOK_TOKEN},
    providers::tencent_meeting::webhook::WebhookSecrets,
    sandbox::{
        aliyun_ccc::{SANDBOX_CALLER, SANDBOX_INSTANCE_ID},
        tencent_meeting::SANDBOX_MEETING_ID,
    },
    store::{idempotency::RequestKey, Store},
};
use serde_json::{json, Value};

const FAST: &str = "[sandbox]\ntime_scale = 0.01\n";
const BLOCKED: &str = "13800138000";

fn dialex_call(callee: &str) -> Value {
    json!({ "account_id": "sandbox-ccc", "instance_id": SANDBOX_INSTANCE_ID, "caller": SANDBOX_CALLER,
            "callee": callee, "answer_mode": "ivr", "rout_point": "cf-welcome-ivr" })
}

fn blocked_in(answer: &Value) -> bool {
    answer["not_dialled"].as_array().unwrap().iter().any(|n| n["phase"] == "blocked" && n["e164"] == "+8613800138000")
}

#[tokio::test]
async fn a_do_not_call_number_is_never_sent_on_any_path_and_the_answer_names_it() {
    let app = common::spawn_with(FAST, &[]).await;
    let added = app.post_json("/api/v1/do-not-call", &json!({ "number": BLOCKED, "note": "asked not to be called" })).await;
    assert_eq!(added.status(), 201);

    let job = app
        .post_json(
            "/api/v1/callouts",
            &json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "meeting_id": SANDBOX_MEETING_ID,
                                                "numbers": [{ "number": BLOCKED }, { "number": "13800000001" }] }),
        )
        .await;
    assert_eq!(job.status(), 202);
    let job: Value = job.json().await.unwrap();
    assert!(blocked_in(&job), "the callout job names the blocked number: {job}");

    let batch = app
        .post_json(
            &format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"),
            &json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "numbers": [{ "number": BLOCKED }, { "number": "13800000002" }] }),
        )
        .await;
    assert_eq!(batch.status(), 200);
    let batch: Value = batch.json().await.unwrap();
    assert!(blocked_in(&batch), "the one-batch callout names it: {batch}");
    assert_eq!(batch["accepted"].as_array().unwrap().len(), 1, "{batch}");
    assert!(!batch["job_id"].as_str().unwrap().is_empty(), "the batch is recorded as a job");

    let single = app.post_json("/api/v1/dialex", &dialex_call(BLOCKED)).await;
    assert_eq!(single.status(), 422);
    let single: Value = single.json().await.unwrap();
    assert_eq!((single["code"].as_str(), single["field"].as_str()), (Some("do_not_call"), Some("callee")), "{single}");
    assert!(single["message"].as_str().unwrap().contains("+8613800138000"));

    let mut list = dialex_call(BLOCKED);
    list.as_object_mut().unwrap().remove("callee");
    list["numbers"] = json!([{ "number": BLOCKED }, { "number": "13800000003" }]);
    let list = app.post_json("/api/v1/dialex/jobs", &list).await;
    assert_eq!(list.status(), 202);
    let list: Value = list.json().await.unwrap();
    assert!(blocked_in(&list), "the DialEx list names it: {list}");
    let list_job = app.wait_for_job(list["job_id"].as_str().unwrap(), |j| j["state"] == "finished").await;
    // The other row was placed and, its call record read, answered (its number ends in 3).
    let placed: Vec<&Value> = list_job["items"].as_array().unwrap().iter().filter(|i| i["status"] == "completed").collect();
    assert_eq!(placed.len(), 1, "{list_job}");
    assert!(!placed[0]["task_id"].as_str().unwrap().is_empty());

    app.wait_for_job(job["job_id"].as_str().unwrap(), |j| j["counters"]["batches_sent"] == 1).await;
    let tencent = app.dial_counts().await;
    assert_eq!(tencent.get("+8613800138000"), None, "{tencent:?}");
    assert_eq!((tencent.get("+8613800000001"), tencent.get("+8613800000002")), (Some(&1), Some(&1)));
    let ccc = app.ccc_dial_counts().await;
    assert!(!ccc.keys().any(|k| k.contains("13800138000")), "{ccc:?}");
    assert_eq!(ccc.get("13800000003"), Some(&1), "{ccc:?}");
}

#[tokio::test]
async fn a_client_that_goes_away_mid_dial_changes_nothing_about_what_is_sent_and_recorded() {
    let app = common::spawn().await;
    // The emulator places the call at once and answers two seconds later; the client gives up first.
    app.set_ccc_faults(json!({ "answer_delay_ms": 2000 })).await;
    let impatient = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().unwrap();
    let key = "disconnect-1";
    let body = dialex_call("15732036617");
    let gone = impatient.post(app.url("/api/v1/dialex")).header("x-csrf", "1").header("idempotency-key", key).json(&body).send().await;
    assert!(gone.is_err(), "the client timed out");
    let mut dialled = false;
    for _ in 0..50 {
        if app.ccc_dial_counts().await.get("15732036617") == Some(&1) {
            dialled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(dialled, "the emulator received the dial");

    // The replay answers with the outcome once it is known, and dials nothing again.
    let mut replay = None;
    for _ in 0..100 {
        let response = app.post_with_key("/api/v1/dialex", &body, key).await;
        if response.status() != 409 {
            replay = Some(response);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let replay = replay.expect("the key was settled");
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let answer: Value = replay.json().await.unwrap();
    let task_id = answer["task_id"].as_str().unwrap().to_owned();
    assert!(!task_id.is_empty(), "{answer}");
    let job: Value = app.get(&format!("/api/v1/callouts/{}", answer["job_id"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!(job["items"][0]["task_id"].as_str(), Some(task_id.as_str()), "{job}");
    // Placed, or already settled by its call record (the callee ends in 7: not answered).
    assert!(["placed", "not_answered"].contains(&job["items"][0]["status"].as_str().unwrap()), "{job}");
    let audit: Value = app.get("/api/v1/audit?action=dialex").await.json().await.unwrap();
    let rows = audit.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{audit}");
    assert_eq!(rows[0]["outcome"], "ok");
    assert!(rows[0]["detail"].as_str().unwrap().contains(&task_id));
    assert_eq!(app.ccc_dial_counts().await.get("15732036617"), Some(&1), "dialled once");
}

#[tokio::test]
async fn room_calls_and_cancels_wait_their_turn_under_a_low_rate_limit() {
    // 120 a minute: a burst of 4, then one every 500 ms.
    let app = common::spawn_with("[sandbox]\nwebhooks = false\nrate_limit_per_minute = 120\n", &[]).await;
    let room = |target: &Value| json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "meeting_id": SANDBOX_MEETING_ID, "target": target });
    let rooms = [
        json!({ "kind": "meeting_room", "meeting_room_id": "2360000010" }),
        json!({ "kind": "meeting_room", "meeting_room_id": "2360000015" }),
        json!({ "kind": "meeting_room", "meeting_room_id": "2360000017" }),
        json!({ "kind": "mra_address", "protocol": "sip", "dial_string": "room-a@sip.example.com" }),
    ];
    let app = &app;
    let calls = rooms.iter().map(|id| {
        let body = room(id);
        async move { app.post_json("/api/v1/room-calls", &body).await.json::<Value>().await.unwrap() }
    });
    let answers: Vec<Value> = futures_util::future::join_all(calls).await;
    let cancels = rooms.iter().zip(&answers).map(|(id, answer)| {
        let mut body = room(id);
        body["invite_id"] = answer["invite_id"].clone();
        async move { app.post_json("/api/v1/room-calls/cancel", &body).await.status() }
    });
    let statuses = futures_util::future::join_all(cancels).await;
    assert!(answers.iter().all(|a| a["invite_id"].is_string()), "{answers:?}");
    assert!(statuses.iter().all(|s| s.as_u16() == 204), "{statuses:?}");
    let mut times: Vec<i64> =
        app.tencent_requests().await.into_iter().filter(|(path, _)| path.contains("room-call")).map(|(_, at)| at).collect();
    times.sort();
    assert_eq!(times.len(), 8, "{times:?}");
    for (i, at) in times.iter().enumerate().skip(4) {
        let earliest = (i as i64 - 3) * 500 - 150;
        assert!(
            at - times[0] >= earliest,
            "request {i} came {} ms after the first, before its turn ({earliest} ms): {times:?}",
            at - times[0]
        );
    }
}

/// A sealed, signed event delivery for the sandbox subscription.
async fn deliver(app: &common::TestApp, event: &Value) -> reqwest::Response {
    let secrets = WebhookSecrets::new(SANDBOX_WEBHOOK_TOKEN, Some(SANDBOX_WEBHOOK_AES_KEY)).unwrap();
    let data = secrets.seal(event.to_string().as_bytes());
    let timestamp = callout_console::clock::wall_ms().to_string();
    let nonce = "12345678";
    let signature = secrets.sign(&timestamp, nonce, &data);
    app.http
        .post(app.url(&format!("/webhooks/tencent/{SANDBOX_TENCENT_ACCOUNT}")))
        .header("timestamp", &timestamp)
        .header("nonce", nonce)
        .header("signature", signature)
        .json(&json!({ "data": data }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn webhook_events_without_an_id_are_told_apart_by_their_digest() {
    let app = common::spawn_with("[sandbox]\nwebhooks = false\n", &[]).await;
    let event = |time: i64| {
        json!({ "event": "meeting.participant-joined",
                "payload": [{ "operate_time": time, "meeting_info": { "meeting_id": SANDBOX_MEETING_ID } }] })
    };
    for e in [event(1), event(2), event(1)] {
        let response = deliver(&app, &e).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "successfully received callback");
    }
    let store = Store::open(app.data.path(), callout_console::clock::Clock::system()).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_events").fetch_one(store.pool()).await.unwrap();
    assert_eq!(stored, 2, "two different id-less events are both kept, the redelivery once");
}

#[tokio::test]
async fn status_events_applied_together_find_a_call_by_the_ms_open_id_an_earlier_one_gave_it() {
    // The emulated call rings for a long time and sends no events: only the delivery below moves it.
    let app = common::spawn_with("[sandbox]\nwebhooks = false\ntime_scale = 100\n", &[]).await;
    let batch = json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "numbers": [{ "number": "13800000005" }] });
    let answer: Value = app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &batch).await.json().await.unwrap();
    let job_id = answer["job_id"].as_str().unwrap().to_owned();
    let status = |status: &str, operator: Value| {
        json!({ "operate_time": callout_console::clock::wall_ms(), "operator": operator,
                "meeting_info": { "meeting_id": SANDBOX_MEETING_ID }, "status": status })
    };
    // One delivery, two events: the answer names the phone and its new ms_open_id; the hang-up only the ms_open_id.
    let event = json!({ "event": "meeting.phone.participant-status-updated", "trace_id": "grouped-1", "payload": [
        status("START_ACCEPT", json!({ "ms_open_id": "ms-grouped", "pstn_number": "008613800000005" })),
        status("LEAVE_WITH_ACCEPTED", json!({ "ms_open_id": "ms-grouped" })),
    ] });
    assert_eq!(deliver(&app, &event).await.status(), 200);
    let job = app.wait_for_job(&job_id, |j| j["items"][0]["status"] == "completed").await;
    assert_eq!(job["items"][0]["ms_open_id"], "ms-grouped", "{job}");
}

#[tokio::test]
async fn an_idempotency_key_is_forgotten_after_its_time() {
    let app = common::spawn_with("[server]\nidempotency_ttl_secs = 1\n", &[]).await;
    let first = app.post_with_key("/api/v1/dialex", &dialex_call("15732036617"), "reused-later").await;
    assert_eq!(first.status(), 200);
    let other = app.post_with_key("/api/v1/dialex", &dialex_call("15732036618"), "reused-later").await;
    assert_eq!(other.status(), 409, "within its time the key belongs to the first request");
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let later = app.post_with_key("/api/v1/dialex", &dialex_call("15732036618"), "reused-later").await;
    assert_eq!(later.status(), 200, "after it the key is free again");
}

#[tokio::test]
async fn a_key_left_in_progress_by_a_dead_process_replays_an_unknown_outcome() {
    use sha2::{Digest, Sha256};
    let data = tempfile::tempdir().unwrap();
    let body = dialex_call("15732036617");
    // The digest the backend computes: route, a zero byte, the request as the backend re-serialises it.
    let request: callout_shared::dialex::StartDialEx = serde_json::from_value(body.clone()).unwrap();
    let mut hasher = Sha256::new();
    hasher.update(b"POST /dialex\0");
    hasher.update(serde_json::to_vec(&request).unwrap());
    let hash = hex::encode(hasher.finalize());
    {
        let store = Store::open(data.path(), callout_console::clock::Clock::system()).await.unwrap();
        let key = RequestKey { subject: "dev".into(), key: "died-mid-dial".into(), request_hash: hash };
        store.claim_idempotency_key(&key, 60_000).await.unwrap();
    }
    let app = common::spawn_in("", &[], data).await;
    let replay = app.post_with_key("/api/v1/dialex", &body, "died-mid-dial").await;
    assert_eq!(replay.status(), 502);
    let answer: Value = replay.json().await.unwrap();
    assert_eq!(answer["code"], "provider_outcome_unknown", "{answer}");
    assert!(app.ccc_dial_counts().await.is_empty(), "nothing is dialled again by itself");
}

#[tokio::test]
async fn a_batch_the_provider_refuses_as_too_large_is_split_and_sent_again() {
    // The emulator takes 30 a request; the console starts at 50.
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\ncallout_batch_cap = 30\n", &[]).await;
    let numbers: Vec<Value> = (0..60).map(|i| json!({ "number": format!("1390000{i:04}") })).collect();
    let created = app
        .post_json(
            "/api/v1/callouts",
            &json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "meeting_id": SANDBOX_MEETING_ID, "numbers": numbers }),
        )
        .await;
    assert_eq!(created.status(), 202);
    let created: Value = created.json().await.unwrap();
    let job = app.wait_for_job(created["job_id"].as_str().unwrap(), |j| j["state"] == "finished").await;
    assert_eq!((job["batch_cap"].as_u64(), job["batch_cap_refused"].as_u64()), (Some(30), Some(50)), "the job says so");
    assert_eq!(job["counters"]["accepted"], 60, "{}", job["counters"]);
    let dials = app.dial_counts().await;
    assert_eq!(dials.len(), 60);
    assert!(dials.values().all(|&n| n == 1), "nothing dialled twice");

    // The lower cap is remembered for the account: the next job starts with it.
    let next = app
        .post_json(
            "/api/v1/callouts",
            &json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "meeting_id": SANDBOX_MEETING_ID,
                                                "numbers": [{ "number": "13900009999" }] }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(next["job"]["batch_cap"], 30);
}

#[test]
fn no_provider_client_and_no_limiter_is_used_under_api() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for needle in [".client", "limiter", "Paced", "acquire(", "TencentMeetingClient", "AliyunCccClient", "store."] {
            assert!(!text.contains(needle), "{} uses `{needle}`: handlers only translate HTTP", path.display());
        }
    }
}
