//! Browser-facing rules: CSRF header, same-site only, no CORS, security headers everywhere.

use crate::common;

use serde_json::{json, Value};

#[tokio::test]
async fn state_changes_without_the_csrf_header_are_refused() {
    let app = common::spawn().await;
    let body = json!({ "numbers": [{ "number": "+8613800138000" }] });
    let response = app.http.post(app.url("/api/v1/numbers/validate")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "csrf_header_missing");
    let wrong = app.http.post(app.url("/api/v1/numbers/validate")).header("x-csrf", "yes").json(&body).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(app.post_json("/api/v1/numbers/validate", &body).await.status(), 200);
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = common::spawn().await;
    let response = app.http.get(app.url("/api/v1/me")).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "cross_site_request");
    let same = app.http.get(app.url("/api/v1/me")).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(same.status(), 200);
}

#[tokio::test]
async fn a_foreign_preflight_gets_no_cors_permission() {
    let app = common::spawn().await;
    let response = app
        .http
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/numbers/validate"))
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "x-csrf, content-type")
        .send()
        .await
        .unwrap();
    assert!(response.headers().keys().all(|k| !k.as_str().starts_with("access-control-")), "{:?}", response.headers());
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = common::spawn().await;
    for path in ["/api/v1/health", "/api/v1/me", "/api/v1/nothing-here"] {
        let response = app.get(path).await;
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'"));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
    assert_eq!(app.get("/api/v1/me").await.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn the_served_app_allows_exactly_its_inline_bootstrap() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html><script type=\"module\">boot()</script></html>").unwrap();
    let dir = format!("{:?}", dist.path().display().to_string());
    let app = common::spawn_with("", &[("CALLOUT__SERVER__STATIC_DIR", &dir)]).await;
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"boot()"));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
}

