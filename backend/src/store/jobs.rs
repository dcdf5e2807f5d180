//! Jobs and their per-number items. An item is written before its batch is sent and updated after,
//! so a restart can tell what may have reached the provider (`sending`) from what never left.

use std::collections::BTreeMap;

use callout_shared::{
    call_status::CallStatus,
    jobs::{CalloutJob, ItemPhase, JobCounters, JobItem, JobState, JobSummary},
};
use sqlx::{sqlite::SqliteRow, Row};

use super::{now_ms, Store, StoreError};

pub struct NewJob {
    pub id: String,
    pub account_id: String,
    pub meeting_id: String,
    pub operator_id: String,
    pub created_by: String,
    pub created_by_email: Option<String>,
    pub batch_cap: u32,
}

pub struct NewItem {
    pub row: u32,
    pub input: String,
    pub e164: Option<String>,
    pub area: Option<u32>,
    pub phone: Option<String>,
    pub extension: Option<String>,
    pub nick_name: Option<String>,
    pub batch: Option<u32>,
    pub phase: ItemPhase,
    pub status: CallStatus,
    pub reason: Option<String>,
}

/// What the dialler needs of an item.
#[derive(Debug, Clone)]
pub struct DialItem {
    pub id: i64,
    pub job_id: String,
    pub e164: String,
    pub area: u32,
    pub phone: String,
    pub extension: Option<String>,
    pub nick_name: Option<String>,
    pub status: CallStatus,
}

/// A job's identity as the background workers see it.
#[derive(Debug, Clone)]
pub struct JobRef {
    pub id: String,
    pub account_id: String,
    pub meeting_id: String,
    pub operator_id: String,
}

fn phase_str(p: ItemPhase) -> &'static str {
    match p {
        ItemPhase::Invalid => "invalid",
        ItemPhase::Duplicate => "duplicate",
        ItemPhase::Blocked => "blocked",
        ItemPhase::Pending => "pending",
        ItemPhase::Sending => "sending",
        ItemPhase::Sent => "sent",
    }
}

fn parse_phase(s: &str) -> ItemPhase {
    match s {
        "invalid" => ItemPhase::Invalid,
        "duplicate" => ItemPhase::Duplicate,
        "blocked" => ItemPhase::Blocked,
        "pending" => ItemPhase::Pending,
        "sending" => ItemPhase::Sending,
        _ => ItemPhase::Sent,
    }
}

fn parse_status(s: &str) -> CallStatus {
    CallStatus::ALL.into_iter().find(|c| c.as_str() == s).unwrap_or(CallStatus::Unknown)
}

fn state_str(s: JobState) -> &'static str {
    match s {
        JobState::Dialling => "dialling",
        JobState::Following => "following",
        JobState::Finished => "finished",
    }
}

/// The columns of a [`JobItem`], as a literal so queries stay static strings.
macro_rules! item_columns {
    () => {
        "id, row_index, input, e164, nick_name, batch_no, phase, status, reason, raw_status, ms_open_id, updated_at"
    };
}

fn item_from_row(row: &SqliteRow) -> JobItem {
    JobItem {
        id: row.get("id"),
        row: row.get::<i64, _>("row_index") as u32,
        input: row.get("input"),
        e164: row.get("e164"),
        nick_name: row.get("nick_name"),
        batch: row.get::<Option<i64>, _>("batch_no").map(|b| b as u32),
        phase: parse_phase(row.get("phase")),
        status: parse_status(row.get("status")),
        reason: row.get("reason"),
        raw_status: row.get("raw_status"),
        ms_open_id: row.get("ms_open_id"),
        updated_at: row.get("updated_at"),
    }
}

fn dial_item_from_row(row: &SqliteRow) -> DialItem {
    DialItem {
        id: row.get("id"),
        job_id: row.get("job_id"),
        e164: row.get("e164"),
        area: row.get::<i64, _>("area") as u32,
        phone: row.get("phone"),
        extension: row.get("extension"),
        nick_name: row.get("nick_name"),
        status: parse_status(row.get("status")),
    }
}

