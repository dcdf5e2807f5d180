//! Tencent Meeting operations: PSTN callout, callout status, cancel, ms_open_id lookup, room call.
//!
//! Product-level types only: the provider's field names and quirks stay in the backend's
//! `providers/tencent_meeting`. Meeting ids are always strings: real ids have up to 20 digits and
//! overflow a signed 64-bit integer.

use serde::{Deserialize, Serialize};

use crate::{call_status::CallStatus, numbers::NumberInput};

/// A phone number as the provider identifies it: country code, national number, optional extension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcceptedCallout {
    pub number: PhoneNumber,
    /// The provider's status word as given (often empty right after the dial).
    pub raw_status: String,
    pub status: CallStatus,
}

/// A number the provider refused to call, with its stated reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RejectedNumber {
    pub number: PhoneNumber,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalloutResult {
    pub meeting_id: String,
    pub accepted: Vec<AcceptedCallout>,
    pub invalid: Vec<RejectedNumber>,
}

/// One callout of a meeting as the provider's status list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalloutStatusItem {
    /// The number called and the name it was given (area, phone, extension, nick_name).
    #[serde(flatten)]
    pub callee: PhoneTarget,
    pub raw_status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms_open_id: Option<String>,
    pub status: CallStatus,
    /// Set when this console placed the call: the list shows callouts from every client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console: Option<ConsoleCallout>,
}

/// Our record of a callout the provider lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConsoleCallout {
    pub job_id: String,
    /// Who submitted the job (email, or subject without one).
    pub placed_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CancelResult {
    pub succeeded: Vec<PhoneNumber>,
    pub failed: Vec<RejectedNumber>,
}

/// The meeting identities (`ms_open_id`) a connected number had; one landline can have several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MsOpenIds {
    pub number: PhoneNumber,
    pub ms_open_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MsOpenIdResult {
    pub meeting_id: String,
    pub numbers: Vec<MsOpenIds>,
}

/// Signalling protocol of a meeting-room device address (MRA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MraProtocol {
    Sip,
    H323,
}

/// What a room call rings: a Tencent Rooms meeting room or a SIP/H.323 device. Exactly one, by construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomTarget {
    MeetingRoom {
        #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^\S{1,64}$")))]
        meeting_room_id: String,
    },
    MraAddress {
        protocol: MraProtocol,
        #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^\S{1,256}$")))]
        dial_string: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoomCallRequest {
    pub meeting_id: String,
    pub target: RoomTarget,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoomCallResult {
    pub invite_id: String,
}

/// Where a room call stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoomCallInfo {
    pub status: CallStatus,
    /// The provider's numeric answer state (0 no answer … 6 left).
    pub raw_status: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_time: Option<String>,
}

/// Why a SIP or H.323 dial string cannot be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DialStringProblem {
    Empty,
    TooLong,
    ContainsWhitespace,
    /// SIP: `[sip:]user@host[:port]` or `host[:port]`.
    NotASipAddress,
    /// H.323: `host[:port]`, `alias@host`, `host##alias` or `host/E.164`.
    NotAnH323Address,
}

impl DialStringProblem {
    pub fn message(self) -> &'static str {
        match self {
            DialStringProblem::Empty => "the dial string is empty",
            DialStringProblem::TooLong => "the dial string is longer than 256 characters",
            DialStringProblem::ContainsWhitespace => "the dial string must not contain spaces",
            DialStringProblem::NotASipAddress => "a SIP address is user@host or host, optionally with sip: and :port",
            DialStringProblem::NotAnH323Address => "an H.323 address is host, alias@host, host##alias or host/E.164",
        }
    }
}

