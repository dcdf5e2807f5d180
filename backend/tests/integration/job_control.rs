//! Pause, resume and stop: what a person does to a job's numbers not sent yet. Each batch is slowed
//! at the emulator so the job is still sending when the person acts.

use std::{collections::BTreeMap, time::Duration};

use callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID;
use serde_json::{json, Value};

use crate::common::{self, TestApp};

/// A job of 250 numbers (five batches of 50), each batch answered after `latency_ms`.
async fn slow_job(app: &TestApp, latency_ms: u64) -> String {
    app.set_faults(json!({ "latency_ms": latency_ms })).await;
    let text: String = (0..250).map(|i| format!("1390000{i:04}\n")).collect();
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": text });
    let created = app.post_json("/api/v1/callouts", &body).await;
    assert_eq!(created.status(), 202);
    created.json::<Value>().await.unwrap()["job_id"].as_str().unwrap().to_owned()
}

async fn act(app: &TestApp, id: &str, action: &str) -> (u16, Value) {
    let response = app.post_json(&format!("/api/v1/callouts/{id}/{action}"), &json!({})).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

fn dialled(counts: &BTreeMap<String, u64>) -> u64 {
    counts.values().sum()
}

#[tokio::test]
async fn a_paused_job_sends_nothing_more_until_resumed_even_across_a_restart() {
    let app = common::spawn().await;
    let id = slow_job(&app, 300).await;
    let (status, paused) = act(&app, &id, "pause").await;
    assert_eq!(status, 200, "{paused}");
    assert_eq!(paused["job"]["state"], "paused", "{paused}");
    let held = paused["numbers"].as_u64().unwrap();
    // A batch on its way when the pause came finishes (there may be none yet); nothing after it starts.
    assert!((150..=250).contains(&held), "{paused}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let job = app.get(&format!("/api/v1/callouts/{id}")).await.json::<Value>().await.unwrap();
    assert_eq!(job["state"], "paused", "{job}");
    // A batch still waiting for its turn in the rate budget when the pause came waits again too.
    let pending = job["items"].as_array().unwrap().iter().filter(|i| i["phase"] == "pending").count() as u64;
    assert!(pending == held || pending == held + 50, "{pending} of {held}");
    let held = pending;
    assert_eq!(dialled(&app.dial_counts().await), 250 - held, "only what was sent before the pause was dialled");
    let (again, _) = act(&app, &id, "pause").await;
    assert_eq!(again, 422, "a paused job is not paused twice");
    let listed: Value = app.get("/api/v1/callouts?state=paused").await.json().await.unwrap();
    assert_eq!(listed["total"], 1, "the jobs list shows it as paused: {listed}");

    // A restart on the same database keeps the pause: the resumed backend dials nothing by itself.
    let first = dialled(&app.dial_counts().await);
    let restarted = common::spawn_in("", &[], app.data).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(dialled(&restarted.dial_counts().await), 0, "the pause held across the restart");
    let job = restarted.get(&format!("/api/v1/callouts/{id}")).await.json::<Value>().await.unwrap();
    assert_eq!(job["state"], "paused", "{job}");

    let (status, resumed) = act(&restarted, &id, "resume").await;
    assert_eq!(status, 200, "{resumed}");
    assert_eq!(resumed["numbers"].as_u64(), Some(held));
    restarted.wait_for_job(&id, |j| j["counters"]["batches_sent"] == 5).await;
    let after = restarted.dial_counts().await;
    assert_eq!(dialled(&after), held, "the held numbers, each once");
    assert!(after.values().all(|n| *n == 1), "{after:?}");
    assert_eq!(first + held, 250);
    let audit: Value = restarted.get("/api/v1/audit?action=job_pause").await.json().await.unwrap();
    assert_eq!(audit.as_array().map(Vec::len), Some(1), "{audit}");
    let audit: Value = restarted.get("/api/v1/audit?action=job_resume").await.json().await.unwrap();
    assert_eq!(audit.as_array().map(Vec::len), Some(1), "{audit}");
}

/// `action` ("pause" or "stop") comes while a job's second batch waits for its turn in the rate
/// budget (one request every two seconds). Checks nothing was dialled after it; returns the app,
/// the job as it then stands and how many numbers had been dialled.
async fn act_while_a_batch_waits(action: &str) -> (TestApp, String, Value, u64) {
    let app = common::spawn_with("", &[("CALLOUT__SANDBOX__RATE_LIMIT_PER_MINUTE", "30")]).await;
    let id = slow_job(&app, 0).await;
    app.wait_for_job(&id, |j| j["counters"]["batches_sent"].as_u64() >= Some(1)).await;
    let (status, answer) = act(&app, &id, action).await;
    assert_eq!(status, 200, "{answer}");
    let sent = dialled(&app.dial_counts().await);
    tokio::time::sleep(Duration::from_millis(4500)).await;
    assert_eq!(dialled(&app.dial_counts().await), sent, "nothing went out after the {action}");
    let job = app.get(&format!("/api/v1/callouts/{id}")).await.json::<Value>().await.unwrap();
    (app, id, job, sent)
}

fn in_phase<'a>(job: &'a Value, phase: &str) -> Vec<&'a Value> {
    job["items"].as_array().unwrap().iter().filter(|i| i["phase"] == phase).collect()
}

