//! DialEx calls waiting for their outcome, and the contact center's call records that settled them
//! (each record at most once: `dialex_call_records`, migration 0010).

use std::collections::HashSet;

use callout_shared::{
    call_status::CallStatus,
    jobs::{ItemReason, JobItem},
};

use super::{jobs::ItemRow, Store, StoreError};

/// A DialEx call the contact center took (`placed`) whose outcome is not known yet.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlacedCall {
    pub item_id: i64,
    pub job_id: String,
    pub instance_id: String,
    pub e164: String,
    pub attempt: i64,
    /// When the contact center took it (Unix ms, the console's clock).
    pub sent_at: i64,
}

/// What became of a placed call.
#[derive(Debug, Clone)]
pub struct PlacedOutcome {
    pub item_id: i64,
    /// The attempt it is for: a row queued again since is left alone.
    pub attempt: i64,
    pub status: CallStatus,
    pub raw_status: Option<String>,
    pub reason: Option<ItemReason>,
    /// The record that told it (`instance_id`, `contact_id`), if one did.
    pub record: Option<(String, String)>,
    pub answered_at: Option<i64>,
    pub ended_at: Option<i64>,
}

impl Store {
    /// The account's placed DialEx calls, oldest first.
    pub async fn placed_dialex_calls(&self, account_id: &str) -> Result<Vec<PlacedCall>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT i.id AS item_id, i.job_id, j.instance_id, i.e164, i.attempt, COALESCE(i.sent_at, i.updated_at) AS sent_at \
             FROM job_items i JOIN jobs j ON j.id = i.job_id \
             WHERE j.account_id = ? AND j.kind = 'dialex' AND i.phase = 'sent' AND i.status = 'placed' \
             AND j.instance_id IS NOT NULL AND i.e164 IS NOT NULL ORDER BY sent_at, i.id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Accounts with placed DialEx calls (after a restart, each gets its follower).
    pub async fn accounts_with_placed_calls(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT j.account_id FROM job_items i JOIN jobs j ON j.id = i.job_id \
             WHERE j.kind = 'dialex' AND i.phase = 'sent' AND i.status = 'placed' ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Which of these records of the instance already settled a call.
    pub async fn used_call_records(&self, instance_id: &str, contact_ids: &[&str]) -> Result<HashSet<String>, StoreError> {
        let mut used = HashSet::new();
        for chunk in contact_ids.chunks(500) {
            let mut query = sqlx::QueryBuilder::new("SELECT contact_id FROM dialex_call_records WHERE instance_id = ");
            query.push_bind(instance_id).push(" AND contact_id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            used.extend(query.build_query_scalar::<String>().fetch_all(&self.pool).await?);
        }
        Ok(used)
    }

    /// Settles placed calls in one transaction: each only while it is still that attempt and still
    /// placed, and only with a record no other call was settled by. Returns the items that changed.
    pub async fn settle_placed_calls(&self, outcomes: &[PlacedOutcome]) -> Result<Vec<(String, JobItem)>, StoreError> {
        if outcomes.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.write().await?;
        let now = self.now_ms();
        let mut settled = Vec::new();
        for o in outcomes {
            if let Some((instance_id, contact_id)) = &o.record {
                let used: Option<i64> = sqlx::query_scalar("SELECT 1 FROM dialex_call_records WHERE instance_id = ? AND contact_id = ?")
                    .bind(instance_id)
                    .bind(contact_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if used.is_some() {
                    continue;
                }
            }
            let row: Option<ItemRow> = sqlx::query_as(
                "UPDATE job_items SET status = ?, raw_status = ?, reason = ?, reason_code = ?, reason_detail = ?, updated_at = ?, \
                 answered_at = COALESCE(?, answered_at), ended_at = COALESCE(?, ended_at) \
                 WHERE id = ? AND attempt = ? AND phase = 'sent' AND status = 'placed' RETURNING *",
            )
            .bind(o.status.as_str())
            .bind(&o.raw_status)
            .bind(o.reason.as_ref().map(ItemReason::english))
            .bind(o.reason.as_ref().map(|r| r.code.as_str()))
            .bind(o.reason.as_ref().and_then(|r| r.detail.as_deref()))
            .bind(now)
            .bind(o.answered_at)
            .bind(o.ended_at)
            .bind(o.item_id)
            .bind(o.attempt)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else { continue };
            if let Some((instance_id, contact_id)) = &o.record {
                sqlx::query(
                    "INSERT INTO dialex_call_records (instance_id, contact_id, item_id, attempt, disposition, matched_at) VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(instance_id)
                .bind(contact_id)
                .bind(o.item_id)
                .bind(o.attempt)
                .bind(&o.raw_status)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            settled.push(row.with_job());
        }
        tx.commit().await?;
        Ok(settled)
    }
}
