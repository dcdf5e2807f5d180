//! Sandbox mode: local emulators of the providers that behave like the real services (signature
//! checks, error bodies, call lifecycles, webhooks). They are real HTTP servers, reached by the
//! provider clients over HTTP exactly like the real hosts; nothing in the dial path is swapped.

pub mod aliyun_ccc;
pub mod faults;
mod replay;
pub mod tencent_meeting;

pub use replay::ReplayLedger;

use std::{io, net::SocketAddr};

use axum::Router;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

/// An emulator listening on its own address. Dropping it stops the server.
pub struct RunningEmulator {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// `http://ip:port`, what a client uses as the provider's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting and waits for the server task to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Serves `router` on `bind` (port 0 picks a free port).
pub async fn serve(name: &'static str, bind: SocketAddr, router: Router) -> io::Result<RunningEmulator> {
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = rx.await;
        };
        if let Err(err) = axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
            tracing::error!(emulator = name, %err, "emulator stopped");
        }
    });
    tracing::info!(emulator = name, %addr, "emulator listening");
    Ok(RunningEmulator { addr, shutdown: Some(tx), task: Some(task) })
}
