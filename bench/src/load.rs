//! The load generator for the BFF-versus-direct figures: a closed loop of `concurrency` workers,
//! each sending its next request when the previous one answered. Both sides of a ratio go through
//! this one loop; the direct side signs with the backend library's own provider clients, so signing
//! costs the same on both sides and the difference is what the BFF adds.

use std::{
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use callout_console::{
    providers::{
        aliyun_ccc::{AliyunAccount, AliyunCccClient},
        tencent_meeting::{TencentAccount, TencentMeetingClient},
        HttpSettings,
    },
    sandbox::{aliyun_ccc, tencent_meeting},
};
use callout_shared::{
    dialex::{AnswerMode, DialExRequest, StartDialEx},
    meeting::{CalloutNumberInput, MeetingAccount, MeetingCalloutRequest, PhoneTarget},
    numbers::NumberInput,
};
use serde::Serialize;

use crate::{
    procs::{Backend, Emulator, CCC_ACCOUNT, TENCENT_ACCOUNT},
    stats::percentile,
};

/// The meeting whose first status page is read (seeded with one batch, so the page has rows).
pub const STATUS_MEETING: &str = tencent_meeting::SANDBOX_MEETING_ID;
/// The meeting single-batch callouts go to, so they do not lengthen the status meeting's list.
pub const CALLOUT_MEETING: &str = tencent_meeting::SANDBOX_LONG_MEETING_ID;
pub const STATUS_PAGE_SIZE: u32 = 20;
const CONTACT_FLOW: &str = "cf-welcome-ivr";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Tencent Meeting callout status list, one page.
    StatusPage,
    /// One CCC DialEx call.
    DialEx,
    /// One Tencent Meeting callout batch (one number).
    Callout,
}

impl Operation {
    pub const ALL: [Operation; 3] = [Operation::StatusPage, Operation::DialEx, Operation::Callout];

    pub fn label(self) -> &'static str {
        match self {
            Operation::StatusPage => "Tencent callout status GET (one page)",
            Operation::DialEx => "CCC DialEx",
            Operation::Callout => "One-batch callout",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Through the backend's `/api/v1`.
    Bff,
    /// Straight to the emulator, signed by the library's client.
    Direct,
}

/// Distinct, plausible Chinese mobile numbers (`139xxxxxxxx`): the emulator refuses a number that
/// is already in a live call of the meeting, so no request may reuse one.
#[derive(Debug, Default)]
pub struct Numbers(AtomicU64);

impl Numbers {
    pub fn next_national(&self) -> String {
        format!("139{:08}", self.0.fetch_add(1, Ordering::Relaxed) % 100_000_000)
    }
}

/// Everything one request of either side needs.
pub struct Targets {
    http: reqwest::Client,
    api: String,
    tencent: TencentMeetingClient,
    ccc: AliyunCccClient,
    numbers: Numbers,
}

impl Targets {
    pub fn new(http: reqwest::Client, backend: &Backend, emulator: &Emulator) -> Targets {
        let settings = HttpSettings { use_system_proxy: false, ..HttpSettings::default() };
        let tencent = TencentMeetingClient::new(
            TencentAccount::new(
                &emulator.tencent_url,
                tencent_meeting::SANDBOX_APP_ID,
                tencent_meeting::SANDBOX_SECRET_ID,
                tencent_meeting::SANDBOX_SECRET_KEY,
            ),
            settings.clone(),
        );
        let ccc = AliyunCccClient::new(
            AliyunAccount {
                endpoint: emulator.aliyun_url.clone(),
                region_id: aliyun_ccc::SANDBOX_REGION_ID.into(),
                access_key_id: aliyun_ccc::SANDBOX_ACCESS_KEY_ID.into(),
                access_key_secret: aliyun_ccc::SANDBOX_ACCESS_KEY_SECRET.into(),
            },
            settings,
        );
        Targets { http, api: backend.api(""), tencent, ccc, numbers: Numbers::default() }
    }

    /// One batch of `count` numbers into the status meeting through the BFF, so its first page
    /// holds rows the console placed (the BFF marks those, which is part of what it costs).
    pub async fn seed_status_meeting(&self, count: usize) -> Result<(), String> {
        let numbers = (0..count).map(|_| self.numbers.next_national()).collect();
        self.bff_callout(STATUS_MEETING, numbers).await
    }

