//! The Tencent Meeting client against the emulator over real HTTP: every operation, with the
//! emulator's deterministic lifecycles.

use crate::tencent_meeting_common;

use std::time::Duration;

use callout_console::sandbox::tencent_meeting as emu;
use callout_shared::{
    call_status::CallStatus,
    meeting::{MraProtocol, PhoneNumber, PhoneTarget, RoomCallRequest, RoomTarget},
};
use tencent_meeting_common::*;

const WAIT: Duration = Duration::from_secs(5);

fn number(phone: &str) -> PhoneNumber {
    PhoneNumber { area: 86, phone: phone.into(), extension: None }
}

#[tokio::test]
async fn callout_accepts_valid_numbers_and_lists_invalid_ones_with_reasons() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    let targets = vec![
        PhoneTarget { nick_name: Some("Alice".into()), extension: Some("801".into()), ..target("13800138000") },
        PhoneTarget { area: 44, ..target("2071234567") },
        target("1380013800x"),
        target("123"),
        target("17012345678"),
        PhoneTarget { area: 852, ..target("61234567") },
    ];
    let result = client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &targets).await.unwrap();
    assert_eq!(result.meeting_id, emu::SANDBOX_MEETING_ID);
    let accepted: Vec<_> = result.accepted.iter().map(|a| (a.number.phone.as_str(), a.number.extension.as_deref())).collect();
    assert_eq!(accepted, [("13800138000", Some("801")), ("61234567", None)]);
    assert!(result.accepted.iter().all(|a| a.status == CallStatus::Queued && a.raw_status.is_empty()));
    let invalid: Vec<_> = result.invalid.iter().map(|r| r.number.phone.as_str()).collect();
    assert_eq!(invalid, ["2071234567", "1380013800x", "123", "17012345678"]);
    assert!(result.invalid.iter().all(|r| !r.reason.is_empty()));
    assert_eq!(
        dials(&emulator).await.into_iter().collect::<Vec<_>>(),
        [("+85261234567".to_owned(), 1), ("+8613800138000;ext=801".to_owned(), 1)]
    );
}

#[tokio::test]
async fn a_number_already_in_a_live_call_is_not_dialled_again() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138000")]).await.unwrap();
    let again = client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &[target("13800138000")]).await.unwrap();
    assert!(again.accepted.is_empty());
    assert_eq!(again.invalid.len(), 1);
    assert_eq!(dials(&emulator).await["+8613800138000"], 1);
}

#[tokio::test]
async fn status_list_follows_each_lifecycle_to_its_end() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    let phones = ["13800138000", "13800138003", "13800138004", "13800138006", "13800138008"];
    let targets: Vec<_> = phones.iter().map(|p| target(p)).collect();
    client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &targets).await.unwrap();

    // While connected, the answered numbers carry an ms_open_id.
    let answered = eventually(WAIT, || async {
        let page = client.callout_status(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, 1, 20).await.unwrap();
        let item = page.items.iter().find(|i| i.callee.phone == "13800138000").unwrap().clone();
        (item.status == CallStatus::Answered).then_some(item)
    })
    .await;
    assert_eq!(answered.raw_status, "START_ACCEPT");
    assert!(answered.ms_open_id.is_some());

    let finals = eventually(WAIT, || async {
        let page = client.callout_status(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, 1, 20).await.unwrap();
        page.items
            .iter()
            .all(|i| i.status.is_final())
            .then(|| page.items.iter().map(|i| (i.callee.phone.clone(), i.status, i.raw_status.clone())).collect::<Vec<_>>())
    })
    .await;
    use CallStatus::*;
    let expected = [
        ("13800138000", Completed, "LEAVE_WITH_ACCEPTED"),
        ("13800138003", Completed, "LEAVE_WITH_ACCEPTED"),
        ("13800138004", Completed, "LEAVE_WITH_ACCEPTED"),
        ("13800138006", NotAnswered, "LEAVE_WITHOUT_ACCEPT"),
        ("13800138008", NotAnswered, "LEAVE_WITHOUT_ACCEPT"),
    ];
    assert_eq!(finals, expected.map(|(p, s, r)| (p.to_owned(), s, r.to_owned())));
}

