//! Idempotency keys of dialling requests: the same key with the same body replays the first
//! answer; the same key with another body is a conflict. Keys are per signed-in user.

use sqlx::Row;

use super::{now_ms, Store, StoreError};

pub enum Claim {
    /// The key is new: go ahead, then [`Store::finish_idempotent`].
    Fresh,
    /// Seen with the same body and answered: replay this.
    Replay { status: u16, body: String },
    /// Seen with a different body.
    Mismatch,
    /// Seen with the same body and still being processed.
    InProgress,
}

impl Store {
    pub async fn claim_idempotency_key(&self, subject: &str, key: &str, request_hash: &str) -> Result<Claim, StoreError> {
        let inserted =
            sqlx::query("INSERT INTO idempotency_keys (subject, key, request_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(subject)
                .bind(key)
                .bind(request_hash)
                .bind(now_ms())
                .execute(self.pool())
                .await?
                .rows_affected();
        if inserted == 1 {
            return Ok(Claim::Fresh);
        }
        let row = sqlx::query("SELECT request_hash, status, body FROM idempotency_keys WHERE subject = ? AND key = ?")
            .bind(subject)
            .bind(key)
            .fetch_one(self.pool())
            .await?;
        if row.get::<String, _>("request_hash") != request_hash {
            return Ok(Claim::Mismatch);
        }
        Ok(match (row.get::<Option<i64>, _>("status"), row.get::<Option<String>, _>("body")) {
            (Some(status), Some(body)) => Claim::Replay { status: status as u16, body },
            _ => Claim::InProgress,
        })
    }

    pub async fn finish_idempotent(&self, subject: &str, key: &str, status: u16, body: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE idempotency_keys SET status = ?, body = ? WHERE subject = ? AND key = ?")
            .bind(i64::from(status))
            .bind(body)
            .bind(subject)
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
