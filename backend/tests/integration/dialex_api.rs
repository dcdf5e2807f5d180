//! DialEx end to end: browser-facing API → signing client → CCC emulator over HTTP.

use crate::common;

use callout_console::{
    sandbox::aliyun_ccc::{SANDBOX_CALLER, SANDBOX_INSTANCE_ID},
    store::Store,
};
use serde_json::{json, Value};

fn call(mode: &str, rout_point: &str) -> Value {
    json!({ "account_id": "sandbox-ccc", "instance_id": SANDBOX_INSTANCE_ID, "caller": SANDBOX_CALLER,
            "callee": "157 3203 6617", "answer_mode": mode, "rout_point": rout_point })
}

#[tokio::test]
async fn dialex_in_each_answer_mode_returns_a_task_id() {
    let app = common::spawn().await;
    for (mode, point) in [("ivr", "cf-welcome-ivr"), ("agent", "agent001@CalloutDemo"), ("skill_group", "paEF_1GAQXXJ")] {
        let response = app.post_json("/api/v1/dialex", &call(mode, point)).await;
        assert_eq!(response.status(), 200, "{mode}");
        let body: Value = response.json().await.unwrap();
        assert!(!body["task_id"].as_str().unwrap().is_empty(), "{mode}: {body}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_dialled() {
    let app = common::spawn().await;
    let response = app.post_json("/api/v1/dialex", &call("agent", "agent001")).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("invalid_request"), Some("rout_point")));

    let mut bad_callee = call("ivr", "cf-welcome-ivr");
    bad_callee["callee"] = json!("12");
    let response = app.post_json("/api/v1/dialex", &bad_callee).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("invalid_number"), Some("callee")));
    assert_eq!(body["problem"], "too_short");

    // DialEx cannot dial an extension: refused on the field, for one call and for a list row.
    let mut with_extension = call("ivr", "cf-welcome-ivr");
    with_extension["callee"] = json!("010 6552 9988 ext. 8001");
    let response = app.post_json("/api/v1/dialex", &with_extension).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["field"], "callee", "{body}");
    let mut list = call("ivr", "cf-welcome-ivr");
    list.as_object_mut().unwrap().remove("callee");
    list["numbers"] = json!([{ "number": "010 6552 9988 ext. 8001" }, { "number": "157 3203 6618" }]);
    let response = app.post_json("/api/v1/dialex/jobs", &list).await;
    assert_eq!(response.status(), 202);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["not_dialled"][0]["phase"], "invalid", "{created}");
    let job = app.wait_for_job(created["job_id"].as_str().unwrap(), |j| j["state"] == "finished").await;
    // The other row is dialled; the job finishes once its call record says how it ended (8: failed).
    let dialled: Vec<&Value> = job["items"].as_array().unwrap().iter().filter(|i| i["task_id"].is_string()).collect();
    assert_eq!(dialled.len(), 1, "{job}");
    assert_eq!((dialled[0]["status"].as_str(), dialled[0]["raw_status"].as_str()), (Some("failed"), Some("CallFailed")), "{job}");

    let mut unknown_account = call("ivr", "cf-welcome-ivr");
    unknown_account["account_id"] = json!("nope");
    assert_eq!(app.post_json("/api/v1/dialex", &unknown_account).await.json::<Value>().await.unwrap()["field"], "account_id");
}

#[tokio::test]
async fn a_provider_refusal_keeps_the_provider_code() {
    let app = common::spawn().await;
    // The domain is case-sensitive at the provider: the shape is fine, the agent is not.
    let response = app.post_json("/api/v1/dialex", &call("agent", "agent001@calloutdemo")).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "provider_error");
    assert!(body["provider_code"].as_str().unwrap().starts_with("InvalidParameter"), "{body}");
    assert_eq!(body["field"], "rout_point", "the UI shows it beside the field");
}

#[tokio::test]
async fn a_viewer_cannot_dial() {
    let app = common::spawn_with("[auth.dev]\ngroups = [\"callout-viewers\"]\n", &[]).await;
    let response = app.post_json("/api/v1/dialex", &call("ivr", "cf-welcome-ivr")).await;
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "forbidden");
}

/// An unreachable contact center: the answer and the audit row say so, without the signed request URL.
#[tokio::test]
async fn an_unreachable_provider_is_named_without_the_signed_url() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ck"), "LIVE-CCC-SECRET").unwrap();
    let config = format!(
        "[http]\nretry_attempts = 1\n[[aliyun_ccc]]\nid = \"sh\"\nname = \"SH\"\nregion_id = \"cn-shanghai\"\nendpoint = \"http://127.0.0.1:1\"\n\
         access_key_id = \"LTAIvisibleKeyId\"\naccess_key_secret_file = {:?}\n",
        dir.path().join("ck").display().to_string()
    );
    let app = common::spawn_with(&config, &[]).await;
    let mut body = call("ivr", "cf-welcome-ivr");
    body["account_id"] = json!("sh");
    let response = app.post_json("/api/v1/dialex", &body).await;
    assert_eq!(response.status(), 502);
    let text = response.text().await.unwrap();
    assert!(text.contains("provider_unreachable"), "{text}");
    let audit = app.get("/api/v1/audit?action=dialex").await.text().await.unwrap();
    for shown in [&text, &audit] {
        for needle in ["Signature", "AccessKeyId", "LTAIvisibleKeyId", "127.0.0.1:1/?"] {
            assert!(!shown.contains(needle), "`{needle}` leaked: {shown}");
        }
    }
}

