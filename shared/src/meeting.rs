//! Tencent Meeting operations: PSTN callout, callout status, cancel, ms_open_id lookup, room call.
//!
//! Product-level types only: the provider's field names and quirks stay in the backend's
//! `providers/tencent_meeting`. Meeting ids are always strings: real ids have up to 20 digits and
//! overflow a signed 64-bit integer.

use serde::{Deserialize, Serialize};

use crate::call_status::CallStatus;

/// A phone number as the provider identifies it: country code, national number, optional extension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// Country calling code (86, 852, 1…).
    pub area: u32,
    /// National number, digits only.
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

/// One number to call out to, with the name shown in the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneTarget {
    pub area: u32,
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
}

impl PhoneTarget {
    pub fn number(&self) -> PhoneNumber {
        PhoneNumber { area: self.area, phone: self.phone.clone(), extension: self.extension.clone() }
    }
}

/// A number the provider accepted and started calling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedCallout {
    pub number: PhoneNumber,
    /// The provider's status word as given (often empty right after the dial).
    pub raw_status: String,
    pub status: CallStatus,
}

/// A number the provider refused to call, with its stated reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedNumber {
    pub number: PhoneNumber,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalloutResult {
    pub meeting_id: String,
    pub accepted: Vec<AcceptedCallout>,
    pub invalid: Vec<RejectedNumber>,
}

/// One callout of a meeting as the provider's status list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalloutStatusItem {
    /// The number called and the name it was given (area, phone, extension, nick_name).
    #[serde(flatten)]
    pub callee: PhoneTarget,
    pub raw_status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms_open_id: Option<String>,
    pub status: CallStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalloutStatusPage {
    pub meeting_id: String,
    pub items: Vec<CalloutStatusItem>,
    /// Pages count from 1.
    pub current_page: u32,
    pub page_size: u32,
    pub total_count: u32,
    pub total_page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelResult {
    pub succeeded: Vec<PhoneNumber>,
    pub failed: Vec<RejectedNumber>,
}

/// The meeting identities (`ms_open_id`) a connected number had; one landline can have several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsOpenIds {
    pub number: PhoneNumber,
    pub ms_open_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsOpenIdResult {
    pub meeting_id: String,
    pub numbers: Vec<MsOpenIds>,
}

/// Signalling protocol of a meeting-room device address (MRA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MraProtocol {
    Sip,
    H323,
}

/// What a room call rings: a Tencent Rooms meeting room or a SIP/H.323 device. Exactly one, by construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomTarget {
    MeetingRoom { meeting_room_id: String },
    MraAddress { protocol: MraProtocol, dial_string: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCallRequest {
    pub meeting_id: String,
    pub target: RoomTarget,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCallResult {
    pub invite_id: String,
}

/// Where a room call stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCallInfo {
    pub status: CallStatus,
    /// The provider's numeric answer state (0 no answer … 6 left).
    pub raw_status: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_time: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_target_is_one_tagged_variant() {
        let target = RoomTarget::MraAddress { protocol: MraProtocol::H323, dial_string: "10.0.0.1".into() };
        let json = serde_json::to_value(&target).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "mra_address", "protocol": "h323", "dial_string": "10.0.0.1"}));
        let both = serde_json::json!({"kind": "meeting_room", "protocol": "sip"});
        assert!(serde_json::from_value::<RoomTarget>(both).is_err(), "a room target needs its own fields");
    }

    #[test]
    fn long_meeting_ids_survive_as_strings() {
        let page: CalloutStatusPage = serde_json::from_str(
            r#"{"meeting_id":"13339451618278424869","items":[],"current_page":1,"page_size":20,"total_count":0,"total_page":0}"#,
        )
        .unwrap();
        assert_eq!(page.meeting_id, "13339451618278424869");
    }
}
