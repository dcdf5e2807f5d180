//! Jobs and rows for the unit tests, in one place: a new field of `JobItem` or `JobSummary` is added
//! here once, and each test states only what it is about.

use callout_shared::{
    call_status::CallStatus,
    jobs::{ItemPhase, JobCounters, JobItem, JobKind, JobState, JobSummary},
};

/// A meeting callout job that is following its calls, `finished` of them final.
pub fn summary(id: &str, created_at: i64, finished: u32) -> JobSummary {
    JobSummary {
        id: id.into(),
        name: None,
        kind: JobKind::MeetingCallout,
        account_id: "a".into(),
        meeting_id: Some("m".into()),
        operator_id: Some("o".into()),
        dialex: None,
        batch_cap: 50,
        batch_cap_refused: None,
        created_by: "u".into(),
        created_at,
        state: JobState::Following,
        counters: JobCounters { finished, ..Default::default() },
        campaign: None,
    }
}

/// A sent call of batch 1, row `id`, to 1380013{id}, with nothing else known of it.
pub fn call(id: i64, status: CallStatus) -> JobItem {
    JobItem {
        id,
        row: id as u32,
        input: format!("1380013{id:04}"),
        e164: Some(format!("+861380013{id:04}")),
        nick_name: None,
        batch: Some(1),
        phase: ItemPhase::Sent,
        status,
        reason: None,
        reason_code: None,
        reason_detail: None,
        raw_status: None,
        ms_open_id: None,
        ms_open_ids: Vec::new(),
        task_id: None,
        updated_at: 1,
        sent_at: None,
        answered_at: None,
        ended_at: None,
        attempt: 1,
        next_attempt_at: None,
    }
}
