//! The served OpenAPI document describes every route the router has, and what the running backend
//! really answers: every documented operation is called once for real (sandbox mode), and its status,
//! content type and JSON body are checked against the schema the document gives for that operation.

use crate::common;

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use callout_console::sandbox::tencent_meeting::{SANDBOX_MEETING_ID, SANDBOX_MEETING_ROOM_IDS};
use serde_json::{json, Map, Value};

const CCC_INSTANCE: &str = "d278629c-c687-4aa3-b044-4fe9b012e7ef";
const CCC_CALLER: &str = "02285196281";
const CCC_IVR: &str = "cf-welcome-ivr";

/// OpenAPI 3.0 schema objects as JSON Schema (draft 4): `nullable: true` becomes a union with
/// `null`. With `closed`, objects that list their properties admit no others, so a body with
/// undocumented fields fails as well as one that lacks documented ones.
fn to_json_schema(value: &Value, closed: bool) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|v| to_json_schema(v, closed)).collect()),
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                // `properties`, `definitions`-like maps hold schemas under arbitrary names; the rest are keywords.
                let converted = if key == "properties" || key == "schemas" {
                    Value::Object(
                        v.as_object().map(|m| m.iter().map(|(k, s)| (k.clone(), to_json_schema(s, closed))).collect()).unwrap_or_default(),
                    )
                } else if key == "enum" || key == "required" || key == "example" || key == "default" {
                    v.clone()
                } else {
                    to_json_schema(v, closed)
                };
                out.insert(key.clone(), converted);
            }
            let composed = ["allOf", "anyOf", "oneOf"].iter().any(|k| out.contains_key(*k));
            if closed && out.contains_key("properties") && !out.contains_key("additionalProperties") && !composed {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            if out.remove("nullable") == Some(Value::Bool(true)) {
                return json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] });
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// The served document, with its schemas ready for a JSON Schema validator.
struct Document {
    doc: Value,
    components: Value,
    /// Operations (`METHOD /path`) answered with a documented success.
    succeeded: Mutex<BTreeSet<String>>,
    /// Operations answered with anything documented.
    seen: Mutex<BTreeSet<String>>,
}

impl Document {
    fn new(doc: Value) -> Self {
        let components = to_json_schema(&doc["components"], true);
        Document { doc, components, succeeded: Mutex::default(), seen: Mutex::default() }
    }

