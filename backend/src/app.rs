//! Router assembly, shared state and the server's life cycle.

use std::{collections::HashSet, future::Future, io, net::SocketAddr, sync::Arc};

use axum::{middleware, Router};
use callout_shared::{health::Mode, me::AccountSummary, API_PREFIX};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use callout_shared::numbers::NumberInput;

use crate::{
    accounts::Accounts,
    api,
    auth::Authenticator,
    clock::Clock,
    config::{ConfigError, Settings},
    phone, request_id, security,
    service::{events::EventBus, CallSettings, Calls, ServiceError},
    static_files,
    store::{self, Store, StoreError},
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
    /// `server.metrics_bind`: `/metrics` without sign-in.
    metrics: Option<(TcpListener, Router)>,
    state: AppState,
}

/// What start-up derives from the settings before it binds or opens anything; `check` stops here.
struct Prepared {
    auth: Authenticator,
    do_not_call: HashSet<String>,
}

fn prepare(settings: &Settings) -> Result<Prepared, ConfigError> {
    let auth = Authenticator::from_settings(&settings.auth)?;
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
    Ok(Prepared { auth, do_not_call })
}

/// Validates `settings` the way `serve` does, without binding a port or touching the database, and
/// sums them up in one line. Live accounts are built (their secrets read and checked); the sandbox's
/// emulators are not started.
pub async fn check(settings: &Settings) -> Result<String, StartError> {
    let prepared = prepare(settings)?;
    let (mode, accounts) = if settings.is_sandbox() {
        ("sandbox (built-in emulators)", format!("{}, {}", crate::accounts::SANDBOX_TENCENT_ACCOUNT, crate::accounts::SANDBOX_CCC_ACCOUNT))
    } else {
        let accounts = Accounts::from_settings(settings, &Clock::system()).await?;
        let ids: Vec<String> = accounts.summaries().into_iter().map(|a| a.id).collect();
        ("live", ids.join(", "))
    };
    let metrics = settings.server.metrics_bind.map_or_else(|| "admins on the main listener".to_owned(), |a| a.to_string());
    Ok(format!(
        "mode {mode}; auth {}; accounts: {accounts}; database sqlite at {}; listening on {}; metrics: {metrics}",
        prepared.auth.mode(),
        store::database_file(&settings.server.data_dir).display(),
        settings.server.bind,
    ))
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        crate::metrics::install();
        let mode = if settings.is_sandbox() { Mode::Sandbox } else { Mode::Live };
        let Prepared { auth, do_not_call } = prepare(&settings)?;
        let auth = Arc::new(auth);
        let static_dir = settings.server.static_dir.clone();
        let bind = settings.server.bind;
        let metrics_bind = settings.server.metrics_bind;
        // One clock for the service, the store and the emulators (tests and the sandbox move it forward).
        let clock = Clock::system();
        let accounts = Arc::new(Accounts::from_settings(&settings, &clock).await?);
        let store = Store::open(&settings.server.data_dir, clock.clone()).await?;
        // A clock an admin moved forward stays where it was moved across restarts: stored schedules
        // and spacings were decided on it.
        if settings.clock_control() {
            clock.advance(std::time::Duration::from_millis(store.saved_clock_shift().await?.max(0) as u64));
        }
        let events = Arc::new(EventBus::default());
        let call_settings = CallSettings {
            idempotency_ttl: std::time::Duration::from_secs(settings.server.idempotency_ttl_secs),
            webhook_dedupe_window: std::time::Duration::from_secs(settings.server.webhook_dedupe_secs),
            // A batch refused after all its attempts waits a few attempt delays before its next round.
            retry_pause: std::time::Duration::from_millis(settings.http.retry_base_delay_ms.saturating_mul(4)),
            clock_control: settings.clock_control(),
            dialex_outcomes: crate::service::dialex_follower::OutcomeWindows {
                wait: std::time::Duration::from_secs(settings.dialex_outcomes.wait_minutes * 60),
                before: std::time::Duration::from_secs(settings.dialex_outcomes.match_before_secs),
                after: std::time::Duration::from_secs(settings.dialex_outcomes.match_after_secs),
            },
            ..CallSettings::default()
        };
        let calls = Calls::new(store, accounts.clone(), events, call_settings, do_not_call, clock);
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
            .merge(api::metrics::router(state.clone()))
            .layer(middleware::from_fn_with_state(Arc::new(csp), security::headers))
            .layer(TraceLayer::new_for_http().make_span_with(request_id::make_span))
            .layer(middleware::from_fn(request_id::propagate));

        let listener = TcpListener::bind(bind).await.map_err(|source| StartError::Bind { addr: bind, source })?;
        let metrics = match metrics_bind {
            Some(addr) => {
                let listener = TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })?;
                let router = api::metrics::internal_router(state.clone())
                    .layer(TraceLayer::new_for_http().make_span_with(request_id::make_span))
                    .layer(middleware::from_fn(request_id::propagate));
                tracing::info!(%addr, "metrics without sign-in on this address");
                Some((listener, router))
            }
            None => None,
        };
        tracing::info!(addr = %listener.local_addr().map_err(|source| StartError::Bind { addr: bind, source })?, ?mode, auth = state.auth.mode(), "listening");
        if mode == Mode::Sandbox {
            tracing::warn!("sandbox mode: no provider account is configured, every call goes to the built-in emulators");
        }
        Ok(Self { listener, router, metrics, state })
    }

    /// Where `/metrics` answers without sign-in, when `server.metrics_bind` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(listener, _)| listener.local_addr().expect("a bound listener has an address"))
    }

    /// Base URLs of the in-process emulators (Tencent Meeting, CCC) in sandbox mode.
    pub fn sandbox_urls(&self) -> Option<(String, String)> {
        self.state.accounts.sandbox.as_ref().map(|s| (s.tencent.base_url(), s.aliyun.base_url()))
    }

    /// The clock of this backend (its service, store and emulators): tests move it forward.
    pub fn clock(&self) -> Clock {
        self.state.calls.clock().clone()
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
        // Histogram samples are folded in between scrapes too, so nobody scraping costs no memory.
        let upkeep = tokio::spawn(async {
            let mut every = tokio::time::interval(crate::metrics::UPKEEP_EVERY);
            loop {
                every.tick().await;
                crate::metrics::upkeep();
            }
        });
        // The metrics listener stops when the main one has (the sender is dropped).
        let (stop_metrics, mut metrics_stopped) = tokio::sync::watch::channel(());
        let metrics = self.metrics.map(|(listener, router)| {
            tokio::spawn(async move {
                let stopped = async move {
                    let _ = metrics_stopped.changed().await;
                };
                axum::serve(listener, router).with_graceful_shutdown(stopped).await
            })
        });
        let served = axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await;
        drop(stop_metrics);
        upkeep.abort();
        if let Some(task) = metrics {
            match task.await {
                Ok(Err(err)) => tracing::error!(%err, "the metrics listener failed"),
                Err(err) => tracing::error!(%err, "the metrics listener's task failed"),
                Ok(Ok(())) => {}
            }
        }
        served
    }
}
