//! The do-not-call list (admins): numbers no job will ever dial.

use serde::{Deserialize, Serialize};

use crate::numbers::NumberInput;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DoNotCallEntry {
    pub e164: String,
    pub note: Option<String>,
    /// Who added it in the console; `None` for numbers from the configuration file.
    pub added_by: Option<String>,
    /// Unix milliseconds; `None` for numbers from the configuration file.
    pub added_at: Option<i64>,
    /// Listed in the configuration file: it can only be removed there.
    #[serde(default)]
    pub configured: bool,
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

/// The answer of `POST /api/v1/do-not-call`: the entry as stored, and whether it was on the list
/// already (then its note is kept unless the request gave a new one, and who added it stays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DoNotCallAdded {
    #[serde(flatten)]
    pub entry: DoNotCallEntry,
    pub already_listed: bool,
}
