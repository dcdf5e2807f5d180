//! Jobs: every dial goes through one. Rows are normalised with the one normaliser, de-duplicated,
//! checked against the do-not-call list, put in provider batches and recorded before anything is
//! sent. Batches go out paced; each item is marked `sending` before its request leaves and gets its
//! outcome after. A request that may have reached the provider is never sent again without a person
//! asking ("retry unknown"). Meeting callouts and DialEx lists share this path; only the request
//! that carries a batch differs ([`Calls::send_batch`]).

use std::{collections::HashMap, sync::Arc};

use callout_shared::{
    audit::AuditAction,
    call_status::CallStatus,
    jobs::{
        CalloutJob, ItemChanged, ItemPhase, ItemReason, JobChanged, JobCreated, JobItem, JobList, JobListQuery, JobSummary, LiveEvent,
        NotDialled, ReasonCode, RetryResult, RetryUnknown,
    },
    me::Role,
    meeting::{CalloutNumberInput, CalloutResult, PhoneTarget},
    number_list,
    numbers::{NormalizedNumber, NumberInput},
};

use super::{audit::Audit, pacing::Lane, Actor, Calls, ServiceError};
use crate::{
    phone,
    providers::{ProviderError, ProviderErrorBody},
    store::jobs::{DialItem, ItemOutcome, JobCampaign, JobFilter, JobRef, JobTarget, NewItem, NewJob},
};

/// Rows one job may carry.
pub const MAX_JOB_ROWS: usize = 10_000;
/// Longest pause between two attempts of a job whose database cannot be written.
const MAX_STORAGE_PAUSE: std::time::Duration = std::time::Duration::from_secs(30);

/// Rounds of waiting for a provider that refuses for rate limiting or cannot be reached, before the batch fails.
const MAX_SAFE_RETRY_ROUNDS: u32 = 8;

/// A job's rows before they are recorded.
pub(super) struct Rows {
    pub rows: Vec<CalloutNumberInput>,
    /// The name or note the job was given at submit, checked.
    pub name: Option<String>,
    /// The numbers of the first rows, already normalised by a caller that had to check them first
    /// (a single call): not normalised again.
    pub normalised: Vec<NormalizedNumber>,
    /// When it starts, its window and its retry policy, checked.
    pub campaign: JobCampaign,
}

impl Rows {
    pub fn new(rows: Vec<CalloutNumberInput>) -> Self {
        Self { rows, name: None, normalised: Vec::new(), campaign: JobCampaign::default() }
    }

    /// Form rows, pasted text and CSV, in that order.
    pub fn collect(numbers: &[CalloutNumberInput], text: Option<&str>, csv: Option<&str>) -> Result<Self, ServiceError> {
        let mut rows = numbers.to_vec();
        if let Some(text) = text {
            rows.extend(number_list::parse_text(text));
        }
        if let Some(csv) = csv {
            rows.extend(number_list::parse_csv(csv));
        }
        if rows.is_empty() {
            return Err(ServiceError::Unprocessable { field: "numbers".into(), message: "the job has no numbers".into() });
        }
        if rows.len() > MAX_JOB_ROWS {
            return Err(ServiceError::Unprocessable {
                field: "numbers".into(),
                message: format!("a job takes at most {MAX_JOB_ROWS} numbers"),
            });
        }
        Ok(Self::new(rows))
    }

    /// The list with the job's name (blank means none).
    pub fn named(mut self, name: Option<&str>) -> Result<Self, ServiceError> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if name.is_some_and(|n| n.chars().count() > MAX_NAME_CHARS) {
            return Err(ServiceError::invalid("name", format!("a job's name is at most {MAX_NAME_CHARS} characters")));
        }
        self.name = name.map(str::to_owned);
        Ok(self)
    }

    /// The list with its campaign, as checked by [`Calls::check_plan`].
    pub fn with_campaign(mut self, campaign: JobCampaign) -> Self {
        self.campaign = campaign;
        self
    }
}

/// What a job is, before its rows: where its calls go, in batches of how many, under which name.
pub(super) struct JobSpec<'a> {
    pub account_id: &'a str,
    pub target: JobTarget,
    pub cap: u32,
    pub name: Option<String>,
    pub campaign: JobCampaign,
}

/// Longest job name or note.
const MAX_NAME_CHARS: usize = 200;

