//! The meeting pre-check: before a callout job exists, the meeting (or its 9-digit code, resolved to
//! the id) is looked up with the provider's meeting query, so a wrong id, an ended or cancelled
//! meeting or a webinar is refused with words that say why instead of failing row by row.

use callout_shared::{
    error::ErrorCode,
    me::Role,
    meeting::{MeetingCheck, MeetingCheckQuery, MeetingState},
};

use super::{meeting_id_param, pacing::Lane, Actor, Calls, ServiceError};
use crate::{
    accounts::TencentEntry,
    providers::{tencent_meeting::MeetingDetails, ProviderError},
};

/// `webinar` in the meeting queries' `meeting_type`.
const WEBINAR: i64 = 6;

impl Calls {
    /// The meeting as the provider describes it to the operator the callouts would be placed as.
    pub async fn check_meeting(&self, actor: &Actor, meeting: &str, query: &MeetingCheckQuery) -> Result<MeetingCheck, ServiceError> {
        actor.require(Role::Viewer)?;
        let entry = self.tencent(&query.account_id)?;
        let operator_id = self.operator_for(actor, entry, query.operator_id.as_deref())?;
        self.look_up_meeting(entry, meeting, operator_id).await
    }

    /// Looks `meeting` (an id, or a 9-digit meeting code) up in a person's lane.
    pub(super) async fn look_up_meeting(
        &self,
        entry: &TencentEntry,
        meeting: &str,
        operator_id: String,
    ) -> Result<MeetingCheck, ServiceError> {
        let meeting = meeting.trim();
        let by_code = is_meeting_code(meeting);
        if !by_code {
            meeting_id_param(meeting)?;
        }
        let found = if by_code {
            entry.client.call(Lane::Person, |c| c.meeting_by_code(meeting, &operator_id)).await
        } else {
            entry.client.call(Lane::Person, |c| c.meeting(meeting, &operator_id)).await
        };
        match found {
            Ok(Some(details)) => Ok(assess(details, operator_id)),
            Ok(None) => Err(not_found(meeting, by_code)),
            Err(ProviderError::Rejected { body, .. }) if body.code == "190457" => Err(not_found(meeting, by_code)),
            Err(err) => Err(err.into()),
        }
    }

    /// Refuses, before anything is recorded, a meeting that takes no callouts; answers the meeting id
    /// the job dials (a code resolved to it).
    pub(super) async fn callable_meeting(&self, entry: &TencentEntry, meeting: &str, operator_id: &str) -> Result<String, ServiceError> {
        let check = self.look_up_meeting(entry, meeting, operator_id.to_owned()).await?;
        match check.refusal {
            None => Ok(check.meeting_id),
            Some(message) => {
                let code = if check.state == MeetingState::Ended { ErrorCode::MeetingEnded } else { ErrorCode::MeetingNotCallable };
                Err(ServiceError::MeetingRefused { code, message })
            }
        }
    }
}

/// Nine digits are the code people type to join; meeting ids are longer.
pub fn is_meeting_code(meeting: &str) -> bool {
    meeting.len() == 9 && meeting.bytes().all(|b| b.is_ascii_digit())
}

fn not_found(meeting: &str, by_code: bool) -> ServiceError {
    let what = if by_code { "meeting code" } else { "meeting id" };
    ServiceError::MeetingRefused {
        code: ErrorCode::MeetingNotFound,
        message: format!("Tencent Meeting knows no meeting with {what} {meeting}; check it (the id is in the meeting's details, the 9-digit code is what people type to join)"),
    }
}

