//! Meeting callout jobs: any number of numbers, normalised, deduplicated, split into provider
//! batches, paced, and followed until every call is final.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    call_status::CallStatus,
    campaign::{CampaignPlan, CampaignStatus},
    dialex::DialExRoute,
    meeting::CalloutNumberInput,
};

/// `POST /api/v1/callouts` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateCalloutJob {
    pub account_id: String,
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[0-9]{1,20}$")))]
    pub meeting_id: String,
    /// Admins may act for another operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
    /// Rows as entered in the form.
    #[serde(default)]
    pub numbers: Vec<CalloutNumberInput>,
    /// Pasted free text: one number per line, optionally `number, nickname`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// An uploaded CSV in the template's columns: `country_code,number,extension,nick_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
    /// A name or note for the job, shown as its title (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub name: Option<String>,
    /// When to start, the hours to dial in, and calling again numbers that did not answer.
    #[serde(default, skip_serializing_if = "CampaignPlan::is_empty")]
    pub campaign: CampaignPlan,
}

/// `POST /api/v1/dialex/jobs` (with an `Idempotency-Key` header): DialEx calls to a list of numbers,
/// each recorded before it is sent, paced under the account's rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateDialExJob {
    pub account_id: String,
    /// Where every answered call goes.
    #[serde(flatten)]
    pub route: DialExRoute,
    /// Rows as entered in the form (`nick_name` is kept for the record only).
    #[serde(default)]
    pub numbers: Vec<CalloutNumberInput>,
    /// Pasted free text: one number per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// An uploaded CSV in the template's columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
    /// A name or note for the job, shown as its title (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub name: Option<String>,
    /// When to start, the hours to dial in, and calling again numbers that did not answer.
    #[serde(default, skip_serializing_if = "CampaignPlan::is_empty")]
    pub campaign: CampaignPlan,
}

/// What a job dials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Tencent Meeting PSTN callouts into one meeting, in provider batches.
    MeetingCallout,
    /// Alibaba Cloud CCC DialEx calls, one request per number.
    Dialex,
}

crate::wire_words!(JobKind, "job kind", { JobKind::MeetingCallout => "meeting_callout", JobKind::Dialex => "dialex" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Its start time has not come: nothing is sent until then (stopping it cancels it).
    Scheduled,
    /// Batches are still being sent.
    Dialling,
    /// Batches wait until a person resumes the job; calls already sent are followed.
    Paused,
    /// Everything was sent; calls are being followed.
    Following,
    /// Every call reached a final state (or was never dialled).
    Finished,
}

crate::wire_words!(JobState, "job state", {
    JobState::Scheduled => "scheduled",
    JobState::Dialling => "dialling",
    JobState::Paused => "paused",
    JobState::Following => "following",
    JobState::Finished => "finished",
});

/// Why a row of a job was not dialled, or what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemPhase {
    /// Our normaliser refused it.
    Invalid,
    /// The same number is already in this job or being called in this meeting.
    Duplicate,
    /// On the do-not-call list.
    Blocked,
    /// Waiting for its batch.
    Pending,
    /// Its batch request is (or was, when the backend stopped) on its way: the outcome is not known yet.
    Sending,
    /// The provider answered for it (accepted or refused), or its outcome is unknown.
    Sent,
    /// Never sent: a person stopped the job first.
    Stopped,
}

crate::wire_words!(ItemPhase, "item phase", {
    ItemPhase::Invalid => "invalid",
    ItemPhase::Duplicate => "duplicate",
    ItemPhase::Blocked => "blocked",
    ItemPhase::Pending => "pending",
    ItemPhase::Sending => "sending",
    ItemPhase::Sent => "sent",
    ItemPhase::Stopped => "stopped",
});

