//! Emulator of the Alibaba Cloud CCC RPC gateway (DialEx and ListCallDetailRecords, 2017-07-05).
//!
//! `config` holds the seeds and the gateway's unconfirmed knobs, `gateway` the checks every RPC call
//! passes (HMAC-SHA1 signature, timestamp window, nonce replay, error body), `acs3` the header-based
//! ACS3-HMAC-SHA256 ("V3") signature current SDKs use by default, `dialex` DialEx itself, `calls`
//! the call records each accepted call leaves.
//!
//! Emulator-only endpoints, besides the shared fault knobs: `GET /__emulator/tasks` (accepted calls),
//! `GET /__emulator/requests` (every request that reached `/`, faulted or not: method, nonce, timestamp),
//! `GET /__emulator/records` (call records, withheld count) and `PUT /__emulator/records`
//! `{"withhold_next": N}` (the next N calls never get a record).

mod acs3;
mod calls;
mod config;
mod dialex;
mod gateway;

use std::{
    io,
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
};

use axum::{
    body::Bytes,
    extract::{Request, State},
    http::{HeaderMap, Method, Uri},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

pub use calls::{outcome_for, EmulatedRecord};
pub use config::*;
pub use dialex::EmulatedTask;
use gateway::{GatewayError, NonceLedger, Params};

use super::{faults::Faults, RunningEmulator};
use crate::providers::aliyun_ccc::AliyunAccount;

/// One request as it reached the emulator (before any fault), for tests that prove fresh signing per attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeenRequest {
    pub method: String,
    pub signature_nonce: Option<String>,
    pub timestamp: Option<String>,
}

struct EmulatorState {
    config: AliyunEmulatorConfig,
    nonces: NonceLedger,
    tasks: Mutex<Vec<EmulatedTask>>,
    requests: Mutex<Vec<SeenRequest>>,
    task_counter: AtomicU64,
    faults: Arc<Faults>,
    records: calls::CallRecords,
}

impl EmulatorState {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::TimeDelta::seconds(self.config.clock_offset_secs)
    }

    /// Numeric task ids like the real ones (`155486223597726619`): epoch ms and a counter.
    fn next_task_id(&self, now: DateTime<Utc>) -> String {
        let n = self.task_counter.fetch_add(1, Ordering::Relaxed) % 100_000;
        format!("{}{n:05}", now.timestamp_millis())
    }
}

/// A running CCC emulator. Dropping it stops the server.
pub struct AliyunEmulator {
    server: RunningEmulator,
    state: Arc<EmulatorState>,
}

impl AliyunEmulator {
    pub fn addr(&self) -> SocketAddr {
        self.server.addr
    }

    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn faults(&self) -> &Arc<Faults> {
        &self.state.faults
    }

    pub fn tasks(&self) -> Vec<EmulatedTask> {
        self.state.tasks.lock().unwrap().clone()
    }

    pub fn seen_requests(&self) -> Vec<SeenRequest> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn call_records(&self) -> Vec<EmulatedRecord> {
        self.state.records.all()
    }

    /// An account pointed at this emulator with its first configured key (the sandbox key by default).
    pub fn account(&self) -> AliyunAccount {
        let (id, secret) = self.state.config.access_keys.iter().next().map(|(id, secret)| (id.clone(), secret.clone())).unwrap_or_default();
        AliyunAccount { endpoint: self.base_url(), region_id: SANDBOX_REGION_ID.to_owned(), access_key_id: id, access_key_secret: secret }
    }

    pub async fn stop(self) {
        self.server.stop().await
    }
}

/// Starts the emulator on `bind` (port 0 picks a free port).
pub async fn start(bind: SocketAddr, config: AliyunEmulatorConfig) -> io::Result<AliyunEmulator> {
    let faults = Faults::new(gateway::throttled, |_, _| false);
    let state = Arc::new(EmulatorState {
        config,
        nonces: NonceLedger::default(),
        tasks: Mutex::new(Vec::new()),
        requests: Mutex::new(Vec::new()),
        task_counter: AtomicU64::new(0),
        faults: faults.clone(),
        records: calls::CallRecords::default(),
    });
    let provider = Router::new()
        .route("/", get(rpc).post(rpc))
        .layer(middleware::from_fn_with_state(faults.clone(), super::faults::apply))
        // Outside the faults, so even refused attempts are seen.
        .layer(middleware::from_fn_with_state(state.clone(), log_request))
        .with_state(state.clone());
    let emulator_only = Router::new()
        .route("/__emulator/tasks", get(list_tasks))
        .route("/__emulator/requests", get(list_requests))
        .route("/__emulator/records", get(list_records).put(control_records))
        .with_state(state.clone());
    let router = provider.merge(emulator_only).merge(faults.admin_router());
    let server = super::serve("aliyun-ccc", bind, router).await?;
    Ok(AliyunEmulator { server, state })
}

