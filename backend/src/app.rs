//! Router assembly, shared state and the server's life cycle.

use std::{future::Future, io, net::SocketAddr, sync::Arc};

use axum::{middleware, Router};
use callout_shared::{health::Mode, me::AccountSummary, API_PREFIX};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use callout_shared::numbers::NumberInput;

use crate::{
    accounts::Accounts,
    api,
    auth::Authenticator,
    config::{ConfigError, Settings},
    phone, security,
    service::{events::EventBus, CallSettings, Calls, ServiceError},
    static_files,
    store::{Store, StoreError},
};

/// What every handler may read.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub mode: Mode,
    pub auth: Arc<Authenticator>,
    pub accounts: Arc<Accounts>,
    /// Every operation on calls, jobs, lists and the audit log.
    pub calls: Arc<Calls>,
}

impl AppState {
    /// The provider accounts the UI may offer (never a secret).
    pub fn account_summaries(&self) -> Vec<AccountSummary> {
        self.accounts.summaries()
    }
}

/// Why the backend could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot resume unfinished jobs: {0}")]
    Resume(ServiceError),
}

/// A bound, not yet running backend. Binding first lets tests use port 0 and learn the real port.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        let mode = if settings.is_sandbox() { Mode::Sandbox } else { Mode::Live };
        let auth = Arc::new(Authenticator::from_settings(&settings.auth)?);
        let static_dir = settings.server.static_dir.clone();
        let bind = settings.server.bind;
        let accounts = Arc::new(Accounts::from_settings(&settings).await?);
        let store = Store::open(&settings.server.data_dir).await?;
        let events = Arc::new(EventBus::default());
        let do_not_call = settings
            .do_not_call
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                let input = NumberInput { number: raw.clone(), ..NumberInput::default() };
                phone::normalize(&input, phone::DEFAULT_REGION)
                    .map(|n| n.e164)
                    .map_err(|p| ConfigError { key: format!("do_not_call[{i}]"), message: p.message().to_owned() })
            })
            .collect::<Result<_, _>>()?;
        let call_settings = CallSettings {
            idempotency_ttl: std::time::Duration::from_secs(settings.server.idempotency_ttl_secs),
            webhook_dedupe_window: std::time::Duration::from_secs(settings.server.webhook_dedupe_secs),
            ..CallSettings::default()
        };
        let calls = Calls::new(store, accounts.clone(), events, call_settings, do_not_call);
        calls.resume().await.map_err(StartError::Resume)?;
        let state = AppState { settings: Arc::new(settings), mode, auth, accounts, calls };

        let api = api::router(state.clone()).layer(middleware::from_fn_with_state(state.clone(), security::guard_api));
        let mut router = Router::new().nest(API_PREFIX, api);
        let csp = match &static_dir {
            Some(dir) => {
                router = router.merge(static_files::router(dir));
                security::content_security_policy(static_files::inline_script_hashes(dir))
            }
            None => security::content_security_policy(Vec::new()),
        };
        let router = router
            .merge(api::webhooks::router(state.clone()))
            .layer(middleware::from_fn_with_state(Arc::new(csp), security::headers))
            .layer(TraceLayer::new_for_http());

        let listener = TcpListener::bind(bind).await.map_err(|source| StartError::Bind { addr: bind, source })?;
        tracing::info!(addr = %listener.local_addr().map_err(|source| StartError::Bind { addr: bind, source })?, ?mode, auth = state.auth.mode(), "listening");
        if mode == Mode::Sandbox {
            tracing::warn!("sandbox mode: no provider account is configured, every call goes to the built-in emulators");
        }
        Ok(Self { listener, router, state })
    }

    /// Base URLs of the in-process emulators (Tencent Meeting, CCC) in sandbox mode.
    pub fn sandbox_urls(&self) -> Option<(String, String)> {
        self.state.accounts.sandbox.as_ref().map(|s| (s.tencent.base_url(), s.aliyun.base_url()))
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> io::Result<()> {
        if let Some(sandbox) = &self.state.accounts.sandbox {
            if self.state.settings.sandbox.webhooks {
                // The emulator checks the URL first (GET check_str), so subscribe once we are serving.
                let url = format!("http://{}/webhooks/tencent/{}", self.local_addr(), crate::accounts::SANDBOX_TENCENT_ACCOUNT);
                let target = sandbox.webhook_target(url);
                let emulator = sandbox.tencent.handle();
                tokio::spawn(async move {
                    if let Err(err) = emulator.set_webhook(Some(target)).await {
                        tracing::warn!(%err, "the sandbox webhook subscription failed; calls are followed by polling");
                    }
                });
            }
        }
        // The peer address is needed by the trusted-headers mode (identity only from the proxy).
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        // Event streams never end by themselves: close them, or open browsers hold the shutdown.
        let events = self.state.calls.events().clone();
        let shutdown = async move {
            shutdown.await;
            events.close();
        };
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await
    }
}
