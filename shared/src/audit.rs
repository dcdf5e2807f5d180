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
    /// `callout_job`, `callout_retry_unknown`, `callout_cancel`, `room_call`, `room_call_cancel`, `dialex`…
    pub action: String,
    pub account_id: Option<String>,
    /// Meeting, number, task or invite the action was about.
    pub target: Option<String>,
    /// `ok`, `rejected`, `unknown`, `failed`…
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
}
