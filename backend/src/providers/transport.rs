//! Send one provider request with the retry rules every provider shares.

use super::{Provider, ProviderError, ProviderErrorBody, RetryPolicy};

/// What a provider module makes of one HTTP answer.
pub enum Classified {
    Success(String),
    /// An explicit rate-limit answer: nothing was done, so trying again later is safe.
    RateLimited(ProviderErrorBody),
    /// A definite error answer from the provider.
    Rejected(ProviderErrorBody),
    /// An answer that does not tell whether the request was acted on.
    Unknown(String),
}

/// Sends the request `build` makes, classifying each answer with `classify`.
///
/// `build` is called once per attempt so every attempt carries a fresh nonce, timestamp and
/// signature. Retried: connection failures (the request never left) and rate-limit answers.
/// Never retried: timeouts, broken connections and 5xx after the request was sent.
/// `operation` names the request in the latency metric.
pub async fn send(
    provider: Provider,
    operation: &'static str,
    policy: &RetryPolicy,
    mut build: impl FnMut() -> reqwest::RequestBuilder,
    classify: impl Fn(u16, String) -> Classified,
) -> Result<String, ProviderError> {
    let mut attempt = 1;
    loop {
        // Timed to the end of the body: a slow answer is slow until it has been read.
        let answer = crate::metrics::provider_request(provider, operation, async {
            let response = build().send().await?;
            Ok::<_, reqwest::Error>((response.status().as_u16(), response.text().await))
        });
        let retry = match answer.await {
            // Without the URL: a signed query carries the access key id and the signature.
            Err(err) if err.is_connect() => ProviderError::NotSent { provider, detail: error_chain(&err.without_url()) },
            Err(err) => {
                let detail = error_chain(&err.without_url());
                return Err(ProviderError::Unknown { provider, detail, http_status: None, raw: None });
            }
            Ok((status, body)) => {
                let body = match body {
                    Ok(body) => body,
                    Err(err) => {
                        let detail = format!("the answer broke off: {}", error_chain(&err.without_url()));
                        return Err(ProviderError::Unknown { provider, detail, http_status: Some(status), raw: None });
                    }
                };
                match classify(status, body.clone()) {
                    Classified::Success(body) => return Ok(body),
                    Classified::Rejected(body) => return Err(ProviderError::Rejected { provider, body }),
                    Classified::Unknown(detail) => {
                        return Err(ProviderError::Unknown { provider, detail, http_status: Some(status), raw: Some(body) })
                    }
                    Classified::RateLimited(body) => ProviderError::RateLimited { provider, body },
                }
            }
        };
        if attempt >= policy.max_attempts {
            return Err(retry);
        }
        tracing::warn!(%provider, attempt, error = %retry, "retrying a request that was not acted on");
        tokio::time::sleep(policy.delay_after(attempt)).await;
        attempt += 1;
    }
}

/// The error and its causes on one line (reqwest's own message hides the useful part).
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
