//! What the people who run the backend rely on: Prometheus metrics that count what was really
//! dialled and are for admins only, readiness that names what is missing, a request id on every
//! answer, and `check` telling a valid configuration from a broken one before anything starts.

use crate::common::{self, process};

use std::{io::Write, process::Command};

use callout_console::{app::Application, config::Settings, sandbox::tencent_meeting::SANDBOX_MEETING_ID, store::Store};
use serde_json::{json, Value};

/// The value of the sample `name{labels}` (labels in any order), 0 when it was never recorded.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' '))
        .filter(|(series, _)| {
            let (metric, rest) = series.split_once('{').unwrap_or((series, "}"));
            metric == name && labels.iter().all(|(k, v)| rest.trim_end_matches('}').split(',').any(|pair| pair == format!("{k}=\"{v}\"")))
        })
        .map(|(_, value)| value.parse::<f64>().unwrap())
        .sum()
}

async fn scrape(http: &reqwest::Client, base: &str) -> String {
    let response = http.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    response.text().await.unwrap()
}

const DIALLED_OK: [(&str, &str); 3] = [("provider", "tencent_meeting"), ("operation", "callout"), ("outcome", "ok")];

#[tokio::test]
async fn metrics_count_each_number_a_callout_job_dialled() {
    // The metrics recorder is process-wide and other tests of this binary dial: the backend runs as
    // its own process, against an emulator of its own, so every count below is this job's alone.
    let emulator = process::fast_tencent_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let config_path = process::live_config(dir.path(), &emulator.base_url(), 300, "");
    let backend = process::start_backend(&config_path, &dir.path().join("data")).await;
    let http = reqwest::Client::new();

    let before = scrape(&http, &backend.base).await;
    let numbers = ["13800000011", "13800000012", "13800000013", "13800000014"];
    let body = json!({ "account_id": "hq", "meeting_id": SANDBOX_MEETING_ID,
                       "numbers": numbers.iter().map(|n| json!({ "number": n })).collect::<Vec<_>>(),
                       // A duplicate is never dialled, so it is not counted.
                       "text": "13800000011\n" });
    let created = http
        .post(format!("{}/api/v1/callouts", backend.base))
        .header("x-csrf", "1")
        .header("idempotency-key", "metrics-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 202);
    let created: Value = created.json().await.unwrap();
    let id = created["job_id"].as_str().unwrap();
    for _ in 0..200 {
        let job: Value = http.get(format!("{}/api/v1/callouts/{id}", backend.base)).send().await.unwrap().json().await.unwrap();
        if job["state"] != "dialling" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let after = scrape(&http, &backend.base).await;

    let dialled = sample(&after, "callout_dials_total", &DIALLED_OK) - sample(&before, "callout_dials_total", &DIALLED_OK);
    assert_eq!(dialled, numbers.len() as f64, "{after}");
    let at_emulator: u64 = reqwest::get(format!("{}/__emulator/dials", emulator.base_url()))
        .await
        .unwrap()
        .json::<std::collections::BTreeMap<String, u64>>()
        .await
        .unwrap()
        .values()
        .sum();
    assert_eq!(at_emulator, numbers.len() as u64, "the emulator agrees");

    let request = [("provider", "tencent_meeting"), ("operation", "callout")];
    assert_eq!(sample(&after, "callout_provider_request_seconds_count", &request), 1.0, "one batch: {after}");
    assert!(sample(&after, "callout_rate_limit_wait_seconds_count", &[("lane", "dialling")]) >= 1.0, "{after}");
    assert_eq!(sample(&after, "callout_store_operation_seconds_count", &[("operation", "insert_job")]), 1.0, "{after}");
    // The batch's outcomes are one transaction.
    assert_eq!(sample(&after, "callout_store_operation_seconds_count", &[("operation", "record_outcomes")]), 1.0, "{after}");
    let jobs: f64 = ["dialling", "following", "finished"].iter().map(|s| sample(&after, "callout_jobs", &[("state", s)])).sum();
    assert_eq!(jobs, 1.0, "the one job of this database, counted at scrape time: {after}");
    assert_eq!(sample(&after, "callout_audited_actions_total", &[("action", "callout_job"), ("outcome", "ok")]), 1.0, "{after}");
}

#[tokio::test]
async fn viewers_and_operators_are_refused_the_metrics_and_admins_get_them() {
    for (group, status) in [("callout-viewers", 403), ("callout-operators", 403), ("callout-admins", 200)] {
        let config = format!("[auth.dev]\ngroups = [\"{group}\"]\n");
        let app = common::spawn_with(&config, &[]).await;
        let response = app.get("/metrics").await;
        assert_eq!(response.status(), status, "{group}");
        if status != 200 {
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "forbidden", "{body}");
        }
    }
}

#[tokio::test]
async fn the_metrics_listener_answers_without_sign_in_while_the_main_one_still_asks_for_admins() {
    let data = tempfile::tempdir().unwrap();
    let env = [
        ("CALLOUT__SERVER__BIND".to_owned(), "\"127.0.0.1:0\"".to_owned()),
        ("CALLOUT__SERVER__METRICS_BIND".to_owned(), "\"127.0.0.1:0\"".to_owned()),
        ("CALLOUT__SERVER__DATA_DIR".to_owned(), format!("{:?}", data.path().display().to_string())),
    ];
    let settings = Settings::from_toml("[auth.dev]\ngroups = [\"callout-viewers\"]\n", env).unwrap();
    let app = Application::build(settings).await.unwrap();
    let (main, metrics) = (app.local_addr(), app.metrics_addr().expect("metrics_bind is set"));
    tokio::spawn(app.run_until(std::future::pending()));
    let http = reqwest::Client::new();
    assert_eq!(http.get(format!("http://{main}/metrics")).send().await.unwrap().status(), 403);
    let internal = http.get(format!("http://{metrics}/metrics")).send().await.unwrap();
    assert_eq!(internal.status(), 200);
    assert!(internal.text().await.unwrap().contains("callout_jobs"), "the scrape-time job gauge");
    assert_eq!(http.get(format!("http://{metrics}/api/v1/me")).send().await.unwrap().status(), 404, "metrics alone");
}

#[tokio::test]
async fn readiness_answers_ready_and_names_the_engine() {
    let app = common::spawn().await;
    let response = app.get("/api/v1/ready").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["ready"], true, "{body}");
    assert_eq!(body["engine"], "sqlite");
    let names: Vec<&str> = body["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["database", "migrations"]);
    assert_eq!(app.get("/api/v1/health").await.status(), 200, "liveness stays beside it");
}

#[tokio::test]
async fn readiness_is_503_and_names_a_migration_that_is_not_applied() {
    let app = common::spawn().await;
    let store = Store::open(app.data.path(), callout_console::clock::Clock::system()).await.unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 2").execute(store.pool()).await.unwrap();
    let response = app.get("/api/v1/ready").await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["ready"], false, "{body}");
    let failing: Vec<&Value> = body["checks"].as_array().unwrap().iter().filter(|c| c["ready"] == false).collect();
    assert_eq!(failing.len(), 1, "{body}");
    assert_eq!(failing[0]["name"], "migrations");
    assert!(failing[0]["detail"].as_str().unwrap().contains("2 jobs of every kind"), "{body}");
}

