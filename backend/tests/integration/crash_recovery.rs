//! Killing the backend process in the middle of a job loses nothing and re-dials nothing.

use std::time::Duration;

use crate::common::process::start_backend;

use callout_console::sandbox::tencent_meeting::{self as emu, TencentEmulatorConfig};
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
    // The provider outlives the backend, as the real one does.
    let mut config = TencentEmulatorConfig::default();
    config.delays = config.delays.scaled(0.01);
    let emulator = emu::start("127.0.0.1:0".parse().unwrap(), config).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), emu::SANDBOX_SECRET_KEY).unwrap();
    let config_path = dir.path().join("callout-console.toml");
    std::fs::write(
        &config_path,
        format!(
            "operator_ids = {{ \"dev@localhost\" = \"{op}\" }}\n\
             [[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\nbase_url = \"{url}\"\napp_id = \"{app}\"\nsecret_id = \"{sid}\"\n\
             secret_key_file = {secret:?}\n# Two batches a second: the job is still running when the process dies.\nrate_limit_per_minute = 120\n",
            op = emu::SANDBOX_OPERATOR_ID,
            url = emulator.base_url(),
            app = emu::SANDBOX_APP_ID,
            sid = emu::SANDBOX_SECRET_ID,
            secret = dir.path().join("secret").display().to_string(),
        ),
    )
    .unwrap();
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
        backend.child.kill().unwrap();
        backend.child.wait().unwrap();
        drop(backend);
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
