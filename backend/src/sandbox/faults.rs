//! Fault knobs shared by the emulators, settable at run time over an emulator-only admin endpoint,
//! and a per-number dial counter so tests can prove that nothing was dialled twice.
//!
//! Admin endpoints (never behind the signature check, never faulted):
//! - `GET /__emulator/faults`, `PUT /__emulator/faults` with a [`FaultSettings`] JSON body
//! - `GET /__emulator/dials`: `{ "<number>": <times dialled> }`
//! - `GET /__emulator/arrivals`: every provider request as `{ "method", "path", "at_ms" }`, in arrival order (pacing proofs)
//! - `POST /__emulator/reset`: clears faults and counters
//!
//! Faults that fire *after* processing (HTTP 500, timeout after read, malformed JSON, connection
//! reset, the random error rate) let the request take effect first, as the worst real case does:
//! the call is placed but the client cannot know. A rate-limit fault refuses before processing.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::Body,
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSettings {
    /// Added before every answer.
    pub latency_ms: u64,
    /// Added after processing, before the answer: the request took effect, the client waits.
    pub answer_delay_ms: u64,
    /// Fraction (0 to 1) of requests answered with an empty HTTP 500 after processing.
    pub error_rate: f64,
    /// The next N requests: processed, then an empty HTTP 500.
    pub http_500: u32,
    /// The next N requests: processed, then no answer for `timeout_ms` (the client gives up first).
    pub timeout_after_read: u32,
    pub timeout_ms: u64,
    /// The next N requests: processed, then HTTP 200 with a truncated JSON body.
    pub malformed_json: u32,
    /// The next N requests: refused before processing with the provider's own rate-limit error.
    pub rate_limit: u32,
    /// The next N requests: processed, then the connection is dropped in the middle of the answer.
    pub connection_reset: u32,
    /// The next N requests: held for `timeout_ms` before they are processed, an answer slower than the
    /// client's timeout. A client that gives up first leaves them unprocessed (nothing dialled).
    pub slow_answers: u32,
    /// Every read (GET, such as the callout list) answered with an empty HTTP 500: a provider whose
    /// lists are down while calls and events still work.
    pub fail_reads: bool,
}

impl Default for FaultSettings {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            answer_delay_ms: 0,
            error_rate: 0.0,
            http_500: 0,
            timeout_after_read: 0,
            timeout_ms: 60_000,
            malformed_json: 0,
            rate_limit: 0,
            connection_reset: 0,
            slow_answers: 0,
            fail_reads: false,
        }
    }
}

/// The fault chosen for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    RateLimit,
    Http500,
    TimeoutAfterRead,
    MalformedJson,
    ConnectionReset,
    SlowAnswer,
}

/// One provider request as it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivedRequest {
    pub method: String,
    pub path: String,
    /// Unix milliseconds at arrival.
    pub at_ms: i64,
}

pub struct Faults {
    settings: Mutex<FaultSettings>,
    dials: Mutex<BTreeMap<String, u64>>,
    requests: Mutex<Vec<ArrivedRequest>>,
    rng: Mutex<u64>,
    rate_limited: fn() -> Response,
    spared: fn(&axum::http::Method, &str) -> bool,
}

impl Faults {
    /// `rate_limited` builds the provider's own rate-limit answer; requests `spared` says yes to are
    /// never faulted (the console's look-ups before a dial, so a fault reaches the dial it was set for).
    pub fn new(rate_limited: fn() -> Response, spared: fn(&axum::http::Method, &str) -> bool) -> Arc<Self> {
        Arc::new(Self {
            settings: Mutex::new(FaultSettings::default()),
            dials: Mutex::new(BTreeMap::new()),
            requests: Mutex::new(Vec::new()),
            rng: Mutex::new(0x9E37_79B9_7F4A_7C15),
            rate_limited,
            spared,
        })
    }

    pub fn set(&self, settings: FaultSettings) {
        *self.settings.lock().unwrap() = settings;
    }

    pub fn settings(&self) -> FaultSettings {
        self.settings.lock().unwrap().clone()
    }

    /// Counts one dial of `number` (the emulators call this when they place a call).
    pub fn record_dial(&self, number: &str) {
        *self.dials.lock().unwrap().entry(number.to_owned()).or_default() += 1;
    }

