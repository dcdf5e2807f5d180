//! Following calls when meetings are big and the budget is busy: the list poll has no page cap,
//! webhook events move items without re-reading the list, a person is not queued behind bulk work,
//! and the job counters kept incrementally agree with the items.

use crate::common;

use std::time::{Duration, Instant};

use callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID;
use serde_json::{json, Value};

/// `count` distinct valid mobile numbers starting at `first`, one a line.
fn numbers(first: u32, count: u32) -> String {
    (first..first + count).map(|n| format!("138{n:08}")).collect::<Vec<_>>().join("\n")
}

async fn submit(app: &common::TestApp, text: String) -> String {
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": text });
    let response = app.post_json("/api/v1/callouts", &body).await;
    assert_eq!(response.status(), 202);
    let created: Value = response.json().await.unwrap();
    created["job_id"].as_str().unwrap().to_owned()
}

/// The job's summary from the jobs list (counters kept by the store, not recomputed from items).
async fn listed(app: &common::TestApp, job_id: &str) -> Value {
    let jobs: Value = app.get("/api/v1/callouts?page_size=20").await.json().await.unwrap();
    let jobs = jobs["jobs"].as_array().cloned().expect("a page of jobs");
    jobs.into_iter().find(|j| j["id"] == job_id).unwrap_or_else(|| panic!("job {job_id} is listed"))
}

async fn wait_finished(app: &common::TestApp, job_id: &str, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let job = listed(app, job_id).await;
        if job["state"] == "finished" {
            return job;
        }
        assert!(Instant::now() < deadline, "job {job_id} did not finish in {within:?}: {job}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_finishes_in_a_meeting_with_twelve_thousand_callouts() {
    // Polling only: the list is the one way to learn outcomes. A budget that does not slow the test.
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.001\nwebhooks = false\nrate_limit_per_minute = 600000\n", &[]).await;
    let first = submit(&app, numbers(0, 10_000)).await;
    let job = wait_finished(&app, &first, Duration::from_secs(240)).await;
    assert_eq!(job["counters"]["finished"], 10_000, "{job}");
    // These 2,000 are listed on pages 101 to 120 of the meeting's callout list.
    let second = submit(&app, numbers(10_000, 2_000)).await;
    let job = wait_finished(&app, &second, Duration::from_secs(120)).await;
    assert_eq!(job["counters"]["finished"], 2_000, "{job}");
    let status: Value = app
        .get(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callouts?account_id=sandbox-tencent&page=120&page_size=100"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["total_count"], 12_000, "{status}");
}

#[tokio::test]
async fn webhook_events_alone_bring_calls_to_their_final_states() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\n", &[]).await;
    // The provider's callout list is down: only the events can tell what happened.
    app.set_faults(json!({ "fail_reads": true })).await;
    let job_id = submit(&app, numbers(0, 200)).await;
    let job = wait_finished(&app, &job_id, Duration::from_secs(60)).await;
    assert_eq!(job["counters"]["finished"], 200, "{job}");
    let detail: Value = app.get(&format!("/api/v1/callouts/{job_id}")).await.json().await.unwrap();
    let items = detail["items"].as_array().unwrap();
    // Numbers ending in 0-5 were answered: the event's ms_open_id is kept on the row.
    let answered = items.iter().filter(|i| i["input"].as_str().unwrap().ends_with(['0', '1', '2', '3', '4', '5'])).count();
    let with_ms = items.iter().filter(|i| i["ms_open_id"].as_str().is_some_and(|m| !m.is_empty())).count();
    assert_eq!(with_ms, answered, "{detail}");
}

#[tokio::test]
async fn a_person_is_answered_at_once_while_a_bulk_job_uses_the_whole_budget() {
    // One request a second; a 600-number job needs twelve of them, back to back.
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\nrate_limit_per_minute = 60\n", &[]).await;
    let job_id = submit(&app, numbers(0, 600)).await;
    let mut waits = Vec::new();
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(1300)).await;
        let asked = Instant::now();
        let response =
            app.get(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callouts?account_id=sandbox-tencent&page=1&page_size=20")).await;
        assert_eq!(response.status(), 200);
        waits.push(asked.elapsed());
    }
    let job = listed(&app, &job_id).await;
    assert_eq!(job["state"], "dialling", "the job was still dialling while the person asked: {job}");
    // Without a reserve a person waits for the next token: up to a second, half on average.
    assert!(waits.iter().all(|w| *w < Duration::from_millis(400)), "a person waited behind the bulk job: {waits:?}");
}

#[tokio::test]
async fn the_jobs_list_counts_what_the_items_say() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\n", &[]).await;
    // Valid, invalid, repeated and refused-by-the-provider rows, in several batches.
    let mut text = numbers(0, 120);
    text.push_str("\n12345\n138-0000-0007\n+999 12345678\n");
    let job_id = submit(&app, text).await;
    let counted = wait_finished(&app, &job_id, Duration::from_secs(60)).await;
    let detail: Value = app.get(&format!("/api/v1/callouts/{job_id}")).await.json().await.unwrap();
    assert_eq!(counted["counters"], detail["counters"], "list (stored counters) and detail (from the items) differ");
    assert_eq!(counted["counters"]["rows"], 123);
}
