//! Structured logs to stderr; `RUST_LOG` chooses the level (default `info`).

use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    // A second init (tests spawning several apps) is harmless: keep the first subscriber.
    let _ = fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// For tests: logs go through the test harness's capture, shown only for failing tests.
pub fn init_for_tests() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt().with_env_filter(filter).with_test_writer().try_init();
}
