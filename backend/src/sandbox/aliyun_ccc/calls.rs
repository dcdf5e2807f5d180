//! The contact center's call records behind `ListCallDetailRecords`: one for each DialEx task the
//! emulator accepted, on the emulator's clock (the backend's, so tests move it forward).
//!
//! The callee's last digit decides how the call ends, so tests and sandbox users can choose:
//! 0–5 answered (`Success`, with a talk time), 6–7 `NoAnswer`, 8 `CallFailed`, 9 `AbandonedInQueue`.
//! `CallFailed` is not among the dispositions the doc lists; it stands for a call the network
//! refused, which the console must also handle. A record appears `record_delay` after its task
//! (short by default), and `PUT /__emulator/records {"withhold_next": N}` keeps the next N calls
//! from ever producing one (the "no outcome" path). How a real record relates to a DialEx task is
//! not documented: here it carries the task's callee, caller and time, and a contact id of its own.

use std::sync::{
    atomic::{AtomicU32, AtomicU64, Ordering},
    Mutex,
};

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    dialex::EmulatedTask,
    gateway::{GatewayError, Params},
};

/// A call as the emulated contact center recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmulatedRecord {
    pub contact_id: String,
    pub task_id: String,
    pub instance_id: String,
    pub calling_number: String,
    pub called_number: String,
    /// Epoch ms on the emulator's clock; for an answered call, when it connected.
    pub start_ms: i64,
    pub duration_secs: i64,
    pub disposition: String,
    /// Not listed before this time (the contact center writes its records after the call).
    pub visible_from_ms: i64,
}

/// How a call to `callee` ends: its disposition, seconds from its start to when it was written
/// off, and how long it rang before it connected.
pub fn outcome_for(callee: &str) -> (&'static str, i64, i64) {
    match callee.chars().rev().find(char::is_ascii_digit).and_then(|c| c.to_digit(10)).unwrap_or(0) {
        d @ 0..=5 => ("Success", 20 + 5 * i64::from(d), 3),
        6 | 7 => ("NoAnswer", 25, 0),
        8 => ("CallFailed", 0, 0),
        _ => ("AbandonedInQueue", 40, 2),
    }
}

/// Every record, and how many of the next calls get none.
#[derive(Default)]
pub(super) struct CallRecords {
    records: Mutex<Vec<EmulatedRecord>>,
    withhold_next: AtomicU32,
    counter: AtomicU64,
}

/// `PUT /__emulator/records`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RecordControl {
    pub withhold_next: u32,
}

impl CallRecords {
    /// Keeps the record of an accepted task, unless it is one of those to withhold.
    pub fn keep(&self, task: &EmulatedTask, accepted_ms: i64, delay_ms: i64) {
        let withheld = self.withhold_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
        if withheld {
            tracing::info!(task_id = %task.task_id, "emulated call record withheld");
            return;
        }
        let (disposition, duration_secs, rings_secs) = outcome_for(&task.callee);
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        self.records.lock().unwrap().push(EmulatedRecord {
            // Numeric, like the real ones (`2670898993`), unique within the emulator.
            contact_id: format!("{}{n:04}", accepted_ms / 1000),
            task_id: task.task_id.clone(),
            instance_id: task.instance_id.clone(),
            calling_number: task.caller.clone(),
            called_number: task.callee.clone(),
            start_ms: accepted_ms + rings_secs * 1000,
            duration_secs,
            disposition: disposition.to_owned(),
            visible_from_ms: accepted_ms + delay_ms,
        });
    }

    pub fn set_withhold(&self, control: &RecordControl) {
        self.withhold_next.store(control.withhold_next, Ordering::SeqCst);
    }

    pub fn all(&self) -> Vec<EmulatedRecord> {
        self.records.lock().unwrap().clone()
    }

    pub fn withheld_left(&self) -> u32 {
        self.withhold_next.load(Ordering::SeqCst)
    }

