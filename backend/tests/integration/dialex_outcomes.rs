//! DialEx calls followed to their outcome through the CCC emulator's call records
//! (`ListCallDetailRecords`): the callee's last digit chooses how each call ends, the backend's clock
//! is moved forward instead of waited for.

use std::time::Duration;

use callout_console::sandbox::aliyun_ccc::{SANDBOX_CALLER, SANDBOX_INSTANCE_ID};
use serde_json::{json, Value};

use crate::common::{self, TestApp};

/// The sandbox with call records written 20 ms after each call, and a DialEx budget that does not slow a test.
async fn fast_sandbox(overrides: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("CALLOUT__SANDBOX__TIME_SCALE", "0.01"), ("CALLOUT__SANDBOX__CCC_RATE_LIMIT_PER_MINUTE", "6000")];
    all.extend_from_slice(overrides);
    common::spawn_with("", &all).await
}

async fn submit(app: &TestApp, numbers: &[&str], campaign: Value) -> String {
    let numbers: Vec<Value> = numbers.iter().map(|n| json!({ "number": n })).collect();
    let body = json!({ "account_id": "sandbox-ccc", "instance_id": SANDBOX_INSTANCE_ID, "caller": SANDBOX_CALLER,
                       "answer_mode": "ivr", "rout_point": "cf-welcome-ivr", "numbers": numbers, "campaign": campaign });
    let response = app.post_json("/api/v1/dialex/jobs", &body).await;
    let status = response.status();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 202, "{created}");
    created["job_id"].as_str().unwrap().to_owned()
}

async fn job(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/api/v1/callouts/{id}")).await.json().await.unwrap()
}

async fn withhold_next_records(app: &TestApp, n: u32) {
    let url = format!("{}/__emulator/records", app.ccc_emulator());
    let response = app.http.put(url).json(&json!({ "withhold_next": n })).send().await.unwrap();
    assert!(response.status().is_success());
}

async fn emulated_records(app: &TestApp) -> Vec<Value> {
    let answer: Value = app.http.get(format!("{}/__emulator/records", app.ccc_emulator())).send().await.unwrap().json().await.unwrap();
    answer["records"].as_array().unwrap().clone()
}