/// Why a row was not dialled or did not get through, as a code each language words itself; the
/// variable part (a row, a job, the provider's own words) travels beside it as `reason_detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The normaliser refused it; detail: the [`crate::numbers::NumberProblem`] code.
    InvalidNumber,
    /// A DialEx row with an extension: the contact center cannot dial one.
    NoExtensions,
    /// The same number as an earlier row of the job; detail: that row, from 1.
    SameAsRow,
    /// Already being called in this meeting by another job; detail: that job's id.
    InAnotherJob,
    DoNotCall,
    /// The provider's answer refused this number; detail: the provider's words.
    ProviderRefusedNumber,
    /// The provider refused the whole request; detail: its code and words.
    ProviderRefused,
    /// Given up on, provably never sent (rate limited or unreachable every time); detail: the last error.
    NotSent,
    /// The provider accepted the batch but its answer did not mention this number.
    NotInAnswer,
    /// The request may or may not have reached the provider; detail: what happened. Not re-dialled.
    OutcomeUnknown,
    /// The backend stopped while the batch was being sent: it may have been dialled.
    Interrupted,
    /// A person stopped the job before this number was sent; detail: who.
    Stopped,
    /// The outcome could not be recorded (database error): it may have been dialled.
    NotRecorded,
    /// A DialEx call the contact center kept no call record of within the wait; detail: the minutes waited.
    NoOutcomeReported,
    /// The DialEx call's record ended in a way the console does not know; detail: the provider's word.
    OutcomeNotRecognised,
}

crate::wire_words!(ReasonCode, "reason code", {
    ReasonCode::InvalidNumber => "invalid_number",
    ReasonCode::NoExtensions => "no_extensions",
    ReasonCode::SameAsRow => "same_as_row",
    ReasonCode::InAnotherJob => "in_another_job",
    ReasonCode::DoNotCall => "do_not_call",
    ReasonCode::ProviderRefusedNumber => "provider_refused_number",
    ReasonCode::ProviderRefused => "provider_refused",
    ReasonCode::NotSent => "not_sent",
    ReasonCode::NotInAnswer => "not_in_answer",
    ReasonCode::OutcomeUnknown => "outcome_unknown",
    ReasonCode::Interrupted => "interrupted",
    ReasonCode::Stopped => "stopped",
    ReasonCode::NotRecorded => "not_recorded",
    ReasonCode::NoOutcomeReported => "no_outcome_reported",
    ReasonCode::OutcomeNotRecognised => "outcome_not_recognised",
});

/// Why a DialEx row or callee with an extension is refused.
pub const NO_EXTENSIONS: &str = "a Contact Center call cannot dial an extension; give the number without it";

/// A row's reason: the code and its variable part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReason {
    pub code: ReasonCode,
    pub detail: Option<String>,
}

impl ItemReason {
    pub fn new(code: ReasonCode, detail: impl Into<String>) -> Self {
        ItemReason { code, detail: Some(detail.into()) }
    }

    pub fn bare(code: ReasonCode) -> Self {
        ItemReason { code, detail: None }
    }