/// How a batch ended.
pub(super) enum BatchOutcome {
    /// The provider answered; every item has its outcome.
    Answered(CalloutResult),
    /// DialEx: the contact center accepted the call with this task.
    Placed(callout_shared::dialex::DialExResult),
    /// Refused as a whole (nothing dialled); the items failed with the provider's reason.
    Refused(ProviderError),
    /// Provably not acted on (rate limit, unreachable): the items wait to be sent again.
    NotSent(ProviderError),
    /// Sent, no trustworthy answer: the items are `unknown`.
    Unknown(ProviderError),
    /// Refused as too large: the items were put in smaller batches, to be sent again.
    Split,
    /// Not sent: the job was paused (the items wait again) or stopped (they are stopped) while the
    /// batch waited for its turn in the rate budget.
    Held,
}

/// When the rows of a recorded job are sent: by the job in the background, or at once by the request
/// a person waits on (then one commit records the job and the write-ahead `sending` mark of its rows).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Dispatch {
    Later,
    AtOnce,
}

/// A job as recorded: its identity, the rows that will not be dialled, and the rows recorded as
/// already being sent (a call sent at once: its write-ahead record is in the job's own commit).
pub(super) struct Recorded {
    pub job: JobRef,
    pub not_dialled: Vec<NotDialled>,
    pub sending: Vec<DialItem>,
}

/// A job and its rows, checked and ready to be recorded.
pub(super) struct PlannedJob {
    pub job: NewJob,
    pub items: Vec<NewItem>,
}

impl PlannedJob {
    /// The job as recorded, with the rows the store recorded as `sending`.
    pub fn recorded(self, sending: Vec<DialItem>) -> Recorded {
        let not_dialled = self
            .items
            .into_iter()
            .filter(|i| matches!(i.phase, ItemPhase::Invalid | ItemPhase::Duplicate | ItemPhase::Blocked))
            .map(|i| NotDialled {
                row: i.row,
                input: i.input,
                e164: i.e164,
                phase: i.phase,
                reason: i.reason.as_ref().map(ItemReason::english).unwrap_or_default(),
                reason_code: i.reason.as_ref().map(|r| r.code),
                reason_detail: i.reason.and_then(|r| r.detail),
            })
            .collect();
        let NewJob { id, account_id, target, campaign, .. } = self.job;
        Recorded { job: JobRef { id, account_id, target, campaign }, not_dialled, sending }
    }
}

/// The job of `items`; sent at once, its rows to dial are recorded as `sending` with it.
pub(super) fn plan_job(
    actor: &Actor,
    JobSpec { account_id, target, cap, name, campaign }: JobSpec<'_>,
    mut items: Vec<NewItem>,
    dispatch: Dispatch,
) -> PlannedJob {
    if dispatch == Dispatch::AtOnce {
        for item in items.iter_mut().filter(|i| i.phase == ItemPhase::Pending) {
            item.phase = ItemPhase::Sending;
        }
    }
    let job = NewJob {
        id: uuid::Uuid::new_v4().to_string(),
        account_id: account_id.to_owned(),
        target,
        created_by: actor.subject.clone(),
        created_by_email: actor.email.clone(),
        batch_cap: cap,
        name,
        campaign,
    };
    PlannedJob { job, items }
}

impl Calls {
    /// Records a meeting callout job, then dials it in the background.
    pub async fn create_callout_job(
        self: &Arc<Self>,
        actor: &Actor,
        request: &callout_shared::jobs::CreateCalloutJob,
    ) -> Result<JobCreated, ServiceError> {
        actor.require(Role::Operator)?;
        let recorded = async {
            // The meeting first: an unknown, ended or cancelled one, or a webinar, creates no job.
            let entry = self.tencent(&request.account_id)?;
            let operator = self.operator_for(actor, entry, request.operator_id.as_deref())?;
            let meeting_id = self.callable_meeting(entry, &request.meeting_id, &operator).await?;
            self.record_meeting_job(actor, &request.account_id, &meeting_id, Some(&operator), Dispatch::Later, |_| {
                Ok(Rows::collect(&request.numbers, request.text.as_deref(), request.csv.as_deref())?
                    .named(request.name.as_deref())?
                    .with_campaign(self.check_plan(&request.campaign)?))
            })
            .await
        }
        .await;
        let about = format!("meeting {}", request.meeting_id);
        self.start_recorded_job(actor, "callout_job", &request.account_id, request.operator_id.as_deref(), &about, recorded).await
    }