    fn validate(&self, schema: &Value, instance: &Value) -> Result<(), String> {
        let root = json!({ "allOf": [to_json_schema(schema, true)], "components": self.components });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&root)
            .map_err(|e| format!("the documented schema does not compile: {e}"))?;
        let errors: Vec<String> = validator.iter_errors(instance).map(|e| format!("at {}: {e}", e.instance_path())).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }

    /// The documented answer of `method path` for `status`, or why there is none.
    fn response(&self, method: &str, path: &str, status: u16) -> Result<&Value, String> {
        let operation =
            self.doc["paths"].get(path).and_then(|p| p.get(method)).ok_or_else(|| format!("{method} {path} is not documented"))?;
        let responses = &operation["responses"];
        let class = format!("{}XX", status / 100);
        responses
            .get(status.to_string())
            .or_else(|| responses.get(&class))
            .or_else(|| if status >= 400 { responses.get("default") } else { None })
            .ok_or_else(|| format!("{method} {path} answered {status}, which the document does not declare"))
    }

    /// Checks status, content type and body of one real answer against the document: returns the
    /// body (JSON, or text for other content types).
    fn check(&self, method: &str, path: &str, status: u16, content_type: Option<&str>, body: &[u8]) -> Result<Value, String> {
        let documented = self.response(method, path, status)?;
        let label = format!("{} {path} → {status}", method.to_uppercase());
        let content = documented.get("content").and_then(Value::as_object);
        let Some(content) = content.filter(|c| !c.is_empty()) else {
            if !body.is_empty() {
                return Err(format!("{label}: documented without a body, but answered {} bytes", body.len()));
            }
            return Ok(Value::Null);
        };
        let content_type = content_type.ok_or_else(|| format!("{label}: no Content-Type"))?;
        let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let entry = content.get(&media).ok_or_else(|| {
            format!("{label}: Content-Type {content_type} is not documented (documented: {:?})", content.keys().collect::<Vec<_>>())
        })?;
        let schema = entry.get("schema").ok_or_else(|| format!("{label}: {media} has no schema"))?;
        let value = if media == "application/json" {
            serde_json::from_slice(body).map_err(|e| format!("{label}: the body is not JSON: {e}"))?
        } else {
            Value::String(String::from_utf8(body.to_vec()).map_err(|e| format!("{label}: the body is not UTF-8: {e}"))?)
        };
        if media != "text/event-stream" {
            self.validate(schema, &value)
                .map_err(|e| format!("{label}: the body does not match the documented schema:\n{e}\nbody: {value}"))?;
        }
        Ok(value)
    }

    fn record(&self, method: &str, path: &str, status: u16) {
        let op = format!("{} {path}", method.to_uppercase());
        self.seen.lock().unwrap().insert(op.clone());
        if (200..300).contains(&status) {
            self.succeeded.lock().unwrap().insert(op);
        }
    }

    /// Every documented operation, as `METHOD /path`.
    fn operations(&self) -> BTreeSet<String> {
        let mut ops = BTreeSet::new();
        for (path, item) in self.doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if ["get", "put", "post", "delete", "patch", "head", "options"].contains(&method.as_str()) {
                    ops.insert(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
        ops
    }
}

struct Client {
    app: common::TestApp,
    doc: Arc<Document>,
}

impl Client {
    /// Sends a request as the admin panel does (X-CSRF on state changes, a fresh Idempotency-Key
    /// where the document requires one) and checks the answer against `template`'s documentation.
    async fn call(&self, method: &str, template: &str, path: &str, body: Option<Value>, expect: u16) -> Value {
        let mut request = self.app.http.request(method.to_uppercase().parse().unwrap(), self.app.url(path));
        if method != "get" {
            request = request.header("x-csrf", "1");
        }
        let params = self.doc.doc["paths"][template][method]["parameters"].as_array().cloned().unwrap_or_default();
        if params.iter().any(|p| p["name"] == "Idempotency-Key") {
            request = request.header("idempotency-key", uuid::Uuid::new_v4().to_string());
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request is answered");
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes = response.bytes().await.unwrap();
        let label = format!("{} {path}", method.to_uppercase());
        assert_eq!(status, expect, "{label}: {}", String::from_utf8_lossy(&bytes));
        let value = self.doc.check(method, template, status, content_type.as_deref(), &bytes).unwrap_or_else(|e| panic!("{e}"));
        self.doc.record(method, template, status);
        value
    }
}

async fn sandbox() -> Client {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.05\n", &[]).await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let raw: Value = response.json().await.unwrap();
    let doc = Arc::new(Document::new(raw));
    Client { app, doc }
}

#[tokio::test]
async fn every_route_is_documented_with_schemas() {
    let app = common::spawn().await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    let router = include_str!("../../src/api/mod.rs");
    let routes: Vec<&str> = router.split(".route(\"").skip(1).map(|rest| rest.split('"').next().unwrap()).collect();
    assert!(routes.len() >= 20, "{routes:?}");
    for route in routes {
        assert!(paths.contains_key(&format!("/api/v1{route}")), "{route} is not documented");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in ["CreateCalloutJob", "JobSummary", "CallStatus", "ApiErrorBody", "RoomTarget", "StartDialEx", "AnswerMode", "LiveEvent"] {
        assert!(schemas.contains_key(name), "{name} schema missing");
    }
    let create = &paths["/api/v1/callouts"]["post"];
    assert!(create["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "Idempotency-Key"));
    // Every path parameter of every operation is declared (a fuzzer refuses a document without them).
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let declared: Vec<&str> = op["parameters"]
                .as_array()
                .map(|ps| ps.iter().filter(|p| p["in"] == "path").filter_map(|p| p["name"].as_str()).collect())
                .unwrap_or_default();
            for name in path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
                assert!(declared.contains(&name), "{method} {path}: path parameter {name} is not declared");
            }
        }
    }
    // Every documented schema compiles as JSON Schema once `nullable` is translated.
    let document = Document::new(doc.clone());
    for name in schemas.keys() {
        let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
        document
            .validate(&reference, &Value::Null)
            .map(|_| ())
            .or_else(|e| if e.contains("does not compile") { Err(e) } else { Ok(()) })
            .unwrap();
    }
}

/// One real, valid request to every documented operation; each answer must be what the document says.
#[tokio::test]
async fn every_operation_answers_what_the_document_says() {
    let c = sandbox().await;
    let meeting = SANDBOX_MEETING_ID;
    let number = |n: &str| json!({ "country_code": "86", "number": n });

    c.call("get", "/api/v1/openapi.json", "/api/v1/openapi.json", None, 200).await;
    c.call("get", "/api/v1/health", "/api/v1/health", None, 200).await;
    c.call("get", "/api/v1/ready", "/api/v1/ready", None, 200).await;
    c.call("get", "/api/v1/me", "/api/v1/me", None, 200).await;
    c.call(
        "post",
        "/api/v1/numbers/validate",
        "/api/v1/numbers/validate",
        Some(json!({ "numbers": [number("13800138000"), number("12")] })),
        200,
    )
    .await;

    // Tencent Meeting: one batch, its status list, the ms_open_id lookup, a cancel.
    let batch = c
        .call(
            "post",
            "/api/v1/meetings/{meeting_id}/callout",
            &format!("/api/v1/meetings/{meeting}/callout"),
            Some(json!({ "account_id": "sandbox-tencent", "numbers": [number("13800138001"), number("13800138006")] })),
            200,
        )
        .await;
    assert_eq!(batch["accepted"].as_array().unwrap().len(), 2, "{batch}");
    c.call(
        "get",
        "/api/v1/meetings/{meeting_id}/callouts",
        &format!("/api/v1/meetings/{meeting}/callouts?account_id=sandbox-tencent&page=1&page_size=20&all=false"),
        None,
        200,
    )
    .await;
    c.call(
        "get",
        "/api/v1/meetings/{meeting_id}/check",
        &format!("/api/v1/meetings/{meeting}/check?account_id=sandbox-tencent"),
        None,
        200,
    )
    .await;
    c.call("get", "/api/v1/meetings/{meeting_id}/check", "/api/v1/meetings/1234567890123/check?account_id=sandbox-tencent", None, 422)
        .await;
    let numbers_body = json!({ "account_id": "sandbox-tencent", "numbers": [number("13800138001")] });
    c.call(
        "post",
        "/api/v1/meetings/{meeting_id}/ms-open-ids",
        &format!("/api/v1/meetings/{meeting}/ms-open-ids"),
        Some(numbers_body),
        200,
    )
    .await;
    let cancel_body = json!({ "account_id": "sandbox-tencent", "numbers": [number("13800138006")] });
    c.call(
        "post",
        "/api/v1/meetings/{meeting_id}/callout/cancel",
        &format!("/api/v1/meetings/{meeting}/callout/cancel"),
        Some(cancel_body),
        200,
    )
    .await;

    // A room call (this room rings a while before it rings out), where it stands, its cancel (no body).
    let room = json!({ "account_id": "sandbox-tencent", "meeting_id": meeting,
                       "target": { "kind": "meeting_room", "meeting_room_id": SANDBOX_MEETING_ROOM_IDS[2] } });
    let invite = c.call("post", "/api/v1/room-calls", "/api/v1/room-calls", Some(room.clone()), 200).await;
    let mut with_invite = room.clone();
    with_invite["invite_id"] = invite["invite_id"].clone();
    c.call("post", "/api/v1/room-calls/status", "/api/v1/room-calls/status", Some(with_invite.clone()), 200).await;
    c.call("post", "/api/v1/room-calls/cancel", "/api/v1/room-calls/cancel", Some(with_invite), 204).await;

    // A callout job and everything one does with it.
    let job_body = json!({ "account_id": "sandbox-tencent", "meeting_id": meeting, "numbers": [number("13800138002"), number("13800138007")],
                           "text": "13800138004, 李四\n" });
    let created = c.call("post", "/api/v1/callouts", "/api/v1/callouts", Some(job_body), 202).await;
    let job_id = created["job_id"].as_str().unwrap().to_owned();
    c.app.wait_for_job(&job_id, |job| job["state"] != "dialling").await;
    c.call("get", "/api/v1/callouts", "/api/v1/callouts?page_size=10&state=finished&kind=meeting_callout", None, 200).await;
    c.call("get", "/api/v1/callouts/{id}", &format!("/api/v1/callouts/{job_id}"), None, 200).await;
    c.call("get", "/api/v1/callouts/{id}/export.csv", &format!("/api/v1/callouts/{job_id}/export.csv"), None, 200).await;
    c.call("get", "/api/v1/callouts/template.csv", "/api/v1/callouts/template.csv", None, 200).await;
    c.call(
        "post",
        "/api/v1/callouts/{id}/retry-unknown",
        &format!("/api/v1/callouts/{job_id}/retry-unknown"),
        Some(json!({ "confirm": true })),
        200,
    )
    .await;
    c.call("post", "/api/v1/callouts/{id}/cancel-ringing", &format!("/api/v1/callouts/{job_id}/cancel-ringing"), None, 200).await;
    // Pause and resume one job's numbers not sent yet, pause and stop another's (each paused right
    // after it was submitted, before its dialler took them all).
    for (k, then) in [(1, "resume"), (2, "stop")] {
        let text: String = (0..150).map(|i| format!("1390{k}00{i:04}\n")).collect();
        let body = json!({ "account_id": "sandbox-tencent", "meeting_id": meeting, "text": text });
        let created = c.call("post", "/api/v1/callouts", "/api/v1/callouts", Some(body), 202).await;
        let id = created["job_id"].as_str().unwrap().to_owned();
        c.call("post", "/api/v1/callouts/{id}/pause", &format!("/api/v1/callouts/{id}/pause"), None, 200).await;
        c.call("post", &format!("/api/v1/callouts/{{id}}/{then}"), &format!("/api/v1/callouts/{id}/{then}"), None, 200).await;
    }

    // A campaign's preview, and the sandbox clock read and moved.
    let preview = json!({ "account_id": "sandbox-tencent", "retry": { "max_attempts": 2, "spacing_minutes": 5 } });
    c.call("post", "/api/v1/campaigns/preview", "/api/v1/campaigns/preview", Some(preview), 200).await;
    c.call("get", "/api/v1/sandbox/clock", "/api/v1/sandbox/clock", None, 200).await;
    c.call("post", "/api/v1/sandbox/clock", "/api/v1/sandbox/clock", Some(json!({ "seconds": 1 })), 200).await;

    // Alibaba CCC DialEx: one call, and a job of them.
    let route = json!({ "instance_id": CCC_INSTANCE, "caller": CCC_CALLER, "answer_mode": "ivr", "rout_point": CCC_IVR });
    let mut one = route.clone();
    one["account_id"] = json!("sandbox-ccc");
    one["callee"] = json!("13800138003");
    c.call("post", "/api/v1/dialex", "/api/v1/dialex", Some(one), 200).await;
    let mut list = route.clone();
    list["account_id"] = json!("sandbox-ccc");
    list["numbers"] = json!([number("13800138005")]);
    c.call("post", "/api/v1/dialex/jobs", "/api/v1/dialex/jobs", Some(list), 202).await;

    // The do-not-call list: add, read, remove.
    c.call(
        "post",
        "/api/v1/do-not-call",
        "/api/v1/do-not-call",
        Some(json!({ "country_code": "86", "number": "13900139000", "note": "asked" })),
        201,
    )
    .await;
    c.call("get", "/api/v1/do-not-call", "/api/v1/do-not-call", None, 200).await;
    c.call("delete", "/api/v1/do-not-call/{e164}", "/api/v1/do-not-call/%2B8613900139000", None, 204).await;

    // The audit log now has entries of several kinds.
    let audit = c.call("get", "/api/v1/audit", "/api/v1/audit?limit=100&offset=0", None, 200).await;
    assert!(audit.as_array().unwrap().len() >= 3, "{audit}");
    c.call("get", "/api/v1/audit/export.csv", "/api/v1/audit/export.csv?action=callout_job", None, 200).await;

    // The event stream from the start: its media type, and each event's data against the documented schema.
    check_event_stream(&c).await;

    // Metrics, as the dev user (an admin) scrapes them.
    let metrics = c.call("get", "/metrics", "/metrics", None, 200).await;
    assert!(metrics.as_str().unwrap().contains("callout_dials_total"), "{metrics}");

    // The webhook endpoint answers an unsigned request with a documented refusal (its success needs
    // the provider's signature; tests/webhook_endpoint.rs and the sandbox's own deliveries cover it).
    c.call("get", "/webhooks/tencent/{account_id}", "/webhooks/tencent/sandbox-tencent?check_str=x", None, 401).await;
    c.call("post", "/webhooks/tencent/{account_id}", "/webhooks/tencent/sandbox-tencent", Some(json!({ "data": "x" })), 401).await;

    // Refusals answer the documented error body too.
    c.call(
        "post",
        "/api/v1/callouts",
        "/api/v1/callouts",
        Some(json!({ "account_id": "nope", "meeting_id": meeting, "text": "13800138000" })),
        404,
    )
    .await;
    c.call("get", "/api/v1/callouts/{id}", "/api/v1/callouts/no-such-job", None, 404).await;
    c.call("post", "/api/v1/numbers/validate", "/api/v1/numbers/validate", Some(json!({ "numbers": "13800138000" })), 400).await;
    c.call("get", "/api/v1/audit", "/api/v1/audit?from=yesterday", None, 400).await;

    // Every action and outcome the backend audited is one of the words the shared types declare
    // (the audit page translates them and offers them as filters).
    let audit: Value = c.app.get("/api/v1/audit?limit=500").await.json().await.unwrap();
    for entry in audit.as_array().unwrap() {
        let (action, outcome) = (entry["action"].as_str().unwrap(), entry["outcome"].as_str().unwrap());
        assert!(action.parse::<callout_shared::audit::AuditAction>().is_ok(), "audit action `{action}` is not declared in shared");
        assert!(outcome.parse::<callout_shared::audit::AuditOutcome>().is_ok(), "audit outcome `{outcome}` is not declared in shared");
    }
    assert!(audit.as_array().unwrap().len() >= 8, "the operations above were audited: {audit}");

    let untested: Vec<String> = c
        .doc
        .operations()
        .into_iter()
        .filter(|op| !c.doc.succeeded.lock().unwrap().contains(op))
        .filter(|op| !(op.contains("/webhooks/") && c.doc.seen.lock().unwrap().contains(op)))
        .collect();
    assert!(untested.is_empty(), "documented operations this test never saw succeed: {untested:?}");
}

/// Reads the stream from its first event for a moment: every event's `data` is a `LiveEvent`.
async fn check_event_stream(c: &Client) {
    let path = "/api/v1/events";
    let response = c.app.http.get(c.app.url(path)).header("last-event-id", "0").send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let documented = c.doc.response("get", path, status).unwrap();
    let media = content_type.as_deref().unwrap_or_default().split(';').next().unwrap().trim().to_owned();
    assert_eq!(status, 200);
    let entry = documented["content"].get(&media).unwrap_or_else(|| panic!("GET {path}: Content-Type {content_type:?} is not documented"));
    let data_schema = entry["x-data-schema"].clone();
    assert!(data_schema.is_object(), "GET {path}: the document names the schema of each event's data");

    let mut text = String::new();
    let mut response = response;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, response.chunk()).await {
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let mut events = 0;
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let mut name = "message";
        let mut data = Vec::new();
        for line in block.lines() {
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v));
            }
        }
        if data.is_empty() {
            continue; // a heartbeat comment
        }
        // Each event as schemathesis reads it, against the documented event schema.
        let envelope = json!({ "event": name, "data": data.join("\n") });
        c.doc.validate(&entry["schema"], &envelope).unwrap_or_else(|e| panic!("GET {path}: event {envelope} does not match: {e}"));
        if name == "job" || name == "item" {
            let value: Value = serde_json::from_str(&data.join("\n")).unwrap();
            c.doc
                .validate(&data_schema, &value)
                .unwrap_or_else(|e| panic!("GET {path}: `{name}` data does not match the document: {e}\n{value}"));
            // The event's name is its `type`: browsers decode each event by its name.
            assert_eq!(value["type"], json!(name), "GET {path}: {value}");
            events += 1;
        }
    }
    assert!(events > 0, "the stream replayed the jobs' events: {text}");
    c.doc.record("get", path, status);
}