/// The provider's answer in the console's terms, and why nothing may be dialled, if so.
pub fn assess(details: MeetingDetails, operator_id: String) -> MeetingCheck {
    let state = match details.status.as_str() {
        "MEETING_STATE_INIT" => MeetingState::Scheduled,
        "MEETING_STATE_STARTED" => MeetingState::Started,
        "MEETING_STATE_ENDED" => MeetingState::Ended,
        "MEETING_STATE_CANCELLED" => MeetingState::Cancelled,
        "MEETING_STATE_RECYCLED" => MeetingState::Recycled,
        _ => MeetingState::Unknown,
    };
    let webinar = details.meeting_type == Some(WEBINAR);
    let refusal = match state {
        MeetingState::Ended => Some("the meeting has ended: phones cannot be called into it"),
        MeetingState::Cancelled => Some("the meeting was cancelled: phones cannot be called into it"),
        MeetingState::Recycled => Some("the meeting's number was recycled: phones cannot be called into it"),
        MeetingState::Unknown => Some("Tencent Meeting gives this meeting no valid state: phones cannot be called into it"),
        MeetingState::Scheduled | MeetingState::Started if webinar => {
            Some("this is a webinar: Tencent Meeting offers phone callouts only in meetings")
        }
        MeetingState::Scheduled | MeetingState::Started => None,
    };
    let operator_may_call = (!details.hosts.is_empty()).then(|| details.hosts.contains(&operator_id));
    MeetingCheck {
        meeting_id: details.meeting_id,
        meeting_code: details.meeting_code,
        subject: details.subject,
        state,
        raw_state: details.status,
        start_time: details.start_time.map(|s| s * 1000),
        end_time: details.end_time.map(|s| s * 1000),
        webinar,
        operator_id,
        operator_may_call,
        refusal: refusal.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(status: &str, meeting_type: i64) -> MeetingDetails {
        MeetingDetails {
            meeting_id: "6058890385480921052".into(),
            meeting_code: Some("530812452".into()),
            subject: Some("Weekly".into()),
            status: status.into(),
            start_time: Some(1_796_000_000),
            end_time: None,
            meeting_type: Some(meeting_type),
            hosts: vec!["host".into()],
        }
    }

    #[test]
    fn only_scheduled_or_started_meetings_take_callouts() {
        for (status, state, callable) in [
            ("MEETING_STATE_INIT", MeetingState::Scheduled, true),
            ("MEETING_STATE_STARTED", MeetingState::Started, true),
            ("MEETING_STATE_ENDED", MeetingState::Ended, false),
            ("MEETING_STATE_CANCELLED", MeetingState::Cancelled, false),
            ("MEETING_STATE_RECYCLED", MeetingState::Recycled, false),
            ("MEETING_STATE_INVALID", MeetingState::Unknown, false),
            ("", MeetingState::Unknown, false),
        ] {
            let check = assess(details(status, 0), "host".into());
            assert_eq!((check.state, check.refusal.is_none()), (state, callable), "{status}");
        }
        let webinar = assess(details("MEETING_STATE_STARTED", WEBINAR), "host".into());
        assert!(webinar.webinar && webinar.refusal.unwrap().contains("webinar"));
        assert!(assess(details("MEETING_STATE_STARTED", 1), "host".into()).refusal.is_none(), "a recurring meeting takes callouts");
    }

    #[test]
    fn times_are_milliseconds_and_the_operator_is_found_among_the_hosts() {
        let check = assess(details("MEETING_STATE_STARTED", 0), "host".into());
        assert_eq!((check.start_time, check.end_time), (Some(1_796_000_000_000), None));
        assert_eq!(check.operator_may_call, Some(true));
        assert_eq!(assess(details("MEETING_STATE_STARTED", 0), "guest".into()).operator_may_call, Some(false));
        let unlisted = MeetingDetails { hosts: vec![], ..details("MEETING_STATE_STARTED", 0) };
        assert_eq!(assess(unlisted, "guest".into()).operator_may_call, None, "no host list: not known");
    }

    #[test]
    fn nine_digits_are_a_meeting_code() {
        assert!(is_meeting_code("530812452"));
        assert!(!is_meeting_code("6058890385480921052"));
        assert!(!is_meeting_code("53081245a"));
        assert!(!is_meeting_code("53081245"));
    }
}
