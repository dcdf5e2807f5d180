//! One status model for every call, whatever the provider: what the UI shows and filters on.

use serde::{Deserialize, Serialize};

/// Where a call stands. States only move forward (see [`CallStatus::rank`]); the provider's raw
/// status and reason are kept beside it wherever it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    /// Recorded, not yet accepted by the provider.
    Queued,
    Ringing,
    Answered,
    /// Answered, then ended.
    Completed,
    /// Rang out or was rejected (Tencent cannot tell the two apart).
    NotAnswered,
    Canceled,
    /// The provider refused the call (invalid number, permission, meeting ended…).
    Failed,
    /// Handed to the contact center (a DialEx call), its outcome not known yet: the console follows
    /// the call's record until it says how the call ended.
    Placed,
    /// The request may or may not have reached the provider; never re-dialled without a person deciding.
    Unknown,
}

impl CallStatus {
    pub const ALL: [CallStatus; 9] = [
        CallStatus::Queued,
        CallStatus::Ringing,
        CallStatus::Answered,
        CallStatus::Completed,
        CallStatus::NotAnswered,
        CallStatus::Canceled,
        CallStatus::Failed,
        CallStatus::Placed,
        CallStatus::Unknown,
    ];

    /// Order of progress: a status may only be replaced by one of higher rank.
    /// `Unknown` ranks with `Queued`, so any later word from the provider resolves it.
    pub fn rank(self) -> u8 {
        match self {
            CallStatus::Queued | CallStatus::Unknown => 0,
            // A placed DialEx call is on its way like a ringing one: its call record still moves it.
            CallStatus::Ringing | CallStatus::Placed => 1,
            CallStatus::Answered => 2,
            CallStatus::Completed | CallStatus::NotAnswered | CallStatus::Canceled | CallStatus::Failed => 3,
        }
    }

    /// No further change is expected.
    pub fn is_final(self) -> bool {
        self.rank() == 3
    }

    /// Whether moving from `self` to `next` is progress (late and duplicate events are not).
    pub fn can_become(self, next: CallStatus) -> bool {
        next.rank() > self.rank()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Queued => "queued",
            CallStatus::Ringing => "ringing",
            CallStatus::Answered => "answered",
            CallStatus::Completed => "completed",
            CallStatus::NotAnswered => "not_answered",
            CallStatus::Canceled => "canceled",
            CallStatus::Failed => "failed",
            CallStatus::Placed => "placed",
            CallStatus::Unknown => "unknown",
        }
    }
}

impl TryFrom<String> for CallStatus {
    type Error = crate::UnknownValue;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl std::str::FromStr for CallStatus {
    type Err = crate::UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CallStatus::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| crate::UnknownValue::new("call status", s))
    }
}

#[cfg(test)]
mod tests {
    use super::CallStatus::*;

    #[test]
    fn states_only_move_forward() {
        assert!(Queued.can_become(Ringing));
        assert!(Ringing.can_become(Answered));
        assert!(Answered.can_become(Completed));
        assert!(Ringing.can_become(NotAnswered));
        assert!(Unknown.can_become(Ringing));
        assert!(!Answered.can_become(Ringing), "a late ringing event must not undo an answer");
        assert!(!Completed.can_become(Canceled), "final states absorb later events");
        assert!(!Ringing.can_become(Ringing), "duplicates change nothing");
        assert!(!Ringing.can_become(Unknown));
        assert!(!Placed.is_final(), "a placed DialEx call waits for its call record");
        assert!(Placed.can_become(Completed) && Placed.can_become(NotAnswered) && Placed.can_become(Failed));
        assert!(Unknown.can_become(Placed));
    }

    #[test]
    fn wire_names_match_as_str() {
        for status in super::CallStatus::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
            assert_eq!(status.as_str().parse::<super::CallStatus>(), Ok(status));
        }
        assert!("sent".parse::<super::CallStatus>().is_err(), "an unknown stored word is an error, never a guess");
    }
}
