//! Killing the backend process in the middle of a job loses nothing and re-dials nothing.

use std::time::Duration;

use crate::common::process::{fast_tencent_emulator, live_config, start_backend};

use callout_console::sandbox::tencent_meeting as emu;
use serde_json::{json, Value};

/// Submits the job, always with the same idempotency key.
async fn submit(http: &reqwest::Client, base: &str, body: &Value) -> Value {
    let response = http
        .post(format!("{base}/api/v1/callouts"))
        .header("x-csrf", "1")
        .header("idempotency-key", "crash-1")
        .json(body)
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

async fn job(http: &reqwest::Client, base: &str, id: &str) -> Value {
    http.get(format!("{base}/api/v1/callouts/{id}")).send().await.unwrap().json().await.unwrap()
}

async fn dials(emulator: &str) -> std::collections::BTreeMap<String, u64> {
    reqwest::get(format!("{emulator}/__emulator/dials")).await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn killing_the_backend_three_times_during_a_1000_number_job_loses_nothing_and_redials_nothing() {
    let emulator = fast_tencent_emulator().await;

    let dir = tempfile::tempdir().unwrap();
    let config_path = live_config(dir.path(), &emulator.base_url(), 120, "");
    let data = dir.path().join("data");
    let http = reqwest::Client::new();

    let mut backend = start_backend(&config_path, &data).await;
    let numbers: Vec<Value> = (0..1000).map(|i| json!({ "number": format!("136000{:05}", i) })).collect();
    let body = json!({ "account_id": "hq", "meeting_id": emu::SANDBOX_MEETING_ID, "numbers": numbers });
    let created = submit(&http, &backend.base, &body).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    assert_eq!(created["job"]["counters"]["batches_total"], 20);

    // Early, in the middle and near the end of dialling: kill -9 once that many batches went out.
    let mut dialled_at_kills = Vec::new();
    for kill_after in [2, 8, 15] {
        for _ in 0..400 {
            let j = job(&http, &backend.base, &id).await;
            if j["counters"]["batches_sent"].as_u64().unwrap() >= kill_after {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        backend.kill();
        dialled_at_kills.push(dials(&emulator.base_url()).await.values().sum::<u64>());
        backend = start_backend(&config_path, &data).await;
    }
    assert!(dialled_at_kills.windows(2).all(|w| w[0] < w[1]) && dialled_at_kills[2] < 1000, "killed mid-job: {dialled_at_kills:?}");

    let mut last = Value::Null;
    for _ in 0..600 {
        last = job(&http, &backend.base, &id).await;
        if last["state"] == "finished" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(last["state"], "finished", "{}", last["counters"]);
    let items = last["items"].as_array().unwrap();
    assert_eq!(items.len(), 1000, "nothing lost");
    let dials = dials(&emulator.base_url()).await;
    assert!(dials.values().all(|&n| n == 1), "nothing dialled twice: {dials:?}");
    let mut unknown = 0;
    for item in items {
        let dialled = dials.contains_key(item["e164"].as_str().unwrap());
        match item["status"].as_str().unwrap() {
            "unknown" => {
                unknown += 1;
                assert!(!dialled, "an unknown item that was dialled would have been found in the list: {item}");
            }
            "completed" | "not_answered" => assert!(dialled, "{item}"),
            other => panic!("unexpected final state {other}: {item}"),
        }
    }
    assert_eq!(dials.len() + unknown, 1000, "every number dialled once or recorded unknown");
    // The job's submission survived in the audit log.
    let audit: Value = http.get(format!("{}/api/v1/audit?limit=100", backend.base)).send().await.unwrap().json().await.unwrap();
    let rows = audit.as_array().cloned().or_else(|| audit["entries"].as_array().cloned()).unwrap_or_default();
    assert!(rows.iter().any(|r| r.to_string().contains(&id)), "the job's audit row is kept: {audit}");
    // The idempotency key still answers with the original job after the restarts.
    let replay = submit(&http, &backend.base, &body).await;
    assert_eq!(replay["job_id"], id.as_str());
}

/// The backend's clock as it reads now (a restarted process starts again from the wall clock).
async fn clock_now(http: &reqwest::Client, base: &str) -> i64 {
    let reading: Value = http.get(format!("{base}/api/v1/sandbox/clock")).send().await.unwrap().json().await.unwrap();
    reading["now"].as_i64().unwrap()
}

/// Moves the backend's clock forward to at least `target` (ms).
async fn advance_to(http: &reqwest::Client, base: &str, target: i64) {
    let seconds = (target - clock_now(http, base).await).div_euclid(1000) + 1;
    if seconds > 0 {
        let response = http
            .post(format!("{base}/api/v1/sandbox/clock"))
            .header("x-csrf", "1")
            .json(&json!({ "seconds": seconds }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }
}

/// Polls the job until `done` holds (at most 60 s).
async fn wait_for(http: &reqwest::Client, base: &str, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..600 {
        last = job(http, base, id).await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: {}", last["counters"]);
}

fn last_digit(item: &Value) -> u32 {
    item["e164"].as_str().unwrap().chars().last().unwrap().to_digit(10).unwrap()
}

#[tokio::test]
async fn killing_the_backend_during_a_campaign_resumes_its_schedule_and_dials_no_number_twice_in_one_attempt() {
    let emulator = fast_tencent_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    // One batch a second; the clock may be moved, as in the sandbox.
    let config_path = live_config(dir.path(), &emulator.base_url(), 60, "[server]\nclock_control = true\n");
    let data = dir.path().join("data");
    let http = reqwest::Client::new();

    let backend = start_backend(&config_path, &data).await;
    // Numbers end in 0 to 9: 6 to 9 are not answered, so 40% are due a second attempt.
    let numbers: Vec<Value> = (0..400).map(|i| json!({ "number": format!("137500{:05}", i) })).collect();
    let start_at = clock_now(&http, &backend.base).await + 5 * 60_000;
    let campaign = json!({ "start_at": start_at, "retry": { "max_attempts": 2, "spacing_minutes": 10 } });
    let body = json!({ "account_id": "hq", "meeting_id": emu::SANDBOX_MEETING_ID, "numbers": numbers, "campaign": campaign });
    let created = submit(&http, &backend.base, &body).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    assert_eq!(created["job"]["state"], "scheduled", "{created}");

    // Killed while it waits for its start: the schedule is kept, nothing dialled early.
    backend.kill();
    let backend = start_backend(&config_path, &data).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(job(&http, &backend.base, &id).await["state"], "scheduled");
    assert!(dials(&emulator.base_url()).await.is_empty(), "nothing before its start");

    // Its time comes; killed during the first attempt.
    advance_to(&http, &backend.base, start_at).await;
    wait_for(&http, &backend.base, &id, "first batches", |j| j["counters"]["batches_sent"].as_u64() >= Some(3)).await;
    backend.kill();
    let first_kill: u64 = dials(&emulator.base_url()).await.values().sum();
    assert!(first_kill < 400, "killed mid-attempt: {first_kill}");
    let backend = start_backend(&config_path, &data).await;
    advance_to(&http, &backend.base, start_at).await;

    // The first attempt ends; the not-answered numbers wait for their spacing. Killed while they wait.
    let waiting = wait_for(&http, &backend.base, &id, "second attempts queued", |j| {
        let items = j["items"].as_array().unwrap();
        let settled = |i: &Value| ["completed", "failed", "canceled", "unknown"].contains(&i["status"].as_str().unwrap());
        items.iter().all(|i| i["attempt"] == 2 || settled(i)) && items.iter().any(|i| i["attempt"] == 2)
    })
    .await;
    assert_eq!(waiting["campaign"]["waiting"], "retry_spacing", "{}", waiting["campaign"]);
    let after_first: u64 = dials(&emulator.base_url()).await.values().sum();
    backend.kill();
    let backend = start_backend(&config_path, &data).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(dials(&emulator.base_url()).await.values().sum::<u64>(), after_first, "spacing holds across the restart");

    // The spacing passes; killed during the second attempt.
    let due = start_at + 12 * 60_000;
    advance_to(&http, &backend.base, due).await;
    for _ in 0..400 {
        if dials(&emulator.base_url()).await.values().sum::<u64>() > after_first {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    backend.kill();
    let backend = start_backend(&config_path, &data).await;
    advance_to(&http, &backend.base, due).await;

    let done = wait_for(&http, &backend.base, &id, "finished", |j| j["state"] == "finished").await;
    let items = done["items"].as_array().unwrap();
    assert_eq!(items.len(), 400, "nothing lost");
    let dials = dials(&emulator.base_url()).await;
    let attempts = done["attempts"].as_array().unwrap();
    let mut second_attempts = 0;
    for item in items {
        let mut outcomes: Vec<&Value> = attempts.iter().filter(|a| a["row"] == item["row"]).collect();
        outcomes.push(item);
        let attempt = item["attempt"].as_u64().unwrap();
        assert_eq!(outcomes.len() as u64, attempt, "each attempt kept: {item}");
        // An unknown outcome is one the emulator's list never showed: the number was not dialled.
        let known = outcomes.iter().filter(|o| o["status"] != "unknown").count() as u64;
        let dialled = dials.get(item["e164"].as_str().unwrap()).copied().unwrap_or(0);
        assert_eq!(dialled, known, "dialled once per attempt with a known outcome, never twice in one: {outcomes:?}");
        if attempt == 2 {
            second_attempts += 1;
            assert!((6..=9).contains(&last_digit(item)), "only a not-answered number is called again: {item}");
            assert_eq!(outcomes[0]["status"], "not_answered", "{outcomes:?}");
        } else if outcomes[0]["status"] == "not_answered" {
            panic!("a not-answered number missed its second attempt: {item}");
        }
    }
    assert!(second_attempts > 100, "most not-answered numbers had their second attempt: {second_attempts}");
}