fn item(job: &Value, row: u64) -> Value {
    job["items"].as_array().unwrap().iter().find(|i| i["row"] == row).cloned().unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_dialex_list_reaches_the_outcome_each_call_record_gives() {
    let app = fast_sandbox(&[]).await;
    let id = submit(&app, &["13900000001", "13900000006", "13900000008", "13900000009"], json!({})).await;
    let j = app.wait_for_job(&id, |j| j["state"] == "finished").await;
    let outcome = |row| {
        let i = item(&j, row);
        (i["status"].as_str().unwrap_or_default().to_owned(), i["raw_status"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(outcome(0), ("completed".into(), "Success".into()), "{j}");
    assert_eq!(outcome(1), ("not_answered".into(), "NoAnswer".into()), "{j}");
    assert_eq!(outcome(2), ("failed".into(), "CallFailed".into()), "{j}");
    // Picked up, then left waiting in the queue: nobody of ours spoke to them (see `outcome_of`).
    assert_eq!(outcome(3), ("not_answered".into(), "AbandonedInQueue".into()), "{j}");
    let answered = item(&j, 0);
    let (sent, at, ended) = (answered["sent_at"].as_i64().unwrap(), answered["answered_at"].as_i64(), answered["ended_at"].as_i64());
    let (at, ended) = (at.expect("an answered call has its answer time"), ended.expect("and its end"));
    assert!(sent <= at && at < ended, "sent {sent}, answered {at}, ended {ended}");
    assert_eq!(item(&j, 1)["answered_at"], Value::Null, "{j}");
    assert!(item(&j, 0)["task_id"].as_str().is_some_and(|t| !t.is_empty()), "the task id stays: {j}");
    let dials = app.ccc_dial_counts().await;
    assert!(dials.values().all(|n| *n == 1), "each number dialled once: {dials:?}");
}

#[tokio::test]
async fn a_call_without_a_record_stays_placed_then_becomes_unknown_after_the_wait() {
    // A wait shorter than the default matching window needs a window that closes before it.
    let app = fast_sandbox(&[("CALLOUT__DIALEX_OUTCOMES__WAIT_MINUTES", "5"), ("CALLOUT__DIALEX_OUTCOMES__MATCH_AFTER_SECS", "120")]).await;
    withhold_next_records(&app, 1).await;
    let id = submit(&app, &["13900000011"], json!({})).await;
    app.wait_for_job(&id, |j| item(j, 0)["status"] == "placed").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let j = job(&app, &id).await;
    assert_eq!((item(&j, 0)["status"].as_str(), j["state"].as_str()), (Some("placed"), Some("following")), "{j}");
    app.clock.advance(Duration::from_secs(4 * 60));
    tokio::time::sleep(Duration::from_millis(800)).await;
    let j = job(&app, &id).await;
    assert_eq!(item(&j, 0)["status"], "placed", "not before the wait is over: {j}");
    app.clock.advance(Duration::from_secs(61));
    let j = app.wait_for_job(&id, |j| j["state"] == "finished").await;
    let row = item(&j, 0);
    assert_eq!((row["status"].as_str(), row["reason_code"].as_str()), (Some("unknown"), Some("no_outcome_reported")), "{j}");
    assert_eq!(row["reason_detail"], "5", "{j}");
    assert!(emulated_records(&app).await.is_empty());
}

#[tokio::test]
async fn one_record_never_settles_two_calls_to_the_same_number() {
    // Records written 2 s after their call: the second call is recorded as placed long before.
    let app = common::spawn_with("", &[("CALLOUT__SANDBOX__CCC_RATE_LIMIT_PER_MINUTE", "6000")]).await;
    // The first call's record never comes; both calls are inside each other's matching window.
    withhold_next_records(&app, 1).await;
    let first = submit(&app, &["13900000026"], json!({})).await;
    app.wait_for_job(&first, |j| item(j, 0)["status"] == "placed").await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let second = submit(&app, &["13900000026"], json!({})).await;
    let second_job = app.wait_for_job(&second, |j| j["state"] == "finished").await;
    assert_eq!(item(&second_job, 0)["status"], "not_answered", "{second_job}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let first_job = job(&app, &first).await;
    assert_eq!(item(&first_job, 0)["status"], "placed", "the one record settled one call only: {first_job}");
    assert_eq!(emulated_records(&app).await.len(), 1);
    // Its wait over, the first call is unknown, not settled by its neighbour's record.
    app.clock.advance(Duration::from_secs(121 * 60));
    let first_job = app.wait_for_job(&first, |j| j["state"] == "finished").await;
    assert_eq!(item(&first_job, 0)["reason_code"], "no_outcome_reported", "{first_job}");
}

#[tokio::test]
async fn a_retry_policy_dials_a_not_answered_dialex_number_again_once() {
    let app = fast_sandbox(&[]).await;
    let retry = json!({ "retry": { "max_attempts": 2, "spacing_minutes": 1 } });
    let id = submit(&app, &["13900000036", "13900000031"], retry).await;
    let j = app.wait_for_job(&id, |j| item(j, 0)["attempt"] == 2).await;
    assert_eq!(app.ccc_dial_counts().await.get("13900000036"), Some(&1), "not before the spacing: {j}");
    app.clock.advance(Duration::from_secs(2 * 60));
    let j = app.wait_for_job(&id, |j| j["state"] == "finished").await;
    let dials = app.ccc_dial_counts().await;
    assert_eq!(dials.get("13900000036"), Some(&2), "re-dialled exactly once: {dials:?}");
    assert_eq!(dials.get("13900000031"), Some(&1), "an answered number is not called again: {dials:?}");
    assert_eq!((item(&j, 0)["attempt"].as_u64(), item(&j, 0)["status"].as_str()), (Some(2), Some("not_answered")), "{j}");
    assert_eq!(item(&j, 1)["status"], "completed", "{j}");
    let attempts = j["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "{j}");
    assert_eq!((attempts[0]["status"].as_str(), attempts[0]["raw_status"].as_str()), (Some("not_answered"), Some("NoAnswer")));
    // Each attempt was settled by a record of its own.
    assert_eq!(emulated_records(&app).await.iter().filter(|r| r["called_number"] == "13900000036").count(), 2);
}
