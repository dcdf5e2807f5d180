//! Room calls, recorded before the request leaves and updated with its outcome.

use super::{Store, StoreError};

impl Store {
    /// Write-ahead: from here on, a crash means "may have been called". Returns the row id.
    pub async fn record_room_call_intent(
        &self,
        account_id: &str,
        meeting_id: &str,
        target: &str,
        created_by: &str,
    ) -> Result<i64, StoreError> {
        let now = self.now_ms();
        Ok(sqlx::query_scalar(
            "INSERT INTO room_calls (account_id, meeting_id, target, created_by, created_at, phase, updated_at) VALUES (?, ?, ?, ?, ?, 'sending', ?) RETURNING id",
        )
        .bind(account_id)
        .bind(meeting_id)
        .bind(target)
        .bind(created_by)
        .bind(now)
        .bind(now)
        .fetch_one(self.writer())
        .await?)
    }

    /// `outcome` is the audit word (`ok`, `rejected`, `unknown`, `not_sent`).
    pub async fn finish_room_call(&self, id: i64, outcome: &str, invite_id: Option<&str>, detail: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE room_calls SET phase = 'sent', outcome = ?, invite_id = ?, detail = ?, updated_at = ? WHERE id = ?")
            .bind(outcome)
            .bind(invite_id)
            .bind(detail)
            .bind(self.now_ms())
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// After a restart: room calls that were on their way may have rung. They become `unknown`.
    pub async fn settle_interrupted_room_calls(&self) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE room_calls SET phase = 'sent', outcome = 'unknown', detail = 'the backend stopped while this call was being placed', updated_at = ? WHERE phase = 'sending'",
        )
        .bind(self.now_ms())
        .execute(self.writer())
        .await?
        .rows_affected())
    }
}