/// The check above is no text search: a body of another type than documented fails it.
#[tokio::test]
async fn an_answer_of_another_type_than_documented_fails_the_check() {
    let c = sandbox().await;
    let body = json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": "13800138001" });
    let created = c.call("post", "/api/v1/callouts", "/api/v1/callouts", Some(body), 202).await;
    // What POST /callouts would answer if its handler returned the job summary (or the whole job) instead.
    let summary = serde_json::to_vec(&created["job"]).unwrap();
    let error = c.doc.check("post", "/api/v1/callouts", 202, Some("application/json"), &summary).unwrap_err();
    assert!(error.contains("does not match the documented schema"), "{error}");
    let job_id = created["job_id"].as_str().unwrap();
    let job = c.app.get(&format!("/api/v1/callouts/{job_id}")).await.bytes().await.unwrap();
    assert!(c.doc.check("post", "/api/v1/callouts", 202, Some("application/json"), &job).is_err());
    // An extra field is drift too.
    let mut extended = created.clone();
    extended["surprise"] = json!(1);
    assert!(c.doc.check("post", "/api/v1/callouts", 202, Some("application/json"), &serde_json::to_vec(&extended).unwrap()).is_err());
    // So are an undocumented status and an undocumented content type.
    assert!(c.doc.check("post", "/api/v1/callouts", 200, Some("application/json"), &serde_json::to_vec(&created).unwrap()).is_err());
    assert!(c.doc.check("post", "/api/v1/callouts", 202, Some("text/plain"), b"ok").is_err());
}
