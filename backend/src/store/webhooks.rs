//! Provider webhook deliveries, each stored once under its de-duplication key.

use super::{now_ms, Store, StoreError};

impl Store {
    /// Records a provider event once; false when its key was seen before.
    pub async fn record_webhook_event(&self, account_id: &str, key: &str, event: &str, payload: &str) -> Result<bool, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO webhook_events (account_id, trace_id, event, received_at, payload) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(key)
        .bind(event)
        .bind(now_ms())
        .bind(payload)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }
}