    /// The English sentence, for the API's `reason`, the CSV export and logs.
    pub fn english(&self) -> String {
        let detail = self.detail.as_deref().unwrap_or_default();
        match self.code {
            ReasonCode::InvalidNumber => match detail.parse::<crate::numbers::NumberProblem>() {
                Ok(problem) => problem.message().to_owned(),
                Err(_) => "not a number that can be dialled".to_owned(),
            },
            ReasonCode::NoExtensions => NO_EXTENSIONS.to_owned(),
            ReasonCode::SameAsRow => format!("same number as row {detail}"),
            ReasonCode::InAnotherJob => format!("already being called in this meeting (job {detail})"),
            ReasonCode::DoNotCall => "on the do-not-call list".to_owned(),
            ReasonCode::ProviderRefusedNumber => format!("refused by the provider: {detail}"),
            ReasonCode::ProviderRefused => format!("refused by the provider ({detail})"),
            ReasonCode::NotSent => format!("not sent: {detail}"),
            ReasonCode::NotInAnswer => "the provider's answer did not mention this number".to_owned(),
            ReasonCode::OutcomeUnknown => format!("{detail}; not re-dialled automatically"),
            ReasonCode::Interrupted => "the backend stopped while this batch was being sent; it may have been dialled".to_owned(),
            ReasonCode::Stopped => format!("not sent: the job was stopped by {detail}"),
            ReasonCode::NotRecorded => {
                "the outcome of this batch could not be recorded (database error); it may have been dialled".to_owned()
            }
            ReasonCode::NoOutcomeReported => {
                format!("the contact center reported no outcome for this call within {detail} minutes; not re-dialled automatically")
            }
            ReasonCode::OutcomeNotRecognised => {
                format!("the contact center ended this call as \"{detail}\", which the console does not recognise")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobItem {
    pub id: i64,
    /// Row in the submitted list, from 0.
    pub row: u32,
    /// What was entered.
    pub input: String,
    pub e164: Option<String>,
    pub nick_name: Option<String>,
    /// Provider batch it went in, from 1.
    pub batch: Option<u32>,
    pub phase: ItemPhase,
    pub status: CallStatus,
    /// Our reason (invalid number, duplicate…) or the provider's (error_msg, error code), in English.
    pub reason: Option<String>,
    /// The reason as a code, for words in the reader's language (absent on rows recorded before codes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<ReasonCode>,
    /// The variable part of the reason: see [`ReasonCode`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_detail: Option<String>,
    /// The provider's own status word.
    pub raw_status: Option<String>,
    /// The latest in-meeting id of the call.
    pub ms_open_id: Option<String>,
    /// Every in-meeting id the call had, oldest first (a number that joined twice has two).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ms_open_ids: Vec<String>,
    /// DialEx: the contact center's task id once it accepted the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// Unix milliseconds.
    pub updated_at: i64,
    /// When the provider took the call, it was answered, and it ended (Unix milliseconds, as the
    /// console learned them: the provider's answer and its status events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<i64>,
    /// Which attempt of the number this is, from 1 (a retry policy dials a number again).
    #[serde(default = "first_attempt")]
    pub attempt: u32,
    /// A later attempt waiting for its spacing: not sent before this time (Unix milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<i64>,
}

fn first_attempt() -> u32 {
    1
}

/// An earlier attempt of a row, as it ended, kept when the retry policy dialled the number again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastAttempt {
    pub item_id: i64,
    pub row: u32,
    pub attempt: u32,
    pub status: CallStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<ReasonCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_status: Option<String>,
    /// DialEx: the task id this attempt got.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<i64>,
}

impl CalloutJob {
    /// Every dial of the job, one per attempt: a row's earlier attempts (as they ended) before the
    /// row as it stands, rows in order.
    pub fn every_attempt(&self) -> Vec<JobItem> {
        let mut lines = Vec::with_capacity(self.items.len() + self.attempts.len());
        for item in &self.items {
            let mut earlier: Vec<&PastAttempt> = self.attempts.iter().filter(|a| a.item_id == item.id).collect();
            earlier.sort_by_key(|a| a.attempt);
            lines.extend(earlier.into_iter().map(|past| JobItem {
                phase: ItemPhase::Sent,
                status: past.status,
                reason: past.reason.clone(),
                reason_code: past.reason_code,
                reason_detail: past.reason_detail.clone(),
                raw_status: past.raw_status.clone(),
                ms_open_id: None,
                ms_open_ids: Vec::new(),
                task_id: past.task_id.clone(),
                sent_at: past.sent_at,
                answered_at: past.answered_at,
                ended_at: past.ended_at,
                attempt: past.attempt,
                next_attempt_at: None,
                ..item.clone()
            }));
            lines.push(item.clone());
        }
        lines
    }
}

impl JobItem {
    /// Milliseconds from sending to answer.
    pub fn time_to_answer(&self) -> Option<i64> {
        Some(self.answered_at? - self.sent_at?).filter(|ms| *ms >= 0)
    }

    /// Milliseconds from answer to the end of the call.
    pub fn call_length(&self) -> Option<i64> {
        Some(self.ended_at? - self.answered_at?).filter(|ms| *ms >= 0)
    }
}

/// `GET /api/v1/callouts/{id}/export.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExportQuery {
    /// The reader's time zone, minutes east of UTC (480 in China): times are written in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = -840, max = 840)))]
    pub utc_offset_minutes: Option<i32>,
}

/// Progress numbers the UI draws its bars from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobCounters {
    pub rows: u32,
    pub invalid: u32,
    pub duplicates: u32,
    pub blocked: u32,
    /// Never sent because a person stopped the job.
    #[serde(default)]
    pub stopped: u32,
    pub batches_total: u32,
    pub batches_sent: u32,
    /// Accepted by the provider.
    pub accepted: u32,
    /// Refused by the provider (its `invalid_phone_numbers`, or a refused batch).
    pub provider_invalid: u32,
    pub unknown: u32,
    /// Calls in a final state.
    pub finished: u32,
    pub by_status: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobSummary {
    pub id: String,
    /// The name or note given at submit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: JobKind,
    pub account_id: String,
    /// Meeting callouts: the meeting and the Tencent operator the job acts as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
    /// DialEx jobs: where answered calls go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialex: Option<DialExRoute>,
    /// Numbers per provider request now (1 for DialEx).
    pub batch_cap: u32,
    /// Set when the provider refused a batch as too large: the size it refused. The job then split
    /// those numbers into batches of `batch_cap` and sent them again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_cap_refused: Option<u32>,
    /// Who submitted it (verified identity).
    pub created_by: String,
    pub created_at: i64,
    pub state: JobState,
    pub counters: JobCounters,
    /// Schedule, calling window and retry policy, for a job that has any of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<CampaignStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalloutJob {
    #[serde(flatten)]
    pub summary: JobSummary,
    pub items: Vec<JobItem>,
    /// Earlier attempts of rows a retry policy dialled again, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<PastAttempt>,
}

/// `GET /api/v1/callouts`: every job of every kind, newest first, a page at a time, filtered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobListQuery {
    /// From 1 (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub page: Option<u32>,
    /// 1 to 100, default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
    pub page_size: Option<u32>,
    /// Submitted at or after (Unix milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    /// Submitted at or before (Unix milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
    /// The submitter's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<JobState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<JobKind>,
    /// Words in the job's name, or the start of its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

/// One page of [`JobListQuery`]'s answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobList {
    pub jobs: Vec<JobSummary>,
    /// Jobs matching the filters, on every page.
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
}

/// A submitted row that was not dialled, and why: named in the answer to every dialling request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NotDialled {
    /// Row in the submitted list, from 0.
    pub row: u32,
    pub input: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e164: Option<String>,
    /// `invalid`, `duplicate` or `blocked` (on the do-not-call list).
    pub phase: ItemPhase,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<ReasonCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_detail: Option<String>,
}

