//! Callout jobs end to end with the real backend, the real emulator and a real SQLite file.

use crate::common;

use std::time::Duration;

use callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID;
use serde_json::{json, Value};

const FAST: &str = "[sandbox]\ntime_scale = 0.01\n";

fn finished(job: &Value) -> bool {
    job["state"] == "finished"
}

/// 125 distinct valid mobiles (last digits cycle through every lifecycle), 7 invalid rows and 5
/// repeats of earlier numbers in other spellings: 137 lines.
fn paste_137() -> String {
    let mut lines: Vec<String> = (0..125).map(|i| format!("1380000{:04}", i)).collect();
    for bad in ["12345", "call me", "+86 138", "+999 12345678", "1380013800012345", "+1 123 456 7890", "x"] {
        lines.insert(lines.len() / 2, bad.to_owned());
    }
    for i in [0, 7, 50, 99, 124] {
        lines.push(format!("138-0000-{:04}", i));
    }
    assert_eq!(lines.len(), 137);
    lines.join("\n")
}

#[tokio::test]
async fn a_137_line_paste_becomes_exactly_the_right_batches_results_and_audit_rows() {
    let app = common::spawn_with(FAST, &[]).await;
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": paste_137() });
    let response = app.post_json("/api/v1/callouts", &body).await;
    assert_eq!(response.status(), 202);
    let created: Value = response.json().await.unwrap();
    let c = &created["job"]["counters"];
    assert_eq!(
        (c["rows"].as_u64(), c["invalid"].as_u64(), c["duplicates"].as_u64(), c["batches_total"].as_u64()),
        (Some(137), Some(7), Some(5), Some(3)),
        "{created}"
    );
    let job_id = created["job_id"].as_str().unwrap().to_owned();

    let job = app.wait_for_job(&job_id, finished).await;
    let c = &job["counters"];
    assert_eq!(
        (c["batches_sent"].as_u64(), c["accepted"].as_u64(), c["finished"].as_u64(), c["unknown"].as_u64()),
        (Some(3), Some(125), Some(125), Some(0)),
        "{c}"
    );
    let items = job["items"].as_array().unwrap();
    assert_eq!(items.len(), 137);
    let batch_sizes: Vec<usize> = (1..=3).map(|b| items.iter().filter(|i| i["batch"] == b).count()).collect();
    assert_eq!(batch_sizes, vec![50, 50, 25]);
    let invalid: Vec<&Value> = items.iter().filter(|i| i["phase"] == "invalid").collect();
    assert_eq!(invalid.len(), 7);
    assert!(invalid.iter().all(|i| i["reason"].as_str().is_some_and(|r| !r.is_empty()) && i["status"] == "failed"));
    // Each reason also travels as a code with its variable part, for the reader's language.
    assert!(invalid.iter().all(|i| i["reason_code"] == "invalid_number" && i["reason_detail"].is_string()), "{invalid:?}");
    let dup = items.iter().find(|i| i["phase"] == "duplicate" && i["input"] == "138-0000-0007").unwrap();
    assert_eq!(dup["reason"], "same number as row 8");
    assert_eq!((&dup["reason_code"], &dup["reason_detail"]), (&json!("same_as_row"), &json!("8")), "{dup}");
    assert!(
        items.iter().filter(|i| i["phase"] == "sent").all(|i| i.get("reason_code").is_none()),
        "a call that went through has no reason"
    );
    // Every number's outcome follows its last digit: 6-9 never answer.
    for item in items.iter().filter(|i| i["phase"] == "sent") {
        let last = item["e164"].as_str().unwrap().chars().last().unwrap();
        let expect = if "6789".contains(last) { "not_answered" } else { "completed" };
        assert_eq!(item["status"], expect, "{item}");
    }

    let dials = app.dial_counts().await;
    assert_eq!(dials.len(), 125);
    let list: Value =
        app.get(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callouts?account_id=sandbox-tencent&all=true")).await.json().await.unwrap();
    let listed = list["items"].as_array().unwrap();
    assert_eq!(listed.len(), 125);
    assert!(
        listed.iter().all(|i| i["console"]["job_id"] == job_id.as_str() && i["console"]["placed_by"] == "dev@localhost"),
        "merged with our records"
    );
    assert!(dials.values().all(|&n| n == 1), "every number dialled exactly once");

    let audit: Value = app.get("/api/v1/audit?action=callout_job").await.json().await.unwrap();
    let rows = audit.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["outcome"], "ok");
    assert_eq!(rows[0]["subject"], "dev");
    assert_eq!(rows[0]["target"], format!("meeting {SANDBOX_MEETING_ID} job {job_id}"));
    assert!(rows[0]["detail"].as_str().unwrap().contains("137 rows, 3 batches, 7 invalid, 5 duplicates, 0 blocked"), "{}", rows[0]);
    let csv = app.get("/api/v1/audit/export.csv").await.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}id,at,subject") && csv.contains("callout_job"), "{csv}");
    let export = app.get(&format!("/api/v1/callouts/{job_id}/export.csv")).await.text().await.unwrap();
    assert_eq!(export.lines().count(), 138, "a header and one line per row");
    assert!(export.contains(",same number as row 8,same_as_row,"), "the reason and its code: {export}");
}

