//! The real `callout-console serve` binary as a child process, for tests that kill it or measure it.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use callout_console::sandbox::tencent_meeting::{self, TencentEmulator, TencentEmulatorConfig};

/// A Tencent Meeting emulator of the test's own whose calls ring and end a hundred times faster; it
/// outlives the backends started against it, as the real provider does.
pub async fn fast_tencent_emulator() -> TencentEmulator {
    let mut config = TencentEmulatorConfig::default();
    config.delays = config.delays.scaled(0.01);
    tencent_meeting::start("127.0.0.1:0".parse().unwrap(), config).await.unwrap()
}

/// A configuration with one live-style Tencent account on the emulator, `rate` requests a minute
/// (slow enough that a job is still running when the process is killed), and `extra` TOML after it.
pub fn live_config(dir: &std::path::Path, emulator: &str, rate: u32, extra: &str) -> std::path::PathBuf {
    std::fs::write(dir.join("secret"), tencent_meeting::SANDBOX_SECRET_KEY).unwrap();
    let config_path = dir.join("callout-console.toml");
    std::fs::write(
        &config_path,
        format!(
            "operator_ids = {{ \"dev@localhost\" = \"{op}\" }}\n\
             [[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\nbase_url = \"{emulator}\"\napp_id = \"{app}\"\nsecret_id = \"{sid}\"\n\
             secret_key_file = {secret:?}\nrate_limit_per_minute = {rate}\n{extra}",
            op = tencent_meeting::SANDBOX_OPERATOR_ID,
            app = tencent_meeting::SANDBOX_APP_ID,
            sid = tencent_meeting::SANDBOX_SECRET_ID,
            secret = dir.join("secret").display().to_string(),
        ),
    )
    .unwrap();
    config_path
}

pub struct Backend {
    pub child: Child,
    pub base: String,
}

impl Backend {
    /// SIGKILL, as a crash would, and wait until the process is gone.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Backend {
    /// A failing test must not leave a backend running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub async fn start_backend(config: &std::path::Path, data: &std::path::Path) -> Backend {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_callout-console"))
        .args(["serve", "--config"])
        .arg(config)
        .args(["--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data)
        .env("RUST_LOG", "warn")
        // Dev sign-in against the emulator standing in for a live account.
        .env("CALLOUT__AUTH__DEV__ALLOW_LIVE_ACCOUNTS", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by a Backend from here, so a failure below still stops the process.
    let backend = Backend { child, base: format!("http://127.0.0.1:{port}") };
    for _ in 0..100 {
        if reqwest::get(format!("{}/api/v1/health", backend.base)).await.is_ok_and(|r| r.status().is_success()) {
            return backend;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the backend did not start");
}