#[tokio::test]
async fn every_answer_carries_a_request_id_kept_from_the_proxy_when_it_is_sound() {
    let app = common::spawn().await;
    let id = |response: &reqwest::Response| response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let kept = app.http.get(app.url("/api/v1/me")).header("x-request-id", "edge-1234/a").send().await.unwrap();
    assert_eq!(id(&kept), "edge-1234/a");
    let fresh = app.get("/api/v1/health").await;
    assert!(uuid::Uuid::parse_str(&id(&fresh)).is_ok(), "{}", id(&fresh));
    let long = "x".repeat(300);
    let replaced = app.http.get(app.url("/no-such-page")).header("x-request-id", long.as_str()).send().await.unwrap();
    assert!(uuid::Uuid::parse_str(&id(&replaced)).is_ok(), "an oversized id is replaced, on any path");
}

/// Runs `callout-console check --config <file>` with `env` added.
fn check(config: &str, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(config.as_bytes()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_callout-console"))
        .args(["check", "--config"])
        .arg(file.path())
        .env_remove("CALLOUT_CONFIG")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

const LIVE: &str = r#"
[auth.dev]
allow_live_accounts = true

[[tencent_meeting]]
id = "hq"
name = "Headquarters"
app_id = "200000001"
secret_id = "id"
secret_key_env = "OPS_TEST_TENCENT_SECRET"
webhook_token_env = "OPS_TEST_WEBHOOK_TOKEN"
webhook_aes_key_env = "OPS_TEST_WEBHOOK_AES_KEY"
"#;

#[test]
fn check_accepts_a_valid_configuration_and_sums_it_up() {
    let data = tempfile::tempdir().unwrap();
    let sandbox = format!("[server]\ndata_dir = {:?}\n", data.path().display().to_string());
    let (code, out, err) = check(&sandbox, &[]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "configuration OK");
    assert!(lines[1].contains("mode sandbox") && lines[1].contains("database sqlite"), "{out}");
    assert!(!data.path().join("callout-console.db").exists(), "check opens no database");

    let aes = callout_console::accounts::SANDBOX_WEBHOOK_AES_KEY;
    let env = [("OPS_TEST_TENCENT_SECRET", "s3cret"), ("OPS_TEST_WEBHOOK_TOKEN", "token"), ("OPS_TEST_WEBHOOK_AES_KEY", aes)];
    let (code, out, err) = check(LIVE, &env);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("mode live") && out.contains("accounts: hq"), "{out}");
    assert!(!out.contains("s3cret"), "no secret in the summary");
}

#[test]
fn check_refuses_a_broken_configuration_with_exit_code_2_naming_the_key() {
    let (code, out, err) = check("[server]\nbind = \"not an address\"\n", &[]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("server.bind"), "{err}");

    // Found only when the accounts are built: an EncodingAESKey that is not one.
    let env = [("OPS_TEST_TENCENT_SECRET", "s3cret"), ("OPS_TEST_WEBHOOK_TOKEN", "token"), ("OPS_TEST_WEBHOOK_AES_KEY", "short")];
    let (code, _, err) = check(LIVE, &env);
    assert_eq!(code, Some(2));
    assert!(err.contains("tencent_meeting[0].webhook_aes_key_env"), "{err}");
}
