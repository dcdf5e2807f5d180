//! Every dialling operation (meeting callout jobs, DialEx lists, room calls) under each fault the
//! emulators inject: no number is dialled twice, every item ends final or `unknown`, and what the
//! user reads names the cause.

use crate::common;

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use callout_console::{
    accounts::SANDBOX_TENCENT_ACCOUNT,
    sandbox::{
        aliyun_ccc::{SANDBOX_CALLER, SANDBOX_INSTANCE_ID},
        tencent_meeting::SANDBOX_MEETING_ID,
    },
};
use serde_json::{json, Value};

/// Short lifecycles, a rate budget that does not slow 200 calls down, a 1 s provider timeout, and
/// short pauses between the rounds of a refused batch (4 x 5 ms, doubling).
const CONFIG: &str = "[sandbox]\ntime_scale = 0.01\nrate_limit_per_minute = 60000\nccc_rate_limit_per_minute = 60000\n\
                      [http]\ntotal_timeout_ms = 1000\nretry_base_delay_ms = 5\n";
const JOB_SIZE: usize = 200;
/// Requests a refused batch costs before its items fail: 3 attempts in each of 9 rounds.
const REFUSED_FOR_GOOD: u32 = 3 * 9;

/// What a fault does to the request it hits.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Effect {
    /// The provider acted, then the answer was lost: `unknown`, dialled once.
    ActedAnswerLost,
    /// Refused before acting, then let through: retried, dialled once, nothing unknown.
    RefusedThenThrough,
    /// Refused before acting every time: not dialled, failed with the refusal.
    RefusedForGood,
    /// Not acted on before the client gave up: `unknown`, never dialled.
    NotActedOn,
}

struct Fault {
    name: &'static str,
    knobs: Value,
    effect: Effect,
    /// Words of the reason or error the user reads (any one of them, case-insensitive).
    cause: &'static [&'static str],
}

fn faults() -> Vec<Fault> {
    use Effect::*;
    vec![
        Fault { name: "provider 500", knobs: json!({ "http_500": 2 }), effect: ActedAnswerLost, cause: &["http 500"] },
        Fault {
            name: "timeout after the request was read",
            knobs: json!({ "timeout_after_read": 2, "timeout_ms": 2000 }),
            effect: ActedAnswerLost,
            cause: &["timed out", "timeout"],
        },
        Fault {
            name: "connection reset",
            knobs: json!({ "connection_reset": 2 }),
            effect: ActedAnswerLost,
            cause: &["broke off", "connection closed"],
        },
        Fault { name: "malformed JSON", knobs: json!({ "malformed_json": 2 }), effect: ActedAnswerLost, cause: &["json"] },
        Fault { name: "rate limit, then through", knobs: json!({ "rate_limit": 2 }), effect: RefusedThenThrough, cause: &[] },
        Fault {
            name: "rate limit that persists",
            knobs: json!({ "rate_limit": REFUSED_FOR_GOOD }),
            effect: RefusedForGood,
            cause: &["rate limit"],
        },
        Fault {
            name: "answers slower than the timeout",
            knobs: json!({ "slow_answers": 2, "timeout_ms": 2000 }),
            effect: NotActedOn,
            cause: &["timed out", "timeout"],
        },
    ]
}

fn names(text: &str, cause: &[&str]) -> bool {
    let text = text.to_lowercase();
    cause.iter().any(|word| text.contains(word))
}

fn is_final(status: &str) -> bool {
    // `placed` is not final: a DialEx call waits for its call record.
    ["completed", "not_answered", "canceled", "failed"].contains(&status)
}

/// Every (status, reason) each item was shown with, as the browser saw them over server-sent events.
#[derive(Clone, Default)]
struct Shown(Arc<Mutex<BTreeMap<i64, Vec<StatusAndReason>>>>);

type StatusAndReason = (String, String);

