//! Meeting callout jobs: any number of numbers, normalised, deduplicated, split into provider
//! batches, paced, and followed until every call is final.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{call_status::CallStatus, meeting::CalloutNumberInput};

/// `POST /api/v1/callouts` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateCalloutJob {
    pub account_id: String,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Batches are still being sent.
    Dialling,
    /// Everything was sent; calls are being followed.
    Following,
    /// Every call reached a final state (or was never dialled).
    Finished,
}

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
    /// Our reason (invalid number, duplicate…) or the provider's (error_msg, error code).
    pub reason: Option<String>,
    /// The provider's own status word.
    pub raw_status: Option<String>,
    pub ms_open_id: Option<String>,
    /// Unix milliseconds.
    pub updated_at: i64,
}

/// Progress numbers the UI draws its bars from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobCounters {
    pub rows: u32,
    pub invalid: u32,
    pub duplicates: u32,
    pub blocked: u32,
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
    pub account_id: String,
    pub meeting_id: String,
    pub operator_id: String,
    /// Who submitted it (verified identity).
    pub created_by: String,
    pub created_at: i64,
    pub state: JobState,
    pub counters: JobCounters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalloutJob {
    #[serde(flatten)]
    pub summary: JobSummary,
    pub items: Vec<JobItem>,
}

/// `GET /api/v1/events` (server-sent events): what changed, for live views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    Job { job: JobSummary },
    Item { job_id: String, item: JobItem },
}
