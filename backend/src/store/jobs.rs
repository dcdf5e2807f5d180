//! Jobs and their per-number items. An item is written before its request is sent and updated after,
//! so a restart can tell what may have reached the provider (`sending`) from what never left.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use callout_shared::{
    call_status::CallStatus,
    campaign::{CallingWindow, CampaignStatus, RetryPolicy},
    dialex::{AnswerMode, DialExRoute},
    jobs::{CalloutJob, ItemPhase, ItemReason, JobCounters, JobItem, JobKind, JobState, JobSummary, PastAttempt, ReasonCode},
    meeting::ConsoleCallout,
};

use sqlx::SqliteConnection;

use super::{Store, StoreError};

/// What a job calls: a meeting's participants, or customers through a contact-center route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobTarget {
    Meeting { meeting_id: String, operator_id: String },
    DialEx(DialExRoute),
}

impl JobTarget {
    pub fn kind(&self) -> JobKind {
        match self {
            JobTarget::Meeting { .. } => JobKind::MeetingCallout,
            JobTarget::DialEx(_) => JobKind::Dialex,
        }
    }
}

pub struct NewJob {
    pub id: String,
    pub account_id: String,
    pub target: JobTarget,
    pub created_by: String,
    pub created_by_email: Option<String>,
    pub batch_cap: u32,
    /// The name or note given at submit.
    pub name: Option<String>,
    pub campaign: JobCampaign,
}

/// A job's schedule, own calling window and retry policy, as stored (the service checks them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobCampaign {
    pub start_at: Option<i64>,
    /// `None`: the account's default window applies.
    pub window: Option<CallingWindow>,
    /// 1: each number once.
    pub max_attempts: u32,
    pub spacing_minutes: u32,
}

impl Default for JobCampaign {
    /// At once, in the account's window, each number once.
    fn default() -> Self {
        Self { start_at: None, window: None, max_attempts: 1, spacing_minutes: 0 }
    }
}

impl JobCampaign {
    pub fn retry(&self) -> Option<RetryPolicy> {
        (self.max_attempts > 1).then_some(RetryPolicy { max_attempts: self.max_attempts, spacing_minutes: self.spacing_minutes })
    }
}

/// Outcomes a retry policy dials again: a status, and the reason code it must have (any when `None`).
pub type Retryable = [(CallStatus, Option<ReasonCode>)];

/// Which jobs a list shows; every field narrows it (`None` does not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobFilter {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub account_id: Option<String>,
    pub meeting_id: Option<String>,
    /// The submitter's subject or e-mail address.
    pub created_by: Option<String>,
    pub state: Option<JobState>,
    pub kind: Option<JobKind>,
    /// Words of the name (any case), or the start of the id.
    pub search: Option<String>,
    /// The time "scheduled" is judged at (set by the store).
    pub now: i64,
}

impl JobFilter {
    fn push_where(&self, q: &mut sqlx::QueryBuilder<sqlx::Sqlite>) {
        let mut first = true;
        let mut and = |q: &mut sqlx::QueryBuilder<sqlx::Sqlite>| {
            q.push(if std::mem::take(&mut first) { " WHERE " } else { " AND " });
        };
        if let Some(from) = self.from {
            and(q);
            q.push("created_at >= ").push_bind(from);
        }
        if let Some(to) = self.to {
            and(q);
            q.push("created_at <= ").push_bind(to);
        }
        if let Some(account) = &self.account_id {
            and(q);
            q.push("account_id = ").push_bind(account.clone());
        }
        if let Some(meeting) = &self.meeting_id {
            and(q);
            q.push("meeting_id = ").push_bind(meeting.clone());
        }
        if let Some(who) = &self.created_by {
            and(q);
            q.push("(created_by = ").push_bind(who.clone()).push(" OR created_by_email = ").push_bind(who.clone()).push(")");
        }
        if let Some(state) = self.state {
            // The state as `summarize` computes it, from the item counts (the stored `state` column
            // is written after the fact and may lag a moment).
            let (dialling, following) = (state_clause(JobState::Dialling), state_clause(JobState::Following));
            and(q);
            q.push(match state {
                JobState::Scheduled => format!("paused = 0 AND start_at > {now} AND {dialling}", now = self.now),
                JobState::Dialling => format!("paused = 0 AND (start_at IS NULL OR start_at <= {now}) AND {dialling}", now = self.now),
                JobState::Paused => format!("paused = 1 AND {dialling}"),
                JobState::Following => format!("NOT {dialling} AND {following}"),
                JobState::Finished => format!("NOT {dialling} AND NOT {following}"),
            });
        }
        if let Some(kind) = self.kind {
            and(q);
            q.push("kind = ").push_bind(kind.as_str());
        }
        if let Some(search) = &self.search {
            // LIKE is case-insensitive for ASCII in SQLite; `\` escapes the user's own % and _.
            let pattern = search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            and(q);
            q.push("(name LIKE ").push_bind(format!("%{pattern}%")).push(" ESCAPE '\\' OR id LIKE ");
            q.push_bind(format!("{pattern}%")).push(" ESCAPE '\\')");
        }
    }
}

/// SQL that is true for a job with an item that makes it `state` (dialling: a row still to send;
/// following: a sent call not final yet), the words taken from the same rules as [`summarize`].
fn state_clause(state: JobState) -> String {
    let quoted = |words: Vec<&str>| words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", ");
    let condition = match state {
        JobState::Scheduled | JobState::Dialling | JobState::Paused => {
            format!("phase IN ({})", quoted(vec![ItemPhase::Pending.as_str(), ItemPhase::Sending.as_str()]))
        }
        JobState::Following | JobState::Finished => {
            let open = CallStatus::ALL.into_iter().filter(|s| !s.is_final() && *s != CallStatus::Unknown).map(CallStatus::as_str);
            format!("phase = '{}' AND status IN ({})", ItemPhase::Sent.as_str(), quoted(open.collect()))
        }
    };
    format!("EXISTS (SELECT 1 FROM job_item_counts c WHERE c.job_id = jobs.id AND {condition})")
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
    pub reason: Option<ItemReason>,
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
    pub ms_open_id: Option<String>,
    /// Earlier attempts of this row the provider took (each listed before this attempt's call);
    /// counted for an unknown item of a meeting's open calls, 0 otherwise.
    pub earlier_calls: u32,
}

/// The provider's answer for one item of a sent batch.
#[derive(Debug, Clone)]
pub struct ItemOutcome {
    pub item_id: i64,
    pub status: CallStatus,
    pub raw_status: Option<String>,
    pub reason: Option<ItemReason>,
    pub task_id: Option<String>,
}

/// A status the provider reported for a dialled item (list poll or webhook event).
#[derive(Debug, Clone)]
pub struct ItemMove {
    pub item_id: i64,
    pub next: CallStatus,
    pub raw_status: String,
    pub ms_open_id: Option<String>,
}