    /// Normalises, de-duplicates and checks every row (`rows` is given the batch cap), then records the job.
    pub(super) async fn record_meeting_job(
        &self,
        actor: &Actor,
        account_id: &str,
        meeting_id: &str,
        operator: Option<&str>,
        dispatch: Dispatch,
        rows: impl FnOnce(usize) -> Result<Rows, ServiceError>,
    ) -> Result<Recorded, ServiceError> {
        let meeting_id = super::meeting_id_param(meeting_id)?.to_owned();
        let entry = self.tencent(account_id)?;
        let operator_id = self.operator_for(actor, entry, operator)?;
        let cap = self.batch_cap(account_id, entry);
        let rows = rows(cap)?;
        let active = self.store.active_numbers(account_id, &meeting_id).await?;
        let items = self
            .plan_items(&rows, cap as u32, &|e164| active.get(e164).map(|job| ItemReason::new(ReasonCode::InAnotherJob, job.clone())))
            .await?;
        let target = JobTarget::Meeting { meeting_id, operator_id };
        let job = JobSpec { account_id, target, cap: cap as u32, name: rows.name, campaign: rows.campaign };
        self.record_job(actor, job, items, dispatch).await
    }

    /// Normalises and checks every row; numbers that will be dialled get a batch of at most `cap`.
    pub(super) async fn plan_items(
        &self,
        rows: &Rows,
        cap: u32,
        elsewhere: &(dyn Fn(&str) -> Option<ItemReason> + Sync),
    ) -> Result<Vec<NewItem>, ServiceError> {
        let do_not_call = self.do_not_call().await?;
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut dialled = 0u32;
        Ok(rows
            .rows
            .iter()
            .enumerate()
            .map(|(row, input)| {
                let row = row as u32;
                let text = describe(&input.number);
                let nick_name = input.nick_name.clone().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
                let normalised = match rows.normalised.get(row as usize) {
                    Some(number) => Ok(number.clone()),
                    None => phone::normalize(&input.number, phone::DEFAULT_REGION),
                };
                let number = match normalised {
                    Ok(n) => n,
                    Err(problem) => {
                        let reason = ItemReason::new(ReasonCode::InvalidNumber, problem.as_str());
                        return NewItem::not_dialled(row, text, None, nick_name, ItemPhase::Invalid, reason);
                    }
                };
                let e164 = number.e164.clone();
                // A repeat within this job, or a number already being called elsewhere.
                let repeat = match seen.get(&e164) {
                    Some(first) => Some(ItemReason::new(ReasonCode::SameAsRow, (first + 1).to_string())),
                    None => elsewhere(&e164),
                };
                seen.entry(e164.clone()).or_insert(row);
                if let Some(reason) = repeat {
                    return NewItem::not_dialled(row, text, Some(e164), nick_name, ItemPhase::Duplicate, reason);
                }
                if do_not_call.contains(&e164) {
                    let reason = ItemReason::bare(ReasonCode::DoNotCall);
                    return NewItem::not_dialled(row, text, Some(e164), nick_name, ItemPhase::Blocked, reason);
                }
                let batch = dialled / cap.max(1) + 1;
                dialled += 1;
                NewItem {
                    row,
                    input: text,
                    e164: Some(e164),
                    area: Some(u32::from(number.country_code)),
                    phone: Some(number.national_number),
                    extension: number.extension,
                    nick_name,
                    batch: Some(batch),
                    phase: ItemPhase::Pending,
                    status: CallStatus::Queued,
                    reason: None,
                }
            })
            .collect())
    }

    /// Records the job and all its rows in one transaction.
    pub(super) async fn record_job(
        &self,
        actor: &Actor,
        job: JobSpec<'_>,
        items: Vec<NewItem>,
        dispatch: Dispatch,
    ) -> Result<Recorded, ServiceError> {
        self.insert_planned(plan_job(actor, job, items, dispatch)).await
    }

    /// Records a planned job and all its rows in one transaction.
    pub(super) async fn insert_planned(&self, planned: PlannedJob) -> Result<Recorded, ServiceError> {
        let sending = self.store.insert_job(&planned.job, &planned.items).await?;
        Ok(planned.recorded(sending))
    }

