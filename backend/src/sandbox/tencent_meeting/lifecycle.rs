//! The deterministic lives of phone callouts and room calls (rules in the module docs of
//! `sandbox::tencent_meeting`), driven by tokio time, and the webhook events they produce.

use std::{sync::Arc, time::Duration};

use serde_json::{json, Value};

use super::{
    state::{ms_open_id, Call, Emulator, RoomKey},
    EmulatedMeeting, LifecycleDelays, MeetingKind,
};

/// The status steps of a phone call placed to a number ending in `last_digit`.
fn phone_plan(last_digit: u8, d: &LifecycleDelays) -> Vec<(Duration, &'static str)> {
    let mut plan = vec![(d.invite_after, "START_INVITE")];
    match last_digit {
        0..=3 => plan.extend([(d.answer_after, "START_ACCEPT"), (d.connected, "LEAVE_WITH_ACCEPTED")]),
        4 | 5 => plan.extend([(d.answer_after, "START_ACCEPT"), (d.short_call, "LEAVE_WITH_ACCEPTED")]),
        6 | 7 => plan.push((d.ring_out, "LEAVE_WITHOUT_ACCEPT")),
        _ => plan.push((d.reject_after, "LEAVE_WITHOUT_ACCEPT")),
    }
    plan
}

/// Room-call states (4 calling at once): 0–4 or a non-digit join then leave, 5–6 reject, 7–9 ring out.
fn room_plan(last: Option<char>, d: &LifecycleDelays) -> Vec<(Duration, i64)> {
    match last.and_then(|c| c.to_digit(10)).unwrap_or(0) {
        0..=4 => vec![(d.answer_after, 2), (d.connected, 6)],
        5 | 6 => vec![(d.reject_after, 3)],
        _ => vec![(d.ring_out, 0)],
    }
}

pub fn start_call(emulator: &Arc<Emulator>, meeting_id: &str, call: &Call) {
    let last_digit = call.phone.bytes().last().map(|b| b.wrapping_sub(b'0')).unwrap_or(0);
    let plan = phone_plan(last_digit, &emulator.config.delays);
    let (weak, meeting_id, call_id) = (Arc::downgrade(emulator), meeting_id.to_owned(), call.id);
    tokio::spawn(async move {
        for (delay, status) in plan {
            tokio::time::sleep(delay).await;
            let Some(emulator) = weak.upgrade() else { return };
            let snapshot = {
                let mut inner = emulator.lock();
                let Some(call) = inner.call_mut(&meeting_id, call_id) else { return };
                // A cancelled call stops here.
                if !call.is_live() {
                    return;
                }
                call.status = status;
                if status == "START_ACCEPT" {
                    let identities = if last_digit == 3 { 2 } else { 1 };
                    let ids: Vec<String> = (1..=identities).map(|n| ms_open_id(&meeting_id, call, n)).collect();
                    call.ms_open_ids.extend(ids);
                }
                call.clone()
            };
            emit_phone_status(&emulator, &meeting_id, &snapshot);
            match status {
                "START_ACCEPT" => emit_participants(&emulator, &meeting_id, &snapshot, "meeting.participant-joined"),
                "LEAVE_WITH_ACCEPTED" => emit_participants(&emulator, &meeting_id, &snapshot, "meeting.participant-left"),
                _ => {}
            }
        }
    });
}

pub fn start_room_call(emulator: &Arc<Emulator>, invite_id: &str, key: &RoomKey) {
    let plan = room_plan(key.last_char(), &emulator.config.delays);
    let (weak, invite_id) = (Arc::downgrade(emulator), invite_id.to_owned());
    tokio::spawn(async move {
        for (delay, next) in plan {
            tokio::time::sleep(delay).await;
            let Some(emulator) = weak.upgrade() else { return };
            let mut inner = emulator.lock();
            let Some(invite) = inner.rooms.iter_mut().find(|r| r.invite_id == invite_id) else { return };
            // Only calling (4) and joined (2) move on; cancelled or finished invitations stay put.
            if !matches!(invite.status, 4 | 2) {
                return;
            }
            invite.status = next;
            if matches!(next, 2 | 3) {
                invite.response_time = Some(chrono::Utc::now().timestamp().to_string());
            }
        }
    });
}

