//! The do-not-call list kept in the database (admins edit it; the configuration may add more).

use std::collections::HashSet;

use callout_shared::dnc::DoNotCallEntry;
use sqlx::Row;

use super::{now_ms, Store, StoreError};

impl Store {
    pub async fn do_not_call_numbers(&self) -> Result<HashSet<String>, StoreError> {
        Ok(sqlx::query("SELECT e164 FROM do_not_call").fetch_all(self.pool()).await?.iter().map(|r| r.get("e164")).collect())
    }

    pub async fn do_not_call_entries(&self) -> Result<Vec<DoNotCallEntry>, StoreError> {
        Ok(sqlx::query("SELECT e164, note, added_by, added_at FROM do_not_call ORDER BY e164")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(entry)
            .collect())
    }

    /// Adds `e164`, or replaces the note of a number already listed; answers with the stored row
    /// and whether it is new.
    pub async fn add_do_not_call(&self, e164: &str, note: Option<&str>, added_by: &str) -> Result<(DoNotCallEntry, bool), StoreError> {
        // Only the answer's status depends on this read, so a concurrent add of the same number is harmless.
        let listed = sqlx::query("SELECT 1 FROM do_not_call WHERE e164 = ?").bind(e164).fetch_optional(self.pool()).await?.is_some();
        let row = sqlx::query(
            "INSERT INTO do_not_call (e164, note, added_by, added_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (e164) DO UPDATE SET note = excluded.note RETURNING e164, note, added_by, added_at",
        )
        .bind(e164)
        .bind(note)
        .bind(added_by)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?;
        Ok((entry(&row), !listed))
    }

    pub async fn remove_do_not_call(&self, e164: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("DELETE FROM do_not_call WHERE e164 = ?").bind(e164).execute(self.pool()).await?.rows_affected() > 0)
    }
}

fn entry(row: &sqlx::sqlite::SqliteRow) -> DoNotCallEntry {
    DoNotCallEntry {
        e164: row.get("e164"),
        note: row.get("note"),
        added_by: Some(row.get("added_by")),
        added_at: Some(row.get("added_at")),
        configured: false,
    }
}
