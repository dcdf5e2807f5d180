//! Meeting callout jobs: every number is normalised with the one normaliser, deduplicated per
//! meeting, checked against the do-not-call list, put in a provider batch and recorded before
//! anything is sent. Batches go out paced under the provider's rate limit; each item is marked
//! `sending` before its request leaves and gets its outcome after. A request that may have reached
//! the provider is never sent again without a person asking ("retry unknown").

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use callout_shared::{
    call_status::CallStatus,
    jobs::{CreateCalloutJob, ItemPhase, JobState, JobSummary, LiveEvent},
    meeting::{CalloutNumberInput, PhoneTarget},
    number_list,
};
use tokio::sync::Notify;

use super::events::EventBus;
use crate::{
    accounts::Accounts,
    error::AppError,
    phone,
    providers::{tencent_meeting::map_callout_status, ProviderError},
    store::{
        jobs::{DialItem, JobRef, NewItem, NewJob},
        Store,
    },
};

/// Rows one job may carry.
pub const MAX_JOB_ROWS: usize = 10_000;
/// Rounds of waiting for a provider that refuses for rate limiting or cannot be reached, before the batch fails.
const MAX_SAFE_RETRY_ROUNDS: u32 = 8;

#[derive(Debug, Clone)]
pub struct DiallerSettings {
    /// Longest pause between two polls of a meeting's callout list.
    pub max_poll_interval: Duration,
    /// How long unknown items are looked for in the provider's list.
    pub unknown_lookup: Duration,
    /// Pause after a refused (rate-limited, unreachable) batch, doubled each round.
    pub retry_pause: Duration,
}

impl Default for DiallerSettings {
    fn default() -> Self {
        Self { max_poll_interval: Duration::from_secs(15), unknown_lookup: Duration::from_secs(600), retry_pause: Duration::from_secs(2) }
    }
}

pub struct Dialler {
    pub(super) store: Store,
    pub(super) accounts: Arc<Accounts>,
    pub(super) events: Arc<EventBus>,
    pub(super) settings: DiallerSettings,
    /// Numbers (E.164) never to call, from the configuration; the database list is added to it.
    do_not_call: HashSet<String>,
    /// One follower per (account, meeting); poking wakes it for an early poll.
    pub(super) followers: Mutex<HashMap<(String, String), Arc<Notify>>>,
}

/// Who submits a job, as the audit log and the job record name them.
pub struct Submitter {
    pub subject: String,
    pub email: Option<String>,
    pub operator_id: String,
}

impl Dialler {
    pub fn new(
        store: Store,
        accounts: Arc<Accounts>,
        events: Arc<EventBus>,
        settings: DiallerSettings,
        do_not_call: HashSet<String>,
    ) -> Arc<Self> {
        Arc::new(Self { store, accounts, events, settings, do_not_call, followers: Mutex::new(HashMap::new()) })
    }

    /// Whether the configuration file lists `e164` as never to be called.
    pub fn configured_do_not_call(&self, e164: &str) -> bool {
        self.do_not_call.contains(e164)
    }

    /// The configuration file's do-not-call numbers (E.164).
    pub fn configured_do_not_call_numbers(&self) -> impl Iterator<Item = &str> {
        self.do_not_call.iter().map(String::as_str)
    }

    /// After a start: what was on its way when the backend stopped becomes `unknown`; batches never
    /// sent are dialled; calls still open are followed.
    pub async fn resume(self: &Arc<Self>) -> Result<(), AppError> {
        let interrupted = self.store.settle_interrupted_sends().await?;
        if !interrupted.is_empty() {
            tracing::warn!(jobs = ?interrupted, "batches were being sent when the backend stopped; their numbers are marked unknown and not re-dialled");
        }
        for job in self.store.unfinished_jobs().await? {
            tracing::info!(job = %job.id, "resuming job");
            self.clone().spawn_job(job);
        }
        Ok(())
    }