    /// The `ListCallDetailRecords` answer at `now_ms`, shaped like the doc's JSON example.
    pub fn list(&self, params: &Params, instance_known: impl Fn(&str) -> bool, now_ms: i64) -> Result<serde_json::Value, GatewayError> {
        let instance_id = params.require("InstanceId")?;
        if !instance_known(instance_id) {
            return Err(GatewayError::new(404, "InvalidInstanceId.NotFound", format!("Specified instance {instance_id} is not found.")));
        }
        let int = |name: &str, default: i64| -> Result<i64, GatewayError> {
            match params.get(name).filter(|v| !v.is_empty()) {
                None => Ok(default),
                Some(v) => v
                    .parse()
                    .map_err(|_| GatewayError::new(400, "InvalidParameter", format!("The specified parameter {name} is not valid."))),
            }
        };
        let page_number = int("PageNumber", 1)?.max(1);
        let page_size = int("PageSize", 10)?;
        if !(1..=100).contains(&page_size) {
            return Err(GatewayError::new(400, "InvalidParameter", "The specified parameter PageSize is not valid: 1 to 100."));
        }
        // 0 means from today's midnight / until now (the doc); the emulator reads 0 as "no bound".
        let start = int("StartTime", 0)?;
        let stop = match int("StopTime", 0)? {
            0 => now_ms,
            stop => stop,
        };
        if start > 0 && stop - start > 7 * 24 * 3600 * 1000 {
            return Err(GatewayError::new(400, "InvalidParameter", "The query spans more than 7 days."));
        }
        let criteria = params.get("Criteria").filter(|v| !v.is_empty());
        let matching: Vec<EmulatedRecord> = self
            .records
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.instance_id == instance_id && r.visible_from_ms <= now_ms)
            .filter(|r| r.start_ms >= start && r.start_ms <= stop)
            .filter(|r| criteria.is_none_or(|c| r.called_number.contains(c) || r.calling_number.contains(c)))
            .cloned()
            .collect();
        let total = matching.len();
        let page: Vec<serde_json::Value> = matching
            .iter()
            .skip(((page_number - 1) * page_size) as usize)
            .take(page_size as usize)
            .map(|r| {
                json!({
                    "ContactId": r.contact_id,
                    "InstanceId": r.instance_id,
                    "StartTime": r.start_ms,
                    "Duration": r.duration_secs,
                    "ContactType": "Outbound",
                    "ContactDisposition": r.disposition,
                    "CallingNumber": r.calling_number,
                    "CalledNumber": r.called_number,
                    "AgentNames": "",
                    "SkillGroupNames": "",
                    "SatisfactionDesc": "未发送",
                    "Agents": { "CallDetailAgent": [] },
                    "Recordings": { "Recording": [] },
                })
            })
            .collect();
        Ok(json!({
            "RequestId": super::gateway::new_request_id(),
            "Success": true,
            "Code": "OK",
            "Message": "",
            "HttpStatusCode": 200,
            "CallDetailRecords": {
                // Filled on the first page only, as the doc says.
                "TotalCount": if page_number == 1 { total } else { 0 },
                "PageNumber": page_number,
                "PageSize": page_size,
                "List": { "CallDetailRecord": page },
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_digit_chooses_the_outcome() {
        assert_eq!(outcome_for("13800000001").0, "Success");
        assert_eq!(outcome_for("13800000005").0, "Success");
        assert_eq!(outcome_for("13800000006").0, "NoAnswer");
        assert_eq!(outcome_for("13800000007").0, "NoAnswer");
        assert_eq!(outcome_for("13800000008").0, "CallFailed");
        assert_eq!(outcome_for("0085291234569").0, "AbandonedInQueue");
        assert!(outcome_for("13800000003").1 > 0, "an answered call has a talk time");
    }

    fn task(callee: &str) -> EmulatedTask {
        EmulatedTask {
            task_id: "t".into(),
            instance_id: "i".into(),
            caller: "02285196281".into(),
            callee: callee.into(),
            answer_mode: callout_shared::dialex::AnswerMode::Ivr,
            rout_point: "cf".into(),
            provider: None,
            created_at: String::new(),
        }
    }

    fn params(pairs: &[(&str, &str)]) -> Params {
        let query = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        Params::merge(Some(&query), &axum::http::HeaderMap::new(), &[])
    }

    #[test]
    fn records_appear_after_their_delay_and_withheld_calls_never_do() {
        let records = CallRecords::default();
        records.set_withhold(&RecordControl { withhold_next: 1 });
        records.keep(&task("13800000001"), 1_000_000, 2_000);
        records.keep(&task("13800000006"), 1_000_000, 2_000);
        assert_eq!(records.all().len(), 1, "the first call was withheld");
        assert_eq!(records.withheld_left(), 0);
        let query = params(&[("InstanceId", "i"), ("PageNumber", "1"), ("PageSize", "10"), ("Criteria", "13800000006")]);
        let early = records.list(&query, |_| true, 1_001_000).unwrap();
        assert_eq!(early["CallDetailRecords"]["TotalCount"], 0, "not written yet");
        let later = records.list(&query, |_| true, 1_002_000).unwrap();
        assert_eq!(later["CallDetailRecords"]["List"]["CallDetailRecord"][0]["ContactDisposition"], "NoAnswer");
        assert_eq!(records.list(&query, |_| false, 1_002_000).unwrap_err().code, "InvalidInstanceId.NotFound");
    }
}