/// Checks a meeting-room device address for its protocol. Shared by the backend (which refuses
/// bad ones) and the browser (which explains them while typing): one rule in one place.
pub fn validate_dial_string(protocol: MraProtocol, dial_string: &str) -> Result<(), DialStringProblem> {
    let s = dial_string.trim();
    if s.is_empty() {
        return Err(DialStringProblem::Empty);
    }
    if s.len() > 256 {
        return Err(DialStringProblem::TooLong);
    }
    if s.chars().any(char::is_whitespace) {
        return Err(DialStringProblem::ContainsWhitespace);
    }
    match protocol {
        MraProtocol::Sip => {
            let lower = s.to_ascii_lowercase();
            let rest = lower.strip_prefix("sips:").or_else(|| lower.strip_prefix("sip:")).unwrap_or(&lower);
            let host = match rest.rsplit_once('@') {
                Some((user, host)) if !user.is_empty() && user.chars().all(is_sip_user_char) => host,
                Some(_) => return Err(DialStringProblem::NotASipAddress),
                None => rest,
            };
            if is_host_port(host) {
                Ok(())
            } else {
                Err(DialStringProblem::NotASipAddress)
            }
        }
        MraProtocol::H323 => {
            let ok = if let Some((host, alias)) = s.split_once("##") {
                is_host_port(host) && !alias.is_empty() && alias.chars().all(is_alias_char)
            } else if let Some((host, e164)) = s.split_once('/') {
                is_host_port(host) && !e164.is_empty() && e164.len() <= 15 && e164.bytes().all(|b| b.is_ascii_digit())
            } else if let Some((alias, host)) = s.rsplit_once('@') {
                !alias.is_empty() && alias.chars().all(is_alias_char) && is_host_port(host)
            } else {
                is_host_port(s)
            };
            if ok {
                Ok(())
            } else {
                Err(DialStringProblem::NotAnH323Address)
            }
        }
    }
}

fn is_sip_user_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.!~*'()&=+$,;?/%".contains(c)
}

fn is_alias_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.+#*".contains(c)
}

/// `host` or `host:port`, where host is an IPv4 address, a bracketed IPv6 address or a DNS name.
fn is_host_port(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        match rest.split_once(']') {
            Some((v6, tail)) => {
                if v6.parse::<std::net::Ipv6Addr>().is_err() {
                    return false;
                }
                (None, tail.strip_prefix(':'))
            }
            None => return false,
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(s), None),
        }
    };
    if let Some(port) = port {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return false;
        }
    }
    match host {
        None => true,
        Some(h) if h.parse::<std::net::Ipv4Addr>().is_ok() => true,
        Some(h) => {
            // A DNS name; all-numeric dotted strings must have been valid IPv4 above.
            !h.is_empty()
                && h.len() <= 253
                && !h.split('.').all(|l| l.bytes().all(|b| b.is_ascii_digit()))
                && h.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        }
    }
}

/// A number to call out to, as a person entered it, with the name to show in the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalloutNumberInput {
    #[serde(flatten)]
    pub number: NumberInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
}

/// Which account and operator a meeting operation uses. `operator_id` is for admins acting on
/// behalf of someone else; everyone else acts as the operator their sign-in maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetingAccount {
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
}

/// `POST /api/v1/meetings/{meeting_id}/callout`: one provider batch, answered at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetingCalloutRequest {
    #[serde(flatten)]
    pub account: MeetingAccount,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub numbers: Vec<CalloutNumberInput>,
}

/// The answer of `POST /api/v1/meetings/{meeting_id}/callout`: the provider's answer for the batch,
/// the rows that were not dialled, and the one-batch job that recorded it all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BatchCalloutResult {
    pub job_id: String,
    pub meeting_id: String,
    pub accepted: Vec<AcceptedCallout>,
    pub invalid: Vec<RejectedNumber>,
    pub not_dialled: Vec<crate::jobs::NotDialled>,
}

/// `GET /api/v1/meetings/{meeting_id}/callouts`: one page of the provider's list, or every page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalloutStatusQuery {
    pub account_id: String,
    /// Admins: act for this operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
    /// From 1.
    #[serde(default = "first_page")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub page: u32,
    #[serde(default = "default_page_size")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
    pub page_size: u32,
    /// Every page, concatenated.
    #[serde(default)]
    pub all: bool,
}

