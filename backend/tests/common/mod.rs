//! Spawn the real backend on a random loopback port and talk to it over HTTP.
#![allow(dead_code)] // each test binary uses a different part of this module

use callout_console::{app::Application, config::Settings};
use serde_json::Value;

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
}

/// The backend with the given TOML configuration (bound to 127.0.0.1:0 whatever it says).
pub async fn spawn_with(config: &str, overrides: &[(&str, &str)]) -> TestApp {
    callout_console::telemetry::init_for_tests();
    let mut env = vec![("CALLOUT__SERVER__BIND".to_owned(), "\"127.0.0.1:0\"".to_owned())];
    env.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings = Settings::from_toml(config, env).expect("test configuration is valid");
    let app = Application::build(settings).await.expect("backend starts");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp { base, http: reqwest::Client::new() }
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

    /// A JSON POST as the admin panel sends it (with the CSRF header).
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.http.post(self.url(path)).header("x-csrf", "1").json(body).send().await.expect("request is answered")
    }
}