#[tokio::test]
async fn an_instance_the_account_is_not_configured_with_is_not_found() {
    let app = common::spawn().await;
    let mut body = call("ivr", "cf-welcome-ivr");
    body["instance_id"] = json!("no-such-instance");
    let response = app.post_json("/api/v1/dialex", &body).await;
    assert_eq!(response.status(), 404);
    let error: Value = response.json().await.unwrap();
    assert_eq!((error["code"].as_str(), error["field"].as_str()), (Some("not_found"), Some("instance_id")), "{error}");
    assert!(app.ccc_dial_counts().await.is_empty());
}

/// After a DialEx its row's outcome, its audit row and the answer its key replays are there together;
/// when they cannot all be written, none is: the call stays recorded as being sent, start-up settles
/// it as unknown, and it is never dialled again.
#[tokio::test]
async fn a_dialex_outcome_is_recorded_whole_or_settled_as_unknown() {
    let app = common::spawn().await;
    let body = call("ivr", "cf-welcome-ivr");
    let first = app.post_with_key("/api/v1/dialex", &body, "whole-1").await;
    assert_eq!(first.status(), 200);
    let answer: Value = first.json().await.unwrap();
    let task_id = answer["task_id"].as_str().unwrap();
    let job: Value = app.get(&format!("/api/v1/callouts/{}", answer["job_id"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!((job["items"][0]["status"].as_str(), job["items"][0]["task_id"].as_str()), (Some("placed"), Some(task_id)), "{job}");
    let audit: Value = app.get("/api/v1/audit?action=dialex").await.json().await.unwrap();
    assert!(audit[0]["detail"].as_str().unwrap().contains(task_id), "{audit}");
    let replay = app.post_with_key("/api/v1/dialex", &body, "whole-1").await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.json::<Value>().await.unwrap(), answer);

    // The audit log refuses the next row, so what is written after the call cannot be written whole.
    let store = Store::open(app.data.path(), callout_console::clock::Clock::system()).await.unwrap();
    sqlx::query(
        "CREATE TRIGGER refuse_dialex_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'dialex' \
         BEGIN SELECT RAISE(ABORT, 'the audit log refuses this row'); END",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let mut other = call("ivr", "cf-welcome-ivr");
    other["callee"] = json!("157 3203 6618");
    let failed = app.post_with_key("/api/v1/dialex", &other, "half-1").await;
    assert!(failed.status().is_server_error(), "{}", failed.status());
    assert_eq!(app.ccc_dial_counts().await.get("15732036618"), Some(&1), "the call went out");
    let jobs: Value = app.get("/api/v1/callouts").await.json().await.unwrap();
    let job_id =
        jobs["jobs"].as_array().unwrap().iter().map(|j| j["id"].as_str().unwrap()).find(|id| *id != answer["job_id"]).unwrap().to_owned();
    let job: Value = app.get(&format!("/api/v1/callouts/{job_id}")).await.json().await.unwrap();
    assert_eq!(job["items"][0]["phase"], "sending", "no outcome without its audit row and answer: {job}");
    assert_eq!(app.post_with_key("/api/v1/dialex", &other, "half-1").await.status(), 409, "no answer without the outcome");

    // A start on the same database settles it: unknown, its key replays that, nothing is dialled again.
    let common::TestApp { data, .. } = app;
    let app = common::spawn_in("", &[], data).await;
    let job: Value = app.get(&format!("/api/v1/callouts/{job_id}")).await.json().await.unwrap();
    assert_eq!((job["items"][0]["phase"].as_str(), job["items"][0]["status"].as_str()), (Some("sent"), Some("unknown")), "{job}");
    let replay = app.post_with_key("/api/v1/dialex", &other, "half-1").await;
    assert_eq!(replay.status(), 502);
    assert_eq!(replay.json::<Value>().await.unwrap()["code"], "provider_outcome_unknown");
    assert!(app.ccc_dial_counts().await.is_empty(), "nothing is dialled again by itself");
    let audit: Value = app.get("/api/v1/audit?action=dialex").await.json().await.unwrap();
    assert_eq!(audit.as_array().map(Vec::len), Some(1), "only the first call's row: {audit}");
}