/// A meeting as the meeting queries describe it. Booked times follow the clock (the current hour and
/// the next two; an ended meeting's two hours before), so they look like a meeting of today.
pub fn meeting_details(m: &EmulatedMeeting) -> Value {
    let hour = chrono::Utc::now().timestamp() / 3600 * 3600;
    let (start, end, status) = match m.kind {
        MeetingKind::Ended => (hour - 3 * 3600, hour - 3600, "MEETING_STATE_ENDED"),
        MeetingKind::Normal | MeetingKind::Webinar => (hour, hour + 2 * 3600, "MEETING_STATE_STARTED"),
    };
    let users = |ids: &[String]| ids.iter().map(|u| json!({ "userid": u })).collect::<Vec<_>>();
    json!({
        "subject": m.subject, "meeting_id": m.meeting_id, "meeting_code": m.meeting_code, "status": status,
        // Strings of Unix seconds, as the by-id query sends them.
        "start_time": start.to_string(), "end_time": end.to_string(),
        "meeting_type": if m.kind == MeetingKind::Webinar { 6 } else { 0 },
        "hosts": users(&m.hosts), "current_co_hosts": users(&m.co_hosts),
    })
}

fn meeting_info(meeting: Option<&EmulatedMeeting>, meeting_id: &str) -> Value {
    match meeting {
        Some(m) => json!({
            "meeting_id": m.meeting_id, "meeting_code": m.meeting_code, "subject": m.subject,
            "meeting_type": if m.kind == MeetingKind::Webinar { 1 } else { 0 },
            "creator_userid": m.creator, "meeting_create_mode": 0,
        }),
        None => json!({ "meeting_id": meeting_id }),
    }
}

/// The phone participant as events show it: `0086138…` and the nick name (or number) as user name.
fn pstn_number(call: &Call) -> String {
    format!("00{}{}", call.area, call.phone)
}

pub fn emit_phone_status(emulator: &Emulator, meeting_id: &str, call: &Call) {
    let mut operator = json!({
        "userid": "", "open_id": "",
        "ms_open_id": call.ms_open_ids.last().cloned().unwrap_or_default(),
        "user_name": call.nick_name.clone().unwrap_or_else(|| call.phone.clone()),
        "instance_id": "0",
    });
    if emulator.config.status_event_pstn_number {
        operator["pstn_number"] = json!(pstn_number(call));
    }
    let item = json!({
        "operate_time": chrono::Utc::now().timestamp_millis(),
        "operator": operator,
        "meeting_info": meeting_info(emulator.meeting(meeting_id).ok(), meeting_id),
        "status": call.status,
    });
    emulator.emit("meeting.phone.participant-status-updated", item);
}

/// One joined/left event per meeting identity of the phone.
fn emit_participants(emulator: &Emulator, meeting_id: &str, call: &Call, event: &str) {
    for ms_open_id in &call.ms_open_ids {
        let item = json!({
            "operate_time": chrono::Utc::now().timestamp_millis(),
            "operator": {
                "userid": "", "uuid": "", "instance_id": "0",
                "user_name": call.nick_name.clone().unwrap_or_else(|| call.phone.clone()),
                "ms_open_id": ms_open_id, "pstn_number": pstn_number(call),
            },
            "meeting_info": meeting_info(emulator.meeting(meeting_id).ok(), meeting_id),
        });
        emulator.emit(event, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_digit_decides_the_phone_outcome() {
        let d = LifecycleDelays::default();
        let last = |digit| phone_plan(digit, &d).last().unwrap().1;
        assert_eq!((0..=5).map(last).collect::<Vec<_>>(), ["LEAVE_WITH_ACCEPTED"; 6]);
        assert_eq!((6..=9).map(last).collect::<Vec<_>>(), ["LEAVE_WITHOUT_ACCEPT"; 4]);
        assert!(phone_plan(2, &d).iter().any(|(_, s)| *s == "START_ACCEPT"));
        assert!(!phone_plan(8, &d).iter().any(|(_, s)| *s == "START_ACCEPT"));
    }

    #[test]
    fn last_character_decides_the_room_outcome() {
        let d = LifecycleDelays::default();
        assert_eq!(room_plan(Some('0'), &d).last().unwrap().1, 6);
        assert_eq!(room_plan(Some('a'), &d).last().unwrap().1, 6);
        assert_eq!(room_plan(Some('5'), &d).last().unwrap().1, 3);
        assert_eq!(room_plan(Some('7'), &d).last().unwrap().1, 0);
    }
}