/// A page whose host name rebinds to 127.0.0.1 is same-origin for the browser and can send
/// `X-CSRF: 1` itself; dev sign-in must still refuse it, and nothing may be dialled.
#[tokio::test]
async fn dev_sign_in_refuses_a_rebound_host_name() {
    let app = common::spawn().await;
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    let body = serde_json::json!({ "account_id": "sandbox-ccc", "instance_id": callout_console::sandbox::aliyun_ccc::SANDBOX_INSTANCE_ID,
        "caller": callout_console::sandbox::aliyun_ccc::SANDBOX_CALLER, "callee": "15732036617", "answer_mode": "ivr", "rout_point": "cf-welcome-ivr" });
    let rebound = app
        .http
        .post(app.url("/api/v1/dialex"))
        .header("host", format!("rebind.attacker.example:{port}"))
        .header("x-csrf", "1")
        .header("idempotency-key", "rebind-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 401);
    assert!(app.ccc_dial_counts().await.is_empty(), "nothing was dialled");
    let local = app.http.get(app.url("/api/v1/me")).header("host", format!("localhost:{port}")).send().await.unwrap();
    assert_eq!(local.status(), 200);
}

#[tokio::test]
async fn an_unknown_api_path_answers_the_json_error_body_uncached() {
    let app = common::spawn().await;
    let response = app.get("/api/v1/no-such-thing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "not_found", "{body}");
}

/// Cells that a spreadsheet would run as formulas are neutralised in every export (OWASP: a leading `'`).
#[tokio::test]
async fn exports_neutralise_formula_cells() {
    let app = common::spawn().await;
    let added = app.post_json("/api/v1/do-not-call", &json!({ "number": "13800138009", "note": "=1+1" })).await;
    assert_eq!(added.status(), 201);
    let job = app
        .post_json(
            "/api/v1/callouts",
            &json!({ "account_id": "sandbox-tencent", "meeting_id": callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID,
            "numbers": [{ "number": "13800000001", "nick_name": "=HYPERLINK(\"http://x\")" }, { "number": "@SUM(A1)" }] }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let export = app.get(&format!("/api/v1/callouts/{}/export.csv", job["job_id"].as_str().unwrap())).await.text().await.unwrap();
    assert!(export.contains("'=HYPERLINK"), "{export}");
    assert!(export.contains("'@SUM(A1)"), "{export}");
    assert!(!export.contains(",=") && !export.contains(",@"), "{export}");
    let audit = app.get("/api/v1/audit/export.csv").await.text().await.unwrap();
    assert!(audit.contains(",'=1+1"), "{audit}");
}

#[tokio::test]
async fn exports_open_in_a_spreadsheet_with_chinese_names_and_readable_times() {
    let app = common::spawn().await;
    let job = app
        .post_json(
            "/api/v1/callouts",
            &json!({ "account_id": "sandbox-tencent", "meeting_id": callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID,
            "numbers": [{ "number": "13800000001", "nick_name": "张三" }] }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    for path in [format!("/api/v1/callouts/{}/export.csv", job["job_id"].as_str().unwrap()), "/api/v1/audit/export.csv".into()] {
        let bytes = app.get(&path).await.bytes().await.unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{path}: a UTF-8 byte order mark, so Excel reads the names right");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let headers = rows.headers().unwrap().clone();
        let at = headers.iter().position(|h| h == "updated_at" || h == "at").unwrap_or_else(|| panic!("{path}: {headers:?}"));
        let first = rows.records().next().unwrap().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(&first[at]).is_ok(), "{path}: a readable time, not epoch ms: {:?}", &first[at]);
    }
    let export = app.get(&format!("/api/v1/callouts/{}/export.csv", job["job_id"].as_str().unwrap())).await.text().await.unwrap();
    assert!(export.contains("张三"), "{export}");
}

/// A job's export gives each call's times in the reader's zone, its time to answer and its length.
#[tokio::test]
async fn a_job_export_has_local_times_time_to_answer_and_call_length() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\n", &[]).await;
    // Last digit 4: answered, a short call; 8: rejected.
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID,
                       "text": "13800000004\n13800000008" });
    let created: Value = app.post_json("/api/v1/callouts", &body).await.json().await.unwrap();
    let id = created["job_id"].as_str().unwrap().to_owned();
    let job = app.wait_for_job(&id, |j| j["state"] == "finished").await;
    let answered = &job["items"][0];
    let (sent, picked_up, ended) =
        (answered["sent_at"].as_i64().unwrap(), answered["answered_at"].as_i64().unwrap(), answered["ended_at"].as_i64().unwrap());
    assert!(sent <= picked_up && picked_up <= ended, "{answered}");
    assert!(job["items"][1]["answered_at"].is_null(), "a rejected call was never answered: {}", job["items"][1]);
    assert!(job["items"][1]["ended_at"].is_i64(), "but it ended");

    let text = app.get(&format!("/api/v1/callouts/{id}/export.csv?utc_offset_minutes=480")).await.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rows.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {headers:?}"));
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let first = &records[0];
    for name in ["updated_at", "sent_at", "answered_at", "ended_at"] {
        assert!(first[col(name)].ends_with("+08:00"), "{name} in the reader's zone: {}", &first[col(name)]);
    }
    let to_answer: f64 = first[col("seconds_to_answer")].parse().unwrap();
    let length: f64 = first[col("call_seconds")].parse().unwrap();
    assert!(to_answer >= 0.0 && length >= 0.0, "{to_answer} {length}");
    assert_eq!(&records[1][col("seconds_to_answer")], "", "no answer, no time to answer");
    let refused = app.get(&format!("/api/v1/callouts/{id}/export.csv?utc_offset_minutes=9999")).await;
    assert_eq!(refused.status(), 400);
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "utc_offset_minutes");
    let audit = app.get("/api/v1/audit/export.csv?utc_offset_minutes=-300").await.text().await.unwrap();
    assert!(audit.lines().nth(1).unwrap().contains("-05:00"), "{audit}");
}

/// What a JSON body, path, query or header extractor refuses answers the usual JSON error body, and a
/// valid JSON body followed by more bytes is refused, not read as the value before them.
#[tokio::test]
async fn every_refused_request_part_answers_the_json_error_body() {
    let app = common::spawn().await;
    let call = json!({ "account_id": "sandbox-ccc", "instance_id": callout_console::sandbox::aliyun_ccc::SANDBOX_INSTANCE_ID,
                       "caller": callout_console::sandbox::aliyun_ccc::SANDBOX_CALLER, "callee": "15732036617",
                       "answer_mode": "ivr", "rout_point": "cf-welcome-ivr" });
    let post = |body: String, content_type: &'static str| {
        app.http
            .post(app.url("/api/v1/dialex"))
            .header("x-csrf", "1")
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .header("content-type", content_type)
            .body(body)
    };
    let cases = [
        ("JSON followed by more bytes", post(format!("{call}xyz"), "application/json")),
        ("a body that is not JSON", post("{\"account_id\":".into(), "application/json")),
        ("a JSON body sent as text", post(call.to_string(), "text/plain")),
        ("no idempotency key", app.http.post(app.url("/api/v1/dialex")).header("x-csrf", "1").json(&call)),
        ("a path segment that is not UTF-8", app.http.get(app.url("/api/v1/callouts/%FF%FE"))),
        ("a query value of the wrong type", app.http.get(app.url("/api/v1/audit?limit=many"))),
    ];
    for (name, request) in cases {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap_or_else(|e| panic!("{name}: {status} {content_type}: not JSON ({e})"));
        assert!((400..500).contains(&status), "{name}: {status} {body}");
        assert!(content_type.starts_with("application/json"), "{name}: {content_type}");
        assert!(body["code"].is_string() && body["message"].is_string(), "{name}: {body}");
    }
    assert!(app.ccc_dial_counts().await.is_empty(), "nothing was dialled");
}
