//! The real `callout-console serve` binary as a child process, for tests that kill it or measure it.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

pub struct Backend {
    pub child: Child,
    pub base: String,
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