#[tokio::test]
async fn status_list_pages_from_one_with_totals() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    let targets: Vec<_> = (0..5).map(|i| target(&format!("1390000000{i}"))).collect();
    client.callout(emu::SANDBOX_LONG_MEETING_ID, emu::SANDBOX_COHOST_ID, &targets).await.unwrap();
    let page = client.callout_status(emu::SANDBOX_LONG_MEETING_ID, emu::SANDBOX_COHOST_ID, 3, 2).await.unwrap();
    assert_eq!(page.meeting_id, "13339451618278424869");
    assert_eq!((page.current_page, page.page_size, page.total_count, page.total_page), (3, 2, 5, 3));
    assert_eq!(page.items.iter().map(|i| i.callee.phone.as_str()).collect::<Vec<_>>(), ["13900000004"]);
    let first = client.callout_status(emu::SANDBOX_LONG_MEETING_ID, emu::SANDBOX_COHOST_ID, 1, 2).await.unwrap();
    assert_eq!(first.items.iter().map(|i| i.callee.phone.as_str()).collect::<Vec<_>>(), ["13900000000", "13900000001"]);
}

#[tokio::test]
async fn cancel_stops_ringing_calls_and_refuses_answered_ones() {
    let mut config = fast_config();
    config.delays.ring_out = Duration::from_secs(30);
    config.delays.connected = Duration::from_secs(30);
    let emulator = start(config).await;
    let client = client(&emulator);
    let (meeting, operator) = (emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID);
    client.callout(meeting, operator, &[target("13800138006"), target("13800138000")]).await.unwrap();
    eventually(WAIT, || async {
        let page = client.callout_status(meeting, operator, 1, 20).await.unwrap();
        let status = |p: &str| page.items.iter().find(|i| i.callee.phone == p).unwrap().status;
        (status("13800138006") == CallStatus::Ringing && status("13800138000") == CallStatus::Answered).then_some(())
    })
    .await;

    let result =
        client.cancel_callout(meeting, operator, &[number("13800138006"), number("13800138000"), number("13911112222")]).await.unwrap();
    assert_eq!(result.succeeded, [number("13800138006")]);
    let failed: Vec<_> = result.failed.iter().map(|f| f.number.phone.as_str()).collect();
    assert_eq!(failed, ["13800138000", "13911112222"]);

    let page = client.callout_status(meeting, operator, 1, 20).await.unwrap();
    let cancelled = page.items.iter().find(|i| i.callee.phone == "13800138006").unwrap();
    assert_eq!((cancelled.status, cancelled.raw_status.as_str()), (CallStatus::Canceled, "CANCLE_INVITE"));

    let again = client.cancel_callout(meeting, operator, &[number("13800138006")]).await.unwrap();
    assert!(again.succeeded.is_empty(), "a cancelled call cannot be cancelled twice");
}

#[tokio::test]
async fn ms_open_ids_appear_once_connected_and_some_numbers_have_two() {
    let mut config = fast_config();
    config.delays.answer_after = Duration::from_millis(500);
    config.delays.connected = Duration::from_secs(30);
    let emulator = start(config).await;
    let client = client(&emulator);
    let (meeting, operator) = (emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID);
    client.callout(meeting, operator, &[target("13800138000"), target("13800138003")]).await.unwrap();
    let early = client.pstn_ms_open_ids(meeting, operator, &[number("13800138000")]).await.unwrap();
    assert!(early.numbers.is_empty(), "nothing before the phone connects");

    let result = eventually(WAIT, || async {
        let result = client.pstn_ms_open_ids(meeting, operator, &[number("13800138000"), number("13800138003")]).await.unwrap();
        (result.numbers.len() == 2).then_some(result)
    })
    .await;
    assert_eq!(result.numbers[0].number, number("13800138000"));
    assert_eq!(result.numbers[0].ms_open_ids.len(), 1);
    assert_eq!(result.numbers[1].number, number("13800138003"));
    assert_eq!(result.numbers[1].ms_open_ids.len(), 2, "a number ending in 3 has two identities");
}

#[tokio::test]
async fn ms_open_id_answers_with_a_numeric_phone_number_are_understood() {
    let mut config = fast_config();
    config.ms_open_id_numeric_phone = true;
    let emulator = start(config).await;
    let client = client(&emulator);
    let (meeting, operator) = (emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID);
    client.callout(meeting, operator, &[target("13800138001")]).await.unwrap();
    let result = eventually(WAIT, || async {
        let result = client.pstn_ms_open_ids(meeting, operator, &[number("13800138001")]).await.unwrap();
        (!result.numbers.is_empty()).then_some(result)
    })
    .await;
    assert_eq!(result.numbers[0].number.phone, "13800138001");
}