/// Reads server-sent events until `until` is satisfied by the items seen so far.
async fn watch_events(
    app: &common::TestApp,
    until: impl Fn(&std::collections::BTreeMap<i64, String>) -> bool,
) -> std::collections::BTreeMap<i64, String> {
    let response = app.http.get(app.url("/api/v1/events")).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut statuses = std::collections::BTreeMap::new();
    let mut done = false;
    let read = common::sse::read_events(response, |event| {
        if let Some(data) = event.data {
            let event: Value = serde_json::from_str(&data).unwrap();
            if event["type"] == "item" {
                statuses.insert(event["item"]["id"].as_i64().unwrap(), event["item"]["status"].as_str().unwrap().to_owned());
            }
        }
        done = until(&statuses);
        !done
    });
    let _ = tokio::time::timeout(Duration::from_secs(30), read).await;
    assert!(done, "events stopped before the calls were final: {statuses:?}");
    statuses
}

async fn follow_to_final(config: &str) -> common::TestApp {
    let app = common::spawn_with(config, &[]).await;
    let numbers: Vec<Value> = ["13900000001", "13900000005", "13900000006", "13900000008"].iter().map(|n| json!({ "number": n })).collect();
    let watcher = watch_events(&app, |s| s.len() == 4 && s.values().all(|v| ["completed", "not_answered"].contains(&v.as_str())));
    let submit = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "numbers": numbers });
        assert_eq!(app.post_json("/api/v1/callouts", &body).await.status(), 202);
    };
    let (statuses, ()) = tokio::join!(watcher, submit);
    assert_eq!(statuses.values().filter(|s| *s == "completed").count(), 2, "{statuses:?}");
    app
}

#[tokio::test]
async fn polling_alone_drives_every_call_to_a_final_state_and_to_sse_subscribers() {
    let app = follow_to_final("[sandbox]\ntime_scale = 0.01\nwebhooks = false\n").await;
    let store = callout_console::store::Store::open(app.data.path(), callout_console::clock::Clock::system()).await.unwrap();
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_events").fetch_one(store.pool()).await.unwrap();
    assert_eq!(events, 0, "no webhook was involved");
}

#[tokio::test]
async fn webhooks_drive_every_call_to_a_final_state_and_to_sse_subscribers() {
    let app = follow_to_final(FAST).await;
    let store = callout_console::store::Store::open(app.data.path(), callout_console::clock::Clock::system()).await.unwrap();
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_events").fetch_one(store.pool()).await.unwrap();
    assert!(events >= 8, "the emulator delivered signed, encrypted events that were accepted ({events})");
}

#[tokio::test]
async fn an_idempotent_replay_does_not_dial_twice() {
    let app = common::spawn_with(FAST, &[]).await;
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "numbers": [{ "number": "13900000011" }, { "number": "13900000012" }] });
    let first = app.post_with_key("/api/v1/callouts", &body, "key-1").await;
    assert_eq!(first.status(), 202);
    let first: Value = first.json().await.unwrap();
    let again = app.post_with_key("/api/v1/callouts", &body, "key-1").await;
    assert_eq!(again.status(), 202);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["job_id"], first["job_id"]);
    app.wait_for_job(first["job_id"].as_str().unwrap(), |j| j["counters"]["batches_sent"] == 1).await;
    let dials = app.dial_counts().await;
    assert_eq!((dials.get("+8613900000011"), dials.get("+8613900000012")), (Some(&1), Some(&1)));

    let other = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "numbers": [{ "number": "13900000013" }] });
    let conflict = app.post_with_key("/api/v1/callouts", &other, "key-1").await;
    assert_eq!(conflict.status(), 409);
    assert_eq!(conflict.json::<Value>().await.unwrap()["code"], "idempotency_key_reused");
    let missing = app.http.post(app.url("/api/v1/callouts")).header("x-csrf", "1").json(&other).send().await.unwrap();
    assert_eq!(missing.status(), 400, "dialling without an idempotency key is refused");
    assert_eq!(app.dial_counts().await.get("+8613900000013"), None);
}