#[tokio::test]
async fn a_batch_waiting_for_its_turn_in_the_rate_budget_is_not_sent_once_the_job_is_paused() {
    let (app, id, job, sent_at_pause) = act_while_a_batch_waits("pause").await;
    let pending = in_phase(&job, "pending").len() as u64;
    assert_eq!(pending, 250 - sent_at_pause, "every number not sent waits, none is left sending: {}", job["counters"]);
    let (status, _) = act(&app, &id, "resume").await;
    assert_eq!(status, 200);
    app.wait_for_job(&id, |j| j["counters"]["batches_sent"] == 5).await;
    let counts = app.dial_counts().await;
    assert_eq!(dialled(&counts), 250);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
}

#[tokio::test]
async fn a_batch_waiting_for_its_turn_in_the_rate_budget_is_not_sent_once_the_job_is_stopped() {
    let (_app, _id, job, sent_at_stop) = act_while_a_batch_waits("stop").await;
    let stopped = in_phase(&job, "stopped");
    assert_eq!(stopped.len() as u64, 250 - sent_at_stop, "every number not sent is stopped, none left sending: {}", job["counters"]);
    assert!(stopped.iter().all(|i| i["reason_code"] == "stopped" && i["reason_detail"].is_string()), "{stopped:?}");
}

#[tokio::test]
async fn pausing_and_resuming_in_quick_succession_never_sends_a_batch_twice() {
    let app = common::spawn().await;
    let id = slow_job(&app, 150).await;
    // Each resume may come while the job's dialler is still finishing its batch: a second one must
    // not start beside it.
    for _ in 0..3 {
        act(&app, &id, "pause").await;
        act(&app, &id, "resume").await;
    }
    let job = app.wait_for_job(&id, |j| j["counters"]["batches_sent"] == 5 && j["state"] != "dialling").await;
    let counts = app.dial_counts().await;
    assert_eq!(counts.len(), 250, "{job}");
    assert!(counts.values().all(|n| *n == 1), "a number was dialled twice: {counts:?}");
}

#[tokio::test]
async fn a_stopped_job_never_sends_its_waiting_numbers_and_says_who_stopped_it() {
    let app = common::spawn().await;
    let id = slow_job(&app, 300).await;
    let (status, stopped) = act(&app, &id, "stop").await;
    assert_eq!(status, 200, "{stopped}");
    let n = stopped["numbers"].as_u64().unwrap();
    assert!((150..=250).contains(&n), "{stopped}");
    let job = app.wait_for_job(&id, |j| j["state"] != "dialling").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(dialled(&app.dial_counts().await), 250 - n, "nothing stopped was dialled");
    let items = job["items"].as_array().unwrap();
    let rows: Vec<&Value> = items.iter().filter(|i| i["phase"] == "stopped").collect();
    assert_eq!(rows.len() as u64, n);
    assert!(rows.iter().all(|i| i["status"] == "canceled" && i["reason_code"] == "stopped" && i["reason_detail"].is_string()), "{rows:?}");
    assert_eq!(job["counters"]["stopped"].as_u64(), Some(n), "{}", job["counters"]);
    assert_eq!(job["counters"]["batches_total"], job["counters"]["batches_sent"], "stopped numbers leave no batch waiting");
    let audit: Value = app.get("/api/v1/audit?action=job_stop").await.json().await.unwrap();
    assert!(audit[0]["detail"].as_str().unwrap().contains(&format!("{n} numbers")), "{audit}");
    for action in ["stop", "pause", "resume"] {
        let (status, body) = act(&app, &id, action).await;
        assert_eq!(status, 422, "{action} after a stop: {body}");
    }
    let (status, _) = act(&app, "no-such-job", "pause").await;
    assert_eq!(status, 404);
}
