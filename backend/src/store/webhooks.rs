//! Provider webhook deliveries, remembered only to recognise a redelivery: the account, the
//! de-duplication key, the event name and when it arrived (no body), pruned after the window.

use super::{Store, StoreError};

impl Store {
    /// Records a provider event once; false when its key was seen before.
    pub async fn record_webhook_event(&self, account_id: &str, key: &str, event: &str) -> Result<bool, StoreError> {
        let inserted =
            sqlx::query("INSERT INTO webhook_events (account_id, trace_id, event, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(account_id)
                .bind(key)
                .bind(event)
                .bind(self.now_ms())
                .execute(self.writer())
                .await?
                .rows_affected();
        Ok(inserted == 1)
    }

    /// Forgets events received more than `window_ms` ago; returns how many.
    pub async fn prune_webhook_events(&self, window_ms: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM webhook_events WHERE received_at < ?")
            .bind(self.now_ms() - window_ms)
            .execute(self.writer())
            .await?
            .rows_affected())
    }
}
