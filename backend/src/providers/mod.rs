//! Clients for the cloud providers. Each provider module signs exactly as the provider does and
//! sends through [`transport::send`], which owns the one rule that matters most here: a dial is not
//! idempotent, so only a request that provably never arrived, or that the provider explicitly
//! refused for rate limiting, is ever sent again.

pub mod aliyun_ccc;
pub mod tencent_meeting;
pub mod transport;

use std::{fmt, time::Duration};

/// Which cloud service a call went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    TencentMeeting,
    AliyunCcc,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Provider::TencentMeeting => "Tencent Meeting",
            Provider::AliyunCcc => "Alibaba Cloud CCC",
        })
    }
}

/// An error answer from a provider, as the provider stated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderErrorBody {
    pub http_status: u16,
    /// Tencent `error_code` (as text) or Alibaba `Code`.
    pub code: String,
    /// Tencent `new_error_code`; Alibaba has none.
    pub new_code: Option<String>,
    pub message: String,
    /// Alibaba `RequestId`, when the provider gave one.
    pub request_id: Option<String>,
    /// The body exactly as received, for the audit trail and for bodies we could not parse.
    pub raw: String,
}

/// How a provider call ended, when it did not succeed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    /// The request provably never reached the provider (no connection could be made), after retries.
    #[error("{provider} could not be reached: {detail}")]
    NotSent { provider: Provider, detail: String },
    /// The provider refused for rate limiting, after retries. Nothing was done.
    #[error("{provider} rate limit ({}): {}", .body.code, .body.message)]
    RateLimited { provider: Provider, body: ProviderErrorBody },
    /// The provider answered with an error of its own. Nothing was done.
    #[error("{provider} error {} (HTTP {}): {}", .body.code, .body.http_status, .body.message)]
    Rejected { provider: Provider, body: ProviderErrorBody },
    /// The request was sent but no trustworthy answer came back (timeout, 5xx without a provider
    /// error, a broken or unparseable answer): it may or may not have been acted on.
    #[error("{provider} outcome unknown: {detail}")]
    Unknown { provider: Provider, detail: String, http_status: Option<u16>, raw: Option<String> },
}

/// Timeouts and retry rules for one provider account.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    pub retry: RetryPolicy,
    /// Honour HTTP(S)_PROXY. Off for the loopback emulators, which a proxy would only break.
    pub use_system_proxy: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        // The providers' own SDK defaults: connect 5 s, read 10 s.
        Self {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            use_system_proxy: true,
        }
    }
}

impl HttpSettings {
    pub fn client(&self) -> reqwest::Client {
        let builder = reqwest::Client::builder();
        let builder = if self.use_system_proxy { builder } else { builder.no_proxy() };
        builder
            .connect_timeout(self.connect_timeout)
            .timeout(self.total_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("callout-console/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client configuration is static and valid")
    }
}

/// Exponential backoff for the retries that are safe: `base`, `2·base`, `4·base`… capped at `max_delay`.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 3, base_delay: Duration::from_millis(500), max_delay: Duration::from_secs(5) }
    }
}

impl RetryPolicy {
    /// The pause before attempt `attempt + 1` (attempts count from 1).
    pub fn delay_after(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}