    /// Audits a job's submission (its counts, or why it was refused) and, once recorded, publishes it
    /// and starts dialling it in the background.
    pub(super) async fn start_recorded_job(
        self: &Arc<Self>,
        actor: &Actor,
        action: &str,
        account_id: &str,
        operator: Option<&str>,
        about: &str,
        recorded: Result<Recorded, ServiceError>,
    ) -> Result<JobCreated, ServiceError> {
        let started = match recorded {
            Ok(Recorded { job, not_dialled, .. }) => match self.publish_job(&job.id).await {
                Ok(Some(summary)) => Ok((job, summary, not_dialled)),
                Ok(None) => Err(ServiceError::Internal("the job vanished after it was recorded".into())),
                Err(err) => Err(err),
            },
            Err(err) => Err(err),
        };
        let (outcome, target, detail) = match &started {
            Ok((job, summary, _)) => {
                let c = &summary.counters;
                let counts = format!(
                    "{} rows, {} batches, {} invalid, {} duplicates, {} blocked",
                    c.rows, c.batches_total, c.invalid, c.duplicates, c.blocked
                );
                // The job id in the target lets the audit log link to the job.
                ("ok", format!("{about} job {}", job.id), format!("job {}: {counts}", job.id))
            }
            Err(err) => ("refused", about.to_owned(), err.to_string()),
        };
        let operator = match &started {
            Ok((job, _, _)) => job_operator(job),
            Err(_) => operator,
        };
        let audit = Audit { action, account_id: Some(account_id), target: Some(&target), operator, outcome, detail: Some(&detail) };
        self.audit(actor, audit).await;
        let (job, summary, not_dialled) = started?;
        self.clone().spawn_job(job);
        Ok(JobCreated { job_id: summary.id.clone(), job: summary, not_dialled })
    }

    pub async fn job(&self, id: &str) -> Result<CalloutJob, ServiceError> {
        let mut job = self.store.job(id).await?.ok_or_else(|| ServiceError::NotFound(format!("no job {id}")))?;
        let now = self.clock.now_ms();
        let next_attempt = job.items.iter().filter_map(|i| i.next_attempt_at).filter(|at| *at > now).min();
        job.summary = self.with_campaign(job.summary, next_attempt);
        Ok(job)
    }

    /// The summary with its campaign as it stands (see [`Calls::with_campaign`]).
    pub(super) async fn campaign_of(&self, summary: JobSummary) -> Result<JobSummary, ServiceError> {
        let next_attempt = match &summary.campaign {
            Some(c) if c.retry.is_some() => self.store.next_attempt_due(&summary.id).await?,
            _ => None,
        };
        Ok(self.with_campaign(summary, next_attempt))
    }

    /// One page of every job, newest first, narrowed by the query's filters (empty ones are ignored).
    pub async fn list_jobs(&self, query: &JobListQuery) -> Result<JobList, ServiceError> {
        let page = query.page.unwrap_or(1);
        let page_size = query.page_size.unwrap_or(20);
        if page == 0 {
            return Err(ServiceError::invalid("page", "pages are numbered from 1"));
        }
        if !(1..=100).contains(&page_size) {
            return Err(ServiceError::invalid("page_size", "page_size is 1 to 100"));
        }
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let filter = JobFilter {
            from: query.from,
            to: query.to,
            account_id: given(&query.account_id),
            meeting_id: given(&query.meeting_id),
            created_by: given(&query.created_by),
            state: query.state,
            kind: query.kind,
            search: given(&query.search),
            now: 0,
        };
        let (jobs, total) = self.store.list_jobs(&filter, page, page_size).await?;
        let jobs = jobs.into_iter().map(|job| self.with_campaign(job, None)).collect();
        Ok(JobList { jobs, total, page, page_size })
    }

    /// A person asked to dial the job's unknown numbers again.
    pub async fn retry_unknown(self: &Arc<Self>, actor: &Actor, job_id: &str, request: &RetryUnknown) -> Result<RetryResult, ServiceError> {
        actor.require(Role::Operator)?;
        if !request.confirm {
            return Err(ServiceError::invalid("confirm", "set confirm to true: these numbers may already have been called"));
        }
        let job = self.store.job_ref(job_id).await?.ok_or_else(|| ServiceError::NotFound(format!("no job {job_id}")))?;
        let requeued = self.store.requeue_unknown(job_id).await?;
        let summary = self.publish_job(job_id).await?.ok_or_else(|| ServiceError::NotFound(format!("no job {job_id}")))?;
        self.audit_job_action(actor, AuditAction::CalloutRetryUnknown, &job, &format!("{requeued} numbers queued again")).await;
        if requeued > 0 {
            self.clone().spawn_job(job);
        }
        Ok(RetryResult { requeued, job: summary })
    }