fn room(meeting_room_id: &str) -> RoomCallRequest {
    RoomCallRequest {
        meeting_id: emu::SANDBOX_LONG_MEETING_ID.into(),
        target: RoomTarget::MeetingRoom { meeting_room_id: meeting_room_id.into() },
    }
}

#[tokio::test]
async fn room_call_rings_then_joins_and_leaves() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    let request = room(emu::SANDBOX_MEETING_ROOM_IDS[0]);
    let before = client.room_call_info(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
    assert_eq!((before.raw_status, before.status), (1, CallStatus::Queued), "not called yet");
    let invite = client.room_call(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
    assert!(!invite.invite_id.is_empty());
    let ringing = client.room_call_info(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
    assert_eq!((ringing.raw_status, ringing.status), (4, CallStatus::Ringing));
    eventually(WAIT, || async {
        let info = client.room_call_info(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
        (info.raw_status == 2 && info.status == CallStatus::Answered && info.response_time.is_some()).then_some(())
    })
    .await;
    eventually(WAIT, || async {
        let info = client.room_call_info(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
        (info.status == CallStatus::Completed).then_some(())
    })
    .await;
    assert_eq!(dials(&emulator).await[&format!("room:{}", emu::SANDBOX_MEETING_ROOM_IDS[0])], 1);
}

#[tokio::test]
async fn sip_device_that_rejects_ends_not_answered() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    let request = RoomCallRequest {
        meeting_id: emu::SANDBOX_MEETING_ID.into(),
        target: RoomTarget::MraAddress { protocol: MraProtocol::Sip, dial_string: "room@10.0.0.5".into() },
    };
    client.room_call(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
    eventually(WAIT, || async {
        let info = client.room_call_info(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
        (info.raw_status == 3 && info.status == CallStatus::NotAnswered).then_some(())
    })
    .await;
    assert_eq!(dials(&emulator).await["sip:room@10.0.0.5"], 1);
}

#[tokio::test]
async fn ringing_room_call_can_be_cancelled_once() {
    let mut config = fast_config();
    config.delays.ring_out = Duration::from_millis(800);
    let emulator = start(config).await;
    let client = client(&emulator);
    // Ends in 7: rings out after `ring_out`, so it is still calling right after the invite.
    let request = room(emu::SANDBOX_MEETING_ROOM_IDS[2]);
    let invite = client.room_call(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
    client.cancel_room_call(emu::SANDBOX_OPERATOR_ID, &request, &invite.invite_id).await.unwrap();
    let info = client.room_call_info(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
    assert_eq!((info.raw_status, info.status), (5, CallStatus::Canceled));
    let again = client.cancel_room_call(emu::SANDBOX_OPERATOR_ID, &request, &invite.invite_id).await;
    assert_eq!(rejected_code(again), ("10004".to_owned(), 500));
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let later = client.room_call_info(emu::SANDBOX_OPERATOR_ID, &request).await.unwrap();
    assert_eq!(later.raw_status, 5, "a cancelled invitation does not ring out afterwards");
}

#[tokio::test]
async fn unknown_meeting_room_is_refused() {
    let emulator = start(fast_config()).await;
    let result = client(&emulator).room_call(emu::SANDBOX_OPERATOR_ID, &room("999")).await;
    assert_eq!(rejected_code(result), ("10004".to_owned(), 500));
    assert!(dials(&emulator).await.is_empty());
}

#[tokio::test]
async fn chinese_nick_names_are_signed_as_utf8_and_come_back_intact() {
    let emulator = start(fast_config()).await;
    let client = client(&emulator);
    let targets = [PhoneTarget { nick_name: Some("张三 (销售部)".into()), ..target("13800138000") }];
    client.callout(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, &targets).await.unwrap();
    let page = client.callout_status(emu::SANDBOX_MEETING_ID, emu::SANDBOX_OPERATOR_ID, 1, 20).await.unwrap();
    assert_eq!(page.items[0].callee.nick_name.as_deref(), Some("张三 (销售部)"));
}

#[tokio::test]
async fn query_values_needing_encoding_are_signed_as_sent() {
    let emulator = start(fast_config()).await;
    // Not a host, so the answer is 9042: proof that the signature over the encoded query matched.
    let result = client(&emulator).callout_status(emu::SANDBOX_MEETING_ID, "someone else+1@例", 1, 20).await;
    assert_eq!(rejected_code(result), ("9042".to_owned(), 400));
}
