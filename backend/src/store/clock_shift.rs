//! The clock's saved shift: where a moved clock stood, for the next start.

use super::{Store, StoreError};

impl Store {
    /// How far the clock was moved forward, as last saved (0 if never).
    pub async fn saved_clock_shift(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT shift_ms FROM clock_shift WHERE id = 1").fetch_optional(&self.pool).await?.unwrap_or(0))
    }

    /// Saves the clock's shift; a smaller one than saved (two moves answered out of order) is ignored.
    pub async fn save_clock_shift(&self, shift_ms: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO clock_shift (id, shift_ms) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET shift_ms = MAX(shift_ms, excluded.shift_ms)",
        )
        .bind(shift_ms)
        .execute(self.writer())
        .await?;
        Ok(())
    }
}
