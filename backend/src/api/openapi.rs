//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.0, with JSON Schemas generated from
//! the very types in `shared/` that both sides compile, so the document cannot drift from the code.

use axum::Json;
use callout_shared::{audit, dialex, dnc, error::ApiErrorBody, health, jobs, me, meeting, numbers};
use schemars::{generate::SchemaSettings, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    body: Option<Schema>,
    ok: Option<(u16, Schema)>,
    query: &'static [(&'static str, &'static str)],
    /// Dialling POSTs require an `Idempotency-Key`.
    idempotent: bool,
}

fn op(method: &'static str, path: &'static str, summary: &'static str) -> Op {
    Op { method, path, summary, body: None, ok: None, query: &[], idempotent: false }
}

impl Op {
    fn body<T: JsonSchema>(mut self, g: &mut SchemaGenerator) -> Self {
        self.body = Some(g.subschema_for::<T>());
        self
    }
    fn ok<T: JsonSchema>(mut self, g: &mut SchemaGenerator, status: u16) -> Self {
        self.ok = Some((status, g.subschema_for::<T>()));
        self
    }
    fn query(mut self, query: &'static [(&'static str, &'static str)]) -> Self {
        self.query = query;
        self
    }
    fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

pub async fn document() -> Json<Value> {
    Json(build())
}

pub fn build() -> Value {
    let mut g = SchemaSettings::openapi3().into_generator();
    let ops = vec![
        op("get", "/health", "Liveness, version and mode (sandbox or live); no sign-in needed").ok::<health::HealthResponse>(&mut g, 200),
        op("get", "/me", "Who the signed-in user is, their role and the accounts they may use").ok::<me::MeResponse>(&mut g, 200),
        op("get", "/openapi.json", "This document"),
        op("post", "/numbers/validate", "Normalise many numbers with the one normaliser, row by row")
            .body::<numbers::ValidateNumbersRequest>(&mut g)
            .ok::<numbers::ValidateNumbersResponse>(&mut g, 200),
        op("post", "/dialex", "Alibaba CCC DialEx: a back-office call routed to an IVR, agent or skill group")
            .body::<dialex::StartDialEx>(&mut g)
            .ok::<dialex::DialExResult>(&mut g, 200)
            .idempotent(),
        op("post", "/meetings/{meeting_id}/callout", "Call out up to one provider batch of numbers into a meeting, answered at once")
            .body::<meeting::MeetingCalloutRequest>(&mut g)
            .ok::<meeting::CalloutResult>(&mut g, 200)
            .idempotent(),
        op("get", "/meetings/{meeting_id}/callouts", "The provider's callout list of a meeting (every caller), paged or all pages")
            .ok::<meeting::CalloutStatusPage>(&mut g, 200)
            .query(&[
                ("account_id", "Tencent Meeting account id"),
                ("operator_id", "admins: act for this operator"),
                ("page", "from 1"),
                ("page_size", "1 to 100"),
                ("all", "true: every page"),
            ]),
        op("post", "/meetings/{meeting_id}/callout/cancel", "Cancel ringing callouts")
            .body::<meeting::MeetingNumbersRequest>(&mut g)
            .ok::<meeting::CancelResult>(&mut g, 200),
        op(
            "post",
            "/meetings/{meeting_id}/ms-open-ids",
            "In-meeting ids (ms_open_id) of connected phone numbers; several per number possible",
        )
        .body::<meeting::MeetingNumbersRequest>(&mut g)
        .ok::<meeting::MsOpenIdResult>(&mut g, 200),
        op("post", "/room-calls", "Call a meeting room (room id or SIP/H.323 address) into a meeting")
            .body::<meeting::RoomCallApiRequest>(&mut g)
            .ok::<meeting::RoomCallResult>(&mut g, 200)
            .idempotent(),
        op("post", "/room-calls/status", "Where a room call stands")
            .body::<meeting::RoomCallApiRequest>(&mut g)
            .ok::<meeting::RoomCallInfo>(&mut g, 200),
        op("post", "/room-calls/cancel", "Cancel a room call (invite_id required)").body::<meeting::RoomCallApiRequest>(&mut g),
        op("post", "/callouts", "Start a callout job: any number of numbers, batched, paced and followed")
            .body::<jobs::CreateCalloutJob>(&mut g)
            .ok::<jobs::JobSummary>(&mut g, 202)
            .idempotent(),
        op("get", "/callouts", "Recent callout jobs, newest first")
            .ok::<Vec<jobs::JobSummary>>(&mut g, 200)
            .query(&[("limit", "1 to 500")]),
        op("get", "/callouts/template.csv", "The CSV template for number lists"),
        op("get", "/callouts/{id}", "One job with every row, its batch, phase, status and reason").ok::<jobs::CalloutJob>(&mut g, 200),
        op("get", "/callouts/{id}/export.csv", "One job's rows as CSV"),
        op(
            "post",
            "/callouts/{id}/retry-unknown",
            "Dial the job's unknown numbers again (they may have been called): needs confirm = true",
        )
        .idempotent(),
        op("post", "/callouts/{id}/cancel-ringing", "Cancel every call of the job that is still ringing")
            .ok::<meeting::CancelResult>(&mut g, 200),
        op("get", "/events", "Server-sent events: `job` and `item` (LiveEvent JSON), heartbeats; resumable with Last-Event-ID")
            .ok::<jobs::LiveEvent>(&mut g, 200),
        op("get", "/audit", "The audit log (admins)").ok::<Vec<audit::AuditEntry>>(&mut g, 200).query(&[
            ("user", "subject or email"),
            ("action", "e.g. callout_job"),
            ("account_id", ""),
            ("from", "unix ms"),
            ("to", "unix ms"),
            ("limit", ""),
            ("offset", ""),
        ]),
        op("get", "/audit/export.csv", "The audit log as CSV (admins), same filters"),
        op("get", "/do-not-call", "The do-not-call list").ok::<Vec<dnc::DoNotCallEntry>>(&mut g, 200),
        op("post", "/do-not-call", "Add a number to the do-not-call list (admins; 200 when it was listed and only its note changed)")
            .body::<dnc::AddDoNotCall>(&mut g)
            .ok::<dnc::DoNotCallEntry>(&mut g, 201),
        op("delete", "/do-not-call/{e164}", "Remove a number from the do-not-call list (admins)"),
    ];
    let error = g.subschema_for::<ApiErrorBody>();
    let mut paths = Map::new();
    for o in ops {
        let mut params: Vec<Value> = o
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        params.extend(
            o.query.iter().map(
                |(name, description)| json!({ "name": name, "in": "query", "description": description, "schema": { "type": "string" } }),
            ),
        );
        if o.method != "get" {
            params.push(json!({ "name": "X-CSRF", "in": "header", "required": true, "schema": { "type": "string", "enum": ["1"] } }));
        }
        if o.idempotent {
            params.push(json!({ "name": "Idempotency-Key", "in": "header", "required": true, "description": "same key + same body replays the first answer; another body is 409", "schema": { "type": "string", "maxLength": 200 } }));
        }
        let mut responses = Map::new();
        match &o.ok {
            Some((status, schema)) => responses
                .insert(status.to_string(), json!({ "description": "success", "content": { "application/json": { "schema": schema } } })),
            None => responses.insert("2XX".into(), json!({ "description": "success" })),
        };
        responses.insert("default".into(), json!({ "description": "error: {code, message, field?, provider_code?}", "content": { "application/json": { "schema": error } } }));
        let mut operation = json!({ "summary": o.summary, "parameters": params, "responses": responses });
        if let Some(body) = &o.body {
            operation["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": body } } });
        }
        paths.entry(format!("/api/v1{}", o.path)).or_insert_with(|| json!({}))[o.method] = operation;
    }
    paths.insert(
        "/webhooks/tencent/{account_id}".into(),
        json!({
            "get": { "summary": "Tencent Meeting event subscription check (check_str)", "responses": { "200": { "description": "the decrypted check_str" } } },
            "post": { "summary": "Tencent Meeting events (signed, optionally AES-encrypted)", "responses": { "200": { "description": "successfully received callback" } } }
        }),
    );
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Callout Console API", "version": crate::VERSION,
                  "description": "Backend-for-frontend of Callout Console. Identity comes from the SSO in front of it; every state-changing call needs X-CSRF: 1." },
        "paths": paths,
        "components": { "schemas": g.take_definitions(true) }
    })
}