/// A job's identity as the background workers see it.
#[derive(Debug, Clone)]
pub struct JobRef {
    pub id: String,
    pub account_id: String,
    pub target: JobTarget,
    pub campaign: JobCampaign,
}

/// A row of `jobs`, typed.
#[derive(sqlx::FromRow)]
struct JobRow {
    id: String,
    #[sqlx(try_from = "String")]
    kind: JobKind,
    account_id: String,
    meeting_id: Option<String>,
    operator_id: Option<String>,
    instance_id: Option<String>,
    caller: Option<String>,
    answer_mode: Option<String>,
    rout_point: Option<String>,
    provider: Option<String>,
    created_by: String,
    created_by_email: Option<String>,
    name: Option<String>,
    /// The state as last stored (the summary computes the current one).
    #[sqlx(try_from = "String")]
    state: JobState,
    batch_cap: i64,
    batch_cap_refused: Option<i64>,
    created_at: i64,
    paused: bool,
    start_at: Option<i64>,
    calling_window: Option<String>,
    max_attempts: i64,
    retry_spacing_minutes: i64,
}

impl JobRow {
    fn target(&self) -> Result<JobTarget, StoreError> {
        let corrupt = |what: &str| StoreError::Database(sqlx::Error::Decode(format!("job {}: {what} is missing", self.id).into()));
        Ok(match self.kind {
            JobKind::MeetingCallout => JobTarget::Meeting {
                meeting_id: self.meeting_id.clone().ok_or_else(|| corrupt("meeting_id"))?,
                operator_id: self.operator_id.clone().ok_or_else(|| corrupt("operator_id"))?,
            },
            JobKind::Dialex => JobTarget::DialEx(DialExRoute {
                instance_id: self.instance_id.clone().ok_or_else(|| corrupt("instance_id"))?,
                caller: self.caller.clone().unwrap_or_default(),
                answer_mode: self
                    .answer_mode
                    .as_deref()
                    .ok_or_else(|| corrupt("answer_mode"))?
                    .parse::<AnswerMode>()
                    .map_err(|e| StoreError::Database(sqlx::Error::Decode(e.into())))?,
                rout_point: self.rout_point.clone().ok_or_else(|| corrupt("rout_point"))?,
                provider: self.provider.clone(),
            }),
        })
    }

    fn job_ref(&self) -> Result<JobRef, StoreError> {
        Ok(JobRef { id: self.id.clone(), account_id: self.account_id.clone(), target: self.target()?, campaign: self.campaign()? })
    }

    fn campaign(&self) -> Result<JobCampaign, StoreError> {
        let window = match &self.calling_window {
            Some(json) => Some(serde_json::from_str(json).map_err(|e| StoreError::Database(sqlx::Error::Decode(e.into())))?),
            None => None,
        };
        Ok(JobCampaign {
            start_at: self.start_at,
            window,
            max_attempts: self.max_attempts.max(1) as u32,
            spacing_minutes: self.retry_spacing_minutes.max(0) as u32,
        })
    }

    /// The job's summary as of `now` (a job whose start time has not come is `scheduled`).
    fn summary(&self, counters: JobCounters, state: JobState, now: i64) -> Result<JobSummary, StoreError> {
        let campaign = self.campaign()?;
        let state = match state {
            // A paused job's batches wait; once none is left to send it follows like any other.
            JobState::Dialling if self.paused => JobState::Paused,
            JobState::Dialling if campaign.start_at.is_some_and(|at| at > now) => JobState::Scheduled,
            state => state,
        };
        let has_campaign = campaign != JobCampaign::default();
        let campaign = has_campaign.then(|| CampaignStatus {
            start_at: campaign.start_at,
            retry: campaign.retry(),
            window: campaign.window.clone(),
            window_is_default: false,
            waiting: None,
            next_dial_at: None,
        });
        let (meeting_id, operator_id, dialex) = match self.target()? {
            JobTarget::Meeting { meeting_id, operator_id } => (Some(meeting_id), Some(operator_id), None),
            JobTarget::DialEx(route) => (None, None, Some(route)),
        };
        Ok(JobSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            account_id: self.account_id.clone(),
            meeting_id,
            operator_id,
            dialex,
            batch_cap: self.batch_cap as u32,
            batch_cap_refused: self.batch_cap_refused.map(|b| b as u32),
            created_by: self.created_by_email.clone().unwrap_or_else(|| self.created_by.clone()),
            created_at: self.created_at,
            state,
            counters,
            campaign,
        })
    }
}

/// A row of `job_items`, typed.
#[derive(sqlx::FromRow)]
pub(super) struct ItemRow {
    /// Only where a query asks for it (the open calls of a meeting).
    #[sqlx(default)]
    earlier_calls: i64,
    id: i64,
    job_id: String,
    row_index: i64,
    input: String,
    e164: Option<String>,
    area: Option<i64>,
    phone: Option<String>,
    extension: Option<String>,
    nick_name: Option<String>,
    batch_no: Option<i64>,
    #[sqlx(try_from = "String")]
    phase: ItemPhase,
    #[sqlx(try_from = "String")]
    status: CallStatus,
    reason: Option<String>,
    reason_code: Option<String>,
    reason_detail: Option<String>,
    raw_status: Option<String>,
    ms_open_id: Option<String>,
    task_id: Option<String>,
    updated_at: i64,
    sent_at: Option<i64>,
    answered_at: Option<i64>,
    ended_at: Option<i64>,
    ms_open_ids: Option<String>,
    attempt: i64,
    not_before: Option<i64>,
}

impl ItemRow {
    pub(super) fn with_job(self) -> (String, JobItem) {
        (self.job_id.clone(), self.into_item())
    }

