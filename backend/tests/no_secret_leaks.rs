//! No provider secret appears in any response or log line, whatever happens.

#[path = "integration/common/mod.rs"]
mod common;

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use callout_console::sandbox::{aliyun_ccc, tencent_meeting as emu};
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_reach_responses_or_logs() {
    let logs = Capture::default();
    let writer = logs.clone();
    tracing_subscriber::fmt().with_env_filter("trace").with_writer(move || writer.clone()).with_ansi(false).init();

    // A live configuration whose secrets are distinctive, against the emulators.
    let mut meeting = emu::TencentEmulatorConfig::default();
    meeting.secret_key = "LIVE-TENCENT-SECRET-7f3a".into();
    meeting.delays = meeting.delays.scaled(0.01);
    let tencent = emu::start("127.0.0.1:0".parse().unwrap(), meeting).await.unwrap();
    let ccc = aliyun_ccc::AliyunEmulatorConfig {
        access_keys: [(aliyun_ccc::SANDBOX_ACCESS_KEY_ID.to_owned(), "LIVE-CCC-SECRET-91bd".to_owned())].into(),
        ..Default::default()
    };
    let aliyun = aliyun_ccc::start("127.0.0.1:0".parse().unwrap(), ccc).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (file, value) in [("tk", "LIVE-TENCENT-SECRET-7f3a"), ("ck", "LIVE-CCC-SECRET-91bd"), ("wt", "LiveWebhookToken000000007")] {
        std::fs::write(dir.path().join(file), value).unwrap();
    }
    let p = |f: &str| format!("{:?}", dir.path().join(f).display().to_string());
    let config = format!(
        "operator_ids = {{ \"dev@localhost\" = \"{op}\" }}\n[[tencent_meeting]]\nid = \"hq\"\nname = \"HQ\"\nbase_url = \"{t}\"\napp_id = \"{app}\"\nsecret_id = \"{sid}\"\nsecret_key_file = {tk}\nwebhook_token_file = {wt}\n\
         [[aliyun_ccc]]\nid = \"sh\"\nname = \"SH\"\nregion_id = \"cn-shanghai\"\nendpoint = \"{a}\"\naccess_key_id = \"{ak}\"\naccess_key_secret_file = {ck}\n",
        op = emu::SANDBOX_OPERATOR_ID,
        t = tencent.base_url(),
        app = emu::SANDBOX_APP_ID,
        sid = emu::SANDBOX_SECRET_ID,
        tk = p("tk"),
        wt = p("wt"),
        a = aliyun.base_url(),
        ak = aliyun_ccc::SANDBOX_ACCESS_KEY_ID,
        ck = p("ck"),
    );
    let app = common::spawn_with(&config, &[]).await;
    let mut bodies = Vec::new();
    bodies.push(app.get("/api/v1/me").await.text().await.unwrap());
    bodies.push(app.get("/api/v1/health").await.text().await.unwrap());
    let callout = json!({ "account_id": "hq", "meeting_id": emu::SANDBOX_MEETING_ID, "numbers": [{ "number": "13500000001" }] });
    bodies.push(app.post_json("/api/v1/callouts", &callout).await.text().await.unwrap());
    bodies.push(
        app.post_json("/api/v1/callouts", &json!({ "account_id": "hq", "meeting_id": "1", "numbers": [{ "number": "13500000002" }] }))
            .await
            .text()
            .await
            .unwrap(),
    );
    let dialex = json!({ "account_id": "sh", "instance_id": aliyun_ccc::SANDBOX_INSTANCE_ID, "caller": aliyun_ccc::SANDBOX_CALLER, "callee": "13500000003", "answer_mode": "ivr", "rout_point": "cf-welcome-ivr" });
    bodies.push(app.post_json("/api/v1/dialex", &dialex).await.text().await.unwrap());
    let mut wrong = dialex.clone();
    wrong["rout_point"] = json!("no-such-flow");
    bodies.push(app.post_json("/api/v1/dialex", &wrong).await.text().await.unwrap());
    bodies.push(
        app.http
            .post(app.url("/webhooks/tencent/hq"))
            .header("timestamp", "1")
            .header("nonce", "1")
            .header("signature", "x")
            .body("{}")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    bodies.push(app.get("/api/v1/audit").await.text().await.unwrap());

    assert!(bodies.iter().any(|b| b.contains("task_id")), "the calls really happened: {bodies:?}");
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("sending callout batch"), "trace-level logs were captured");
    for secret in ["LIVE-TENCENT-SECRET-7f3a", "LIVE-CCC-SECRET-91bd", "LiveWebhookToken000000007"] {
        for body in &bodies {
            assert!(!body.contains(secret), "a response shows {secret}: {body}");
        }
        assert!(!logs.contains(secret), "the logs show {secret}");
    }
}