    pub async fn once(&self, operation: Operation, side: Side) -> Result<(), String> {
        let operator = tencent_meeting::SANDBOX_OPERATOR_ID;
        match (operation, side) {
            (Operation::StatusPage, Side::Bff) => {
                let url = format!(
                    "{}/meetings/{STATUS_MEETING}/callouts?account_id={TENCENT_ACCOUNT}&page=1&page_size={STATUS_PAGE_SIZE}",
                    self.api
                );
                expect_success(self.http.get(url).send().await).await
            }
            (Operation::StatusPage, Side::Direct) => {
                self.tencent.callout_status(STATUS_MEETING, operator, 1, STATUS_PAGE_SIZE).await.map(drop).map_err(|e| e.to_string())
            }
            (Operation::DialEx, Side::Bff) => {
                let body = StartDialEx { account_id: CCC_ACCOUNT.into(), call: self.dialex_call() };
                let request = self.http.post(format!("{}/dialex", self.api)).json(&body);
                expect_success(dialling(request).send().await).await
            }
            (Operation::DialEx, Side::Direct) => self.ccc.dial_ex(&self.dialex_call()).await.map(drop).map_err(|e| e.to_string()),
            (Operation::Callout, Side::Bff) => self.bff_callout(CALLOUT_MEETING, vec![self.numbers.next_national()]).await,
            (Operation::Callout, Side::Direct) => {
                let target = PhoneTarget { area: 86, phone: self.numbers.next_national(), extension: None, nick_name: None };
                let result = self.tencent.callout(CALLOUT_MEETING, operator, &[target]).await.map_err(|e| e.to_string())?;
                if result.accepted.is_empty() {
                    return Err(format!("the emulator refused the number: {:?}", result.invalid));
                }
                Ok(())
            }
        }
    }

    async fn bff_callout(&self, meeting: &str, numbers: Vec<String>) -> Result<(), String> {
        let body = MeetingCalloutRequest {
            account: MeetingAccount { account_id: TENCENT_ACCOUNT.into(), operator_id: None },
            numbers: numbers
                .into_iter()
                .map(|n| CalloutNumberInput {
                    number: NumberInput { country_code: "86".into(), number: n, extension: String::new() },
                    nick_name: None,
                })
                .collect(),
        };
        let request = self.http.post(format!("{}/meetings/{meeting}/callout", self.api)).json(&body);
        expect_success(dialling(request).send().await).await
    }

    fn dialex_call(&self) -> DialExRequest {
        DialExRequest {
            instance_id: aliyun_ccc::SANDBOX_INSTANCE_ID.into(),
            caller: aliyun_ccc::SANDBOX_CALLER.into(),
            callee: self.numbers.next_national(),
            answer_mode: AnswerMode::Ivr,
            rout_point: CONTACT_FLOW.into(),
            provider: None,
        }
    }
}

/// A state-changing, dialling request: the CSRF header and a fresh Idempotency-Key each time.
pub fn dialling(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    request.header("x-csrf", "1").header("idempotency-key", uuid::Uuid::new_v4().to_string())
}

async fn expect_success(answer: reqwest::Result<reqwest::Response>) -> Result<(), String> {
    let answer = answer.map_err(|e| e.to_string())?;
    let status = answer.status();
    // Read the whole body: the client pays for it as a browser would.
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("{status}: {}", String::from_utf8_lossy(&body).chars().take(300).collect::<String>()))
    }
}

/// How long one cell runs: a warm-up that is not recorded, then a measured period that ends at
/// `duration` or after `max_requests`, whichever comes first.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub warmup: Duration,
    pub duration: Duration,
    pub max_requests: Option<usize>,
}

/// One cell of one round: an operation, a side, a concurrency.
#[derive(Debug, Clone, Serialize)]
pub struct CellResult {
    pub operation: Operation,
    pub side: Side,
    pub concurrency: usize,
    pub requests: usize,
    pub errors: usize,
    pub seconds: f64,
    pub throughput: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

pub async fn run_cell(targets: Arc<Targets>, operation: Operation, side: Side, concurrency: usize, plan: Plan) -> CellResult {
    if !plan.warmup.is_zero() {
        closed_loop(&targets, operation, side, concurrency, plan.warmup, plan.max_requests.map(|m| m / 10)).await;
    }
    let started = Instant::now();
    let (latencies, errors, first_error) = closed_loop(&targets, operation, side, concurrency, plan.duration, plan.max_requests).await;
    let seconds = started.elapsed().as_secs_f64();
    let requests = latencies.len() + errors;
    CellResult {
        operation,
        side,
        concurrency,
        requests,
        errors,
        seconds,
        throughput: latencies.len() as f64 / seconds,
        p50_ms: percentile(&latencies, 50.0),
        p99_ms: percentile(&latencies, 99.0),
        first_error,
    }
}

/// Latencies (ms) of the successful requests, the error count and the first error.
async fn closed_loop(
    targets: &Arc<Targets>,
    operation: Operation,
    side: Side,
    concurrency: usize,
    duration: Duration,
    max_requests: Option<usize>,
) -> (Vec<f64>, usize, Option<String>) {
    let deadline = Instant::now() + duration;
    let issued = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(Mutex::new(None::<String>));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (targets, issued, first_error) = (targets.clone(), issued.clone(), first_error.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                while Instant::now() < deadline && max_requests.is_none_or(|max| issued.fetch_add(1, Ordering::Relaxed) < max) {
                    let started = Instant::now();
                    match targets.once(operation, side).await {
                        Ok(()) => latencies.push(started.elapsed().as_secs_f64() * 1000.0),
                        Err(err) => {
                            errors += 1;
                            first_error.lock().unwrap().get_or_insert(err);
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for worker in workers {
        if let Ok((l, e)) = worker.await {
            latencies.extend(l);
            errors += e;
        }
    }
    let first = first_error.lock().unwrap().take();
    (latencies, errors, first)
}
