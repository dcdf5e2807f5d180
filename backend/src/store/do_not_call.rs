//! The do-not-call list kept in the database (admins edit it; the configuration may add more).

use std::collections::HashSet;

use callout_shared::dnc::DoNotCallEntry;

use super::{now_ms, Store, StoreError};

impl Store {
    pub async fn do_not_call_numbers(&self) -> Result<HashSet<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT e164 FROM do_not_call").fetch_all(self.pool()).await?.into_iter().collect())
    }

    pub async fn do_not_call_entries(&self) -> Result<Vec<DoNotCallEntry>, StoreError> {
        Ok(sqlx::query_as::<_, EntryRow>("SELECT e164, note, added_by, added_at FROM do_not_call ORDER BY e164")
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(EntryRow::into_entry)
            .collect())
    }

    /// Adds `e164`, or replaces the note of a number already listed; answers with the stored row
    /// and whether it is new.
    pub async fn add_do_not_call(&self, e164: &str, note: Option<&str>, added_by: &str) -> Result<(DoNotCallEntry, bool), StoreError> {
        // Only the answer's status depends on this read, so a concurrent add of the same number is harmless.
        let listed = sqlx::query("SELECT 1 FROM do_not_call WHERE e164 = ?").bind(e164).fetch_optional(self.pool()).await?.is_some();
        let row: EntryRow = sqlx::query_as(
            "INSERT INTO do_not_call (e164, note, added_by, added_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (e164) DO UPDATE SET note = excluded.note RETURNING e164, note, added_by, added_at",
        )
        .bind(e164)
        .bind(note)
        .bind(added_by)
        .bind(now_ms())
        .fetch_one(self.writer())
        .await?;
        Ok((row.into_entry(), !listed))
    }

    pub async fn remove_do_not_call(&self, e164: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("DELETE FROM do_not_call WHERE e164 = ?").bind(e164).execute(self.writer()).await?.rows_affected() > 0)
    }
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    e164: String,
    note: Option<String>,
    added_by: String,
    added_at: i64,
}

impl EntryRow {
    fn into_entry(self) -> DoNotCallEntry {
        DoNotCallEntry { e164: self.e164, note: self.note, added_by: Some(self.added_by), added_at: Some(self.added_at), configured: false }
    }
}
