//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.0, with JSON Schemas generated from
//! the very types in `shared/` that both sides compile, so the document cannot drift from the code.
//! It states what a schema can express (non-empty strings, patterns, enums, ranges, required
//! headers) and every status an operation can answer; `tests/integration/openapi.rs` checks real answers
//! against it, and `scripts/api-fuzz.sh` fuzzes the running backend with it.

use axum::Json;
use callout_shared::{audit, campaign, dialex, dnc, error::ApiErrorBody, health, jobs, me, meeting, numbers};
use schemars::{generate::SchemaSettings, JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// Meeting ids are decimal strings of 1 to 20 digits (they overflow a signed 64-bit integer).
const MEETING_ID_PATTERN: &str = "^[0-9]{1,20}$";
/// An E.164 number as the do-not-call list stores it, with its extension if any.
const E164_PATTERN: &str = r"^\+[1-9][0-9]{1,14}(;ext=[0-9*#]{1,20})?$";
/// 1 to 200 visible ASCII characters, no blank at either end (the key is trimmed).
const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]([ -~]{0,198}[!-~])?$";

/// What each error status means; the body is always `ApiErrorBody`.
const ERRORS: [(u16, &str); 9] = [
    (400, "malformed request: a header, the path, the query or the body (`field` names it)"),
    (401, "not signed in, or a state-changing request without `X-CSRF: 1`"),
    (403, "a cross-site request, a user without a role, or a role too low for this"),
    (404, "no such account, job, meeting or listed number (`field` names which)"),
    (409, "the Idempotency-Key was used for another body or is still in progress, or the number is listed by the configuration"),
    (422, "an invalid or do-not-call number, or the provider refused (`provider_code`)"),
    (429, "the provider's rate limit"),
    (500, "internal error"),
    (502, "the provider could not be reached, or its outcome is unknown (never retried by itself)"),
];

/// Errors any `/api/v1` operation can answer: identity and role, and the unexpected.
const ALWAYS: &[u16] = &[401, 403, 500];
/// Errors of an operation that reaches a provider account.
const PROVIDER: &[u16] = &[400, 404, 422, 429, 502];

struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    body: Option<Value>,
    /// The success status, its content type and schema (none for an empty answer).
    ok: Option<(u16, &'static str, Option<Value>)>,
    parameters: Vec<Value>,
    /// Dialling POSTs require an `Idempotency-Key`.
    idempotent: bool,
    errors: Vec<u16>,
}

fn op(method: &'static str, path: &'static str, summary: &'static str) -> Op {
    Op { method, path, summary, body: None, ok: None, parameters: Vec::new(), idempotent: false, errors: ALWAYS.to_vec() }
}

impl Op {
    fn body<T: JsonSchema>(mut self, g: &mut SchemaGenerator) -> Self {
        self.body = Some(g.subschema_for::<T>().to_value());
        self.errors(&[400])
    }
    /// This operation needs `field` of a body type that other operations share with it optional.
    fn body_requires(mut self, field: &str) -> Self {
        let shared = self.body.take().unwrap_or(json!({}));
        let required = json!({ "required": [field], "properties": { field: { "type": "string", "pattern": "\\S" } } });
        self.body = Some(json!({ "allOf": [shared, required] }));
        self
    }
    fn ok<T: JsonSchema>(mut self, g: &mut SchemaGenerator, status: u16) -> Self {
        self.ok = Some((status, "application/json", Some(g.subschema_for::<T>().to_value())));
        self
    }
    /// A success that is not JSON (CSV, an event stream), or no body at all (`None`).
    fn ok_as(mut self, status: u16, content_type: Option<&'static str>, schema: Option<Value>) -> Self {
        self.ok = Some((status, content_type.unwrap_or(""), schema.or(Some(json!({ "type": "string" })))));
        self
    }
    /// The query parameters are the properties of `T` (a shared type), with its constraints.
    fn query_of<T: JsonSchema>(mut self) -> Self {
        let mut settings = SchemaSettings::openapi3();
        settings.inline_subschemas = true;
        let schema = settings.into_generator().into_root_schema_for::<T>().to_value();
        let required: Vec<&str> = schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            self.parameters.push(query_parameter(name, required.contains(&name.as_str()), property.clone()));
        }
        self.errors(&[400])
    }
    fn header(mut self, name: &str, description: &str, schema: Value) -> Self {
        self.parameters.push(json!({ "name": name, "in": "header", "required": false, "description": description, "schema": schema }));
        self
    }
    fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self.errors(&[400, 409])
    }
    fn errors(mut self, statuses: &[u16]) -> Self {
        self.errors.extend_from_slice(statuses);
        self.errors.sort_unstable();
        self.errors.dedup();
        self
    }
}

