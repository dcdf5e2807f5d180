//! Idempotency keys of dialling requests: the same key with the same body replays the first
//! answer; the same key with another body is a conflict. Keys are per signed-in user and expire.
//! A key is claimed and answered inside the transactions of the work it guards where that work
//! allows (see `dials.rs`), or in commits of their own around it.

use sqlx::SqliteConnection;

use super::{Store, StoreError};

/// A dialling request's key: whose it is, the key, and the digest of the request it was given with.
#[derive(Debug, Clone)]
pub struct RequestKey {
    pub subject: String,
    pub key: String,
    pub request_hash: String,
}

/// What claiming a key came to; `Fresh` carries what the claiming transaction wrote besides.
pub enum Claim<T = ()> {
    /// The key is new (or its earlier use expired): the work goes ahead, and its answer is stored.
    Fresh(T),
    /// The key was used before: nothing else was written.
    Seen(Seen),
}

/// An earlier use of a key.
pub enum Seen {
    /// With the same body, and answered: replay this.
    Replay { status: u16, body: String },
    /// With a different body.
    Mismatch,
    /// With the same body, and still being processed.
    InProgress,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    request_hash: String,
    status: Option<i64>,
    body: Option<String>,
}

impl Store {
    /// Claims `key` in a commit of its own; a use older than `ttl_ms` no longer counts.
    pub async fn claim_idempotency_key(&self, key: &RequestKey, ttl_ms: i64) -> Result<Claim, StoreError> {
        let mut tx = self.write().await?;
        let claim = claim(&mut tx, key, ttl_ms, self.now_ms()).await?;
        tx.commit().await?;
        Ok(claim)
    }

    /// Stores the answer a replay of `key` gives, in a commit of its own.
    pub async fn finish_idempotent(&self, key: &RequestKey, status: u16, body: &str) -> Result<(), StoreError> {
        let mut conn = self.writer().acquire().await?;
        answer(&mut conn, key, status, body).await
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
            .bind(self.now_ms() - ttl_ms)
            .execute(self.writer())
            .await?
            .rows_affected())
    }
}

/// Claims `key` inside the caller's write transaction.
pub(super) async fn claim(conn: &mut SqliteConnection, key: &RequestKey, ttl_ms: i64, now: i64) -> Result<Claim, StoreError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE subject = ? AND key = ? AND created_at < ?")
        .bind(&key.subject)
        .bind(&key.key)
        .bind(now - ttl_ms)
        .execute(&mut *conn)
        .await?;
    let inserted =
        sqlx::query("INSERT INTO idempotency_keys (subject, key, request_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(&key.subject)
            .bind(&key.key)
            .bind(&key.request_hash)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if inserted == 1 {
        return Ok(Claim::Fresh(()));
    }
    let row: KeyRow = sqlx::query_as("SELECT request_hash, status, body FROM idempotency_keys WHERE subject = ? AND key = ?")
        .bind(&key.subject)
        .bind(&key.key)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Claim::Seen(match row {
        KeyRow { request_hash: stored, .. } if stored != key.request_hash => Seen::Mismatch,
        KeyRow { status: Some(status), body: Some(body), .. } => Seen::Replay { status: status as u16, body },
        _ => Seen::InProgress,
    }))
}

/// Stores the answer of `key` inside the caller's transaction.
pub(super) async fn answer(conn: &mut SqliteConnection, key: &RequestKey, status: u16, body: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE idempotency_keys SET status = ?, body = ? WHERE subject = ? AND key = ?")
        .bind(i64::from(status))
        .bind(body)
        .bind(&key.subject)
        .bind(&key.key)
        .execute(conn)
        .await?;
    Ok(())
}