/// Counters and state follow from the items; nothing is stored twice. Takes items grouped as
/// (batch, phase, status, how many), so a summary needs only a `GROUP BY`, not every row.
pub fn summarize(groups: impl IntoIterator<Item = (Option<u32>, ItemPhase, CallStatus, u32)>) -> (JobCounters, JobState) {
    let mut c = JobCounters::default();
    let mut batches_pending = std::collections::BTreeSet::new();
    let mut batches_all = std::collections::BTreeSet::new();
    let mut following = false;
    for (batch, phase, status, n) in groups {
        c.rows += n;
        *c.by_status.entry(status.as_str().to_owned()).or_default() += n;
        batches_all.extend(batch);
        match phase {
            ItemPhase::Invalid => c.invalid += n,
            ItemPhase::Duplicate => c.duplicates += n,
            ItemPhase::Blocked => c.blocked += n,
            ItemPhase::Pending | ItemPhase::Sending => {
                batches_pending.extend(batch);
            }
            ItemPhase::Sent => match status {
                CallStatus::Failed => c.provider_invalid += n,
                CallStatus::Unknown => c.unknown += n,
                s => {
                    c.accepted += n;
                    if s.is_final() {
                        c.finished += n;
                    } else {
                        following = true;
                    }
                }
            },
        }
    }
    c.batches_total = batches_all.len() as u32;
    c.batches_sent = c.batches_total - batches_pending.len() as u32;
    let state = if !batches_pending.is_empty() {
        JobState::Dialling
    } else if following {
        JobState::Following
    } else {
        JobState::Finished
    };
    (c, state)
}

