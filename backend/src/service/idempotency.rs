//! Idempotency keys of dialling requests: one answer per (person, key) for as long as the key is
//! remembered; a request cut short by a crash answers "unknown" on replay, never "in progress" forever.

use callout_shared::error::{ApiErrorBody, ErrorCode};

use super::{Calls, ServiceError};
pub use crate::store::idempotency::Claim;

impl Calls {
    /// Claims `key` for `subject` and the request digest `request_hash`.
    pub async fn claim_key(&self, subject: &str, key: &str, request_hash: &str) -> Result<Claim, ServiceError> {
        let ttl = self.settings.idempotency_ttl.as_millis() as i64;
        Ok(self.store.claim_idempotency_key(subject, key, request_hash, ttl).await?)
    }

    /// Stores the answer a replay of `key` gives.
    pub async fn finish_key(&self, subject: &str, key: &str, status: u16, body: &str) -> Result<(), ServiceError> {
        Ok(self.store.finish_idempotent(subject, key, status, body).await?)
    }

    /// At start-up: keys of requests that were running when the process died, and old keys.
    pub(super) async fn settle_unfinished_requests(&self) -> Result<(), ServiceError> {
        let body = ApiErrorBody {
            code: ErrorCode::ProviderOutcomeUnknown,
            message: "the backend stopped while this request was being processed; whatever may have been dialled is recorded as unknown \
                      in its job or room call, for a person to check and retry"
                .into(),
            field: None,
            provider_code: None,
            problem: None,
        };
        let body = serde_json::to_string(&body).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let settled = self.store.settle_unfinished_keys(502, &body).await?;
        if settled > 0 {
            tracing::warn!(settled, "requests were in progress when the backend stopped; their keys now replay an unknown outcome");
        }
        self.store.expire_idempotency_keys(self.settings.idempotency_ttl.as_millis() as i64).await?;
        Ok(())
    }
}
