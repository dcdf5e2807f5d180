//! The meeting pre-check: the provider's meeting query (by id, or by the 9-digit code people join
//! with) before anything is dialled; an unknown or ended meeting or a webinar creates no job.

use crate::common;

use callout_console::sandbox::tencent_meeting::{SANDBOX_ENDED_MEETING_ID, SANDBOX_MEETING_ID, SANDBOX_OPERATOR_ID, SANDBOX_WEBINAR_ID};
use serde_json::{json, Value};

async fn check(app: &common::TestApp, meeting: &str) -> (u16, Value) {
    let response = app.get(&format!("/api/v1/meetings/{meeting}/check?account_id=sandbox-tencent")).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_meeting_is_described_before_dialling_by_id_or_by_code() {
    let app = common::spawn().await;
    let (status, live) = check(&app, SANDBOX_MEETING_ID).await;
    assert_eq!(status, 200, "{live}");
    assert_eq!(live["meeting_id"], SANDBOX_MEETING_ID);
    assert_eq!(live["meeting_code"], "530812452");
    assert_eq!(live["subject"], "Sandbox callout meeting");
    assert_eq!((live["state"].as_str(), live["raw_state"].as_str()), (Some("started"), Some("MEETING_STATE_STARTED")));
    assert_eq!(live["operator_id"], SANDBOX_OPERATOR_ID);
    assert_eq!(live["operator_may_call"], true, "the sandbox operator hosts the meeting");
    assert!(live["refusal"].is_null());
    let (start, end) = (live["start_time"].as_i64().unwrap(), live["end_time"].as_i64().unwrap());
    assert!(start < end && start % 1000 == 0, "booked times in milliseconds: {start}..{end}");

    let (status, by_code) = check(&app, "530812452").await;
    assert_eq!(status, 200);
    assert_eq!(by_code["meeting_id"], SANDBOX_MEETING_ID, "the code resolves to the id");

    let (_, ended) = check(&app, SANDBOX_ENDED_MEETING_ID).await;
    assert_eq!(ended["state"], "ended");
    assert!(ended["refusal"].as_str().unwrap().contains("ended"), "{ended}");
    let (_, webinar) = check(&app, SANDBOX_WEBINAR_ID).await;
    assert_eq!(webinar["webinar"], true);
    assert!(webinar["refusal"].as_str().unwrap().contains("webinar"), "{webinar}");

    for unknown in ["1234567890123", "123456789"] {
        let (status, body) = check(&app, unknown).await;
        assert_eq!(status, 422, "{unknown}: {body}");
        assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("meeting_not_found"), Some("meeting_id")));
        assert!(body["message"].as_str().unwrap().contains(unknown));
    }
    let (status, body) = check(&app, "12-34").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "meeting_id");
}

#[tokio::test]
async fn a_meeting_that_takes_no_callouts_creates_no_job_and_dials_nothing() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\n", &[]).await;
    let job = |meeting: &str| json!({ "account_id": "sandbox-tencent", "meeting_id": meeting, "text": "13800138002\n13800138004" });
    for (meeting, code) in
        [(SANDBOX_ENDED_MEETING_ID, "meeting_ended"), (SANDBOX_WEBINAR_ID, "meeting_not_callable"), ("1234567890123", "meeting_not_found")]
    {
        let refused = app.post_json("/api/v1/callouts", &job(meeting)).await;
        assert_eq!(refused.status(), 422, "{meeting}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some(code), Some("meeting_id")), "{body}");
        assert!(body["message"].as_str().unwrap().ends_with("nothing was dialled"), "{body}");
    }
    let jobs: Value = app.get("/api/v1/callouts").await.json().await.unwrap();
    assert_eq!(jobs["total"], 0, "no job exists for a refused meeting: {jobs}");
    assert!(app.dial_counts().await.is_empty(), "nothing was dialled");
    let audit: Value = app.get("/api/v1/audit?action=callout_job").await.json().await.unwrap();
    let outcomes: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.len(), 3);
    assert!(outcomes.iter().all(|o| *o != "ok"), "a refused job is not audited as ok: {outcomes:?}");

    // A 9-digit meeting code is resolved: the job dials the meeting's id.
    let created = app.post_json("/api/v1/callouts", &job("530812452")).await;
    assert_eq!(created.status(), 202);
    let id = created.json::<Value>().await.unwrap()["job_id"].as_str().unwrap().to_owned();
    let done = app.wait_for_job(&id, |j| j["state"] == "finished").await;
    assert_eq!(done["meeting_id"], SANDBOX_MEETING_ID);
    assert_eq!(app.dial_counts().await.len(), 2);
}
