//! The one JSON error body every failing `/api` call answers with, and its stable codes.

use serde::{Deserialize, Serialize};

/// Stable error codes. The backend maps each error to one of them in one place; the UI's words are a
/// `match` on this enum, so a new code without words does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    CsrfHeaderMissing,
    CrossSiteRequest,
    InvalidRequest,
    InvalidNumber,
    NotFound,
    /// The number is on the do-not-call list: nothing was dialled.
    DoNotCall,
    IdempotencyKeyReused,
    IdempotencyKeyInProgress,
    DoNotCallConfigured,
    RateLimited,
    ProviderUnreachable,
    ProviderOutcomeUnknown,
    ProviderError,
    ProviderPermissionDenied,
    ProviderCredentialsRejected,
    MeetingNotFound,
    MeetingEnded,
    /// The meeting exists but takes no callouts (cancelled, recycled, a webinar): nothing was dialled.
    MeetingNotCallable,
    /// The console's database cannot be written (disk full, read-only): nothing was dialled.
    StorageUnavailable,
    Internal,
    /// A code this build does not know (a newer backend); shown with the backend's own message.
    #[serde(other)]
    Unrecognised,
}

impl ErrorCode {
    /// Every code, for tests that walk the enum itself.
    pub const ALL: [ErrorCode; 23] = [
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::CsrfHeaderMissing,
        ErrorCode::CrossSiteRequest,
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidNumber,
        ErrorCode::NotFound,
        ErrorCode::DoNotCall,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::IdempotencyKeyInProgress,
        ErrorCode::DoNotCallConfigured,
        ErrorCode::RateLimited,
        ErrorCode::ProviderUnreachable,
        ErrorCode::ProviderOutcomeUnknown,
        ErrorCode::ProviderError,
        ErrorCode::ProviderPermissionDenied,
        ErrorCode::ProviderCredentialsRejected,
        ErrorCode::MeetingNotFound,
        ErrorCode::MeetingEnded,
        ErrorCode::MeetingNotCallable,
        ErrorCode::StorageUnavailable,
        ErrorCode::Internal,
        ErrorCode::Unrecognised,
    ];
}

/// `{code, message, field?, provider_code?}`. `code` is stable and meant for translation; `message`
/// is precise English for people and logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApiErrorBody {
    pub code: ErrorCode,
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

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn codes_travel_as_snake_case_and_unknown_ones_are_kept_apart() {
        assert_eq!(serde_json::to_value(ErrorCode::DoNotCall).unwrap(), "do_not_call");
        assert_eq!(serde_json::from_str::<ErrorCode>("\"meeting_ended\"").unwrap(), ErrorCode::MeetingEnded);
        assert_eq!(serde_json::from_str::<ErrorCode>("\"from_the_future\"").unwrap(), ErrorCode::Unrecognised);
    }

    #[test]
    fn all_lists_every_code_once() {
        let names: std::collections::BTreeSet<String> =
            ErrorCode::ALL.iter().map(|c| serde_json::to_value(c).unwrap().as_str().unwrap().to_owned()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
    }
}