    /// Audits what a person did to a recorded job (retry, pause, resume, stop), with its account and operator.
    pub(super) async fn audit_job_action(&self, actor: &Actor, action: AuditAction, job: &JobRef, detail: &str) {
        let target = format!("job {}", job.id);
        let audit = Audit {
            action: action.as_str(),
            account_id: Some(&job.account_id),
            target: Some(&target),
            operator: job_operator(job),
            outcome: "ok",
            detail: Some(detail),
        };
        self.audit(actor, audit).await;
    }

    /// Runs the job in the background, one dialler per job: a start while one runs (a resume, a
    /// retry) asks it to look again when it is done, so no batch is ever taken by two.
    pub(super) fn spawn_job(self: Arc<Self>, job: JobRef) {
        let wake = {
            let mut runners = self.runners.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(runner) = runners.get_mut(&job.id) {
                runner.again = true;
                // A dialler waiting for its start, window or spacing looks again now.
                runner.wake.notify_one();
                return;
            }
            let wake = Arc::new(tokio::sync::Notify::new());
            runners.insert(job.id.clone(), super::Runner { again: false, wake: wake.clone() });
            wake
        };
        // In the submitting request's span: the job's provider calls log with its request id.
        tokio::spawn(tracing::Instrument::in_current_span(async move {
            loop {
                self.dial_job(&job, &wake).await;
                let mut runners = self.runners.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(runner) = runners.get_mut(&job.id).filter(|r| r.again) {
                    runner.again = false;
                } else {
                    runners.remove(&job.id);
                    return;
                }
            }
        }));
    }

    /// Wakes the job's dialler if it waits (for its start, its window or an attempt's spacing), so it sees a change now.
    pub(super) fn wake_job(&self, job_id: &str) {
        if let Some(runner) = self.runners.lock().unwrap_or_else(|e| e.into_inner()).get(job_id) {
            runner.wake.notify_one();
        }
    }

