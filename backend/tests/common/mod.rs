//! Spawn the real backend on a random loopback port.

use std::path::PathBuf;

use callout_console::{app::Application, config::Settings};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
}

pub async fn spawn(static_dir: Option<PathBuf>) -> TestApp {
    callout_console::telemetry::init();
    let settings = Settings { bind: "127.0.0.1:0".parse().unwrap(), static_dir };
    let app = Application::build(settings).await.expect("backend binds");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp { base, http: reqwest::Client::new() }
}
