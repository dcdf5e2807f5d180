//! Idempotency keys of dialling requests: one answer per (person, key) for as long as the key is
//! remembered; a request cut short by a crash answers "unknown" on replay, never "in progress" forever.
//! A service function that records its dial (DialEx) claims the key and stores its answer inside its
//! own transactions; [`Calls::once`] guards any other work with a claim and an answer of their own.

use std::future::Future;

use callout_shared::error::{ApiErrorBody, ErrorCode};
use serde::Serialize;

use super::{Calls, ServiceError};
pub use crate::store::idempotency::{Claim, RequestKey, Seen};

/// How the HTTP layer answers a request, so that the service can store the answer a replay gives in
/// the same transaction as the work's own records.
#[derive(Clone, Copy)]
pub struct Answering {
    /// The status of a success.
    pub success: u16,
    /// The status and JSON body of an error.
    pub error: fn(ServiceError) -> (u16, String),
}

impl Answering {
    pub fn answer<T: Serialize>(&self, result: Result<T, ServiceError>) -> Answer {
        let (status, body) = match result.and_then(|value| serde_json::to_string(&value).map_err(|e| ServiceError::Internal(e.to_string())))
        {
            Ok(body) => (self.success, body),
            Err(err) => (self.error)(err),
        };
        Answer { status, body }
    }
}

/// A request's answer: status and JSON body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// What a keyed request came to.
pub enum Answered {
    /// The work ran now.
    Fresh(Answer),
    /// The key was answered before: its stored answer.
    Replay(Answer),
}

impl Seen {
    /// The answer to a request whose key was used before: its replay, or a conflict.
    pub fn answered(self) -> Result<Answered, ServiceError> {
        match self {
            Seen::Replay { status, body } => Ok(Answered::Replay(Answer { status, body })),
            Seen::Mismatch => Err(ServiceError::Conflict {
                code: ErrorCode::IdempotencyKeyReused,
                message: "this Idempotency-Key was used for a different request".into(),
            }),
            Seen::InProgress => Err(ServiceError::Conflict {
                code: ErrorCode::IdempotencyKeyInProgress,
                message: "a request with this Idempotency-Key is still being processed".into(),
            }),
        }
    }
}

impl Calls {
    /// Runs `work` once per key: the key is claimed in a commit of its own, and the answer stored in another.
    pub async fn once<T: Serialize>(
        &self,
        key: &RequestKey,
        answering: Answering,
        work: impl Future<Output = Result<T, ServiceError>>,
    ) -> Result<Answered, ServiceError> {
        if let Claim::Seen(seen) = self.store.claim_idempotency_key(key, self.key_ttl_ms()).await? {
            return seen.answered();
        }
        let answer = answering.answer(work.await);
        if let Err(err) = self.store.finish_idempotent(key, answer.status, &answer.body).await {
            tracing::error!(%err, "the answer of an idempotent request could not be stored");
        }
        Ok(Answered::Fresh(answer))
    }

    /// How long a key is remembered, in the store's unit.
    pub(super) fn key_ttl_ms(&self) -> i64 {
        self.settings.idempotency_ttl.as_millis() as i64
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
        self.store.expire_idempotency_keys(self.key_ttl_ms()).await?;
        Ok(())
    }
}
