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

/// Request details that must not leave the process even when a provider (or a proxy in front of it)
/// echoes them in an error message: the value after each of these names is taken out. CCC's
/// `AccessKeyId` stays: its string-to-sign echo names it, holds no signature, and is what the
/// signature debugger compares with.
const ECHOED_CREDENTIALS: [&str; 5] = ["x-tc-key", "x-tc-signature", "signature", "authorization", "securitytoken"];

/// A provider's error text as the console repeats it: code and words kept, the value of every
/// `name: value`, `name=value` or percent-encoded `name%3Dvalue` with a credential's name taken out.
pub fn redact_echoed_credentials(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while let Some((name, start)) =
        ECHOED_CREDENTIALS.iter().filter_map(|n| lower[at..].find(n).map(|i| (*n, at + i))).min_by_key(|(_, i)| *i)
    {
        at = start + name.len();
        let Some(value_start) = value_after(&lower, at) else { continue };
        let value_end = lower[value_start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | ',' | ';' | '"' | '\'' | '}' | '\\'))
            .map_or(text.len(), |i| value_start + i)
            .min(lower[value_start..].find("%26").map_or(text.len(), |i| value_start + i));
        if value_end > value_start {
            out.push_str(&text[copied..value_start]);
            out.push_str("[redacted]");
            copied = value_end;
            at = value_end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the value of a name ending at `at` starts, when a `:`, `=` or `%3D` follows it.
fn value_after(lower: &str, at: usize) -> Option<usize> {
    let skip = |mut i: usize| {
        while lower.as_bytes().get(i).is_some_and(|b| matches!(b, b' ' | b'"' | b'\'' | b'\\')) {
            i += 1;
        }
        i
    };
    let i = skip(at);
    let rest = &lower[i..];
    let after = if rest.starts_with(':') || rest.starts_with('=') {
        i + 1
    } else if rest.starts_with("%3d") {
        i + 3
    } else {
        return None;
    };
    Some(skip(after))
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

#[cfg(test)]
mod tests {
    use super::redact_echoed_credentials as redact;

    #[test]
    fn echoed_signing_headers_and_parameters_lose_their_values() {
        assert_eq!(
            redact("bad signature; X-TC-Key: sid-123 X-TC-Signature: Zm9vYmFy, check your clock"),
            "bad signature; X-TC-Key: [redacted] X-TC-Signature: [redacted], check your clock"
        );
        assert_eq!(
            redact("GET /?AccessKeyId=LTAIabc&Action=DialEx&Signature=abc%3D failed"),
            "GET /?AccessKeyId=LTAIabc&Action=DialEx&Signature=[redacted] failed"
        );
        assert_eq!(redact("{\"x-tc-key\":\"sid\"}"), "{\"x-tc-key\":\"[redacted]\"}");
        assert_eq!(redact("meeting 123 has ended"), "meeting 123 has ended");
        assert_eq!(redact("会议已结束 signature"), "会议已结束 signature", "a bare word with no value stays");
        assert_eq!(redact("Specified signature is not matched"), "Specified signature is not matched", "words are not values");
        assert_eq!(
            redact("string to sign is:GET&%2F&AccessKeyId%3DLTAIabc%26Signature%3Dxyz%26Action%3DDialEx"),
            "string to sign is:GET&%2F&AccessKeyId%3DLTAIabc%26Signature%3D[redacted]%26Action%3DDialEx"
        );
    }
}