    /// While the database cannot be written (disk full, read-only) the job waits and tries again,
    /// so it goes on by itself once the operator fixed the storage.
    async fn dial_job(self: &Arc<Self>, job: &JobRef, wake: &tokio::sync::Notify) {
        let mut pause = self.settings.retry_pause;
        loop {
            match self.run_job(job, wake).await {
                Ok(()) => return,
                Err(ServiceError::Store(err)) if err.is_unwritable() => {
                    tracing::error!(job = %job.id, %err, ?pause, "the database cannot be written; the job waits and tries again");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MAX_STORAGE_PAUSE);
                    match self.store.settle_unrecorded_sends(&job.id).await {
                        Ok(0) => {}
                        Ok(n) => tracing::warn!(job = %job.id, n, "a batch's outcome was not recorded; its numbers are unknown"),
                        Err(err) => tracing::error!(job = %job.id, %err, "still cannot write the database"),
                    }
                }
                Err(err) => {
                    tracing::error!(job = %job.id, %err, "job stopped; it resumes at the next start");
                    return;
                }
            }
        }
    }

    /// Sends every pending batch in order, each when its start time, calling window and attempt
    /// spacing allow, then hands the job to the follower.
    async fn run_job(self: &Arc<Self>, job: &JobRef, wake: &tokio::sync::Notify) -> Result<(), ServiceError> {
        let mut refused_rounds = 0;
        loop {
            // A pause holds what is not sent yet (checked before every batch); sent calls are followed.
            if self.store.is_paused(&job.id).await? {
                tracing::info!(job = %job.id, "job paused; its numbers not sent yet wait");
                break;
            }
            // Calls that ended with nobody taking them, and attempts left: queued again.
            self.apply_retry_policy(job).await?;
            let Some((batch, items)) = self.store.next_pending_batch(&job.id).await? else {
                // Nothing to send now: attempts waiting for their spacing, or nothing left at all.
                let Some(until) = self.store.next_attempt_due(&job.id).await? else { break };
                self.wait_for(job, super::campaigns::Hold { why: callout_shared::campaign::Waiting::RetrySpacing, until }, wake).await?;
                continue;
            };
            // Its start time and calling window, checked before every batch: a window that closes
            // stops new batches (calls already ringing are left alone).
            if let Some(hold) = self.dial_gate(job) {
                self.wait_for(job, hold, wake).await?;
                continue;
            }
            let Some(outcome) = self.send_batch(job, batch, &items, Lane::Dialling).await? else { continue };
            if matches!(outcome, BatchOutcome::Placed(_)) {
                // Followed from its first call on: its outcome (and a retry) need not wait for the whole list.
                self.follow_dialex(&job.account_id);
            }
            match outcome {
                BatchOutcome::NotSent(err) => {
                    refused_rounds += 1;
                    if refused_rounds > MAX_SAFE_RETRY_ROUNDS {
                        self.fail_unsent(&items, &err).await?;
                        refused_rounds = 0;
                    } else {
                        let pause = self.settings.retry_pause.saturating_mul(1 << refused_rounds.min(6));
                        tracing::warn!(job = %job.id, batch, %err, ?pause, "batch not accepted; it will be sent again");
                        tokio::time::sleep(pause).await;
                    }
                }
                _ => refused_rounds = 0,
            }
        }
        self.publish_job(&job.id).await?;
        if let JobTarget::Meeting { meeting_id, operator_id } = &job.target {
            self.follow(&job.account_id, meeting_id, operator_id);
        }
        Ok(())
    }

    /// Shows why the job waits, then waits on the clock until `hold` ends or someone wakes the dialler
    /// (a pause, a stop, a resume, a retry).
    async fn wait_for(&self, job: &JobRef, hold: super::campaigns::Hold, wake: &tokio::sync::Notify) -> Result<(), ServiceError> {
        tracing::info!(job = %job.id, why = ?hold.why, until = hold.until, "the job waits");
        self.publish_job(&job.id).await?;
        tokio::select! {
            _ = self.clock.sleep_until_ms(hold.until) => {}
            _ = wake.notified() => {}
        }
        Ok(())
    }

    /// Items that were provably never sent, given up on: they fail with the last error.
    pub(super) async fn fail_unsent(&self, items: &[DialItem], err: &ProviderError) -> Result<(), ServiceError> {
        self.publish_items(self.store.record_outcomes(&unsent_outcomes(items, err)).await?);
        self.publish_job(&items[0].job_id).await?;
        Ok(())
    }

    /// Sends one batch with write-ahead records around it, and stores every item's outcome in one
    /// transaction.
    /// Takes the batch (write-ahead) and sends what it took; `None` when it took nothing: the job was
    /// paused, or its rows stopped, after they were read.
    pub(super) async fn send_batch(
        &self,
        job: &JobRef,
        batch: u32,
        items: &[DialItem],
        lane: Lane,
    ) -> Result<Option<BatchOutcome>, ServiceError> {
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let taken = self.store.mark_sending(&ids).await?;
        if taken.is_empty() {
            return Ok(None);
        }
        let kept: Vec<DialItem>;
        let items = if taken.len() == items.len() {
            items
        } else {
            kept = items.iter().filter(|i| taken.contains(&i.id)).cloned().collect();
            &kept
        };
        tracing::debug!(job = %job.id, batch, "batch recorded as sending");
        self.send_recorded_batch(job, items, lane).await.map(Some)
    }

    /// Sends a batch already recorded as `sending`, and stores every item's outcome in one transaction.
    pub(super) async fn send_recorded_batch(&self, job: &JobRef, items: &[DialItem], lane: Lane) -> Result<BatchOutcome, ServiceError> {
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let outcome = match &job.target {
            JobTarget::Meeting { meeting_id, operator_id } => self.send_callout_batch(job, meeting_id, operator_id, items, lane).await?,
            JobTarget::DialEx(route) => self.send_dialex_call(job, route, &items[0], lane).await?,
        };
        super::audit::count_dials(&job.target, &outcome, items.len());
        let changed = match (item_outcomes(items, &outcome), &outcome) {
            (Some(outcomes), _) => self.store.record_outcomes(&outcomes).await?,
            (None, BatchOutcome::NotSent(_)) => self.store.mark_pending_again(&ids).await?,
            (None, BatchOutcome::Held) => self.store.hold_again(&job.id, &ids).await?,
            // The items were put into new batches.
            (None, _) => self.store.items(&ids).await?,
        };
        self.publish_items(changed);
        self.publish_job(&job.id).await?;
        Ok(outcome)
    }

    /// Whether the job still sends once a batch's turn in the rate budget came (not paused or
    /// stopped meanwhile; a database that cannot say holds the batch too).
    pub(super) async fn still_sending(&self, job: &JobRef) -> bool {
        !self.store.is_held(&job.id).await.unwrap_or(true)
    }

    /// One Tencent Meeting callout request for the batch.
    async fn send_callout_batch(
        &self,
        job: &JobRef,
        meeting_id: &str,
        operator_id: &str,
        items: &[DialItem],
        lane: Lane,
    ) -> Result<BatchOutcome, ServiceError> {
        let Ok(entry) = self.tencent(&job.account_id) else {
            return Ok(BatchOutcome::Refused(gone(crate::providers::Provider::TencentMeeting)));
        };
        tracing::info!(job = %job.id, numbers = items.len(), "sending callout batch");
        let targets: Vec<PhoneTarget> = items
            .iter()
            .map(|i| PhoneTarget { area: i.area, phone: i.phone.clone(), extension: i.extension.clone(), nick_name: i.nick_name.clone() })
            .collect();
        let Some(result) = entry.client.call_if(lane, self.still_sending(job), |c| c.callout(meeting_id, operator_id, &targets)).await
        else {
            return Ok(BatchOutcome::Held);
        };
        Ok(match result {
            Ok(result) => BatchOutcome::Answered(result),
            Err(ProviderError::Rejected { body, .. }) if too_large(&body, items.len()) => {
                let cap = smaller_cap(&body, items.len());
                let refused = items.len() as u32;
                self.lowered_caps.lock().unwrap_or_else(|e| e.into_inner()).insert(job.account_id.clone(), cap as usize);
                tracing::warn!(job = %job.id, refused, cap, "the provider refused the batch as too large; sending smaller batches");
                let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
                self.store.mark_pending_again(&ids).await?;
                self.store.lower_batch_cap(&job.id, cap, refused).await?;
                self.store.rebatch_pending(&job.id, cap).await?;
                BatchOutcome::Split
            }
            Err(err) => classify(err),
        })
    }

    /// Publishes the job's summary (the store keeps its state); `None` when there is no such job.
    pub(super) async fn publish_job(&self, job_id: &str) -> Result<Option<JobSummary>, ServiceError> {
        let Some(summary) = self.store.job_summary(job_id).await? else { return Ok(None) };
        let summary = self.campaign_of(summary).await?;
        self.events.publish(LiveEvent::Job(JobChanged { job: summary.clone() }));
        Ok(Some(summary))
    }

    /// Tells the browsers about items as the store returned them.
    pub(super) fn publish_items(&self, items: Vec<(String, JobItem)>) {
        for (job_id, item) in items {
            self.events.publish(LiveEvent::Item(ItemChanged { job_id, item }));
        }
    }
}