#[tokio::test]
async fn fault_knobs_leave_every_item_final_or_unknown_and_none_dialled_twice() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\n[http]\ntotal_timeout_ms = 1000\nretry_base_delay_ms = 50\n", &[]).await;
    // Faults after processing: the calls were placed but the answer was lost. The items become
    // unknown, then the callout list shows them and they are followed to their end, never re-dialled.
    let cases = [
        ("http_500", json!({ "http_500": 1 })),
        ("timeout after read", json!({ "timeout_after_read": 1, "timeout_ms": 3000 })),
        ("connection reset", json!({ "connection_reset": 1 })),
        ("malformed json", json!({ "malformed_json": 1 })),
        ("rate limit", json!({ "rate_limit": 1 })),
    ];
    for (i, (name, faults)) in cases.into_iter().enumerate() {
        app.set_faults(faults).await;
        let numbers: Vec<Value> = (0..3).map(|k| json!({ "number": format!("1370000{i}{k}01") })).collect();
        let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "numbers": numbers });
        let created: Value = app.post_json("/api/v1/callouts", &body).await.json().await.unwrap();
        let job = app.wait_for_job(created["job_id"].as_str().unwrap(), finished).await;
        for item in job["items"].as_array().unwrap() {
            assert!(["completed", "unknown"].contains(&item["status"].as_str().unwrap()), "{name}: {item}");
        }
        let dials = app.dial_counts().await;
        for k in 0..3 {
            assert_eq!(dials.get(&format!("+861370000{i}{k}01")), Some(&1), "{name}: dialled exactly once");
        }
    }

    // A request that never got processed (the client gave up first) stays unknown: nothing in
    // the provider's list resolves it, and nothing dials it again by itself.
    app.set_faults(json!({ "latency_ms": 3000 })).await;
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "numbers": [{ "number": "13700009901" }, { "number": "13700009911" }] });
    let created: Value = app.post_json("/api/v1/callouts", &body).await.json().await.unwrap();
    let job_id = created["job_id"].as_str().unwrap().to_owned();
    let job = app.wait_for_job(&job_id, |j| j["counters"]["unknown"] == 2).await;
    assert!(job["items"][0]["reason"].as_str().unwrap().contains("not re-dialled automatically"), "{job}");
    assert_eq!(job["items"][0]["reason_code"], "outcome_unknown", "{job}");
    app.set_faults(json!({})).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(app.dial_counts().await.get("+8613700009901"), None, "the abandoned request was never processed");
    assert_eq!(app.get(&format!("/api/v1/callouts/{job_id}")).await.json::<Value>().await.unwrap()["counters"]["unknown"], 2);

    // A person decides to dial them again: explicit, confirmed, audited.
    let refused = app.post_json(&format!("/api/v1/callouts/{job_id}/retry-unknown"), &json!({ "confirm": false })).await;
    assert_eq!(refused.status(), 400);
    let retried: Value =
        app.post_json(&format!("/api/v1/callouts/{job_id}/retry-unknown"), &json!({ "confirm": true })).await.json().await.unwrap();
    assert_eq!(retried["requeued"], 2);
    let job = app.wait_for_job(&job_id, finished).await;
    assert!(job["items"].as_array().unwrap().iter().all(|i| i["status"] == "completed"), "{job}");
    assert_eq!(app.dial_counts().await.get("+8613700009901"), Some(&1));
    let audit: Value = app.get("/api/v1/audit?action=callout_retry_unknown").await.json().await.unwrap();
    assert_eq!(audit.as_array().unwrap().len(), 1, "the decision to re-dial is audited");
}

