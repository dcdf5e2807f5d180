//! Jobs as small campaigns, on the backend's own clock moved forward instead of waited for: a start
//! time, calling windows, and a retry policy that dials again only what nobody took.

use std::time::Duration;

use callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use serde_json::{json, Value};

use crate::common::{self, TestApp};

/// The sandbox with calls that end in well under a second (numbers ending 6 to 9 are not answered).
async fn fast_sandbox(overrides: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("CALLOUT__SANDBOX__TIME_SCALE", "0.01")];
    all.extend_from_slice(overrides);
    common::spawn_with("", &all).await
}

async fn submit(app: &TestApp, text: &str, campaign: Value) -> Value {
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": text, "campaign": campaign });
    let response = app.post_json("/api/v1/callouts", &body).await;
    let status = response.status();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 202, "{created}");
    created
}

async fn job(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/api/v1/callouts/{id}")).await.json().await.unwrap()
}

async fn dialled(app: &TestApp) -> u64 {
    app.dial_counts().await.values().sum()
}

/// `HH:MM` (UTC) of the backend's clock moved by `minutes`.
fn hhmm(app: &TestApp, minutes: i64) -> String {
    let at: DateTime<Utc> = app.clock.now() + chrono::Duration::minutes(minutes);
    at.format("%H:%M").to_string()
}

fn every_day(from: &str, to: &str) -> Value {
    json!({ "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": from, "to": to, "time_zone": "UTC" })
}

#[tokio::test]
async fn a_job_scheduled_for_later_dials_nothing_before_its_time_and_can_be_cancelled() {
    let app = fast_sandbox(&[]).await;
    let start = app.clock.now_ms() + 3_600_000;
    let created = submit(&app, "13700000001\n13700000002\n", json!({ "start_at": start })).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    assert_eq!(created["job"]["state"], "scheduled", "{created}");
    assert_eq!(created["job"]["campaign"]["start_at"], start);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(dialled(&app).await, 0, "nothing before its time");
    let j = job(&app, &id).await;
    assert_eq!(j["state"], "scheduled", "{j}");
    assert_eq!(j["campaign"]["waiting"], "scheduled", "{j}");
    assert_eq!(j["campaign"]["next_dial_at"], start, "{j}");
    let listed: Value = app.get("/api/v1/callouts?state=scheduled").await.json().await.unwrap();
    assert_eq!(listed["total"], 1, "{listed}");
    let dialling: Value = app.get("/api/v1/callouts?state=dialling").await.json().await.unwrap();
    assert_eq!(dialling["total"], 0, "a scheduled job is not listed as dialling: {dialling}");

    // 59 minutes on: still nothing.
    app.clock.advance(Duration::from_secs(59 * 60));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(dialled(&app).await, 0);
    // Its time: it dials.
    app.clock.advance(Duration::from_secs(60));
    app.wait_for_job(&id, |j| j["counters"]["batches_sent"] == 1).await;
    assert_eq!(dialled(&app).await, 2);

    // Another one, cancelled (stopped) while it waits: it never dials, even once its time comes.
    let later = submit(&app, "13700000003\n", json!({ "start_at": app.clock.now_ms() + 600_000 })).await;
    let later_id = later["job_id"].as_str().unwrap().to_owned();
    let stop = app.post_json(&format!("/api/v1/callouts/{later_id}/stop"), &json!({})).await;
    assert_eq!(stop.status(), 200);
    app.clock.advance(Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(800)).await;
    let j = job(&app, &later_id).await;
    assert_eq!(j["state"], "finished", "{j}");
    assert_eq!(app.dial_counts().await.get("+8613700000003"), None, "a cancelled schedule dials nothing");
}