impl Shown {
    /// Starts recording; returns once the stream is open.
    async fn record(app: &common::TestApp) -> Self {
        let shown = Shown::default();
        let response = app.http.get(app.url("/api/v1/events")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let into = shown.clone();
        tokio::spawn(common::sse::read_events(response, move |event| {
            let Some(data) = event.data else { return true };
            let event: Value = serde_json::from_str(&data).unwrap();
            if event["type"] == "item" {
                let item = &event["item"];
                let seen = (item["status"].as_str().unwrap().to_owned(), item["reason"].as_str().unwrap_or_default().to_owned());
                into.0.lock().unwrap().entry(item["id"].as_i64().unwrap()).or_default().push(seen);
            }
            true
        }));
        shown
    }

    fn of(&self, item: &Value) -> Vec<StatusAndReason> {
        self.0.lock().unwrap().get(&item["id"].as_i64().unwrap()).cloned().unwrap_or_default()
    }
}

/// Checks a finished job against the fault it ran under: `dials` is the emulator's counter, `key`
/// an item's name in it, `shown` what the browser was told along the way.
fn check_job(fault: &Fault, job: &Value, shown: &Shown, dials: &BTreeMap<String, u64>, key: impl Fn(&Value) -> String) {
    let name = fault.name;
    let items = job["items"].as_array().unwrap();
    assert_eq!(items.len(), JOB_SIZE, "{name}");
    let mut hit = 0;
    for item in items {
        let status = item["status"].as_str().unwrap();
        let times = dials.get(&key(item)).copied().unwrap_or(0);
        assert!(times <= 1, "{name}: {} dialled {times} times", key(item));
        assert!(is_final(status) || status == "unknown", "{name}: an item ended {status}: {item}");
        // An answer lost after the provider acted leaves the item unknown until the provider's list
        // or events tell its real end; the browser saw the unknown and its cause in between.
        let history = shown.of(item);
        let unknown = history.iter().find(|(s, _)| s == "unknown");
        let refused = history.iter().find(|(s, r)| s == "failed" && r.starts_with("not sent"));
        if let Some((_, reason)) = unknown.or(refused) {
            hit += 1;
            assert!(names(reason, fault.cause), "{name}: the reason does not name the cause: {reason:?}");
        }
        if let Some((_, reason)) = unknown {
            assert!(reason.contains("not re-dialled automatically"), "{name}: {reason}");
        }
        match fault.effect {
            Effect::ActedAnswerLost | Effect::RefusedThenThrough => assert_eq!(times, 1, "{name}: {item}"),
            Effect::RefusedForGood => assert_eq!(times, u64::from(refused.is_none()), "{name}: {item}"),
            Effect::NotActedOn => {
                assert_eq!(times, u64::from(unknown.is_none()), "{name}: {item}");
                if unknown.is_some() {
                    assert_eq!(status, "unknown", "{name}: nothing can tell the end of a call never placed: {item}");
                }
            }
        }
    }
    match fault.effect {
        Effect::RefusedThenThrough => assert_eq!(hit, 0, "{name}: every number went through after the retries"),
        _ => assert!(hit > 0, "{name}: the fault hit no item"),
    }
}

#[tokio::test]
async fn meeting_callout_jobs_under_every_fault() {
    let app = common::spawn_with(CONFIG, &[]).await;
    let shown = Shown::record(&app).await;
    for (f, fault) in faults().iter().enumerate() {
        app.set_faults(fault.knobs.clone()).await;
        let numbers: Vec<Value> = (0..JOB_SIZE).map(|k| json!({ "number": format!("1371{f}{k:06}") })).collect();
        let body = json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "meeting_id": SANDBOX_MEETING_ID, "numbers": numbers });
        let created: Value = app.post_json("/api/v1/callouts", &body).await.json().await.unwrap();
        let job_id = created["job_id"].as_str().expect("job created");
        // Unknown items are looked for in the provider's list: answered-but-lost batches resolve
        // to their real end; those never acted on stay unknown. Either way the job settles.
        let job = app.wait_for_job(job_id, |j| j["state"] == "finished" || settled(j)).await;
        app.set_faults(json!({})).await;
        check_job(fault, &job, &shown, &app.dial_counts().await, |item| item["e164"].as_str().unwrap().to_owned());
    }
}