fn first_page() -> u32 {
    1
}

fn default_page_size() -> u32 {
    20
}

/// `POST /api/v1/meetings/{meeting_id}/callout/cancel` and `…/ms-open-ids`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetingNumbersRequest {
    #[serde(flatten)]
    pub account: MeetingAccount,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub numbers: Vec<NumberInput>,
}

/// `POST /api/v1/room-calls` (and `/status`, `/cancel` with `invite_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoomCallApiRequest {
    #[serde(flatten)]
    pub account: MeetingAccount,
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[0-9]{1,20}$")))]
    pub meeting_id: String,
    pub target: RoomTarget,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sip_dial_strings() {
        for ok in [
            "10.0.0.1",
            "room1@rooms.example.com",
            "sip:room1@10.0.0.1:5060",
            "SIP:1001@pbx.example.com",
            "[2001:db8::1]:5061",
            "pbx.example.com",
        ] {
            assert_eq!(validate_dial_string(MraProtocol::Sip, ok), Ok(()), "{ok}");
        }
        for (bad, problem) in [
            ("", DialStringProblem::Empty),
            ("room 1@pbx", DialStringProblem::ContainsWhitespace),
            ("@pbx.example.com", DialStringProblem::NotASipAddress),
            ("room@", DialStringProblem::NotASipAddress),
            ("10.0.0.1:99999", DialStringProblem::NotASipAddress),
            ("999.1.1.1", DialStringProblem::NotASipAddress),
            ("-bad-.example.com", DialStringProblem::NotASipAddress),
        ] {
            assert_eq!(validate_dial_string(MraProtocol::Sip, bad), Err(problem), "{bad}");
        }
    }

    #[test]
    fn h323_dial_strings() {
        for ok in ["10.0.0.1", "10.0.0.1:1720", "10.0.0.1##8001", "10.0.0.1/8613800138000", "room7@gk.example.com"] {
            assert_eq!(validate_dial_string(MraProtocol::H323, ok), Ok(()), "{ok}");
        }
        for bad in ["10.0.0.1/abc", "10.0.0.1##", "sip:room@10.0.0.1", "10.0.0.1/1234567890123456"] {
            assert_eq!(validate_dial_string(MraProtocol::H323, bad), Err(DialStringProblem::NotAnH323Address), "{bad}");
        }
    }

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

/// `GET /api/v1/meetings/{meeting}/check`: the meeting as the provider describes it, looked up
/// before anything is dialled. `{meeting}` is the meeting id or its 9-digit meeting code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetingCheckQuery {
    pub account_id: String,
    /// Admins: act for this operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
}

/// A meeting's state, from the provider's `MEETING_STATE_*` words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    /// Booked, nobody has joined yet (`MEETING_STATE_INIT`): callouts start it.
    Scheduled,
    Started,
    Ended,
    Cancelled,
    /// Its number was recycled (`MEETING_STATE_RECYCLED`).
    Recycled,
    /// Anything else the provider says (`MEETING_STATE_INVALID`, a word this build does not know).
    Unknown,
}

crate::wire_words!(MeetingState, "meeting state", {
    MeetingState::Scheduled => "scheduled",
    MeetingState::Started => "started",
    MeetingState::Ended => "ended",
    MeetingState::Cancelled => "cancelled",
    MeetingState::Recycled => "recycled",
    MeetingState::Unknown => "unknown",
});

/// The answer of the meeting check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetingCheck {
    /// The id jobs use (a meeting code is resolved to it).
    pub meeting_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub state: MeetingState,
    /// The provider's own word (`MEETING_STATE_STARTED`).
    pub raw_state: String,
    /// Booked start and end, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    /// A webinar (`meeting_type` 6): PSTN callout is not offered there.
    pub webinar: bool,
    /// The Tencent user the callouts would be placed as.
    pub operator_id: String,
    /// Whether that user is a host or co-host of the meeting (`None`: the provider did not list them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_may_call: Option<bool>,
    /// Why nothing may be dialled into it now; `None` when it may.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}
