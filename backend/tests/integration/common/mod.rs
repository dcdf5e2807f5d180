//! Spawn the real backend on a random loopback port and talk to it over HTTP.
#![allow(dead_code)] // no_secret_leaks.rs, a binary of its own, uses only part of it

pub mod process;
pub mod sse;

use callout_console::{app::Application, config::Settings};
use serde_json::Value;

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    /// The app's own data directory (its SQLite database), removed when the test ends.
    pub data: tempfile::TempDir,
    /// In sandbox mode: the in-process Tencent Meeting and CCC emulators (fault knobs, dial counts).
    pub emulators: Option<(String, String)>,
    /// The backend's clock: move it forward instead of waiting.
    pub clock: callout_console::clock::Clock,
}

/// The backend with the given TOML configuration (bound to 127.0.0.1:0 whatever it says).
pub async fn spawn_with(config: &str, overrides: &[(&str, &str)]) -> TestApp {
    let data = tempfile::tempdir().expect("temporary data directory");
    spawn_in(config, overrides, data).await
}

/// The backend on an existing data directory (to restart it on the same database).
pub async fn spawn_in(config: &str, overrides: &[(&str, &str)], data: tempfile::TempDir) -> TestApp {
    callout_console::telemetry::init_for_tests();
    let mut env = vec![
        ("CALLOUT__SERVER__BIND".to_owned(), "\"127.0.0.1:0\"".to_owned()),
        ("CALLOUT__SERVER__DATA_DIR".to_owned(), format!("{:?}", data.path().display().to_string())),
        // Tests point live accounts at local emulators and sign in as the dev user.
        ("CALLOUT__AUTH__DEV__ALLOW_LIVE_ACCOUNTS".to_owned(), "true".to_owned()),
    ];
    env.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings = Settings::from_toml(config, env).expect("test configuration is valid");
    let app = Application::build(settings).await.expect("backend starts");
    let base = format!("http://{}", app.local_addr());
    let emulators = app.sandbox_urls();
    let clock = app.clock();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp { base, http: reqwest::Client::new(), data, emulators, clock }
}

/// The backend in its default configuration: sandbox mode, dev sign-in.
pub async fn spawn() -> TestApp {
    spawn_with("", &[]).await
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("request is answered")
    }

    /// A JSON POST as the admin panel sends it: CSRF header and a fresh idempotency key.
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.post_with_key(path, body, &uuid::Uuid::new_v4().to_string()).await
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.http.delete(self.url(path)).header("x-csrf", "1").send().await.expect("request is answered")
    }

    pub async fn post_with_key(&self, path: &str, body: &Value, key: &str) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("x-csrf", "1")
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await
            .expect("request is answered")
    }
}

impl TestApp {
    pub fn tencent_emulator(&self) -> String {
        self.emulators.clone().expect("sandbox mode").0
    }

    pub fn ccc_emulator(&self) -> String {
        self.emulators.clone().expect("sandbox mode").1
    }

    /// How often the sandbox CCC emulator was asked to dial each callee.
    pub async fn ccc_dial_counts(&self) -> std::collections::BTreeMap<String, u64> {
        self.http.get(format!("{}/__emulator/dials", self.ccc_emulator())).send().await.unwrap().json().await.unwrap()
    }

    pub async fn set_ccc_faults(&self, faults: Value) {
        let response = self.http.put(format!("{}/__emulator/faults", self.ccc_emulator())).json(&faults).send().await.unwrap();
        assert!(response.status().is_success(), "fault knobs accepted");
    }

    /// Every request the Tencent emulator received: (path, unix ms at arrival).
    pub async fn tencent_requests(&self) -> Vec<(String, i64)> {
        let list: Vec<Value> =
            self.http.get(format!("{}/__emulator/arrivals", self.tencent_emulator())).send().await.unwrap().json().await.unwrap();
        list.iter().map(|r| (r["path"].as_str().unwrap().to_owned(), r["at_ms"].as_i64().unwrap())).collect()
    }

    /// How often the sandbox Tencent emulator was asked to dial each number.
    pub async fn dial_counts(&self) -> std::collections::BTreeMap<String, u64> {
        self.http.get(format!("{}/__emulator/dials", self.tencent_emulator())).send().await.unwrap().json().await.unwrap()
    }

    pub async fn set_faults(&self, faults: Value) {
        let response = self.http.put(format!("{}/__emulator/faults", self.tencent_emulator())).json(&faults).send().await.unwrap();
        assert!(response.status().is_success(), "fault knobs accepted");
    }

    /// Polls the job until `done` says so (or thirty seconds pass: CI machines are slow); returns the last state seen.
    pub async fn wait_for_job(&self, job_id: &str, done: impl Fn(&Value) -> bool) -> Value {
        let mut job = Value::Null;
        for _ in 0..600 {
            job = self.get(&format!("/api/v1/callouts/{job_id}")).await.json().await.unwrap();
            if done(&job) {
                return job;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("job {job_id} did not get there: {job}");
    }
}
