//! The one JSON error body every failing `/api` call answers with.

use serde::{Deserialize, Serialize};

/// `{code, message, field?, provider_code?}`. `code` is stable and meant for translation; `message`
/// is precise English for people and logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApiErrorBody {
    pub code: String,
    pub message: String,
    /// The request field the error is about, as a JSON path (`numbers[3].phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The provider's own error code, when a provider refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_code: Option<String>,
    /// With `invalid_number`: which problem (`too_short`, `not_a_valid_number`…), for translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crate::numbers::NumberProblem>,
}
