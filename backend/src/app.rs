//! Router assembly and the server's life cycle.

use std::{future::Future, io, net::SocketAddr};

use axum::Router;
use callout_shared::{health::Mode, API_PREFIX};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::{api, config::Settings, static_files};

/// What every handler may read.
#[derive(Clone)]
pub struct AppState {
    pub mode: Mode,
}

/// A bound, not yet running backend. Binding first lets tests use port 0 and learn the real port.
pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    pub async fn build(settings: Settings) -> io::Result<Self> {
        let state = AppState { mode: settings.mode() };
        let mut router = Router::new().nest(API_PREFIX, api::router().with_state(state));
        if let Some(dir) = &settings.static_dir {
            router = router.merge(static_files::router(dir));
        }
        let router = router.layer(TraceLayer::new_for_http());
        let listener = TcpListener::bind(settings.bind).await?;
        tracing::info!(addr = %listener.local_addr()?, mode = ?settings.mode(), "listening");
        Ok(Self { listener, router })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> io::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown).await
    }
}
