//! The do-not-call list kept in the database (admins edit it; the configuration may add more).

use std::collections::HashSet;

use callout_shared::dnc::{DoNotCallAdded, DoNotCallEntry};

use super::{Store, StoreError};

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

    /// Adds `e164`; a number listed already keeps its row, and its note unless `note` is a new one.
    /// Answers with the stored row and whether it was listed already.
    pub async fn add_do_not_call(&self, e164: &str, note: Option<&str>, added_by: &str) -> Result<DoNotCallAdded, StoreError> {
        let mut tx = self.writer().begin().await?;
        let already_listed = sqlx::query("SELECT 1 FROM do_not_call WHERE e164 = ?").bind(e164).fetch_optional(&mut *tx).await?.is_some();
        let row: EntryRow = sqlx::query_as(
            "INSERT INTO do_not_call (e164, note, added_by, added_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (e164) DO UPDATE SET note = COALESCE(excluded.note, do_not_call.note) \
             RETURNING e164, note, added_by, added_at",
        )
        .bind(e164)
        .bind(note)
        .bind(added_by)
        .bind(self.now_ms())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(DoNotCallAdded { entry: row.into_entry(), already_listed })
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