/// One query parameter; its description moves from the schema to the parameter.
fn query_parameter(name: &str, required: bool, mut schema: Value) -> Value {
    let description = schema.as_object_mut().and_then(|s| s.remove("description")).unwrap_or(json!(""));
    json!({ "name": name, "in": "query", "required": required, "description": description, "schema": schema })
}

/// The schema of one path parameter.
fn path_parameter_schema(name: &str) -> Value {
    match name {
        "meeting_id" => json!({ "type": "string", "pattern": MEETING_ID_PATTERN, "description": "1 to 20 digits" }),
        "e164" => json!({ "type": "string", "pattern": E164_PATTERN, "description": "as listed: +8613800138000" }),
        _ => json!({ "type": "string", "minLength": 1 }),
    }
}

/// Integer formats schemars names without bounds get the bounds of their Rust type, so a
/// schema-valid number is one the backend can read.
fn bound_integers(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let bounds: Option<(Value, Value)> = match map.get("format").and_then(Value::as_str) {
                Some("uint8") => Some((json!(0), json!(u8::MAX))),
                Some("uint16") => Some((json!(0), json!(u16::MAX))),
                Some("uint32") => Some((json!(0), json!(u32::MAX))),
                Some("uint64") | Some("uint") => Some((json!(0), json!(u64::MAX))),
                Some("int8") => Some((json!(i8::MIN), json!(i8::MAX))),
                Some("int16") => Some((json!(i16::MIN), json!(i16::MAX))),
                Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
                Some("int64") | Some("int") => Some((json!(i64::MIN), json!(i64::MAX))),
                _ => None,
            };
            if let Some((min, max)) = bounds {
                map.entry("minimum").or_insert(min);
                map.entry("maximum").or_insert(max);
            }
            map.values_mut().for_each(bound_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}

pub async fn document() -> Json<Value> {
    Json(build())
}

pub fn build() -> Value {
    let mut g = SchemaSettings::openapi3().into_generator();
    let csv = Some("text/csv");
    let document_schema = json!({ "type": "object", "required": ["openapi", "info", "paths"] });
    // Each server-sent event as a client reads it; `data` is a LiveEvent as JSON.
    let live_event = g.subschema_for::<jobs::LiveEvent>().to_value();
    let event_schema = json!({
        "type": "object",
        "required": ["event", "data"],
        "properties": {
            "event": { "type": "string", "enum": ["job", "item", "resync"] },
            "data": { "type": "string", "description": "`job`, `item`: a LiveEvent as JSON; `resync`: reload what you show" },
            "id": { "type": "string" },
            "retry": { "type": "integer" }
        }
    });
    let ops = vec![
        op("get", "/health", "Liveness, version and mode (sandbox or live); no sign-in needed").ok::<health::HealthResponse>(&mut g, 200),
        op(
            "get",
            "/ready",
            "Readiness: the database answers and every migration is applied (503, same body, names what is not); no sign-in needed",
        )
        .ok::<health::ReadinessResponse>(&mut g, 200),
        op("get", "/me", "Who the signed-in user is, their role and the accounts they may use").ok::<me::MeResponse>(&mut g, 200),
        op("get", "/openapi.json", "This document").ok_as(200, Some("application/json"), Some(document_schema)),
        op("post", "/numbers/validate", "Normalise many numbers with the one normaliser, row by row")
            .body::<numbers::ValidateNumbersRequest>(&mut g)
            .ok::<numbers::ValidateNumbersResponse>(&mut g, 200),
        op("post", "/dialex", "Alibaba CCC DialEx: a back-office call routed to an IVR, agent or skill group")
            .body::<dialex::StartDialEx>(&mut g)
            .ok::<dialex::DialExResult>(&mut g, 200)
            .idempotent()
            .errors(PROVIDER),
        op("post", "/dialex/jobs", "DialEx to a list of numbers: each call recorded, paced, followed like a callout job")
            .body::<jobs::CreateDialExJob>(&mut g)
            .ok::<jobs::JobCreated>(&mut g, 202)
            .idempotent()
            .errors(PROVIDER),
        op("post", "/meetings/{meeting_id}/callout", "Call out up to one provider batch of numbers into a meeting, answered at once")
            .body::<meeting::MeetingCalloutRequest>(&mut g)
            .ok::<meeting::BatchCalloutResult>(&mut g, 200)
            .idempotent()
            .errors(PROVIDER),
        op("get", "/meetings/{meeting_id}/callouts", "The provider's callout list of a meeting (every caller), paged or all pages")
            .ok::<meeting::CalloutStatusPage>(&mut g, 200)
            .query_of::<meeting::CalloutStatusQuery>()
            .errors(PROVIDER),
        op(
            "get",
            "/meetings/{meeting_id}/check",
            "The meeting (id, or 9-digit meeting code) as the provider describes it, and whether phones may be called into it",
        )
        .ok::<meeting::MeetingCheck>(&mut g, 200)
        .query_of::<meeting::MeetingCheckQuery>()
        .errors(PROVIDER),
        op("post", "/meetings/{meeting_id}/callout/cancel", "Cancel ringing callouts")
            .body::<meeting::MeetingNumbersRequest>(&mut g)
            .ok::<meeting::CancelResult>(&mut g, 200)
            .errors(PROVIDER),
        op(
            "post",
            "/meetings/{meeting_id}/ms-open-ids",
            "In-meeting ids (ms_open_id) of connected phone numbers; several per number possible",
        )
        .body::<meeting::MeetingNumbersRequest>(&mut g)
        .ok::<meeting::MsOpenIdResult>(&mut g, 200)
        .errors(PROVIDER),
        op("post", "/room-calls", "Call a meeting room (room id or SIP/H.323 address) into a meeting")
            .body::<meeting::RoomCallApiRequest>(&mut g)
            .ok::<meeting::RoomCallResult>(&mut g, 200)
            .idempotent()
            .errors(PROVIDER),
        op("post", "/room-calls/status", "Where a room call stands")
            .body::<meeting::RoomCallApiRequest>(&mut g)
            .ok::<meeting::RoomCallInfo>(&mut g, 200)
            .errors(PROVIDER),
        op("post", "/room-calls/cancel", "Cancel a room call (invite_id required)")
            .body::<meeting::RoomCallApiRequest>(&mut g)
            .body_requires("invite_id")
            .ok_as(204, None, None)
            .errors(PROVIDER),
        op("post", "/callouts", "Start a callout job: any number of numbers, batched, paced and followed")
            .body::<jobs::CreateCalloutJob>(&mut g)
            .ok::<jobs::JobCreated>(&mut g, 202)
            .idempotent()
            .errors(PROVIDER),
        op("get", "/callouts", "Every job of every kind, newest first, a page at a time, filtered")
            .ok::<jobs::JobList>(&mut g, 200)
            .query_of::<jobs::JobListQuery>(),
        op("get", "/callouts/template.csv", "The CSV template for number lists").ok_as(200, csv, None),
        op("get", "/callouts/{id}", "One job with every row, its batch, phase, status and reason")
            .ok::<jobs::CalloutJob>(&mut g, 200)
            .errors(&[400, 404]),
        op("get", "/callouts/{id}/export.csv", "One job's rows as CSV, times in the reader's zone, time to answer and call length")
            .ok_as(200, csv, None)
            .query_of::<jobs::ExportQuery>()
            .errors(&[400, 404]),
        op(
            "post",
            "/callouts/{id}/retry-unknown",
            "Dial the job's unknown numbers again (they may have been called): needs confirm = true",
        )
        .body::<jobs::RetryUnknown>(&mut g)
        .ok::<jobs::RetryResult>(&mut g, 200)
        .idempotent()
        .errors(&[404]),
        op("post", "/callouts/{id}/cancel-ringing", "Cancel every call of the job that is still ringing")
            .ok::<meeting::CancelResult>(&mut g, 200)
            .errors(PROVIDER),
        op("post", "/callouts/{id}/pause", "Hold the job's numbers not sent yet (across restarts); sent calls are still followed")
            .ok::<jobs::JobControlled>(&mut g, 200)
            .errors(&[403, 404, 422]),
        op("post", "/callouts/{id}/resume", "Send the paused job's numbers again")
            .ok::<jobs::JobControlled>(&mut g, 200)
            .errors(&[403, 404, 422]),
        op("post", "/callouts/{id}/stop", "Never send the job's numbers not sent yet (they become `stopped`); a batch on its way finishes")
            .ok::<jobs::JobControlled>(&mut g, 200)
            .errors(&[403, 404, 422]),
        op(
            "post",
            "/campaigns/preview",
            "When a job's schedule and calling window would let it dial: the window in force and its next openings",
        )
        .body::<campaign::CampaignPreviewRequest>(&mut g)
        .ok::<campaign::CampaignPreview>(&mut g, 200)
        .errors(&[404, 422]),
        op("get", "/sandbox/clock", "The backend's clock: now, and how far it was moved ahead").ok::<campaign::ClockReading>(&mut g, 200),
        op("post", "/sandbox/clock", "Move the backend's clock forward (admins; sandbox mode or server.clock_control)")
            .body::<campaign::AdvanceClock>(&mut g)
            .ok::<campaign::ClockReading>(&mut g, 200)
            .errors(&[403, 422]),
        op("get", "/events", "Server-sent events: `job` and `item` (LiveEvent JSON), `resync`, heartbeats; resumable with Last-Event-ID")
            .ok_as(200, Some("text/event-stream"), Some(event_schema))
            .header("Last-Event-ID", "the id of the last event seen: the stream replays what came after it", json!({ "type": "string" })),
        op("get", "/audit", "The audit log (admins), newest first")
            .ok::<Vec<audit::AuditEntry>>(&mut g, 200)
            .query_of::<audit::AuditQuery>(),
        op("get", "/audit/export.csv", "The audit log as CSV (admins), same filters").ok_as(200, csv, None).query_of::<audit::AuditQuery>(),
        op("get", "/do-not-call", "The do-not-call list").ok::<Vec<dnc::DoNotCallEntry>>(&mut g, 200),
        op(
            "post",
            "/do-not-call",
            "Add a number to the do-not-call list (admins; 200 when it was listed already: its note is kept unless a new one is given)",
        )
        .body::<dnc::AddDoNotCall>(&mut g)
        .ok::<dnc::DoNotCallAdded>(&mut g, 201)
        .errors(&[409, 422]),
        op("delete", "/do-not-call/{e164}", "Remove a number from the do-not-call list (admins)")
            .ok_as(204, None, None)
            .errors(&[400, 404, 409]),
    ];
    let error = g.subschema_for::<ApiErrorBody>().to_value();
    let mut paths = Map::new();
    for o in ops {
        let mut params: Vec<Value> = o
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": path_parameter_schema(name) }))
            .collect();
        params.extend(o.parameters);
        if o.method != "get" {
            params.push(json!({ "name": "X-CSRF", "in": "header", "required": true, "description": "every state-changing request", "schema": { "type": "string", "enum": ["1"] } }));
        }
        if o.idempotent {
            params.push(json!({ "name": "Idempotency-Key", "in": "header", "required": true,
                                "description": "same key + same body replays the first answer; another body is 409",
                                "schema": { "type": "string", "minLength": 1, "maxLength": 200, "pattern": IDEMPOTENCY_KEY_PATTERN } }));
        }
        let mut responses = Map::new();
        match o.ok {
            Some((status, "", _)) => responses.insert(status.to_string(), json!({ "description": "success, no body" })),
            Some((status, content_type, schema)) => {
                let mut media = json!({ "schema": schema });
                if content_type == "text/event-stream" {
                    media["x-data-schema"] = live_event.clone();
                }
                responses.insert(status.to_string(), json!({ "description": "success", "content": { content_type: media } }))
            }
            None => responses.insert("2XX".into(), json!({ "description": "success" })),
        };
        if o.path == "/ready" {
            let body = responses["200"]["content"].clone();
            responses.insert("503".into(), json!({ "description": "not ready: the checks that fail say why", "content": body }));
        }
        if o.path == "/do-not-call" && o.method == "post" {
            let entry = responses["201"]["content"].clone();
            responses.insert("200".into(), json!({ "description": "already listed: its note changed", "content": entry }));
        }
        for status in o.errors {
            let description = ERRORS.iter().find(|(s, _)| *s == status).map_or("error", |(_, d)| d);
            responses
                .insert(status.to_string(), json!({ "description": description, "content": { "application/json": { "schema": error } } }));
        }
        let mut operation = json!({ "summary": o.summary, "parameters": params, "responses": responses });
        if let Some(body) = &o.body {
            operation["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": body } } });
        }
        paths.entry(format!("/api/v1{}", o.path)).or_insert_with(|| json!({}))[o.method] = operation;
    }
    paths.insert("/webhooks/tencent/{account_id}".into(), webhooks());
    paths.insert("/metrics".into(), metrics(&error));
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": { "title": "Callout Console API", "version": crate::VERSION,
                  "description": "Backend-for-frontend of Callout Console. Identity comes from the SSO in front of it; every state-changing call needs X-CSRF: 1." },
        "paths": paths,
        "components": { "schemas": g.take_definitions(true) }
    });
    bound_integers(&mut doc);
    // The regions the normaliser knows, which no pattern can say (null: the default, CN).
    let regions: Vec<Value> = std::iter::once(Value::Null)
        .chain(
            (b'A'..=b'Z')
                .flat_map(|a| (b'A'..=b'Z').map(move |b| String::from_utf8(vec![a, b]).unwrap_or_default()))
                .filter(|code| crate::phone::region(code).is_some())
                .map(Value::String),
        )
        .collect();
    if let Some(region) = doc.pointer_mut("/components/schemas/ValidateNumbersRequest/properties/default_region") {
        region["enum"] = Value::Array(regions);
    }
    split_dial_string_by_protocol(&mut doc);
    doc
}

