//! Load on loopback, bounded in count and time: 200 browsers on the live event stream while a steady
//! stream of callout jobs, DialEx calls, status reads and the sandbox's webhook deliveries runs for
//! `LOAD_SECONDS` (10 by default; `scripts/test.sh --long` runs 60). No answer is a 5xx and no client
//! misses an event; the latency from the store to each client and the backend's peak memory are
//! written to `load.json` in `TEST_OUTPUT` (or cargo's test temporary directory).

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use callout_console::sandbox::{
    aliyun_ccc::{SANDBOX_CALLER, SANDBOX_INSTANCE_ID},
    tencent_meeting::SANDBOX_MEETING_ID,
};
use serde_json::{json, Value};

use crate::common::process::start_backend;

const CLIENTS: usize = 200;
/// Calls ring and end in a second or two; webhooks on; budgets that let the load through.
const CONFIG: &str = "[sandbox]\ntime_scale = 0.05\nrate_limit_per_minute = 6000\nccc_rate_limit_per_minute = 6000\n";

/// What one browser received.
#[derive(Default)]
struct Received {
    ids: Vec<u64>,
    resyncs: u32,
    /// Store-to-client latency of each item event, in milliseconds.
    latencies: Vec<i64>,
    /// The last status seen per item id.
    last: BTreeMap<i64, String>,
}

