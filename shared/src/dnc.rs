//! The do-not-call list (admins): numbers no job will ever dial.

use serde::{Deserialize, Serialize};

use crate::numbers::NumberInput;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DoNotCallEntry {
    pub e164: String,
    pub note: Option<String>,
    pub added_by: String,
    pub added_at: i64,
}

/// `POST /api/v1/do-not-call`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddDoNotCall {
    #[serde(flatten)]
    pub number: NumberInput,
    #[serde(default)]
    pub note: Option<String>,
}