/// Every batch sent and every item final or unknown: what the list can still resolve are unknowns the
/// provider never acted on, which it never will.
fn settled(job: &Value) -> bool {
    let counters = &job["counters"];
    counters["batches_sent"] == counters["batches_total"]
        && job["items"]
            .as_array()
            .is_some_and(|items| items.iter().all(|i| is_final(i["status"].as_str().unwrap()) || i["status"] == "unknown"))
}

#[tokio::test]
async fn dialex_lists_under_every_fault() {
    let app = common::spawn_with(CONFIG, &[]).await;
    let shown = Shown::record(&app).await;
    for (f, fault) in faults().iter().enumerate() {
        app.set_ccc_faults(fault.knobs.clone()).await;
        let numbers: Vec<Value> = (0..JOB_SIZE).map(|k| json!({ "number": format!("1572{f}{k:06}") })).collect();
        let body = json!({ "account_id": "sandbox-ccc", "instance_id": SANDBOX_INSTANCE_ID, "caller": SANDBOX_CALLER,
                           "answer_mode": "ivr", "rout_point": "cf-welcome-ivr", "numbers": numbers });
        let created = app.post_json("/api/v1/dialex/jobs", &body).await;
        assert_eq!(created.status(), 202, "{}", fault.name);
        let created: Value = created.json().await.unwrap();
        let job = app.wait_for_job(created["job_id"].as_str().unwrap(), |j| j["state"] == "finished").await;
        app.set_ccc_faults(json!({})).await;
        // The CCC emulator counts callees as they were sent: national digits.
        check_job(fault, &job, &shown, &app.ccc_dial_counts().await, |item| {
            item["e164"].as_str().unwrap().trim_start_matches("+86").to_owned()
        });
    }
}

#[tokio::test]
async fn room_calls_under_every_fault() {
    let app = common::spawn_with(CONFIG, &[]).await;
    for (f, fault) in faults().iter().enumerate() {
        // A single request: a fault counted for two hits this call and, at most, the audit's view of it.
        let mut knobs = fault.knobs.clone();
        for counter in ["http_500", "timeout_after_read", "connection_reset", "malformed_json", "slow_answers"] {
            if knobs.get(counter).is_some() {
                knobs[counter] = json!(1);
            }
        }
        app.set_faults(knobs).await;
        let room = format!("room-{f}@sip.example.com");
        let body = json!({ "account_id": SANDBOX_TENCENT_ACCOUNT, "meeting_id": SANDBOX_MEETING_ID,
                           "target": { "kind": "mra_address", "protocol": "sip", "dial_string": room } });
        let response = app.post_json("/api/v1/room-calls", &body).await;
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        app.set_faults(json!({})).await;
        let name = fault.name;
        let times = app.dial_counts().await.get(&format!("sip:{room}")).copied().unwrap_or(0);
        match fault.effect {
            Effect::RefusedThenThrough => {
                assert_eq!(status, 200, "{name}: {answer}");
                assert!(answer["invite_id"].is_string(), "{name}: {answer}");
                assert_eq!(times, 1, "{name}");
            }
            effect => {
                assert!(status >= 400, "{name}: {status} {answer}");
                let message = answer["message"].as_str().unwrap_or_default();
                assert!(names(message, fault.cause), "{name}: the message does not name the cause: {answer}");
                let expected = u64::from(effect == Effect::ActedAnswerLost);
                assert_eq!(times, expected, "{name}: dialled {times} times: {answer}");
            }
        }
        // The audit row says what is known: ok, unknown, or refused.
        let audit: Value = app.get("/api/v1/audit?action=room_call").await.json().await.unwrap();
        let row = audit.as_array().unwrap().iter().find(|r| r["target"].as_str().is_some_and(|t| t.contains(&room))).expect("audited");
        let outcome = row["outcome"].as_str().unwrap();
        let expected = match fault.effect {
            Effect::RefusedThenThrough => "ok",
            Effect::ActedAnswerLost | Effect::NotActedOn => "unknown",
            Effect::RefusedForGood => "not_sent",
        };
        assert_eq!(outcome, expected, "{name}: {row}");
    }
}