#[tokio::test]
async fn a_scheduled_job_survives_a_restart_and_dials_once_at_its_time() {
    let app = fast_sandbox(&[]).await;
    let start = app.clock.now_ms() + 600_000;
    let created = submit(&app, "13700000011\n", json!({ "start_at": start })).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    let restarted = common::spawn_in("", &[("CALLOUT__SANDBOX__TIME_SCALE", "0.01")], app.data).await;
    let j = job(&restarted, &id).await;
    assert_eq!(j["state"], "scheduled", "the schedule is stored: {j}");
    restarted.clock.advance(Duration::from_secs(601));
    restarted.wait_for_job(&id, |j| j["counters"]["batches_sent"] == 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(dialled(&restarted).await, 1, "dialled once, not lost or doubled by the restart");
}

#[tokio::test]
async fn outside_its_window_a_job_waits_for_the_window_to_open() {
    let app = fast_sandbox(&[]).await;
    // A window opening two hours from now for an hour (on the backend's clock, in UTC).
    let window = every_day(&hhmm(&app, 120), &hhmm(&app, 180));
    let created = submit(&app, "13700000021\n", json!({ "window": window })).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(dialled(&app).await, 0, "nothing outside the window");
    let j = job(&app, &id).await;
    assert_eq!(j["campaign"]["waiting"], "outside_window", "{j}");
    let opens = j["campaign"]["next_dial_at"].as_i64().unwrap();
    let expected = app.clock.now_ms() + 120 * 60_000;
    assert!((expected - 60_000..=expected).contains(&opens), "opens at the window's minute: {j}");

    app.clock.advance(Duration::from_secs(121 * 60));
    app.wait_for_job(&id, |j| j["counters"]["batches_sent"] == 1).await;
    assert_eq!(dialled(&app).await, 1);
}

#[tokio::test]
async fn a_window_that_closes_mid_job_stops_new_batches_and_leaves_sent_calls_alone() {
    // One callout request every two seconds: the job is still sending when its window closes.
    let app = fast_sandbox(&[("CALLOUT__SANDBOX__RATE_LIMIT_PER_MINUTE", "30")]).await;
    let window = every_day(&hhmm(&app, -60), &hhmm(&app, 30));
    let text: String = (0..150).map(|i| format!("1371000{i:04}\n")).collect();
    let created = submit(&app, &text, json!({ "window": window })).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    app.wait_for_job(&id, |j| j["counters"]["batches_sent"].as_u64() >= Some(1)).await;
    // The window closes.
    app.clock.advance(Duration::from_secs(31 * 60));
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let j = job(&app, &id).await;
    let sent = j["counters"]["batches_sent"].as_u64().unwrap();
    assert!(sent < 3, "no new batch after the window closed: {}", j["counters"]);
    assert_eq!(j["campaign"]["waiting"], "outside_window", "{}", j["campaign"]);
    assert_eq!(dialled(&app).await, sent * 50);
    // The calls of the batches sent go on to their ends.
    app.wait_for_job(&id, |j| j["counters"]["finished"].as_u64() == Some(sent * 50)).await;
    // The next day's window (it closed 1 minute ago: 23 hours on, it is open again): the rest is sent.
    app.clock.advance(Duration::from_secs(23 * 3600));
    app.wait_for_job(&id, |j| j["counters"]["batches_sent"] == 3).await;
    assert_eq!(dialled(&app).await, 150);
}

#[tokio::test]
async fn not_answered_numbers_are_dialled_again_up_to_the_policy_and_never_an_unknown_one() {
    // A provider slower than the client's timeout: the request may have been acted on, as far as
    // the console can tell (the emulator in fact drops it, so no later list or event resolves it).
    let app = fast_sandbox(&[("CALLOUT__HTTP__TOTAL_TIMEOUT_MS", "1000")]).await;
    let retry = json!({ "retry": { "max_attempts": 3, "spacing_minutes": 10 } });

    // A batch whose outcome is unknown: the policy never dials its numbers again.
    app.set_faults(json!({ "slow_answers": 1, "timeout_ms": 2000 })).await;
    let lost = submit(&app, "13720000006\n13720000007\n", retry.clone()).await;
    let lost_id = lost["job_id"].as_str().unwrap().to_owned();
    app.wait_for_job(&lost_id, |j| j["counters"]["unknown"] == 2).await;
    app.set_faults(json!({})).await;

    // One number that is not answered, one that is.
    let created = submit(&app, "13720000016\n13720000011\n", retry).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    let row = |j: &Value, n: usize| j["items"][n].clone();
    let j = app.wait_for_job(&id, |j| j["items"][0]["status"] == "pending" || j["items"][0]["attempt"] == 2).await;
    assert_eq!(row(&j, 0)["attempt"], 2, "{j}");
    let next = row(&j, 0)["next_attempt_at"].as_i64().expect("the next attempt's time");
    assert!(next >= app.clock.now_ms() + 9 * 60_000, "at least the spacing after the first attempt ended: {j}");
    assert_eq!(j["campaign"]["waiting"], "retry_spacing", "{}", j["campaign"]);

    // Not before the spacing.
    app.clock.advance(Duration::from_secs(5 * 60));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(app.dial_counts().await["+8613720000016"], 1, "spacing holds the second attempt");
    for attempt in 2..=3 {
        app.clock.advance(Duration::from_secs(10 * 60));
        app.wait_for_job(&id, |j| {
            j["items"][0]["attempt"] == attempt && j["items"][0]["status"] == "not_answered"
                || j["items"][0]["attempt"].as_u64() > Some(attempt)
        })
        .await;
    }
    // Attempts exhausted: more time changes nothing.
    app.clock.advance(Duration::from_secs(3600));
    let j = app.wait_for_job(&id, |j| j["state"] == "finished").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let counts = app.dial_counts().await;
    assert_eq!(counts["+8613720000016"], 3, "dialled exactly N times: {counts:?}");
    assert_eq!(counts["+8613720000011"], 1, "an answered number is not called again");
    assert_eq!(counts.get("+8613720000006"), None, "an unknown number is never retried by the policy: {counts:?}");
    assert_eq!(counts.get("+8613720000007"), None);
    assert_eq!(row(&j, 0)["attempt"], 3);
    let attempts = j["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "each earlier attempt is kept with its own outcome: {j}");
    assert!(attempts.iter().all(|a| a["status"] == "not_answered" && a["row"] == 0), "{attempts:?}");
    let lost = job(&app, &lost_id).await;
    assert!(lost["items"].as_array().unwrap().iter().all(|i| i["status"] == "unknown" && i["attempt"] == 1), "{lost}");

    // The export has a line per dial: the retried row's three attempts, each with its outcome.
    let export = app.get(&format!("/api/v1/callouts/{id}/export.csv")).await.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(export.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let of_row_1: Vec<(&str, &str)> =
        lines.iter().filter(|l| &l[col("row")] == "1").map(|l| (&l[col("attempt")], &l[col("status")])).collect();
    assert_eq!(of_row_1, [("1", "not_answered"), ("2", "not_answered"), ("3", "not_answered")], "{export}");
    assert_eq!(lines.len(), 4, "three dials of row 1, one of row 2: {export}");

    // The policy's decisions are in the audit log.
    let audit: Vec<Value> = app.get("/api/v1/audit?action=job_retry_policy").await.json().await.unwrap();
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(audit.iter().all(|a| a["target"].as_str().unwrap().contains(&id)), "{audit:?}");
}

#[tokio::test]
async fn a_retry_due_outside_the_window_waits_for_the_window_to_open() {
    let app = fast_sandbox(&[]).await;
    // Open for the next half hour each day; the second attempt is due an hour after the first.
    let window = every_day(&hhmm(&app, -1), &hhmm(&app, 30));
    let campaign = json!({ "window": window, "retry": { "max_attempts": 2, "spacing_minutes": 60 } });
    let created = submit(&app, "13726000016\n", campaign).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    app.wait_for_job(&id, |j| j["items"][0]["attempt"] == 2).await;
    // Its spacing is over, but the window closed meanwhile: nothing is dialled.
    app.clock.advance(Duration::from_secs(61 * 60));
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let j = job(&app, &id).await;
    assert_eq!(j["campaign"]["waiting"], "outside_window", "{}", j["campaign"]);
    assert_eq!(app.dial_counts().await["+8613726000016"], 1, "no attempt outside the window");
    // The next day's window opens: the second attempt goes.
    app.clock.advance(Duration::from_secs(23 * 3600));
    app.wait_for_job(&id, |j| j["state"] == "finished").await;
    assert_eq!(app.dial_counts().await["+8613726000016"], 2);
}

#[tokio::test]
async fn an_unknown_second_attempt_is_not_settled_by_the_first_attempts_call_in_the_list() {
    let app = fast_sandbox(&[("CALLOUT__HTTP__TOTAL_TIMEOUT_MS", "1000")]).await;
    let created = submit(&app, "13725000016\n", json!({ "retry": { "max_attempts": 3, "spacing_minutes": 10 } })).await;
    let id = created["job_id"].as_str().unwrap().to_owned();
    app.wait_for_job(&id, |j| j["items"][0]["attempt"] == 2).await;
    // The second attempt's request times out (the emulator drops it: nothing is dialled).
    app.set_faults(json!({ "slow_answers": 1, "timeout_ms": 2000 })).await;
    app.clock.advance(Duration::from_secs(11 * 60));
    app.wait_for_job(&id, |j| j["items"][0]["status"] == "unknown").await;
    app.set_faults(json!({})).await;
    // The meeting's list still shows the first attempt's call to the number; polls of it go on.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let j = job(&app, &id).await;
    assert_eq!(j["items"][0]["status"], "unknown", "the first call's row does not settle the second attempt: {j}");
    assert_eq!(j["items"][0]["attempt"], 2, "{j}");
    assert_eq!(app.dial_counts().await["+8613725000016"], 1);
}

#[tokio::test]
async fn a_bad_campaign_is_refused_with_the_field_named_and_nothing_recorded() {
    let app = fast_sandbox(&[]).await;
    for (campaign, field) in [
        (json!({ "window": { "days": [], "from": "09:00", "to": "18:00", "time_zone": "UTC" } }), "campaign.window"),
        (json!({ "window": { "days": ["mon"], "from": "09:00", "to": "18:00", "time_zone": "Mars/Olympus" } }), "campaign.window"),
        (json!({ "retry": { "max_attempts": 11, "spacing_minutes": 5 } }), "campaign.retry"),
        (json!({ "retry": { "max_attempts": 2, "spacing_minutes": 0 } }), "campaign.retry"),
    ] {
        let body =
            json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": "13730000001", "campaign": campaign });
        let response = app.post_json("/api/v1/callouts", &body).await;
        assert_eq!(response.status(), 400, "{campaign}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], field, "{error}");
    }
    let listed: Value = app.get("/api/v1/callouts").await.json().await.unwrap();
    assert_eq!(listed["total"], 0, "{listed}");
}

#[tokio::test]
async fn the_preview_shows_the_next_openings_of_the_window_in_force() {
    let window = r#"{ days = ["mon", "tue", "wed", "thu", "fri"], from = "09:00", to = "18:00", time_zone = "Asia/Shanghai" }"#;
    let app = fast_sandbox(&[("CALLOUT__SANDBOX__CALLING_WINDOW", window)]).await;
    let start = app.clock.now_ms();
    let response = app.post_json("/api/v1/campaigns/preview", &json!({ "account_id": "sandbox-tencent", "start_at": start })).await;
    assert_eq!(response.status(), 200);
    let preview: Value = response.json().await.unwrap();
    assert_eq!(preview["window_is_default"], true, "{preview}");
    let spans = preview["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 5, "{preview}");
    // The first opening, worked out here from the window's own words: the window's next weekday
    // 09:00–18:00 in Shanghai that has not closed yet, from the start if it is already open.
    let local = DateTime::from_timestamp_millis(start).unwrap().with_timezone(&Shanghai);
    let (open, close) = (0..8)
        .map(|d| local.date_naive() + chrono::Days::new(d))
        .filter(|day| !matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
        .map(|day| {
            let at = |h| Shanghai.from_local_datetime(&day.and_hms_opt(h, 0, 0).unwrap()).single().unwrap().timestamp_millis();
            (at(9), at(18))
        })
        .find(|&(_, close)| close > start)
        .unwrap();
    assert_eq!(spans[0]["from"], open.max(start), "{preview}");
    assert_eq!(spans[0]["to"], close, "{preview}");
    for span in spans {
        assert!(span["to"].as_i64().unwrap() - span["from"].as_i64().unwrap() <= 9 * 3_600_000, "{span}");
    }
    // The account's default window holds a job that sets none.
    let j = submit(&app, "13740000001\n", json!({})).await;
    assert_eq!(j["job"]["campaign"]["window_is_default"], true, "{j}");
}

#[tokio::test]
async fn the_clock_moves_only_forward_for_admins_and_only_where_allowed() {
    let app = fast_sandbox(&[]).await;
    let before = app.clock.now_ms();
    let response = app.post_json("/api/v1/sandbox/clock", &json!({ "seconds": 3600 })).await;
    assert_eq!(response.status(), 200);
    let reading: Value = response.json().await.unwrap();
    assert!(reading["now"].as_i64().unwrap() >= before + 3_600_000, "{reading}");
    assert_eq!(reading["shift_ms"], 3_600_000);
    // A restart keeps the time where it was moved: the stored schedules were decided on it.
    let restarted = common::spawn_in("", &[("CALLOUT__SANDBOX__TIME_SCALE", "0.01")], app.data).await;
    assert_eq!(restarted.clock.shift_ms(), 3_600_000);
    assert!(restarted.clock.now_ms() >= before + 3_600_000);
    let off = fast_sandbox(&[("CALLOUT__SERVER__CLOCK_CONTROL", "false")]).await;
    let refused = off.post_json("/api/v1/sandbox/clock", &json!({ "seconds": 60 })).await;
    assert_eq!(refused.status(), 403);
}