async fn listen(http: reqwest::Client, base: String, into: Arc<Mutex<Received>>, opened: tokio::sync::mpsc::Sender<()>) {
    let response = http.get(format!("{base}/api/v1/events")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    opened.send(()).await.unwrap();
    crate::common::sse::read_events(response, |event| {
        let mut seen = into.lock().unwrap();
        if event.name.as_deref() == Some("resync") {
            seen.resyncs += 1;
        }
        let (Some(id), Some(data)) = (event.id, event.data) else { return true };
        seen.ids.push(id);
        let event: Value = serde_json::from_str(&data).unwrap();
        if event["type"] == "item" {
            let item = &event["item"];
            seen.latencies.push(callout_console::clock::wall_ms() - item["updated_at"].as_i64().unwrap());
            seen.last.insert(item["id"].as_i64().unwrap(), item["status"].as_str().unwrap().to_owned());
        }
        true
    })
    .await;
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    sorted.get(((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or(0)
}

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_browsers_under_steady_load_miss_nothing_and_see_no_server_error() {
    let seconds: u64 = std::env::var("LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("callout-console.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let backend = start_backend(&config, dir.path()).await;
    let base = backend.base.clone();
    let http = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS + 16).build().unwrap();

    let clients: Vec<Arc<Mutex<Received>>> = (0..CLIENTS).map(|_| Arc::default()).collect();
    let (opened, mut open) = tokio::sync::mpsc::channel(CLIENTS);
    for received in &clients {
        tokio::spawn(listen(http.clone(), base.clone(), received.clone(), opened.clone()));
    }
    for _ in 0..CLIENTS {
        open.recv().await.unwrap();
    }

    // The steady stream: a 5-number job every 500 ms, a DialEx call every second, a status read
    // every 100 ms (the job view and the meeting's callout list in turn). Webhook deliveries come
    // from the sandbox provider as the calls ring and end.
    let statuses: Arc<Mutex<BTreeMap<u16, u32>>> = Arc::default();
    let jobs: Arc<Mutex<Vec<String>>> = Arc::default();
    let count = |statuses: &Arc<Mutex<BTreeMap<u16, u32>>>, response: &reqwest::Response| {
        *statuses.lock().unwrap().entry(response.status().as_u16()).or_default() += 1;
    };
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut n = 0u64;
    let mut requests = Vec::new();
    while Instant::now() < until {
        tick.tick().await;
        n += 1;
        let (http, base, statuses, jobs) = (http.clone(), base.clone(), statuses.clone(), jobs.clone());
        requests.push(tokio::spawn(async move {
            let post = |path: &str, body: Value| {
                http.post(format!("{base}{path}"))
                    .header("x-csrf", "1")
                    .header("idempotency-key", uuid::Uuid::new_v4().to_string())
                    .json(&body)
                    .send()
            };
            if n.is_multiple_of(5) {
                let numbers: Vec<Value> = (0..5).map(|k| json!({ "number": format!("1391{n:05}{k:02}") })).collect();
                let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "numbers": numbers });
                let response = post("/api/v1/callouts", body).await.unwrap();
                count(&statuses, &response);
                if response.status() == 202 {
                    let created: Value = response.json().await.unwrap();
                    jobs.lock().unwrap().push(created["job_id"].as_str().unwrap().to_owned());
                }
            } else if n % 10 == 1 {
                let body = json!({ "account_id": "sandbox-ccc", "instance_id": SANDBOX_INSTANCE_ID, "caller": SANDBOX_CALLER,
                                   "callee": format!("1572{n:07}"), "answer_mode": "ivr", "rout_point": "cf-welcome-ivr" });
                count(&statuses, &post("/api/v1/dialex", body).await.unwrap());
            } else {
                let latest = jobs.lock().unwrap().last().cloned();
                let path = match latest {
                    Some(job) if n.is_multiple_of(2) => format!("/api/v1/callouts/{job}"),
                    _ => format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callouts?account_id=sandbox-tencent&page=1"),
                };
                count(&statuses, &http.get(format!("{base}{path}")).send().await.unwrap());
            }
        }));
    }
    for request in requests {
        request.await.unwrap();
    }

    // Every job reaches its end; then the stream goes quiet and every client must hold all of it.
    let jobs = jobs.lock().unwrap().clone();
    let mut finals = BTreeMap::new();
    for job in &jobs {
        let mut view = Value::Null;
        for _ in 0..600 {
            view = http.get(format!("{base}/api/v1/callouts/{job}")).send().await.unwrap().json().await.unwrap();
            if view["state"] == "finished" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(view["state"], "finished", "{view}");
        for item in view["items"].as_array().unwrap() {
            finals.insert(item["id"].as_i64().unwrap(), item["status"].as_str().unwrap().to_owned());
        }
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let peak_kib = peak_rss_kib(backend.child.id());

    let statuses = statuses.lock().unwrap().clone();
    let server_errors: u32 = statuses.iter().filter(|(s, _)| **s >= 500).map(|(_, n)| n).sum();
    let reference = clients[0].lock().unwrap().ids.clone();
    let mut latencies = Vec::new();
    for (c, received) in clients.iter().enumerate() {
        let received = received.lock().unwrap();
        assert_eq!(received.resyncs, 0, "client {c} fell behind");
        assert!(received.ids.windows(2).all(|w| w[1] == w[0] + 1), "client {c} has a gap in the event ids");
        assert_eq!(received.ids, reference, "client {c} did not receive what client 0 did");
        for (item, status) in &finals {
            assert_eq!(received.last.get(item), Some(status), "client {c} missed item {item}'s final state");
        }
        latencies.extend_from_slice(&received.latencies);
    }
    latencies.sort_unstable();
    let report = json!({
        "seconds": seconds,
        "clients": CLIENTS,
        "requests_by_status": statuses,
        "jobs": jobs.len(),
        "calls_followed": finals.len(),
        "events_per_client": reference.len(),
        "store_to_client_ms": { "p50": percentile(&latencies, 0.5), "p99": percentile(&latencies, 0.99), "max": latencies.last() },
        "backend_peak_rss_mib": peak_kib as f64 / 1024.0,
    });
    let out = std::env::var("TEST_OUTPUT").unwrap_or_else(|_| env!("CARGO_TARGET_TMPDIR").to_owned());
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(format!("{out}/load.json"), serde_json::to_string_pretty(&report).unwrap()).unwrap();
    println!("load: {report}");

    assert_eq!(server_errors, 0, "answers by status: {statuses:?}");
    assert!(jobs.len() as u64 >= seconds, "the load ran: {report}");
    assert!(!reference.is_empty() && !finals.is_empty(), "{report}");
}