/// One RPC call: gateway checks, then the action.
async fn rpc(State(state): State<Arc<EmulatorState>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let params = Params::merge(uri.query(), &headers, &body);
    let now = state.now();
    let host_id = state.config.host_id.as_str();
    let incoming = gateway::Incoming { method: method.as_str(), query: uri.query(), headers: &headers, body: &body, params: &params };
    if let Err(err) = gateway::check(&state.config, &state.nonces, &incoming, now) {
        return err.into_response(host_id);
    }
    // Checked by the gateway: one of the served actions, from the parameters (RPC) or the header (V3).
    let action = params.get("Action").or_else(|| incoming.header("x-acs-action")).unwrap_or_default();
    if action == gateway::LIST_CALL_DETAIL_RECORDS {
        let known = |id: &str| state.config.instances.iter().any(|i| i.instance_id == id);
        return match state.records.list(&params, known, state.config.clock.now_ms()) {
            Ok(body) => gateway::answer(axum::http::StatusCode::OK, body),
            Err(err) => err.into_response(host_id),
        };
    }
    let task = match dialex::accept(&state.config, &params, state.next_task_id(now), now) {
        Ok(task) => task,
        Err(err) if state.config.business_errors_as_http_200 => return business_error_as_200(err),
        Err(err) => return err.into_response(host_id),
    };
    state.faults.record_dial(&task.callee);
    tracing::info!(task_id = %task.task_id, mode = ?task.answer_mode, "emulated DialEx accepted");
    let body = json!({
        "RequestId": gateway::new_request_id(),
        "Success": true,
        "Code": "OK",
        "Message": "",
        "HttpStatusCode": 200,
        // A number, as in the doc's own example, although the field is declared a string.
        "StatusCode": 200,
        "StatusDesc": "Okay",
        "TaskId": task.task_id,
        "TimeStamp": now.timestamp_millis().to_string(),
    });
    let delay_ms = i64::try_from(state.config.record_delay.as_millis()).unwrap_or(i64::MAX / 4);
    state.records.keep(&task, state.config.clock.now_ms(), delay_ms);
    state.tasks.lock().unwrap().push(task);
    gateway::answer(axum::http::StatusCode::OK, body)
}

/// The other way CCC may report a business error: HTTP 200, `Success:false`, the status inside.
fn business_error_as_200(err: GatewayError) -> Response {
    gateway::answer(
        axum::http::StatusCode::OK,
        json!({
            "RequestId": gateway::new_request_id(),
            "Success": false,
            "Code": err.code,
            "Message": err.message,
            "HttpStatusCode": err.status,
        }),
    )
}

async fn log_request(State(state): State<Arc<EmulatorState>>, request: Request, next: Next) -> Response {
    state.requests.lock().unwrap().push(seen_request(&request));
    next.run(request).await
}

/// RPC calls carry their nonce and timestamp in the query, V3 calls in headers.
fn seen_request(request: &Request) -> SeenRequest {
    let params = Params::merge(request.uri().query(), &HeaderMap::new(), &[]);
    let header = |name: &str| request.headers().get(name).and_then(|value| value.to_str().ok());
    SeenRequest {
        method: request.method().to_string(),
        signature_nonce: params.get("SignatureNonce").or_else(|| header("x-acs-signature-nonce")).map(str::to_owned),
        timestamp: params.get("Timestamp").or_else(|| header("x-acs-date")).map(str::to_owned),
    }
}

async fn list_tasks(State(state): State<Arc<EmulatorState>>) -> impl IntoResponse {
    Json(state.tasks.lock().unwrap().clone())
}

async fn list_requests(State(state): State<Arc<EmulatorState>>) -> impl IntoResponse {
    Json(state.requests.lock().unwrap().clone())
}

async fn list_records(State(state): State<Arc<EmulatorState>>) -> impl IntoResponse {
    Json(json!({ "records": state.records.all(), "withhold_next": state.records.withheld_left() }))
}

async fn control_records(State(state): State<Arc<EmulatorState>>, Json(control): Json<calls::RecordControl>) -> impl IntoResponse {
    state.records.set_withhold(&control);
    Json(json!({ "withhold_next": state.records.withheld_left() }))
}