    fn into_item(self) -> JobItem {
        JobItem {
            id: self.id,
            row: self.row_index as u32,
            input: self.input,
            e164: self.e164,
            nick_name: self.nick_name,
            batch: self.batch_no.map(|b| b as u32),
            phase: self.phase,
            status: self.status,
            reason: self.reason,
            // A code this build does not know reads as none: the English sentence is still there.
            reason_code: self.reason_code.and_then(|c| c.parse().ok()),
            reason_detail: self.reason_detail,
            raw_status: self.raw_status,
            ms_open_id: self.ms_open_id,
            task_id: self.task_id,
            sent_at: self.sent_at,
            answered_at: self.answered_at,
            ended_at: self.ended_at,
            ms_open_ids: self.ms_open_ids.map(|ids| ids.split_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
            updated_at: self.updated_at,
            attempt: self.attempt.max(1) as u32,
            next_attempt_at: self.not_before.filter(|_| self.phase == ItemPhase::Pending),
        }
    }

    fn into_dial_item(self) -> Result<DialItem, StoreError> {
        let missing = |what: &str| StoreError::Database(sqlx::Error::Decode(format!("item {}: {what} is missing", self.id).into()));
        Ok(DialItem {
            id: self.id,
            e164: self.e164.clone().ok_or_else(|| missing("e164"))?,
            area: self.area.ok_or_else(|| missing("area"))? as u32,
            phone: self.phone.clone().ok_or_else(|| missing("phone"))?,
            job_id: self.job_id,
            extension: self.extension,
            nick_name: self.nick_name,
            status: self.status,
            ms_open_id: self.ms_open_id,
            earlier_calls: self.earlier_calls as u32,
        })
    }
}

/// A row of `job_item_attempts` with its item's row, typed.
#[derive(sqlx::FromRow)]
struct AttemptRow {
    item_id: i64,
    row_index: i64,
    attempt: i64,
    #[sqlx(try_from = "String")]
    status: CallStatus,
    raw_status: Option<String>,
    reason: Option<String>,
    reason_code: Option<String>,
    reason_detail: Option<String>,
    task_id: Option<String>,
    sent_at: Option<i64>,
    answered_at: Option<i64>,
    ended_at: Option<i64>,
}

impl AttemptRow {
    fn into_attempt(self) -> PastAttempt {
        PastAttempt {
            item_id: self.item_id,
            row: self.row_index as u32,
            attempt: self.attempt as u32,
            status: self.status,
            reason: self.reason,
            reason_code: self.reason_code.and_then(|c| c.parse().ok()),
            reason_detail: self.reason_detail,
            raw_status: self.raw_status,
            task_id: self.task_id,
            sent_at: self.sent_at,
            answered_at: self.answered_at,
            ended_at: self.ended_at,
        }
    }
}

/// Counts of a job's items, grouped as [`summarize`] wants them.
#[derive(sqlx::FromRow)]
struct ItemGroup {
    job_id: String,
    batch_no: Option<i64>,
    #[sqlx(try_from = "String")]
    phase: ItemPhase,
    #[sqlx(try_from = "String")]
    status: CallStatus,
    n: i64,
}

/// Counters and state follow from the items; nothing is stored twice. Takes items grouped as
/// (batch, phase, status, how many), so a summary needs only a `GROUP BY`, not every row.
pub fn summarize(groups: impl IntoIterator<Item = (Option<u32>, ItemPhase, CallStatus, u32)>) -> (JobCounters, JobState) {
    let mut c = JobCounters::default();
    let mut batches_pending = BTreeSet::new();
    let mut batches_all = BTreeSet::new();
    let mut following = false;
    for (batch, phase, status, n) in groups {
        c.rows += n;
        batches_all.extend(batch);
        match phase {
            ItemPhase::Invalid | ItemPhase::Duplicate | ItemPhase::Blocked | ItemPhase::Stopped => {}
            // Only calls have a call status: a row never dialled is not "canceled" or "failed".
            _ => *c.by_status.entry(status.as_str().to_owned()).or_default() += n,
        }
        match phase {
            ItemPhase::Invalid => c.invalid += n,
            ItemPhase::Duplicate => c.duplicates += n,
            ItemPhase::Blocked => c.blocked += n,
            ItemPhase::Stopped => c.stopped += n,
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

fn summarize_groups<'a>(groups: impl IntoIterator<Item = &'a ItemGroup>) -> (JobCounters, JobState) {
    summarize(groups.into_iter().map(|g| (g.batch_no.map(|b| b as u32), g.phase, g.status, g.n as u32)))
}

/// The open items of a meeting (binds: account, meeting, "unknown since" cut-off): dialled and not
/// final, unknown ones only for a while. The status list must read exactly as the partial index
/// `job_items_open` of migration 0003 says, or SQLite cannot use it.
/// Earlier calls are counted only where the follower reads them (unknown items), off the hot path of
/// every poll and webhook.
const OPEN_IN_MEETING: &str = "SELECT i.*, CASE WHEN i.status = 'unknown' THEN (SELECT COUNT(*) FROM job_item_attempts a \
     WHERE a.item_id = i.id AND a.sent_at IS NOT NULL) ELSE 0 END AS earlier_calls FROM job_items i JOIN jobs j ON j.id = i.job_id \
     WHERE j.account_id = ? AND j.meeting_id = ? \
     AND i.phase = 'sent' AND i.status IN ('queued', 'ringing', 'answered', 'unknown') \
     AND (i.status != 'unknown' OR i.updated_at > ?)";

/// Items never to be sent (binds: reason, reason code, reason detail, time; then the caller's WHERE).
const STOP_ITEMS: &str = "UPDATE job_items SET phase = 'stopped', status = 'canceled', batch_no = NULL, reason = ?, reason_code = ?, \
     reason_detail = ?, updated_at = ?";

/// The incremental counters (migration 0003 keeps them with triggers); -1 stands for "no batch".
const ITEM_GROUPS: &str = "SELECT job_id, NULLIF(batch_no, -1) AS batch_no, phase, status, n FROM job_item_counts";

impl Store {
    /// Records the job and its rows in one transaction; returns the rows recorded as already `sending`
    /// (a call sent at once, its write-ahead record in the same commit).
    pub async fn insert_job(&self, job: &NewJob, items: &[NewItem]) -> Result<Vec<DialItem>, StoreError> {
        let _timer = crate::metrics::StoreTimer::start("insert_job");
        let mut tx = self.write().await?;
        let sending = insert_job(&mut tx, job, items, self.now_ms()).await?;
        tx.commit().await?;
        Ok(sending)
    }

    async fn job_row(&self, id: &str) -> Result<Option<JobRow>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM jobs WHERE id = ?").bind(id).fetch_optional(&self.pool).await?)
    }

    pub async fn job(&self, id: &str) -> Result<Option<CalloutJob>, StoreError> {
        let Some(row) = self.job_row(id).await? else { return Ok(None) };
        let items: Vec<JobItem> = sqlx::query_as::<_, ItemRow>("SELECT * FROM job_items WHERE job_id = ? ORDER BY row_index")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(ItemRow::into_item)
            .collect();
        let attempts: Vec<PastAttempt> = sqlx::query_as::<_, AttemptRow>(
            "SELECT a.*, i.row_index FROM job_item_attempts a JOIN job_items i ON i.id = a.item_id WHERE i.job_id = ? \
             ORDER BY i.row_index, a.attempt",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(AttemptRow::into_attempt)
        .collect();
        let (counters, state) = summarize(items.iter().map(|i| (i.batch, i.phase, i.status, 1)));
        Ok(Some(CalloutJob { summary: row.summary(counters, state, self.now_ms())?, items, attempts }))
    }

    /// The job's counters without reading its rows, called after every batch and status change;
    /// the state is written only when it changed.
    pub async fn job_summary(&self, id: &str) -> Result<Option<JobSummary>, StoreError> {
        let Some(row) = self.job_row(id).await? else { return Ok(None) };
        let groups: Vec<ItemGroup> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{ITEM_GROUPS} WHERE job_id = ?"))).bind(id).fetch_all(&self.pool).await?;
        let (counters, state) = summarize_groups(&groups);
        if state != row.state {
            self.set_job_state(id, state).await?;
        }
        Ok(Some(row.summary(counters, state, self.now_ms())?))
    }

    /// Newest first, in two queries whatever the limit: the jobs, then their items' counts.
    /// One page of the jobs matching `filter`, newest first, and how many match in all. Two queries
    /// for the page (its jobs, then their counters) whatever its size.
    pub async fn list_jobs(&self, filter: &JobFilter, page: u32, page_size: u32) -> Result<(Vec<JobSummary>, u32), StoreError> {
        // One read transaction: the filter (a job's state from its item counts) and the summaries
        // shown see the same moment, so a job listed as "finished" is not shown "following".
        let mut tx = self.pool.begin().await?;
        let filter = &JobFilter { now: self.now_ms(), ..filter.clone() };
        let mut count = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM jobs");
        filter.push_where(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&mut *tx).await?;
        let mut select = sqlx::QueryBuilder::new("SELECT * FROM jobs");
        filter.push_where(&mut select);
        // Jobs submitted in the same millisecond keep their order of insertion.
        select.push(" ORDER BY created_at DESC, rowid DESC LIMIT ").push_bind(i64::from(page_size));
        select.push(" OFFSET ").push_bind(i64::from(page.saturating_sub(1)) * i64::from(page_size));
        let rows: Vec<JobRow> = select.build_query_as().fetch_all(&mut *tx).await?;
        if rows.is_empty() {
            return Ok((Vec::new(), total as u32));
        }
        let mut groups_query = sqlx::QueryBuilder::new(format!("{ITEM_GROUPS} WHERE job_id IN ("));
        let mut ids = groups_query.separated(", ");
        for row in &rows {
            ids.push_bind(&row.id);
        }
        groups_query.push(")");
        let groups: Vec<ItemGroup> = groups_query.build_query_as().fetch_all(&mut *tx).await?;
        let mut by_job: HashMap<&str, Vec<&ItemGroup>> = HashMap::new();
        for g in &groups {
            by_job.entry(g.job_id.as_str()).or_default().push(g);
        }
        let jobs = rows
            .iter()
            .map(|row| {
                let (counters, state) = summarize_groups(by_job.get(row.id.as_str()).into_iter().flatten().copied());
                row.summary(counters, state, filter.now)
            })
            .collect::<Result<_, _>>()?;
        Ok((jobs, total as u32))
    }

    pub async fn job_ref(&self, id: &str) -> Result<Option<JobRef>, StoreError> {
        self.job_row(id).await?.map(|r| r.job_ref()).transpose()
    }

    /// Jobs with batches still to send or calls still to follow.
    pub async fn unfinished_jobs(&self) -> Result<Vec<JobRef>, StoreError> {
        let rows: Vec<JobRow> =
            sqlx::query_as("SELECT * FROM jobs WHERE state != 'finished' ORDER BY created_at").fetch_all(&self.pool).await?;
        rows.iter().map(JobRow::job_ref).collect()
    }

    async fn set_job_state(&self, id: &str, state: JobState) -> Result<(), StoreError> {
        sqlx::query("UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?")
            .bind(state.as_str())
            .bind(self.now_ms())
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Holds or releases the job's numbers not sent yet; `false` when it was so already.
    pub async fn set_paused(&self, id: &str, paused: bool) -> Result<bool, StoreError> {
        let changed = sqlx::query("UPDATE jobs SET paused = ?, updated_at = ? WHERE id = ? AND paused != ?")
            .bind(paused)
            .bind(self.now_ms())
            .bind(id)
            .bind(paused)
            .execute(self.writer())
            .await?
            .rows_affected();
        Ok(changed > 0)
    }

    pub async fn is_paused(&self, id: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar("SELECT paused FROM jobs WHERE id = ?").bind(id).fetch_optional(&self.pool).await?.unwrap_or(false))
    }

    /// Whether the job sends nothing more for now: paused, or stopped for good.
    pub async fn is_held(&self, id: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar("SELECT paused = 1 OR stopped_at IS NOT NULL FROM jobs WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .unwrap_or(false))
    }

    /// A batch held when its turn came (see [`Store::is_held`]): back to waiting if the job was
    /// paused, stopped with the job's stop reason if it was stopped. Returns the items as stored.
    pub async fn hold_again(&self, job_id: &str, item_ids: &[i64]) -> Result<Vec<(String, JobItem)>, StoreError> {
        let stopped: Option<Option<i64>> =
            sqlx::query_scalar("SELECT stopped_at FROM jobs WHERE id = ?").bind(job_id).fetch_optional(&self.pool).await?;
        if stopped.flatten().is_none() {
            return self.mark_pending_again(item_ids).await;
        }
        // Worded like the rows the stop itself took: who stopped the job.
        let by: Option<String> = sqlx::query_scalar(
            "SELECT reason_detail FROM job_items WHERE job_id = ? AND phase = 'stopped' AND reason_detail IS NOT NULL LIMIT 1",
        )
        .bind(job_id)
        .fetch_optional(&self.pool)
        .await?;
        let reason = by.map_or(ItemReason::bare(ReasonCode::Stopped), |by| ItemReason::new(ReasonCode::Stopped, by));
        let mut tx = self.write().await?;
        let mut held = Vec::with_capacity(item_ids.len());
        for id in item_ids {
            let row: Option<ItemRow> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{STOP_ITEMS} WHERE id = ? AND phase = 'sending' RETURNING *")))
                    .bind(reason.english())
                    .bind(reason.code.as_str())
                    .bind(&reason.detail)
                    .bind(self.now_ms())
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            held.extend(row);
        }
        tx.commit().await?;
        Ok(held.into_iter().map(ItemRow::with_job).collect())
    }

    /// How many of the job's numbers wait for their batch.
    pub async fn pending_count(&self, id: &str) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM job_items WHERE job_id = ? AND phase = 'pending'")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u32)
    }

    /// A stop: every number of the job not sent yet is never sent (a batch on its way is left to
    /// finish). One transaction with the release of a pause; returns the stopped items as stored.
    pub async fn stop_pending(&self, id: &str, reason: &ItemReason) -> Result<Vec<(String, JobItem)>, StoreError> {
        let mut tx = self.write().await?;
        let rows: Vec<ItemRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{STOP_ITEMS} WHERE job_id = ? AND phase = 'pending' RETURNING *")))
                .bind(reason.english())
                .bind(reason.code.as_str())
                .bind(&reason.detail)
                .bind(self.now_ms())
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
        // Stopped for good: its retry policy dials nothing again either.
        sqlx::query("UPDATE jobs SET paused = 0, stopped_at = ?, updated_at = ? WHERE id = ?")
            .bind(self.now_ms())
            .bind(self.now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut stopped: Vec<(String, JobItem)> = rows.into_iter().map(ItemRow::with_job).collect();
        stopped.sort_by_key(|(_, item)| item.row);
        Ok(stopped)
    }

    /// The provider refused batches of `refused` numbers: the job sends at most `cap` from now on.
    pub async fn lower_batch_cap(&self, id: &str, cap: u32, refused: u32) -> Result<(), StoreError> {
        sqlx::query("UPDATE jobs SET batch_cap = ?, batch_cap_refused = COALESCE(batch_cap_refused, ?), updated_at = ? WHERE id = ?")
            .bind(i64::from(cap))
            .bind(i64::from(refused))
            .bind(self.now_ms())
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// E.164 numbers being called (or about to be) in this meeting, by any job, with their job.
    pub async fn active_numbers(&self, account_id: &str, meeting_id: &str) -> Result<BTreeMap<String, String>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT i.e164, i.job_id, i.status FROM job_items i JOIN jobs j ON j.id = i.job_id \
             WHERE j.account_id = ? AND j.meeting_id = ? AND i.phase IN ('pending', 'sending', 'sent') AND i.e164 IS NOT NULL",
        )
        .bind(account_id)
        .bind(meeting_id)
        .fetch_all(&self.pool)
        .await?;
        let mut active = BTreeMap::new();
        for (e164, job_id, status) in rows {
            let status: CallStatus = status.parse().map_err(|e: callout_shared::UnknownValue| sqlx::Error::Decode(e.into()))?;
            if !status.is_final() {
                active.insert(e164, job_id);
            }
        }
        Ok(active)
    }

    /// The lowest batch of the job waiting to be sent whose rows may go now (a later attempt waits
    /// for its spacing).
    pub async fn next_pending_batch(&self, job_id: &str) -> Result<Option<(u32, Vec<DialItem>)>, StoreError> {
        let _timer = crate::metrics::StoreTimer::start("next_pending_batch");
        let now = self.now_ms();
        let batch: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(batch_no) FROM job_items WHERE job_id = ? AND phase = 'pending' AND (not_before IS NULL OR not_before <= ?)",
        )
        .bind(job_id)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        let Some(batch) = batch else { return Ok(None) };
        let items = sqlx::query_as::<_, ItemRow>(
            "SELECT * FROM job_items WHERE job_id = ? AND batch_no = ? AND phase = 'pending' \
             AND (not_before IS NULL OR not_before <= ?) ORDER BY row_index",
        )
        .bind(job_id)
        .bind(batch)
        .bind(now)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ItemRow::into_dial_item)
        .collect::<Result<_, _>>()?;
        Ok(Some((batch as u32, items)))
    }

    /// Write-ahead: from here on, a crash means "may have been dialled". Takes only rows still
    /// waiting of a job not paused (in the one write transaction a pause or a stop also takes), so
    /// what a person held or stopped since the rows were read is not sent; returns the ids taken.
    pub async fn mark_sending(&self, item_ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        let _timer = crate::metrics::StoreTimer::start("mark_sending");
        let mut tx = self.write().await?;
        let now = self.now_ms();
        let mut taken = Vec::with_capacity(item_ids.len());
        for id in item_ids {
            let row: Option<i64> = sqlx::query_scalar(
                "UPDATE job_items SET phase = 'sending', updated_at = ? WHERE id = ? AND phase = 'pending' \
                 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_items.job_id AND j.paused = 1) RETURNING id",
            )
            .bind(now)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            taken.extend(row);
        }
        tx.commit().await?;
        Ok(taken)
    }

    /// A batch that provably never reached the provider goes back to waiting; returns its items.
    pub async fn mark_pending_again(&self, item_ids: &[i64]) -> Result<Vec<(String, JobItem)>, StoreError> {
        self.move_phase(item_ids, ItemPhase::Sending, ItemPhase::Pending).await
    }

    async fn move_phase(&self, item_ids: &[i64], from: ItemPhase, to: ItemPhase) -> Result<Vec<(String, JobItem)>, StoreError> {
        let mut tx = self.write().await?;
        let now = self.now_ms();
        let mut moved = Vec::with_capacity(item_ids.len());
        for id in item_ids {
            let row: Option<ItemRow> =
                sqlx::query_as("UPDATE job_items SET phase = ?, updated_at = ? WHERE id = ? AND phase = ? RETURNING *")
                    .bind(to.as_str())
                    .bind(now)
                    .bind(id)
                    .bind(from.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            moved.extend(row.map(ItemRow::with_job));
        }
        tx.commit().await?;
        Ok(moved)
    }

    /// Puts every item of the job still waiting into new batches of at most `cap` (after the
    /// provider refused a batch as too large: nothing of it was dialled).
    pub async fn rebatch_pending(&self, job_id: &str, cap: u32) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let max_batch: Option<i64> =
            sqlx::query_scalar("SELECT MAX(batch_no) FROM job_items WHERE job_id = ?").bind(job_id).fetch_one(&mut *tx).await?;
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM job_items WHERE job_id = ? AND phase = 'pending' ORDER BY batch_no, row_index")
                .bind(job_id)
                .fetch_all(&mut *tx)
                .await?;
        let first = max_batch.unwrap_or(0) + 1;
        let now = self.now_ms();
        for (i, id) in ids.iter().enumerate() {
            sqlx::query("UPDATE job_items SET batch_no = ?, updated_at = ? WHERE id = ?")
                .bind(first + (i as i64) / i64::from(cap.max(1)))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records the provider's answer for the items of a sent batch, in one transaction; returns
    /// the items as stored (no read-back).
    pub async fn record_outcomes(&self, outcomes: &[ItemOutcome]) -> Result<Vec<(String, JobItem)>, StoreError> {
        let _timer = crate::metrics::StoreTimer::start("record_outcomes");
        let mut tx = self.write().await?;
        let recorded = record_outcomes(&mut tx, outcomes, self.now_ms()).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    /// After a restart: items that were on their way may have been dialled. They become `unknown`
    /// and are never sent again without a person deciding. Returns the affected job ids.
    pub async fn settle_interrupted_sends(&self) -> Result<Vec<String>, StoreError> {
        let jobs: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT job_id FROM job_items WHERE phase = 'sending'").fetch_all(&self.pool).await?;
        sqlx::query(
            "UPDATE job_items SET phase = 'sent', status = 'unknown', reason = ?, reason_code = ?, reason_detail = NULL, updated_at = ? WHERE phase = 'sending'",
        )
        .bind(ItemReason::bare(ReasonCode::Interrupted).english())
        .bind(ReasonCode::Interrupted.as_str())
        .bind(self.now_ms())
        .execute(self.writer())
        .await?;
        Ok(jobs)
    }

    /// The same for one job whose sender stopped on a database error (the outcome of its batch could
    /// not be recorded): those items may have been dialled.
    pub async fn settle_unrecorded_sends(&self, job_id: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE job_items SET phase = 'sent', status = 'unknown', reason = ?, reason_code = ?, reason_detail = NULL, updated_at = ? WHERE job_id = ? AND phase = 'sending'",
        )
        .bind(ItemReason::bare(ReasonCode::NotRecorded).english())
        .bind(ReasonCode::NotRecorded.as_str())
        .bind(self.now_ms())
        .bind(job_id)
        .execute(self.writer())
        .await?
        .rows_affected())
    }

    /// Items of a meeting that were dialled and are not final yet (unknown included), for the poller and webhooks.
    /// Unknown items are looked for in the provider's list for `unknown_for_ms` after they became unknown.
    pub async fn open_items(&self, account_id: &str, meeting_id: &str, unknown_for_ms: i64) -> Result<Vec<DialItem>, StoreError> {
        sqlx::query_as::<_, ItemRow>(sqlx::AssertSqlSafe(format!("{OPEN_IN_MEETING} ORDER BY i.id")))
            .bind(account_id)
            .bind(meeting_id)
            .bind(self.now_ms() - unknown_for_ms)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(ItemRow::into_dial_item)
            .collect()
    }

    /// Distinct numbers the provider accepted from this console in a meeting before item `item_id`
    /// (so they are listed before it).
    pub async fn numbers_listed_before(&self, account_id: &str, meeting_id: &str, item_id: i64) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT DISTINCT i.area, i.phone, i.extension FROM job_items i JOIN jobs j ON j.id = i.job_id \
             WHERE j.account_id = ? AND j.meeting_id = ? AND i.phase = 'sent' AND i.status NOT IN ('failed', 'unknown') AND i.id < ?)",
        )
        .bind(account_id)
        .bind(meeting_id)
        .bind(item_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n as u32)
    }

    /// Open items of a meeting (as [`Store::open_items`]) that have this E.164 number or this
    /// ms_open_id: the candidates for one webhook event, found by index rather than by reading
    /// every open item of a big job for each event.
    pub async fn open_items_named(
        &self,
        account_id: &str,
        meeting_id: &str,
        e164: Option<&str>,
        ms_open_id: Option<&str>,
        unknown_for_ms: i64,
    ) -> Result<Vec<DialItem>, StoreError> {
        sqlx::query_as::<_, ItemRow>(sqlx::AssertSqlSafe(format!("{OPEN_IN_MEETING} AND (i.e164 = ? OR i.ms_open_id = ?) ORDER BY i.id")))
            .bind(account_id)
            .bind(meeting_id)
            .bind(self.now_ms() - unknown_for_ms)
            .bind(e164)
            .bind(ms_open_id)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(ItemRow::into_dial_item)
            .collect()
    }

    /// Moves items forward (never back) in one transaction; returns the items that changed.
    pub async fn advance_items(&self, moves: &[ItemMove]) -> Result<Vec<(String, JobItem)>, StoreError> {
        let mut tx = self.write().await?;
        let now = self.now_ms();
        let mut changed = Vec::new();
        for m in moves {
            let current: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT status, ms_open_id FROM job_items WHERE id = ?").bind(m.item_id).fetch_optional(&mut *tx).await?;
            let Some((current, known_ms)) = current else { continue };
            let current: CallStatus = current.parse().map_err(|e: callout_shared::UnknownValue| sqlx::Error::Decode(e.into()))?;
            // Leaving `unknown` for any known state is progress: the provider has word of the call.
            let progress = current.can_become(m.next) || (current == CallStatus::Unknown && m.next != CallStatus::Unknown);
            let new_ms = m.ms_open_id.as_deref().filter(|id| !id.is_empty() && known_ms.as_deref() != Some(*id));
            if !progress && new_ms.is_none() {
                continue;
            }
            let row: ItemRow = sqlx::query_as(
                "UPDATE job_items SET status = CASE WHEN ? THEN ? ELSE status END, \
                 raw_status = CASE WHEN ? THEN ? ELSE raw_status END, ms_open_id = COALESCE(?, ms_open_id), \
                 ms_open_ids = CASE WHEN ? IS NULL THEN ms_open_ids WHEN ms_open_ids IS NULL THEN ? \
                   WHEN instr(' ' || ms_open_ids || ' ', ' ' || ? || ' ') > 0 THEN ms_open_ids ELSE ms_open_ids || ' ' || ? END, \
                 reason = CASE WHEN status = 'unknown' AND ? THEN NULL ELSE reason END, \
                 reason_code = CASE WHEN status = 'unknown' AND ? THEN NULL ELSE reason_code END, \
                 reason_detail = CASE WHEN status = 'unknown' AND ? THEN NULL ELSE reason_detail END, updated_at = ?, \
                 answered_at = CASE WHEN ? THEN COALESCE(answered_at, ?) ELSE answered_at END, \
                 ended_at = CASE WHEN ? THEN COALESCE(ended_at, ?) ELSE ended_at END WHERE id = ? RETURNING *",
            )
            .bind(progress)
            .bind(m.next.as_str())
            .bind(progress)
            .bind(&m.raw_status)
            .bind(new_ms)
            // Every ms_open_id the call had, in order, each once.
            .bind(new_ms)
            .bind(new_ms)
            .bind(new_ms)
            .bind(new_ms)
            // Word of an unknown call: its "may have been dialled" reason no longer holds.
            .bind(progress)
            .bind(progress)
            .bind(progress)
            .bind(now)
            // The first word of an answer, and of an end, is when it happened (to the console).
            .bind(progress && m.next == CallStatus::Answered)
            .bind(now)
            .bind(progress && m.next.is_final())
            .bind(now)
            .bind(m.item_id)
            .fetch_one(&mut *tx)
            .await?;
            changed.push(row.with_job());
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// The console's latest callout of each of `numbers` (area, phone, extension) in a meeting: job
    /// and submitter. Only the numbers asked for are read (a status page's rows), by index.
    pub async fn console_callouts(
        &self,
        account_id: &str,
        meeting_id: &str,
        numbers: &[(u32, &str, Option<&str>)],
    ) -> Result<BTreeMap<(u32, String, Option<String>), ConsoleCallout>, StoreError> {
        if numbers.is_empty() {
            return Ok(BTreeMap::new());
        }
        let phones: Vec<&str> = numbers.iter().map(|n| n.1).collect::<BTreeSet<_>>().into_iter().collect();
        let mut rows: Vec<(i64, i64, String, Option<String>, String, String)> = Vec::new();
        // A bounded number of binds per statement, whatever the page size.
        for chunk in phones.chunks(500) {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT i.id, i.area, i.phone, i.extension, i.job_id, COALESCE(j.created_by_email, j.created_by) FROM job_items i \
                 JOIN jobs j ON j.id = i.job_id WHERE j.account_id = ",
            );
            query.push_bind(account_id).push(" AND j.meeting_id = ").push_bind(meeting_id).push(" AND i.phase = 'sent' AND i.phone IN (");
            let mut list = query.separated(", ");
            for phone in chunk {
                list.push_bind(*phone);
            }
            query.push(")");
            rows.extend(query.build_query_as::<(i64, i64, String, Option<String>, String, String)>().fetch_all(&self.pool).await?);
        }
        // Later rows win: the latest callout of a number.
        rows.sort_by_key(|r| r.0);
        let wanted: BTreeSet<(u32, &str, Option<&str>)> = numbers.iter().copied().collect();
        Ok(rows
            .into_iter()
            .filter(|(_, area, phone, extension, ..)| wanted.contains(&(*area as u32, phone.as_str(), extension.as_deref())))
            .map(|(_, area, phone, extension, job_id, placed_by)| ((area as u32, phone, extension), ConsoleCallout { job_id, placed_by }))
            .collect())
    }

    /// Items by id, each with the id of its job, in one query.
    pub async fn items(&self, item_ids: &[i64]) -> Result<Vec<(String, JobItem)>, StoreError> {
        if item_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = sqlx::QueryBuilder::new("SELECT * FROM job_items WHERE id IN (");
        let mut ids = query.separated(", ");
        for id in item_ids {
            ids.push_bind(id);
        }
        query.push(") ORDER BY id");
        Ok(query.build_query_as::<ItemRow>().fetch_all(&self.pool).await?.into_iter().map(ItemRow::with_job).collect())
    }

    /// A person's explicit decision: unknown items of the job are queued again in new batches.
    pub async fn requeue_unknown(&self, job_id: &str) -> Result<u32, StoreError> {
        let mut tx = self.write().await?;
        let (max_batch, cap): (Option<i64>, i64) =
            sqlx::query_as("SELECT (SELECT MAX(batch_no) FROM job_items WHERE job_id = ?), (SELECT batch_cap FROM jobs WHERE id = ?)")
                .bind(job_id)
                .bind(job_id)
                .fetch_one(&mut *tx)
                .await?;
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM job_items WHERE job_id = ? AND phase = 'sent' AND status = 'unknown' ORDER BY row_index")
                .bind(job_id)
                .fetch_all(&mut *tx)
                .await?;
        let first = max_batch.unwrap_or(0) + 1;
        for (i, id) in ids.iter().enumerate() {
            sqlx::query(
                "UPDATE job_items SET phase = 'pending', status = 'queued', batch_no = ?, reason = NULL, reason_code = NULL, reason_detail = NULL, updated_at = ? WHERE id = ?",
            )
            .bind(first + (i as i64) / cap.max(1))
            .bind(self.now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if !ids.is_empty() {
            sqlx::query("UPDATE jobs SET state = 'dialling', updated_at = ? WHERE id = ?")
                .bind(self.now_ms())
                .bind(job_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(ids.len() as u32)
    }

    /// When the job's next waiting attempt may be sent, if one waits for its spacing.
    pub async fn next_attempt_due(&self, job_id: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT MIN(not_before) FROM job_items WHERE job_id = ? AND phase = 'pending' AND not_before > ?")
            .bind(job_id)
            .bind(self.now_ms())
            .fetch_one(&self.pool)
            .await?)
    }

    /// The retry policy's step: every call of the job that ended in one of the `retryable` outcomes
    /// with attempts left is kept as an earlier attempt and queued again as the next one, in new
    /// batches of at most the job's cap, not before `spacing_ms` after it ended. Nothing for a stopped
    /// job. One transaction; returns the queued items as stored.
    pub async fn requeue_for_retry(
        &self,
        job_id: &str,
        retryable: &Retryable,
        spacing_ms: i64,
    ) -> Result<Vec<(String, JobItem)>, StoreError> {
        // Asked before every batch of a job with a policy: a read first, the write lock only when there is work.
        if retry_candidates(job_id, retryable).build_query_scalar::<i64>().fetch_all(&self.pool).await?.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.write().await?;
        let ids: Vec<i64> = retry_candidates(job_id, retryable).build_query_scalar().fetch_all(&mut *tx).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (max_batch, cap): (Option<i64>, i64) =
            sqlx::query_as("SELECT (SELECT MAX(batch_no) FROM job_items WHERE job_id = ?), (SELECT batch_cap FROM jobs WHERE id = ?)")
                .bind(job_id)
                .bind(job_id)
                .fetch_one(&mut *tx)
                .await?;
        let first = max_batch.unwrap_or(0) + 1;
        let now = self.now_ms();
        let mut queued = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO job_item_attempts (item_id, attempt, status, raw_status, reason, reason_code, reason_detail, task_id, \
                 sent_at, answered_at, ended_at, recorded_at) SELECT id, attempt, status, raw_status, reason, reason_code, \
                 reason_detail, task_id, sent_at, answered_at, ended_at, ? FROM job_items WHERE id = ?",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let row: ItemRow = sqlx::query_as(
                "UPDATE job_items SET phase = 'pending', status = 'queued', attempt = attempt + 1, batch_no = ?, \
                 not_before = MAX(COALESCE(ended_at, updated_at), ?) + ?, raw_status = NULL, reason = NULL, reason_code = NULL, \
                 reason_detail = NULL, task_id = NULL, ms_open_id = NULL, sent_at = NULL, answered_at = NULL, ended_at = NULL, \
                 updated_at = ? WHERE id = ? RETURNING *",
            )
            .bind(first + (i as i64) / cap.max(1))
            .bind(now - spacing_ms)
            .bind(spacing_ms)
            .bind(now)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            queued.push(row.with_job());
        }
        sqlx::query("UPDATE jobs SET state = 'dialling', updated_at = ? WHERE id = ?").bind(now).bind(job_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Jobs with a call that ended in a `retryable` outcome and has attempts left (after a restart,
    /// the retry policy's step may not have run for them).
    pub async fn jobs_due_a_retry(&self, retryable: &Retryable) -> Result<Vec<JobRef>, StoreError> {
        let mut select = sqlx::QueryBuilder::new(
            "SELECT * FROM jobs WHERE max_attempts > 1 AND stopped_at IS NULL AND EXISTS (SELECT 1 FROM job_items i \
             WHERE i.job_id = jobs.id AND i.phase = 'sent' AND i.attempt < jobs.max_attempts",
        );
        push_retryable(&mut select, retryable);
        select.push(")");
        let rows: Vec<JobRow> = select.build_query_as().fetch_all(&self.pool).await?;
        rows.iter().map(JobRow::job_ref).collect()
    }
}

/// The ids of the job's calls the retry policy dials again, in row order.
fn retry_candidates(job_id: &str, retryable: &Retryable) -> sqlx::QueryBuilder<sqlx::Sqlite> {
    let mut select = sqlx::QueryBuilder::new(
        "SELECT i.id FROM job_items i JOIN jobs j ON j.id = i.job_id WHERE j.stopped_at IS NULL AND i.phase = 'sent' \
         AND i.attempt < j.max_attempts AND i.job_id = ",
    );
    select.push_bind(job_id);
    push_retryable(&mut select, retryable);
    select.push(" ORDER BY i.row_index");
    select
}

/// ` AND (status, reason) is one of `retryable`` for items aliased `i`.
fn push_retryable(q: &mut sqlx::QueryBuilder<sqlx::Sqlite>, retryable: &Retryable) {
    q.push(" AND (");
    for (n, (status, code)) in retryable.iter().enumerate() {
        if n > 0 {
            q.push(" OR ");
        }
        q.push("(i.status = ").push_bind(status.as_str());
        if let Some(code) = code {
            q.push(" AND i.reason_code = ").push_bind(code.as_str());
        }
        q.push(")");
    }
    if retryable.is_empty() {
        q.push("0");
    }
    q.push(")");
}

/// Records the job and its rows inside the caller's write transaction; returns the rows recorded as `sending`.
pub(super) async fn insert_job(
    conn: &mut SqliteConnection,
    job: &NewJob,
    items: &[NewItem],
    now: i64,
) -> Result<Vec<DialItem>, StoreError> {
    let (meeting_id, operator_id, route) = match &job.target {
        JobTarget::Meeting { meeting_id, operator_id } => (Some(meeting_id), Some(operator_id), None),
        JobTarget::DialEx(route) => (None, None, Some(route)),
    };
    sqlx::query(
        "INSERT INTO jobs (id, kind, account_id, meeting_id, operator_id, instance_id, caller, answer_mode, rout_point, provider, \
         created_by, created_by_email, name, state, batch_cap, created_at, updated_at, start_at, calling_window, max_attempts, \
         retry_spacing_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'dialling', ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&job.id)
    .bind(job.target.kind().as_str())
    .bind(&job.account_id)
    .bind(meeting_id)
    .bind(operator_id)
    .bind(route.map(|r| &r.instance_id))
    .bind(route.map(|r| &r.caller))
    .bind(route.map(|r| r.answer_mode.as_str()))
    .bind(route.map(|r| &r.rout_point))
    .bind(route.and_then(|r| r.provider.as_ref()))
    .bind(&job.created_by)
    .bind(&job.created_by_email)
    .bind(&job.name)
    .bind(i64::from(job.batch_cap))
    .bind(now)
    .bind(now)
    .bind(job.campaign.start_at)
    .bind(job.campaign.window.as_ref().map(|w| serde_json::to_string(w).expect("a window serialises")))
    .bind(i64::from(job.campaign.max_attempts.max(1)))
    .bind(i64::from(job.campaign.spacing_minutes))
    .execute(&mut *conn)
    .await?;
    let mut sending = Vec::new();
    for item in items {
        let inserted = sqlx::query(
            "INSERT INTO job_items (job_id, row_index, input, e164, area, phone, extension, nick_name, batch_no, phase, status, reason, reason_code, reason_detail, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        .bind(item.phase.as_str())
        .bind(item.status.as_str())
        .bind(item.reason.as_ref().map(ItemReason::english))
        .bind(item.reason.as_ref().map(|r| r.code.as_str()))
        .bind(item.reason.as_ref().and_then(|r| r.detail.as_deref()))
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if let (ItemPhase::Sending, Some(e164), Some(area), Some(phone)) = (item.phase, &item.e164, item.area, &item.phone) {
            sending.push(DialItem {
                id: inserted.last_insert_rowid(),
                job_id: job.id.clone(),
                e164: e164.clone(),
                area,
                phone: phone.clone(),
                extension: item.extension.clone(),
                nick_name: item.nick_name.clone(),
                status: item.status,
                ms_open_id: None,
                earlier_calls: 0,
            });
        }
    }
    Ok(sending)
}

/// Records items' outcomes inside the caller's write transaction; returns the items as stored. Only a row
/// waiting or being sent takes one: a stopped row stays stopped.
pub(super) async fn record_outcomes(
    conn: &mut SqliteConnection,
    outcomes: &[ItemOutcome],
    now: i64,
) -> Result<Vec<(String, JobItem)>, StoreError> {
    let mut recorded = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        let row: Option<ItemRow> = sqlx::query_as(
            "UPDATE job_items SET phase = 'sent', status = ?, raw_status = ?, reason = ?, reason_code = ?, reason_detail = ?, task_id = ?, updated_at = ?, \
             sent_at = CASE WHEN ? THEN ? ELSE sent_at END WHERE id = ? AND phase IN ('pending', 'sending') RETURNING *",
        )
        .bind(o.status.as_str())
        .bind(&o.raw_status)
        .bind(o.reason.as_ref().map(ItemReason::english))
        .bind(o.reason.as_ref().map(|r| r.code.as_str()))
        .bind(o.reason.as_ref().and_then(|r| r.detail.as_deref()))
        .bind(&o.task_id)
        .bind(now)
        // Taken by the provider: the call's clock starts (a refusal or an unknown outcome has none).
        .bind(!matches!(o.status, CallStatus::Failed | CallStatus::Unknown))
        .bind(now)
        .bind(o.item_id)
        .fetch_optional(&mut *conn)
        .await?;
        recorded.extend(row.map(ItemRow::with_job));
    }
    Ok(recorded)
}

/// The job's summary read inside the caller's write transaction, its stored state brought up to date.
pub(super) async fn job_summary(conn: &mut SqliteConnection, id: &str, now: i64) -> Result<Option<JobSummary>, StoreError> {
    let row: Option<JobRow> = sqlx::query_as("SELECT * FROM jobs WHERE id = ?").bind(id).fetch_optional(&mut *conn).await?;
    let Some(row) = row else { return Ok(None) };
    let groups: Vec<ItemGroup> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{ITEM_GROUPS} WHERE job_id = ?"))).bind(id).fetch_all(&mut *conn).await?;
    let (counters, state) = summarize_groups(&groups);
    if state != row.state {
        sqlx::query("UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?")
            .bind(state.as_str())
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(row.summary(counters, state, now)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_never_dialled_have_no_call_status() {
        let (c, state) = summarize([
            (None, ItemPhase::Blocked, CallStatus::Canceled, 1),
            (None, ItemPhase::Invalid, CallStatus::Failed, 2),
            (None, ItemPhase::Duplicate, CallStatus::Canceled, 1),
            (Some(1), ItemPhase::Sent, CallStatus::Canceled, 3),
            (Some(1), ItemPhase::Sent, CallStatus::Completed, 4),
        ]);
        assert_eq!(c.by_status.get("canceled"), Some(&3), "the do-not-call row is not a canceled call");
        assert_eq!(c.by_status.get("failed"), None, "an invalid number is not a failed call");
        assert_eq!(c.by_status.get("completed"), Some(&4));
        assert_eq!((c.rows, c.blocked, c.invalid, c.duplicates, c.accepted, c.finished), (11, 1, 2, 1, 7, 7));
        assert_eq!(state, JobState::Finished);
    }
}
