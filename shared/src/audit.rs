//! `GET /api/v1/audit` (admins): who did what, when, with which outcome.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// Unix milliseconds (UTC).
    pub at: i64,
    pub subject: String,
    pub email: Option<String>,
    pub auth_mode: String,
    /// The Tencent Meeting operator acted as, when it differs from the user's own.
    pub on_behalf_of: Option<String>,
    /// An [`AuditAction`] word.
    pub action: String,
    pub account_id: Option<String>,
    /// Meeting, number, task or invite the action was about.
    pub target: Option<String>,
    /// An [`AuditOutcome`] word.
    pub outcome: String,
    pub detail: Option<String>,
}

/// Filters of the audit log (query parameters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditQuery {
    pub user: Option<String>,
    pub action: Option<String>,
    pub account_id: Option<String>,
    /// Unix milliseconds, inclusive.
    pub from: Option<i64>,
    /// Unix milliseconds, exclusive.
    pub to: Option<i64>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// CSV export: the reader's time zone, minutes east of UTC; times are written in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = -840, max = 840)))]
    pub utc_offset_minutes: Option<i32>,
}

/// What an audit row records; stored and filtered by these words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    CalloutJob,
    DialexJob,
    MeetingCallout,
    CalloutRetryUnknown,
    CalloutCancel,
    JobPause,
    JobResume,
    JobStop,
    /// The retry policy dialling numbers again (who: the person who submitted the job's policy).
    JobRetryPolicy,
    RoomCall,
    RoomCallCancel,
    Dialex,
    DoNotCallAdd,
    DoNotCallRemove,
}

crate::wire_words!(AuditAction, "audit action", {
    AuditAction::CalloutJob => "callout_job",
    AuditAction::DialexJob => "dialex_job",
    AuditAction::MeetingCallout => "meeting_callout",
    AuditAction::CalloutRetryUnknown => "callout_retry_unknown",
    AuditAction::CalloutCancel => "callout_cancel",
    AuditAction::JobPause => "job_pause",
    AuditAction::JobResume => "job_resume",
    AuditAction::JobStop => "job_stop",
    AuditAction::JobRetryPolicy => "job_retry_policy",
    AuditAction::RoomCall => "room_call",
    AuditAction::RoomCallCancel => "room_call_cancel",
    AuditAction::Dialex => "dialex",
    AuditAction::DoNotCallAdd => "do_not_call_add",
    AuditAction::DoNotCallRemove => "do_not_call_remove",
});

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Ok,
    /// A rule of the console refused it (nothing reached the provider).
    Refused,
    /// The provider refused it.
    Rejected,
    /// Sent, but no trustworthy answer came back.
    Unknown,
    /// The provider could not be reached or kept refusing for its rate limit.
    NotSent,
    /// A do-not-call number that was on the list already.
    AlreadyListed,
}

crate::wire_words!(AuditOutcome, "audit outcome", {
    AuditOutcome::Ok => "ok",
    AuditOutcome::Refused => "refused",
    AuditOutcome::Rejected => "rejected",
    AuditOutcome::Unknown => "unknown",
    AuditOutcome::NotSent => "not_sent",
    AuditOutcome::AlreadyListed => "already_listed",
});