#[tokio::test]
async fn do_not_call_numbers_are_never_dialled() {
    let app = common::spawn_with("do_not_call = [\"+86 139 0000 0099\"]\n[sandbox]\ntime_scale = 0.01\n", &[]).await;
    let added = app.post_json("/api/v1/do-not-call", &json!({ "number": "139-0000-0098", "note": "asked not to be called" })).await;
    assert_eq!(added.status(), 201);
    let added: Value = added.json().await.unwrap();
    assert_eq!(added["e164"], "+8613900000098", "the answer shows the normalised number");
    assert_eq!(added["already_listed"], false);
    let list: Value = app.get("/api/v1/do-not-call").await.json().await.unwrap();
    let listed: Vec<(&str, bool)> =
        list.as_array().unwrap().iter().map(|e| (e["e164"].as_str().unwrap(), e["configured"].as_bool().unwrap())).collect();
    assert_eq!(listed, vec![("+8613900000098", false), ("+8613900000099", true)], "the configuration's numbers are listed, marked");
    assert_eq!(list[0]["note"], "asked not to be called");
    assert_eq!(list[0]["added_by"], "dev");
    assert!(list[1]["added_by"].is_null());
    let body =
        json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": "13900000097\n13900000098\n+8613900000099" });
    let created: Value = app.post_json("/api/v1/callouts", &body).await.json().await.unwrap();
    assert_eq!(created["job"]["counters"]["blocked"], 2);
    app.wait_for_job(created["job_id"].as_str().unwrap(), finished).await;
    let dials = app.dial_counts().await;
    assert_eq!(dials.keys().collect::<Vec<_>>(), vec!["+8613900000097"]);

    let again = app.post_json("/api/v1/do-not-call", &json!({ "number": "+86 139 0000 0098" })).await;
    assert_eq!(again.status(), 200, "a listed number is not added twice");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["already_listed"], true, "the answer says it was listed already");
    assert_eq!(again["note"], "asked not to be called", "re-adding without a note keeps the note");
    let noted = app.post_json("/api/v1/do-not-call", &json!({ "number": "13900000098", "note": "second request" })).await;
    assert_eq!(noted.json::<Value>().await.unwrap()["note"], "second request", "a new note replaces the old one");
    let audit: Value = app.get("/api/v1/audit?action=do_not_call_add").await.json().await.unwrap();
    let outcomes: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["already_listed", "already_listed", "ok"], "newest first");
    let configured = app.post_json("/api/v1/do-not-call", &json!({ "number": "13900000099" })).await;
    assert_eq!(configured.status(), 409, "a configured number is not stored a second time");
    let refused = app.delete("/api/v1/do-not-call/+8613900000099").await;
    assert_eq!(refused.status(), 409, "a configured number is removed in the configuration");
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "do_not_call_configured");
    assert_eq!(app.delete("/api/v1/do-not-call/+8613900000098").await.status(), 204);
    assert_eq!(app.delete("/api/v1/do-not-call/+8613900000098").await.status(), 404, "already removed");
    let invalid = app.post_json("/api/v1/do-not-call", &json!({ "number": "12" })).await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(invalid.json::<Value>().await.unwrap()["field"], "number");

    let operator = common::spawn_with("[auth.dev]\ngroups = [\"callout-operators\"]\n", &[]).await;
    assert_eq!(operator.get("/api/v1/do-not-call").await.status(), 200, "operators read the list");
    assert_eq!(
        operator.post_json("/api/v1/do-not-call", &json!({ "number": "13900000001" })).await.status(),
        403,
        "only admins edit the list"
    );
    assert_eq!(operator.delete("/api/v1/do-not-call/+8613900000001").await.status(), 403);
    let viewer = common::spawn_with("[auth.dev]\ngroups = [\"callout-viewers\"]\n", &[]).await;
    assert_eq!(viewer.get("/api/v1/do-not-call").await.status(), 403, "viewers do not see the list");
}

/// A number that joins the meeting twice (the sandbox's numbers ending in 3) keeps both in-meeting
/// ids on its row, from the participant-joined events.
#[tokio::test]
async fn a_call_that_joined_twice_keeps_both_ms_open_ids() {
    let app = common::spawn_with(FAST, &[]).await;
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": "13800000003\n13800000001" });
    let created: Value = app.post_json("/api/v1/callouts", &body).await.json().await.unwrap();
    let id = created["job_id"].as_str().unwrap().to_owned();
    let job = app
        .wait_for_job(&id, |j| j["state"] == "finished" && j["items"][0]["ms_open_ids"].as_array().is_some_and(|ids| ids.len() == 2))
        .await;
    let twice = &job["items"][0];
    let ids: Vec<&str> = twice["ms_open_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_ne!(ids[0], ids[1], "{twice}");
    assert!(ids.contains(&twice["ms_open_id"].as_str().unwrap()), "the latest is one of them: {twice}");
    assert_eq!(job["items"][1]["ms_open_ids"].as_array().map(Vec::len), Some(1), "a number that joined once has one: {}", job["items"][1]);
    let export = app.get(&format!("/api/v1/callouts/{id}/export.csv")).await.text().await.unwrap();
    assert!(export.contains(&format!("{} {}", ids[0], ids[1])), "the export lists both: {export}");
}