/// The operator a job acts as, for the audit log.
pub(super) fn job_operator(job: &JobRef) -> Option<&str> {
    match &job.target {
        JobTarget::Meeting { operator_id, .. } => Some(operator_id),
        JobTarget::DialEx(_) => None,
    }
}

/// Sorts a provider error into what it means for the batch.
pub(super) fn classify(err: ProviderError) -> BatchOutcome {
    match err {
        err @ ProviderError::Rejected { .. } => BatchOutcome::Refused(err),
        err @ (ProviderError::RateLimited { .. } | ProviderError::NotSent { .. }) => BatchOutcome::NotSent(err),
        err @ ProviderError::Unknown { .. } => BatchOutcome::Unknown(err),
    }
}

/// What a sent batch's outcome records for its items; `None` when they are to be sent again
/// (not sent, or put in smaller batches).
pub(super) fn item_outcomes(items: &[DialItem], outcome: &BatchOutcome) -> Option<Vec<ItemOutcome>> {
    let every = |status: CallStatus, reason: ItemReason| -> Vec<ItemOutcome> {
        items.iter().map(|i| ItemOutcome::of(i, status, Some(reason.clone()))).collect()
    };
    Some(match outcome {
        BatchOutcome::Answered(result) => items
            .iter()
            .map(|item| {
                let same = |n: &callout_shared::meeting::PhoneNumber| {
                    n.area == item.area && n.phone == item.phone && n.extension == item.extension
                };
                if let Some(accepted) = result.accepted.iter().find(|a| same(&a.number)) {
                    let status = if accepted.status == CallStatus::Unknown { CallStatus::Queued } else { accepted.status };
                    ItemOutcome { raw_status: Some(accepted.raw_status.clone()), ..ItemOutcome::of(item, status, None) }
                } else if let Some(refused) = result.invalid.iter().find(|r| same(&r.number)) {
                    let reason = ItemReason::new(ReasonCode::ProviderRefusedNumber, refused.reason.clone());
                    ItemOutcome::of(item, CallStatus::Failed, Some(reason))
                } else {
                    ItemOutcome::of(item, CallStatus::Unknown, Some(ItemReason::bare(ReasonCode::NotInAnswer)))
                }
            })
            .collect(),
        BatchOutcome::Placed(result) => items
            .iter()
            .take(1)
            .map(|item| ItemOutcome {
                raw_status: result.status_code.clone(),
                task_id: Some(result.task_id.clone()),
                ..ItemOutcome::of(item, CallStatus::Placed, None)
            })
            .collect(),
        BatchOutcome::Refused(err) => every(CallStatus::Failed, refusal_reason(err)),
        BatchOutcome::Unknown(err) => every(CallStatus::Unknown, ItemReason::new(ReasonCode::OutcomeUnknown, err.to_string())),
        BatchOutcome::NotSent(_) | BatchOutcome::Split | BatchOutcome::Held => return None,
    })
}

