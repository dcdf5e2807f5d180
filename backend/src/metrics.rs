//! Prometheus metrics: every name, label and bucket lives here, so that instrumenting a code path is
//! one short line at its call site. The recorder is process-wide (the `metrics` facade); `/metrics`
//! renders it from a handle, with no listener of the exporter's own.

use std::{
    future::Future,
    sync::OnceLock,
    time::{Duration, Instant},
};

use callout_shared::jobs::JobState;
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::{providers::Provider, service::pacing::Lane};

/// Numbers dialled (each number of a batch counts once), by provider, operation and outcome.
pub const DIALS: &str = "callout_dials_total";
/// Audited actions (dials, cancels, list changes, job submissions), by action and outcome.
pub const AUDITED_ACTIONS: &str = "callout_audited_actions_total";
/// One HTTP request to a provider (each attempt), by provider and operation.
pub const PROVIDER_REQUEST_SECONDS: &str = "callout_provider_request_seconds";
/// Time spent waiting on an account's rate budget, by lane.
pub const RATE_LIMIT_WAIT_SECONDS: &str = "callout_rate_limit_wait_seconds";
/// Jobs by state, counted by the database at scrape time.
pub const JOBS: &str = "callout_jobs";
/// Provider webhook events by verdict.
pub const WEBHOOK_EVENTS: &str = "callout_webhook_events_total";
/// Browsers holding the live event stream open.
pub const SSE_CLIENTS: &str = "callout_sse_clients";
/// Main store operations, by operation.
pub const STORE_SECONDS: &str = "callout_store_operation_seconds";

/// Seconds, from a fast local write to a provider at its timeout.
const BUCKETS: &[f64] = &[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once (several apps in one test process share it).
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .expect("the bucket list is not empty")
            .install_recorder()
            .expect("no other metrics recorder is installed in this process")
    })
}

/// The Prometheus text exposition of every metric.
pub fn render() -> String {
    let handle = install();
    // Without the exporter's own listener, histograms are folded in here rather than on a timer.
    handle.run_upkeep();
    handle.render()
}

pub fn provider_label(provider: Provider) -> &'static str {
    match provider {
        Provider::TencentMeeting => "tencent_meeting",
        Provider::AliyunCcc => "aliyun_ccc",
    }
}

fn lane_label(lane: Lane) -> &'static str {
    match lane {
        Lane::Person => "person",
        Lane::Dialling => "dialling",
        Lane::Background => "background",
    }
}

/// `numbers` numbers dialled with one outcome (`ok`, `rejected`, `not_sent`, `unknown`).
pub fn dialled(provider: Provider, operation: &'static str, outcome: &'static str, numbers: usize) {
    if numbers > 0 {
        counter!(DIALS, "provider" => provider_label(provider), "operation" => operation, "outcome" => outcome).increment(numbers as u64);
    }
}

pub fn audited(action: &str, outcome: &str) {
    counter!(AUDITED_ACTIONS, "action" => action.to_owned(), "outcome" => outcome.to_owned()).increment(1);
}

/// Runs one provider request and records how long it took.
pub async fn provider_request<T>(provider: Provider, operation: &'static str, request: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let answer = request.await;
    histogram!(PROVIDER_REQUEST_SECONDS, "provider" => provider_label(provider), "operation" => operation)
        .record(started.elapsed().as_secs_f64());
    answer
}

/// Records, when dropped, how long the budget of `lane` was waited on.
pub struct RateLimitWait {
    lane: Lane,
    started: Instant,
}

impl RateLimitWait {
    pub fn start(lane: Lane) -> Self {
        Self { lane, started: Instant::now() }
    }
}

impl Drop for RateLimitWait {
    fn drop(&mut self) {
        histogram!(RATE_LIMIT_WAIT_SECONDS, "lane" => lane_label(self.lane)).record(self.started.elapsed().as_secs_f64());
    }
}

/// Records, when dropped, how long a store operation took (early returns and errors included).
pub struct StoreTimer {
    operation: &'static str,
    started: Instant,
}

impl StoreTimer {
    pub fn start(operation: &'static str) -> Self {
        Self { operation, started: Instant::now() }
    }
}

impl Drop for StoreTimer {
    fn drop(&mut self) {
        histogram!(STORE_SECONDS, "operation" => self.operation).record(self.started.elapsed().as_secs_f64());
    }
}

/// Sets the jobs gauge from the database's counts; a state without jobs reads 0.
pub fn jobs_by_state(counts: &[(String, i64)]) {
    for state in JobState::ALL {
        let n = counts.iter().filter(|(s, _)| s == state.as_str()).map(|(_, n)| *n).sum::<i64>();
        gauge!(JOBS, "state" => state.as_str()).set(n as f64);
    }
}

/// What the webhook endpoint made of one event.
#[derive(Debug, Clone, Copy)]
pub enum WebhookVerdict {
    /// Verified and stored for the first time.
    Accepted,
    /// Verified, but already stored: a redelivery.
    Duplicate,
    /// Unknown account, stale, or a signature or payload that does not verify.
    Refused,
    /// Verified, but the store failed: the provider is asked to deliver it again.
    NotRecorded,
}

pub fn webhook_event(verdict: WebhookVerdict) {
    let verdict = match verdict {
        WebhookVerdict::Accepted => "accepted",
        WebhookVerdict::Duplicate => "duplicate",
        WebhookVerdict::Refused => "refused",
        WebhookVerdict::NotRecorded => "not_recorded",
    };
    counter!(WEBHOOK_EVENTS, "verdict" => verdict).increment(1);
}

/// Counts one open event stream for as long as it lives.
pub struct SseClient(());

impl SseClient {
    pub fn connected() -> Self {
        gauge!(SSE_CLIENTS).increment(1.0);
        Self(())
    }
}

impl Drop for SseClient {
    fn drop(&mut self) {
        gauge!(SSE_CLIENTS).decrement(1.0);
    }
}

/// How often histograms are folded in between scrapes, so memory stays bounded when nobody scrapes.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Folds recorded histogram samples in; run every [`UPKEEP_EVERY`] by the server.
pub fn upkeep() {
    install().run_upkeep();
}
