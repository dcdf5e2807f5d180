//! Settings of a running backend, from command-line flags and `CALLOUT_*` environment variables.

use std::{net::SocketAddr, path::PathBuf};

use callout_shared::health::Mode;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address the HTTP server listens on.
    #[arg(long, env = "CALLOUT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Folder of the built admin panel (`trunk build --release` writes `dist/`). When set, the
    /// backend serves it itself, so one binary behind a reverse proxy is a whole deployment.
    #[arg(long, env = "CALLOUT_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
}

impl Settings {
    /// Sandbox until real provider accounts can be configured.
    pub fn mode(&self) -> Mode {
        Mode::Sandbox
    }
}