/// The outcome of items given up on after they were provably not sent.
pub(super) fn unsent_outcomes(items: &[DialItem], err: &ProviderError) -> Vec<ItemOutcome> {
    let reason = ItemReason::new(ReasonCode::NotSent, err.to_string());
    items.iter().map(|i| ItemOutcome::of(i, CallStatus::Failed, Some(reason.clone()))).collect()
}

pub(super) fn refusal_reason(err: &ProviderError) -> ItemReason {
    match err {
        ProviderError::Rejected { body, .. } => ItemReason::new(ReasonCode::ProviderRefused, format!("{}: {}", body.code, body.message)),
        other => ItemReason::new(ReasonCode::ProviderRefused, other.to_string()),
    }
}

/// The account of a recorded job is no longer configured: nothing can be sent.
fn gone(provider: crate::providers::Provider) -> ProviderError {
    ProviderError::Rejected {
        provider,
        body: ProviderErrorBody {
            http_status: 0,
            code: "account_removed".into(),
            new_code: None,
            message: "the account is no longer configured".into(),
            request_id: None,
            raw: String::new(),
        },
    }
}

/// Whether Tencent refused the whole batch for its size: invalid parameter (190004) with a message that
/// names the batch size. The exact wording is unconfirmed (the docs give 50 in one place, 30 in another),
/// so any 190004 that mentions the size of a batch of more than one number counts.
fn too_large(body: &ProviderErrorBody, len: usize) -> bool {
    body.code == "190004" && body.http_status != 0 && len > 1 && numbers_in(&body.message).any(|n| n == len)
}

/// The cap to try next: the largest number below `len` that the message names (`1 to 30`), else half.
fn smaller_cap(body: &ProviderErrorBody, len: usize) -> u32 {
    numbers_in(&body.message).filter(|n| (2..len).contains(n)).max().unwrap_or(len / 2).max(1) as u32
}

fn numbers_in(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.split(|c: char| !c.is_ascii_digit()).filter_map(|s| s.parse().ok())
}

impl ItemOutcome {
    fn of(item: &DialItem, status: CallStatus, reason: Option<ItemReason>) -> Self {
        ItemOutcome { item_id: item.id, status, raw_status: None, reason, task_id: None }
    }
}

impl NewItem {
    pub(super) fn not_dialled(
        row: u32,
        input: String,
        e164: Option<String>,
        nick_name: Option<String>,
        phase: ItemPhase,
        reason: ItemReason,
    ) -> Self {
        let status = if phase == ItemPhase::Invalid { CallStatus::Failed } else { CallStatus::Canceled };
        NewItem { row, input, e164, area: None, phone: None, extension: None, nick_name, batch: None, phase, status, reason: Some(reason) }
    }
}

/// The row as entered, for the record.
fn describe(n: &NumberInput) -> String {
    let mut text = String::new();
    if !n.country_code.trim().is_empty() {
        text.push('+');
        text.push_str(n.country_code.trim().trim_start_matches('+'));
        text.push(' ');
    }
    text.push_str(n.number.trim());
    if !n.extension.trim().is_empty() {
        text.push_str(" ext. ");
        text.push_str(n.extension.trim());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: &str, message: &str) -> ProviderErrorBody {
        ProviderErrorBody {
            http_status: 400,
            code: code.into(),
            new_code: None,
            message: message.into(),
            request_id: None,
            raw: String::new(),
        }
    }

    #[test]
    fn a_refusal_naming_the_batch_size_means_too_large() {
        let b = body("190004", "phone_numbers must hold 1 to 30 numbers, got 50");
        assert!(too_large(&b, 50));
        assert_eq!(smaller_cap(&b, 50), 30);
        assert!(!too_large(&b, 40), "the message names another size");
        assert!(!too_large(&body("190004", "meeting_id is invalid"), 50));
        assert!(!too_large(&body("9006", "got 50"), 50));
        assert_eq!(smaller_cap(&body("190004", "too many: 50"), 50), 25, "without a named cap, halve");
    }
}