impl Store {
    pub async fn insert_job(&self, job: &NewJob, items: &[NewItem]) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO jobs (id, account_id, meeting_id, operator_id, created_by, created_by_email, state, batch_cap, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, 'dialling', ?, ?, ?)",
        )
        .bind(&job.id)
        .bind(&job.account_id)
        .bind(&job.meeting_id)
        .bind(&job.operator_id)
        .bind(&job.created_by)
        .bind(&job.created_by_email)
        .bind(i64::from(job.batch_cap))
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for item in items {
            sqlx::query(
                "INSERT INTO job_items (job_id, row_index, input, e164, area, phone, extension, nick_name, batch_no, phase, status, reason, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&job.id)
            .bind(i64::from(item.row))
            .bind(&item.input)
            .bind(&item.e164)
            .bind(item.area.map(i64::from))
            .bind(&item.phone)
            .bind(&item.extension)
            .bind(&item.nick_name)
            .bind(item.batch.map(i64::from))
            .bind(phase_str(item.phase))
            .bind(item.status.as_str())
            .bind(&item.reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn job(&self, id: &str) -> Result<Option<CalloutJob>, StoreError> {
        let Some(row) = sqlx::query("SELECT * FROM jobs WHERE id = ?").bind(id).fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let items: Vec<JobItem> = sqlx::query(concat!("SELECT ", item_columns!(), " FROM job_items WHERE job_id = ? ORDER BY row_index"))
            .bind(id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(item_from_row)
            .collect();
        let (counters, state) = summarize(items.iter().map(|i| (i.batch, i.phase, i.status, 1)));
        Ok(Some(CalloutJob { summary: summary_from_row(&row, counters, state), items }))
    }

    /// The job's counters without reading its rows: called after every batch and status change.
    pub async fn job_summary(&self, id: &str) -> Result<Option<JobSummary>, StoreError> {
        let Some(row) = sqlx::query("SELECT * FROM jobs WHERE id = ?").bind(id).fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let groups =
            sqlx::query("SELECT batch_no, phase, status, COUNT(*) AS n FROM job_items WHERE job_id = ? GROUP BY batch_no, phase, status")
                .bind(id)
                .fetch_all(self.pool())
                .await?;
        let (counters, state) = summarize(groups.iter().map(|g| {
            (
                g.get::<Option<i64>, _>("batch_no").map(|b| b as u32),
                parse_phase(g.get("phase")),
                parse_status(g.get("status")),
                g.get::<i64, _>("n") as u32,
            )
        }));
        Ok(Some(summary_from_row(&row, counters, state)))
    }

    /// Newest first.
    pub async fn recent_jobs(&self, limit: u32) -> Result<Vec<JobSummary>, StoreError> {
        let ids: Vec<String> = sqlx::query("SELECT id FROM jobs ORDER BY created_at DESC, id LIMIT ?")
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| r.get("id"))
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.job_summary(&id).await?);
        }
        Ok(out)
    }

    pub async fn job_ref(&self, id: &str) -> Result<Option<JobRef>, StoreError> {
        Ok(sqlx::query("SELECT id, account_id, meeting_id, operator_id FROM jobs WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(|r| JobRef {
                id: r.get("id"),
                account_id: r.get("account_id"),
                meeting_id: r.get("meeting_id"),
                operator_id: r.get("operator_id"),
            }))
    }

    /// Jobs with batches still to send or calls still to follow.
    pub async fn unfinished_jobs(&self) -> Result<Vec<JobRef>, StoreError> {
        Ok(sqlx::query("SELECT id, account_id, meeting_id, operator_id FROM jobs WHERE state != 'finished' ORDER BY created_at")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| JobRef {
                id: r.get("id"),
                account_id: r.get("account_id"),
                meeting_id: r.get("meeting_id"),
                operator_id: r.get("operator_id"),
            })
            .collect())
    }

    pub async fn set_job_state(&self, id: &str, state: JobState) -> Result<(), StoreError> {
        sqlx::query("UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?")
            .bind(state_str(state))
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// E.164 numbers being called (or about to be) in this meeting, by any job.
    pub async fn active_numbers(&self, account_id: &str, meeting_id: &str) -> Result<BTreeMap<String, String>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.e164, i.job_id, i.status FROM job_items i JOIN jobs j ON j.id = i.job_id \
             WHERE j.account_id = ? AND j.meeting_id = ? AND i.phase IN ('pending', 'sending', 'sent') AND i.e164 IS NOT NULL",
        )
        .bind(account_id)
        .bind(meeting_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .filter(|r| !parse_status(r.get("status")).is_final())
            .map(|r| (r.get::<String, _>("e164"), r.get::<String, _>("job_id")))
            .collect())
    }

    /// The lowest batch of the job still waiting to be sent.
    pub async fn next_pending_batch(&self, job_id: &str) -> Result<Option<(u32, Vec<DialItem>)>, StoreError> {
        let Some(batch): Option<i64> = sqlx::query("SELECT MIN(batch_no) AS b FROM job_items WHERE job_id = ? AND phase = 'pending'")
            .bind(job_id)
            .fetch_one(self.pool())
            .await?
            .get("b")
        else {
            return Ok(None);
        };
        let items = sqlx::query("SELECT * FROM job_items WHERE job_id = ? AND batch_no = ? AND phase = 'pending' ORDER BY row_index")
            .bind(job_id)
            .bind(batch)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(dial_item_from_row)
            .collect();
        Ok(Some((batch as u32, items)))
    }

    /// Write-ahead: from here on, a crash means "may have been dialled".
    pub async fn mark_sending(&self, item_ids: &[i64]) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        let now = now_ms();
        for id in item_ids {
            sqlx::query("UPDATE job_items SET phase = 'sending', updated_at = ? WHERE id = ? AND phase = 'pending'")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A batch that provably never reached the provider goes back to waiting.
    pub async fn mark_pending_again(&self, item_ids: &[i64]) -> Result<(), StoreError> {
        let now = now_ms();
        for id in item_ids {
            sqlx::query("UPDATE job_items SET phase = 'pending', updated_at = ? WHERE id = ? AND phase = 'sending'")
                .bind(now)
                .bind(id)
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// Records the provider's answer for one item of a sent batch.
    pub async fn mark_sent(
        &self,
        item_id: i64,
        status: CallStatus,
        raw_status: Option<&str>,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE job_items SET phase = 'sent', status = ?, raw_status = ?, reason = ?, updated_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(raw_status)
            .bind(reason)
            .bind(now_ms())
            .bind(item_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// After a restart: items that were on their way may have been dialled. They become `unknown`
    /// and are never sent again without a person deciding. Returns the affected job ids.
    pub async fn settle_interrupted_sends(&self) -> Result<Vec<String>, StoreError> {
        let jobs: Vec<String> = sqlx::query("SELECT DISTINCT job_id FROM job_items WHERE phase = 'sending'")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| r.get("job_id"))
            .collect();
        sqlx::query(
            "UPDATE job_items SET phase = 'sent', status = 'unknown', reason = 'the backend stopped while this batch was being sent; it may have been dialled', updated_at = ? WHERE phase = 'sending'",
        )
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(jobs)
    }

    /// Items of a meeting that were dialled and are not final yet (unknown included), for the poller and webhooks.
    /// Unknown items are looked for in the provider's list for `unknown_for_ms` after they became unknown.
    pub async fn open_items(&self, account_id: &str, meeting_id: &str, unknown_for_ms: i64) -> Result<Vec<DialItem>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.* FROM job_items i JOIN jobs j ON j.id = i.job_id \
             WHERE j.account_id = ? AND j.meeting_id = ? AND i.phase = 'sent' \
             AND (i.status IN ('queued', 'ringing', 'answered') OR (i.status = 'unknown' AND i.updated_at > ?)) \
             ORDER BY i.id",
        )
        .bind(account_id)
        .bind(meeting_id)
        .bind(now_ms() - unknown_for_ms)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(dial_item_from_row).collect())
    }

    /// Moves an item forward (never back); returns the updated item when something changed.
    pub async fn advance_item(
        &self,
        item_id: i64,
        next: CallStatus,
        raw_status: &str,
        ms_open_id: Option<&str>,
    ) -> Result<Option<JobItem>, StoreError> {
        let Some(row) = sqlx::query("SELECT status, raw_status, ms_open_id FROM job_items WHERE id = ?")
            .bind(item_id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let current = parse_status(row.get("status"));
        // Leaving `unknown` for any known state is progress: the provider has word of the call.
        let progress = current.can_become(next) || (current == CallStatus::Unknown && next != CallStatus::Unknown);
        let old_ms: Option<String> = row.get("ms_open_id");
        let new_ms = ms_open_id.filter(|m| !m.is_empty() && old_ms.as_deref() != Some(*m));
        if !progress && new_ms.is_none() {
            return Ok(None);
        }
        let status = if progress { next } else { current };
        let raw = if progress { Some(raw_status.to_owned()) } else { row.get("raw_status") };
        sqlx::query("UPDATE job_items SET status = ?, raw_status = ?, ms_open_id = COALESCE(?, ms_open_id), reason = CASE WHEN ? = 'unknown' THEN NULL ELSE reason END, updated_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(raw)
            .bind(new_ms)
            .bind(current.as_str())
            .bind(now_ms())
            .bind(item_id)
            .execute(self.pool())
            .await?;
        self.item(item_id).await
    }

    /// The console's latest callout per number (area, phone, extension) in a meeting: job and submitter.
    pub async fn console_callouts(
        &self,
        account_id: &str,
        meeting_id: &str,
    ) -> Result<BTreeMap<(u32, String, Option<String>), callout_shared::meeting::ConsoleCallout>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.area, i.phone, i.extension, i.job_id, COALESCE(j.created_by_email, j.created_by) AS placed_by FROM job_items i \
             JOIN jobs j ON j.id = i.job_id WHERE j.account_id = ? AND j.meeting_id = ? AND i.phase = 'sent' ORDER BY i.id",
        )
        .bind(account_id)
        .bind(meeting_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let key = (r.get::<i64, _>("area") as u32, r.get::<String, _>("phone"), r.get::<Option<String>, _>("extension"));
                (key, callout_shared::meeting::ConsoleCallout { job_id: r.get("job_id"), placed_by: r.get("placed_by") })
            })
            .collect())
    }

    pub async fn item_job(&self, item_id: i64) -> Result<String, StoreError> {
        Ok(sqlx::query("SELECT job_id FROM job_items WHERE id = ?").bind(item_id).fetch_one(self.pool()).await?.get("job_id"))
    }

    pub async fn item(&self, item_id: i64) -> Result<Option<JobItem>, StoreError> {
        Ok(sqlx::query(concat!("SELECT ", item_columns!(), " FROM job_items WHERE id = ?"))
            .bind(item_id)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(item_from_row))
    }

    /// A person's explicit decision: unknown items of the job are queued again in new batches.
    pub async fn requeue_unknown(&self, job_id: &str, batch_cap: u32) -> Result<u32, StoreError> {
        let mut tx = self.pool().begin().await?;
        let max_batch: Option<i64> =
            sqlx::query("SELECT MAX(batch_no) AS b FROM job_items WHERE job_id = ?").bind(job_id).fetch_one(&mut *tx).await?.get("b");
        let ids: Vec<i64> =
            sqlx::query("SELECT id FROM job_items WHERE job_id = ? AND phase = 'sent' AND status = 'unknown' ORDER BY row_index")
                .bind(job_id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.get("id"))
                .collect();
        let first = max_batch.unwrap_or(0) + 1;
        for (i, id) in ids.iter().enumerate() {
            let batch = first + (i as i64) / i64::from(batch_cap.max(1));
            sqlx::query(
                "UPDATE job_items SET phase = 'pending', status = 'queued', batch_no = ?, reason = NULL, updated_at = ? WHERE id = ?",
            )
            .bind(batch)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if !ids.is_empty() {
            sqlx::query("UPDATE jobs SET state = 'dialling', updated_at = ? WHERE id = ?")
                .bind(now_ms())
                .bind(job_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(ids.len() as u32)
    }

    pub async fn job_batch_cap(&self, job_id: &str) -> Result<u32, StoreError> {
        Ok(sqlx::query("SELECT batch_cap FROM jobs WHERE id = ?").bind(job_id).fetch_one(self.pool()).await?.get::<i64, _>("batch_cap")
            as u32)
    }
}

fn summary_from_row(row: &SqliteRow, counters: JobCounters, state: JobState) -> JobSummary {
    JobSummary {
        id: row.get("id"),
        account_id: row.get("account_id"),
        meeting_id: row.get("meeting_id"),
        operator_id: row.get("operator_id"),
        created_by: row.get::<Option<String>, _>("created_by_email").unwrap_or_else(|| row.get("created_by")),
        created_at: row.get("created_at"),
        state,
        counters,
    }
}