/// `202` answer of `POST /api/v1/callouts` and `POST /api/v1/dialex/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobCreated {
    pub job_id: String,
    pub job: JobSummary,
    /// Every row that will not be dialled (invalid, repeated, on the do-not-call list).
    pub not_dialled: Vec<NotDialled>,
}

/// `POST /api/v1/callouts/{id}/retry-unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetryUnknown {
    /// Must be true: re-dialling numbers that may already have been called is a person's decision.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = [true])))]
    pub confirm: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetryResult {
    /// Numbers queued again.
    pub requeued: u32,
    pub job: JobSummary,
}

/// `POST /api/v1/callouts/{id}/pause`, `/resume` and `/stop`: what a person does to a job's numbers
/// not sent yet. A pause holds across restarts; a stop is final (those numbers become `stopped`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobControl {
    Pause,
    Resume,
    Stop,
}

crate::wire_words!(JobControl, "job control", {
    JobControl::Pause => "pause",
    JobControl::Resume => "resume",
    JobControl::Stop => "stop",
});

/// The answer to a pause, resume or stop: the numbers it affected and the job now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobControlled {
    /// Numbers not sent yet that the action held, released or stopped.
    pub numbers: u32,
    pub job: JobSummary,
}

/// `GET /api/v1/events` (server-sent events): what changed, for live views. Each event's SSE name
/// is its `type`, so a browser can decode the data of a `job` event as [`JobChanged`] alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    Job(JobChanged),
    Item(ItemChanged),
}

/// The data of a `job` event: a job's new summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// Inline in `LiveEvent`'s schema, where the `type` tag is one more property of the same object.
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct JobChanged {
    pub job: JobSummary,
}

/// The data of an `item` event: one row of a job, as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// Inline in `LiveEvent`'s schema, where the `type` tag is one more property of the same object.
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct ItemChanged {
    pub job_id: String,
    pub item: JobItem,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::NumberProblem;

    // The store keeps the wire word; the API sends serde's name: they must be one word.
    #[test]
    fn reason_codes_and_number_problems_store_what_the_api_sends() {
        for code in ReasonCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert_eq!(code.as_str().parse::<ReasonCode>().unwrap(), *code);
        }
        for problem in NumberProblem::ALL {
            assert_eq!(serde_json::to_value(problem).unwrap(), problem.as_str());
        }
    }

    #[test]
    fn a_reason_is_worded_in_english_with_its_detail() {
        assert_eq!(ItemReason::new(ReasonCode::SameAsRow, "3").english(), "same number as row 3");
        assert_eq!(ItemReason::new(ReasonCode::InvalidNumber, "too_short").english(), NumberProblem::TooShort.message());
        assert_eq!(ItemReason::bare(ReasonCode::DoNotCall).english(), "on the do-not-call list");
        assert_eq!(
            ItemReason::new(ReasonCode::ProviderRefusedNumber, "number blocked").english(),
            "refused by the provider: number blocked"
        );
    }
}