    /// Records the whole job, then starts dialling in the background.
    pub async fn create_job(self: &Arc<Self>, request: &CreateCalloutJob, submitter: &Submitter) -> Result<JobSummary, AppError> {
        let entry = self.accounts.tencent(&request.account_id)?;
        let mut rows: Vec<CalloutNumberInput> = request.numbers.clone();
        if let Some(text) = &request.text {
            rows.extend(number_list::parse_text(text));
        }
        if let Some(csv) = &request.csv {
            rows.extend(number_list::parse_csv(csv));
        }
        if rows.is_empty() {
            return Err(AppError::invalid("numbers", "the job has no numbers"));
        }
        if rows.len() > MAX_JOB_ROWS {
            return Err(AppError::invalid("numbers", format!("a job takes at most {MAX_JOB_ROWS} numbers")));
        }
        let cap = entry.client.account().callout_batch_cap.max(1) as u32;
        let active = self.store.active_numbers(&request.account_id, &request.meeting_id).await?;
        let blocked_db = self.store.do_not_call_numbers().await?;
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut dialled = 0u32;
        let items: Vec<NewItem> = rows
            .iter()
            .enumerate()
            .map(|(row, input)| {
                let row = row as u32;
                let text = describe(input);
                let nick_name = input.nick_name.clone().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
                let number = match phone::normalize(&input.number, phone::DEFAULT_REGION) {
                    Ok(n) => n,
                    Err(problem) => {
                        return NewItem::not_dialled(row, text, None, nick_name, ItemPhase::Invalid, problem.message().to_owned());
                    }
                };
                let e164 = number.e164.clone();
                // A repeat within this job, or a number this meeting is already calling.
                let repeat = match seen.get(&e164) {
                    Some(first) => Some(format!("same number as row {}", first + 1)),
                    None => active.get(&e164).map(|job| format!("already being called in this meeting (job {job})")),
                };
                seen.entry(e164.clone()).or_insert(row);
                if let Some(reason) = repeat {
                    return NewItem::not_dialled(row, text, Some(e164), nick_name, ItemPhase::Duplicate, reason);
                }
                if self.do_not_call.contains(&e164) || blocked_db.contains(&e164) {
                    return NewItem::not_dialled(row, text, Some(e164), nick_name, ItemPhase::Blocked, "on the do-not-call list".into());
                }
                let batch = dialled / cap + 1;
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
            .collect();
        let job = NewJob {
            id: uuid::Uuid::new_v4().to_string(),
            account_id: request.account_id.clone(),
            meeting_id: request.meeting_id.clone(),
            operator_id: submitter.operator_id.clone(),
            created_by: submitter.subject.clone(),
            created_by_email: submitter.email.clone(),
            batch_cap: cap,
        };
        self.store.insert_job(&job, &items).await?;
        let job_ref = JobRef { id: job.id.clone(), account_id: job.account_id, meeting_id: job.meeting_id, operator_id: job.operator_id };
        let summary =
            self.publish_job(&job.id).await?.ok_or_else(|| AppError::Internal("the job vanished after it was recorded".into()))?;
        self.clone().spawn_job(job_ref);
        Ok(summary)
    }

    /// A person asked to dial the job's unknown numbers again.
    pub async fn retry_unknown(self: &Arc<Self>, job_id: &str) -> Result<(u32, JobSummary), AppError> {
        let job = self.store.job_ref(job_id).await?.ok_or_else(|| AppError::NotFound(format!("no job {job_id}")))?;
        let cap = self.store.job_batch_cap(job_id).await?;
        let count = self.store.requeue_unknown(job_id, cap).await?;
        let summary = self.publish_job(job_id).await?.expect("the job exists");
        if count > 0 {
            self.clone().spawn_job(job);
        }
        Ok((count, summary))
    }

    fn spawn_job(self: Arc<Self>, job: JobRef) {
        tokio::spawn(async move {
            if let Err(err) = self.run_job(&job).await {
                tracing::error!(job = %job.id, %err, "job stopped; it resumes at the next start");
            }
        });
    }

    async fn run_job(self: &Arc<Self>, job: &JobRef) -> Result<(), AppError> {
        let mut refused_rounds = 0;
        while let Some((batch, items)) = self.store.next_pending_batch(&job.id).await? {
            let Ok(entry) = self.accounts.tencent(&job.account_id) else {
                for item in &items {
                    self.store.mark_sent(item.id, CallStatus::Failed, None, Some("the account is no longer configured")).await?;
                }
                continue;
            };
            entry.limiter.acquire().await;
            let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
            self.store.mark_sending(&ids).await?;
            let targets: Vec<PhoneTarget> = items
                .iter()
                .map(|i| PhoneTarget {
                    area: i.area,
                    phone: i.phone.clone(),
                    extension: i.extension.clone(),
                    nick_name: i.nick_name.clone(),
                })
                .collect();
            tracing::info!(job = %job.id, batch, numbers = targets.len(), "sending callout batch");
            match entry.client.callout(&job.meeting_id, &job.operator_id, &targets).await {
                Ok(result) => {
                    refused_rounds = 0;
                    for item in &items {
                        let same = |area: u32, phone: &str, ext: &Option<String>| {
                            area == item.area && phone == item.phone && *ext == item.extension
                        };
                        if let Some(accepted) = result.accepted.iter().find(|a| same(a.number.area, &a.number.phone, &a.number.extension)) {
                            let status = if accepted.status == CallStatus::Unknown { CallStatus::Queued } else { accepted.status };
                            self.store.mark_sent(item.id, status, Some(&accepted.raw_status), None).await?;
                        } else if let Some(refused) =
                            result.invalid.iter().find(|r| same(r.number.area, &r.number.phone, &r.number.extension))
                        {
                            self.store
                                .mark_sent(item.id, CallStatus::Failed, None, Some(&format!("refused by the provider: {}", refused.reason)))
                                .await?;
                        } else {
                            self.store
                                .mark_sent(item.id, CallStatus::Unknown, None, Some("the provider's answer did not mention this number"))
                                .await?;
                        }
                    }
                }
                Err(ProviderError::Rejected { body, .. }) => {
                    refused_rounds = 0;
                    let reason = format!("refused by the provider ({}): {}", body.code, body.message);
                    for item in &items {
                        self.store.mark_sent(item.id, CallStatus::Failed, None, Some(&reason)).await?;
                    }
                }
                Err(err @ (ProviderError::RateLimited { .. } | ProviderError::NotSent { .. })) => {
                    // Provably not acted on: safe to send again later, with the same rows.
                    self.store.mark_pending_again(&ids).await?;
                    refused_rounds += 1;
                    if refused_rounds > MAX_SAFE_RETRY_ROUNDS {
                        for item in &items {
                            self.store.mark_sending(&[item.id]).await?;
                            self.store.mark_sent(item.id, CallStatus::Failed, None, Some(&format!("not sent: {err}"))).await?;
                        }
                        refused_rounds = 0;
                    } else {
                        let pause = self.settings.retry_pause.saturating_mul(1 << refused_rounds.min(6));
                        tracing::warn!(job = %job.id, batch, %err, ?pause, "batch not accepted; it will be sent again");
                        tokio::time::sleep(pause).await;
                    }
                }
                Err(err @ ProviderError::Unknown { .. }) => {
                    refused_rounds = 0;
                    let reason = format!("{err}; not re-dialled automatically");
                    for item in &items {
                        self.store.mark_sent(item.id, CallStatus::Unknown, None, Some(&reason)).await?;
                    }
                }
            }
            self.publish_items(&ids).await?;
            self.publish_job(&job.id).await?;
        }
        self.refresh_job_state(&job.id).await?;
        self.follow(&job.account_id, &job.meeting_id, &job.operator_id);
        Ok(())
    }

    /// Publishes the job's summary (and stores its state); `None` when there is no such job.
    pub(super) async fn publish_job(&self, job_id: &str) -> Result<Option<JobSummary>, AppError> {
        let Some(summary) = self.store.job_summary(job_id).await? else { return Ok(None) };
        self.store.set_job_state(job_id, summary.state).await?;
        self.events.publish(LiveEvent::Job { job: summary.clone() });
        Ok(Some(summary))
    }

    async fn refresh_job_state(&self, job_id: &str) -> Result<JobState, AppError> {
        Ok(self.publish_job(job_id).await?.map(|s| s.state).unwrap_or(JobState::Finished))
    }

    pub(super) async fn publish_items(&self, ids: &[i64]) -> Result<(), AppError> {
        for id in ids {
            if let Some(item) = self.store.item(*id).await? {
                let job_id = self.store.item_job(*id).await?;
                self.events.publish(LiveEvent::Item { job_id, item });
            }
        }
        Ok(())
    }

    /// Applies one line of the provider's status list to the matching open item.
    pub(super) async fn apply_status(
        &self,
        item: &DialItem,
        raw_status: &str,
        ms_open_id: Option<&str>,
    ) -> Result<Option<String>, AppError> {
        let next = map_callout_status(raw_status);
        match self.store.advance_item(item.id, next, raw_status, ms_open_id).await? {
            Some(updated) => {
                self.events.publish(LiveEvent::Item { job_id: item.job_id.clone(), item: updated });
                Ok(Some(item.job_id.clone()))
            }
            None => Ok(None),
        }
    }
}

impl NewItem {
    fn not_dialled(row: u32, input: String, e164: Option<String>, nick_name: Option<String>, phase: ItemPhase, reason: String) -> Self {
        let status = if phase == ItemPhase::Invalid { CallStatus::Failed } else { CallStatus::Canceled };
        NewItem { row, input, e164, area: None, phone: None, extension: None, nick_name, batch: None, phase, status, reason: Some(reason) }
    }
}

/// The row as entered, for the record.
fn describe(input: &CalloutNumberInput) -> String {
    let n = &input.number;
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