/// `host[:port]`: an IPv4 address or a DNS name whose last label starts with a letter (so it is
/// never mistaken for an address); `callout_shared::meeting::validate_dial_string` is the rule.
fn host_port() -> String {
    let octet = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    let label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    let last = "[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    let port = "(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?";
    format!("({octet}(\\.{octet}){{3}}|({label}\\.)*{last}){port}")
}

/// The dial string's grammar depends on its protocol: the one `mra_address` variant of `RoomTarget`
/// becomes one per protocol, each with its pattern.
fn split_dial_string_by_protocol(doc: &mut Value) {
    let host = host_port();
    let sip = format!("^([Ss][Ii][Pp][Ss]?:)?([A-Za-z0-9_.!~*'()&=+$,;?/%-]+@)?{host}$");
    let alias = "[A-Za-z0-9_.+*-]";
    let h323 = format!("^({host}|{host}##{alias}[A-Za-z0-9_.+#*-]*|{host}/[0-9]{{1,15}}|{alias}+@{host})$");
    let Some(variants) = doc.pointer_mut("/components/schemas/RoomTarget/oneOf").and_then(Value::as_array_mut) else { return };
    let Some(at) = variants.iter().position(|v| v["properties"]["kind"]["enum"] == json!(["mra_address"])) else { return };
    let mra = variants.remove(at);
    for (protocol, pattern) in [("sip", sip), ("h323", h323)] {
        let mut variant = mra.clone();
        variant["properties"]["protocol"] = json!({ "type": "string", "enum": [protocol] });
        variant["properties"]["dial_string"] = json!({ "type": "string", "maxLength": 256, "pattern": pattern });
        variants.insert(at, variant);
    }
}

/// Prometheus metrics: admins here; anyone on `server.metrics_bind`, which serves this path alone.
fn metrics(error: &Value) -> Value {
    let mut responses = Map::new();
    responses
        .insert("200".into(), json!({ "description": "the metrics", "content": { "text/plain": { "schema": { "type": "string" } } } }));
    for (status, description) in ERRORS.iter().filter(|(s, _)| ALWAYS.contains(s)) {
        responses.insert(status.to_string(), json!({ "description": description, "content": { "application/json": { "schema": error } } }));
    }
    json!({ "get": { "summary": "Prometheus metrics in the text exposition format (admins)", "parameters": [], "responses": responses } })
}

/// The Tencent Meeting event subscription: plain-text answers, as the provider expects them.
fn webhooks() -> Value {
    let account = json!({ "name": "account_id", "in": "path", "required": true, "description": "the configured Tencent Meeting account",
                          "schema": { "type": "string", "minLength": 1 } });
    let signed = ["timestamp", "nonce", "signature"]
        .map(|name| json!({ "name": name, "in": "header", "required": true, "description": "set by the provider", "schema": { "type": "string" } }));
    let text = json!({ "text/plain": { "schema": { "type": "string" } } });
    let answer = |description: &str| json!({ "description": description, "content": text });
    let mut check_params =
        vec![account.clone(), json!({ "name": "check_str", "in": "query", "required": true, "schema": { "type": "string" } })];
    check_params.extend(signed.iter().cloned());
    let mut event_params = vec![account];
    event_params.extend(signed.iter().cloned());
    json!({
        "get": { "summary": "Tencent Meeting event subscription check (check_str)", "parameters": check_params,
                 "responses": { "200": answer("the decrypted check_str"),
                                "400": answer("malformed request"),
                                "401": answer("signature refused"),
                                "404": answer("no subscription for this account") } },
        "post": { "summary": "Tencent Meeting events (signed, optionally AES-encrypted)", "parameters": event_params,
                  "requestBody": { "required": true, "content": { "application/json": { "schema": {
                      "type": "object", "required": ["data"], "properties": { "data": { "type": "string", "description": "the signed (and maybe encrypted) event, base64" } } } } } },
                  "responses": { "200": answer("successfully received callback"),
                                 "400": answer("malformed request"),
                                 "401": answer("signature or timestamp refused"),
                                 "404": answer("no subscription for this account"),
                                 "503": answer("not recorded; deliver again") } }
    })
}