    pub fn dials(&self) -> BTreeMap<String, u64> {
        self.dials.lock().unwrap().clone()
    }

    pub fn reset(&self) {
        self.set(FaultSettings::default());
        self.dials.lock().unwrap().clear();
        self.requests.lock().unwrap().clear();
    }

    /// The admin endpoints, to merge into an emulator's router.
    pub fn admin_router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/__emulator/faults", get(get_faults).put(put_faults))
            .route("/__emulator/dials", get(get_dials))
            .route("/__emulator/arrivals", get(get_arrivals))
            .route("/__emulator/reset", post(reset))
            .with_state(self.clone())
    }

    /// Consumes one counted fault, in a fixed order, or draws from the error rate.
    fn next_fault(&self) -> (Duration, Option<Fault>) {
        let mut guard = self.settings.lock().unwrap();
        let s = &mut *guard;
        let latency = Duration::from_millis(s.latency_ms);
        let counters: [(&mut u32, Fault); 6] = [
            (&mut s.rate_limit, Fault::RateLimit),
            (&mut s.http_500, Fault::Http500),
            (&mut s.timeout_after_read, Fault::TimeoutAfterRead),
            (&mut s.malformed_json, Fault::MalformedJson),
            (&mut s.connection_reset, Fault::ConnectionReset),
            (&mut s.slow_answers, Fault::SlowAnswer),
        ];
        for (count, fault) in counters {
            if *count > 0 {
                *count -= 1;
                return (latency, Some(fault));
            }
        }
        if s.error_rate > 0.0 && self.draw() < s.error_rate {
            return (latency, Some(Fault::Http500));
        }
        (latency, None)
    }

    /// A deterministic draw in [0, 1) (xorshift64*), so a given sequence of requests always fails the same way.
    fn draw(&self) -> f64 {
        let mut x = self.rng.lock().unwrap();
        *x ^= *x >> 12;
        *x ^= *x << 25;
        *x ^= *x >> 27;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Middleware for an emulator's provider routes: `.layer(middleware::from_fn_with_state(faults, faults::apply))`.
pub async fn apply(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    let at_ms = crate::clock::wall_ms();
    faults.requests.lock().unwrap().push(ArrivedRequest {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        at_ms,
    });
    if (faults.spared)(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let (latency, fault) = faults.next_fault();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if fault == Some(Fault::RateLimit) {
        return (faults.rate_limited)();
    }
    if request.method() == axum::http::Method::GET && faults.settings().fail_reads {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let timeout = Duration::from_millis(faults.settings().timeout_ms);
    if fault == Some(Fault::SlowAnswer) {
        tokio::time::sleep(timeout).await;
    }
    let response = next.run(request).await;
    let answer_delay = faults.settings().answer_delay_ms;
    if answer_delay > 0 {
        tokio::time::sleep(Duration::from_millis(answer_delay)).await;
    }
    match fault {
        None | Some(Fault::RateLimit | Fault::SlowAnswer) => response,
        Some(Fault::Http500) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Some(Fault::TimeoutAfterRead) => {
            tokio::time::sleep(timeout).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Some(Fault::MalformedJson) => ([("content-type", "application/json")], r#"{"meeting_id":"8"#).into_response(),
        Some(Fault::ConnectionReset) => {
            let broken = futures_util::stream::once(async {
                Err::<axum::body::Bytes, _>(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "fault: connection reset"))
            });
            ([("content-type", "application/json")], Body::from_stream(broken)).into_response()
        }
    }
}

async fn get_faults(State(faults): State<Arc<Faults>>) -> Json<FaultSettings> {
    Json(faults.settings())
}

async fn put_faults(State(faults): State<Arc<Faults>>, Json(settings): Json<FaultSettings>) -> Json<FaultSettings> {
    faults.set(settings);
    Json(faults.settings())
}

async fn get_dials(State(faults): State<Arc<Faults>>) -> Json<BTreeMap<String, u64>> {
    Json(faults.dials())
}

async fn get_arrivals(State(faults): State<Arc<Faults>>) -> Json<Vec<ArrivedRequest>> {
    Json(faults.requests.lock().unwrap().clone())
}

async fn reset(State(faults): State<Arc<Faults>>) -> StatusCode {
    faults.reset();
    StatusCode::NO_CONTENT
}
