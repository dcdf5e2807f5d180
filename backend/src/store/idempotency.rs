//! Idempotency keys of dialling requests: the same key with the same body replays the first
//! answer; the same key with another body is a conflict. Keys are per signed-in user and expire.

use super::{now_ms, Store, StoreError};

pub enum Claim {
    /// The key is new (or its earlier use expired): go ahead, then [`Store::finish_idempotent`].
    Fresh,
    /// Seen with the same body and answered: replay this.
    Replay { status: u16, body: String },
    /// Seen with a different body.
    Mismatch,
    /// Seen with the same body and still being processed.
    InProgress,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    request_hash: String,
    status: Option<i64>,
    body: Option<String>,
}

impl Store {
    /// Claims `key` for `subject`; a use older than `ttl_ms` no longer counts.
    pub async fn claim_idempotency_key(&self, subject: &str, key: &str, request_hash: &str, ttl_ms: i64) -> Result<Claim, StoreError> {
        let now = now_ms();
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM idempotency_keys WHERE subject = ? AND key = ? AND created_at < ?")
            .bind(subject)
            .bind(key)
            .bind(now - ttl_ms)
            .execute(&mut *tx)
            .await?;
        let inserted =
            sqlx::query("INSERT INTO idempotency_keys (subject, key, request_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(subject)
                .bind(key)
                .bind(request_hash)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let claim = if inserted == 1 {
            Claim::Fresh
        } else {
            let row: KeyRow = sqlx::query_as("SELECT request_hash, status, body FROM idempotency_keys WHERE subject = ? AND key = ?")
                .bind(subject)
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
            match row {
                KeyRow { request_hash: stored, .. } if stored != request_hash => Claim::Mismatch,
                KeyRow { status: Some(status), body: Some(body), .. } => Claim::Replay { status: status as u16, body },
                _ => Claim::InProgress,
            }
        };
        tx.commit().await?;
        Ok(claim)
    }

    pub async fn finish_idempotent(&self, subject: &str, key: &str, status: u16, body: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE idempotency_keys SET status = ?, body = ? WHERE subject = ? AND key = ?")
            .bind(i64::from(status))
            .bind(body)
            .bind(subject)
            .bind(key)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// At start-up: keys whose request was still running when the process died get `answer`, so a
    /// replay says what is known (the outcome is unknown) instead of "in progress" forever.
    pub async fn settle_unfinished_keys(&self, status: u16, answer: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query("UPDATE idempotency_keys SET status = ?, body = ? WHERE status IS NULL")
            .bind(i64::from(status))
            .bind(answer)
            .execute(self.writer())
            .await?
            .rows_affected())
    }

    /// Drops every key older than `ttl_ms`.
    pub async fn expire_idempotency_keys(&self, ttl_ms: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ? AND status IS NOT NULL")
            .bind(now_ms() - ttl_ms)
            .execute(self.writer())
            .await?
            .rows_affected())
    }
}
