//! Tencent Meeting REST API (enterprise self-built app, AK/SK HMAC-SHA256 signing) and event-subscription webhooks.
//!
//! - [`signer`]: the request signature (pure functions, used by the CLI too)
//! - [`client`]: [`TencentMeetingClient`], one method per operation, product types in and out
//! - [`webhook`]: event signature, AES payloads, typed events
//! - `wire`: the provider's JSON, private to this module

pub mod client;
pub mod signer;
pub mod webhook;
mod wire;

use callout_shared::call_status::CallStatus;

pub use client::{MeetingDetails, TencentAccount, TencentMeetingClient, DEFAULT_CALLOUT_BATCH_CAP, MAX_PAGE_SIZE};

/// Error codes that mean "refused for rate limiting, nothing done": per minute, per day, per interface.
pub const RATE_LIMIT_CODES: [&str; 3] = ["190310", "190311", "190313"];

/// The PSTN callout status words (webhook `status`, and presumably the callout list's) in the
/// common model. Empty or unknown words keep the call open (`Queued` ranks lowest, so any later word wins).
pub fn map_callout_status(raw: &str) -> CallStatus {
    match raw {
        "START_INVITE" => CallStatus::Ringing,
        "START_ACCEPT" => CallStatus::Answered,
        "LEAVE_WITH_ACCEPTED" => CallStatus::Completed,
        // Tencent does not tell a rejection from a ring-out.
        "LEAVE_WITHOUT_ACCEPT" => CallStatus::NotAnswered,
        // Sic: Tencent spells it CANCLE.
        "CANCLE_INVITE" | "CANCEL_INVITE" => CallStatus::Canceled,
        _ => CallStatus::Queued,
    }
}

/// Room-call answer states: 0 no answer (60 s), 1 not called, 2 joining, 3 rejected, 4 calling,
/// 5 cancelled (Rooms only), 6 left.
pub fn map_room_call_status(code: i64) -> CallStatus {
    match code {
        0 | 3 => CallStatus::NotAnswered,
        2 => CallStatus::Answered,
        4 => CallStatus::Ringing,
        5 => CallStatus::Canceled,
        6 => CallStatus::Completed,
        _ => CallStatus::Queued,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callout_statuses_map_to_the_common_model() {
        assert_eq!(map_callout_status("START_INVITE"), CallStatus::Ringing);
        assert_eq!(map_callout_status("START_ACCEPT"), CallStatus::Answered);
        assert_eq!(map_callout_status("LEAVE_WITH_ACCEPTED"), CallStatus::Completed);
        assert_eq!(map_callout_status("LEAVE_WITHOUT_ACCEPT"), CallStatus::NotAnswered);
        assert_eq!(map_callout_status("CANCLE_INVITE"), CallStatus::Canceled);
        assert!(!map_callout_status("").is_final());
        assert!(!map_callout_status("SOMETHING_NEW").is_final());
    }

    #[test]
    fn room_call_states_map_to_the_common_model() {
        let mapped: Vec<_> = (0..=6).map(map_room_call_status).collect();
        use CallStatus::*;
        assert_eq!(mapped, [NotAnswered, Queued, Answered, NotAnswered, Ringing, Canceled, Completed]);
        assert!(!map_room_call_status(42).is_final());
    }
}
