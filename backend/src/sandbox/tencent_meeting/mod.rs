//! Emulator of the Tencent Meeting REST API and its webhook delivery: a real HTTP server that checks
//! signatures, timestamps and nonces like the real service, keeps meetings and calls, runs
//! deterministic call lifecycles and delivers signed (optionally AES-encrypted) events.
//!
//! # Sandbox seeds
//! Credentials: [`SANDBOX_APP_ID`], [`SANDBOX_SECRET_ID`], [`SANDBOX_SECRET_KEY`], no SdkId.
//! Meetings (creator [`SANDBOX_OPERATOR_ID`], co-host [`SANDBOX_COHOST_ID`]): [`SANDBOX_MEETING_ID`],
//! the 20-digit [`SANDBOX_LONG_MEETING_ID`], the ended [`SANDBOX_ENDED_MEETING_ID`] (→ 9006) and the
//! webinar [`SANDBOX_WEBINAR_ID`] (callout refused). Any other meeting id → 190457; any other
//! operator → 9042. Rooms: [`SANDBOX_MEETING_ROOM_IDS`].
//!
//! # Phone lifecycles, by the last digit of the number
//! Every accepted call starts with status `""`, turns `START_INVITE` after `invite_after`, then:
//! - 0–3: `START_ACCEPT` after `answer_after`, stays `connected`, then `LEAVE_WITH_ACCEPTED`.
//!   A number ending in 3 gets two ms_open_ids (as if it had dialled in twice).
//! - 4–5: `START_ACCEPT` after `answer_after`, a `short_call`, then `LEAVE_WITH_ACCEPTED`.
//! - 6–7: rings out: `LEAVE_WITHOUT_ACCEPT` after `ring_out`.
//! - 8–9: rejected: `LEAVE_WITHOUT_ACCEPT` after `reject_after`.
//!
//! Refused numbers (in `invalid_phone_numbers`): area other than 86/852/1, non-digits, implausible
//! length (86: 7–12 digits, 852: 8, 1: 10), a `blocked_prefixes` match (on `<area><phone>`), or a
//! number already in a live call of that meeting.
//!
//! # Room calls, by the last character of the room id or dial string
//! Calling (4) at once, then: 0–4 or a non-digit → joining (2) after `answer_after`, left (6) after
//! `connected`; 5–6 → rejected (3) after `reject_after`; 7–9 → no answer (0) after `ring_out`.
//!
//! # Emulator-only endpoints
//! `PUT /__emulator/webhook` `{url, token, encoding_aes_key?}` (handshake first), `DELETE /__emulator/webhook`,
//! plus the fault knobs and dial counter of [`crate::sandbox::faults`]. Dials are recorded as
//! `+<area><phone>[;ext=<ext>]`, `room:<id>`, `sip:<dial string>` or `h323:<dial string>`.

mod auth;
mod handlers;
mod lifecycle;
mod state;
mod webhook_sender;

use std::{io, net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    extract::State,
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post, put},
    Json, Router,
};
use serde::{Deserialize, Serialize};

use super::{faults::Faults, RunningEmulator};

pub use webhook_sender::WebhookTarget;

pub const SANDBOX_APP_ID: &str = "200000001";
pub const SANDBOX_SECRET_ID: &str = "sandbox-tencent-secret-id";
pub const SANDBOX_SECRET_KEY: &str = "sandbox-tencent-secret-key";
/// Creator and host of every seeded meeting.
pub const SANDBOX_OPERATOR_ID: &str = "sandbox-host";
pub const SANDBOX_COHOST_ID: &str = "sandbox-cohost";
pub const SANDBOX_MEETING_ID: &str = "6058890385480921052";
/// Longer than i64::MAX: ids must stay strings.
pub const SANDBOX_LONG_MEETING_ID: &str = "13339451618278424869";
pub const SANDBOX_ENDED_MEETING_ID: &str = "7567173273889276131";
pub const SANDBOX_WEBINAR_ID: &str = "8113004455667788990";
pub const SANDBOX_MEETING_ROOM_IDS: [&str; 3] = ["2360000010", "2360000015", "2360000017"];
/// Blocked by default (`<area><phone>` prefixes): a premium-rate range, to show refusals.
pub const SANDBOX_BLOCKED_PREFIXES: [&str; 1] = ["86170"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Normal,
    Ended,
    Webinar,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmulatedMeeting {
    pub meeting_id: String,
    pub meeting_code: String,
    pub subject: String,
    pub kind: MeetingKind,
    pub creator: String,
    pub hosts: Vec<String>,
    pub co_hosts: Vec<String>,
}

impl EmulatedMeeting {
    fn seeded(meeting_id: &str, meeting_code: &str, subject: &str, kind: MeetingKind) -> Self {
        Self {
            meeting_id: meeting_id.into(),
            meeting_code: meeting_code.into(),
            subject: subject.into(),
            kind,
            creator: SANDBOX_OPERATOR_ID.into(),
            hosts: vec![SANDBOX_OPERATOR_ID.into()],
            co_hosts: vec![SANDBOX_COHOST_ID.into()],
        }
    }

    /// Creator, host or co-host: who may call out.
    pub fn may_operate(&self, operator_id: &str) -> bool {
        self.creator == operator_id || self.hosts.iter().chain(&self.co_hosts).any(|u| u == operator_id)
    }
}

/// Pauses of the deterministic lifecycles; tests shorten them to milliseconds.
#[derive(Debug, Clone)]
pub struct LifecycleDelays {
    pub invite_after: Duration,
    pub answer_after: Duration,
    pub connected: Duration,
    pub short_call: Duration,
    pub ring_out: Duration,
    pub reject_after: Duration,
}

impl Default for LifecycleDelays {
    fn default() -> Self {
        Self {
            invite_after: Duration::from_millis(500),
            answer_after: Duration::from_secs(4),
            connected: Duration::from_secs(120),
            short_call: Duration::from_secs(15),
            ring_out: Duration::from_secs(30),
            reject_after: Duration::from_secs(3),
        }
    }
}

impl LifecycleDelays {
    /// Every delay multiplied by `factor` (sandbox.time_scale).
    pub fn scaled(&self, factor: f64) -> Self {
        let f = |d: Duration| d.mul_f64(factor);
        Self {
            invite_after: f(self.invite_after),
            answer_after: f(self.answer_after),
            connected: f(self.connected),
            short_call: f(self.short_call),
            ring_out: f(self.ring_out),
            reject_after: f(self.reject_after),
        }
    }
}

/// An error the docs do not pin down, so it is configurable.
#[derive(Debug, Clone)]
pub struct ErrorSpec {
    pub http_status: u16,
    pub code: i64,
    pub message: String,
}

#[derive(Clone)]
pub struct TencentEmulatorConfig {
    pub app_id: String,
    /// `None` = no SdkId assigned: a request carrying one is refused (190303).
    pub sdk_id: Option<String>,
    pub secret_id: String,
    pub secret_key: String,
    pub meetings: Vec<EmulatedMeeting>,
    pub meeting_rooms: Vec<String>,
    /// May call Rooms meeting rooms into any meeting of the enterprise.
    pub enterprise_admins: Vec<String>,
    /// Numbers per callout/cancel/ms-open-id request (docs: 30 now, 50 in the SDK and WeCom).
    pub callout_batch_cap: usize,
    pub max_page_size: u32,
    pub blocked_prefixes: Vec<String>,
    pub delays: LifecycleDelays,
    /// |now − X-TC-Timestamp| allowed, and how long a (timestamp, nonce) pair is remembered.
    pub timestamp_window: Duration,
    pub rate_limit_per_minute: u32,
    /// HTTP status of 200003; the docs suggest 400, articles show 500 (unconfirmed).
    pub signature_error_status: u16,
    /// HTTP status of 190310; not documented (unconfirmed).
    pub rate_limit_status: u16,
    /// No webinar-specific error is documented (and newer docs allow webinar callout).
    pub webinar_callout_error: Option<ErrorSpec>,
    /// Put `pstn_number` into the operator of PSTN status events. The documented example has no
    /// phone field at all (unconfirmed); `user_name` always carries the nick name or the number.
    pub status_event_pstn_number: bool,
    /// Answer the ms-open-id lookup with a numeric `phone_number` instead of a string `phone`.
    pub ms_open_id_numeric_phone: bool,
    pub webhook: Option<WebhookTarget>,
    /// Delivery attempts per event and the pause between them (Tencent's policy is undocumented).
    pub webhook_attempts: u32,
    pub webhook_retry_delay: Duration,
    pub webhook_timeout: Duration,
}

impl Default for TencentEmulatorConfig {
    fn default() -> Self {
        Self {
            app_id: SANDBOX_APP_ID.into(),
            sdk_id: None,
            secret_id: SANDBOX_SECRET_ID.into(),
            secret_key: SANDBOX_SECRET_KEY.into(),
            meetings: vec![
                EmulatedMeeting::seeded(SANDBOX_MEETING_ID, "530812452", "Sandbox callout meeting", MeetingKind::Normal),
                EmulatedMeeting::seeded(SANDBOX_LONG_MEETING_ID, "806146667", "Sandbox meeting with a 20-digit id", MeetingKind::Normal),
                EmulatedMeeting::seeded(SANDBOX_ENDED_MEETING_ID, "412345678", "Sandbox meeting that has ended", MeetingKind::Ended),
                EmulatedMeeting::seeded(SANDBOX_WEBINAR_ID, "998877665", "Sandbox webinar", MeetingKind::Webinar),
            ],
            meeting_rooms: SANDBOX_MEETING_ROOM_IDS.iter().map(|s| s.to_string()).collect(),
            enterprise_admins: vec!["sandbox-admin".into()],
            callout_batch_cap: 50,
            max_page_size: 100,
            blocked_prefixes: SANDBOX_BLOCKED_PREFIXES.iter().map(|s| s.to_string()).collect(),
            delays: LifecycleDelays::default(),
            timestamp_window: Duration::from_secs(300),
            rate_limit_per_minute: 300,
            signature_error_status: 400,
            rate_limit_status: 400,
            webinar_callout_error: Some(ErrorSpec {
                http_status: 500,
                code: 14220,
                message: "邀请成员入会失败: Webinar 暂不支持外呼 (callout is not supported for webinars)".into(),
            }),
            status_event_pstn_number: true,
            ms_open_id_numeric_phone: false,
            webhook: None,
            webhook_attempts: 3,
            webhook_retry_delay: Duration::from_millis(200),
            webhook_timeout: Duration::from_secs(3),
        }
    }
}

/// Debug leaves out the secret key and the webhook token.
impl std::fmt::Debug for TencentEmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TencentEmulatorConfig")
            .field("app_id", &self.app_id)
            .field("sdk_id", &self.sdk_id)
            .field("secret_id", &self.secret_id)
            .field("meetings", &self.meetings.iter().map(|m| &m.meeting_id).collect::<Vec<_>>())
            .field("callout_batch_cap", &self.callout_batch_cap)
            .field("delays", &self.delays)
            .field("webhook", &self.webhook)
            .finish_non_exhaustive()
    }
}

/// A running Tencent Meeting emulator. Dropping it stops the server.
/// Changes the emulator's webhook subscription (the GET check runs first, as with the real service).
#[derive(Clone)]
pub struct EmulatorControl(Arc<state::Emulator>);

impl EmulatorControl {
    pub async fn set_webhook(&self, target: Option<WebhookTarget>) -> Result<(), String> {
        self.0.set_webhook(target).await
    }
}

pub struct TencentEmulator {
    server: RunningEmulator,
    emulator: Arc<state::Emulator>,
    faults: Arc<Faults>,
}

impl TencentEmulator {
    pub fn addr(&self) -> SocketAddr {
        self.server.addr
    }

    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn faults(&self) -> &Arc<Faults> {
        &self.faults
    }

    /// Sets (after the URL handshake) or clears the webhook subscription.
    pub async fn set_webhook(&self, target: Option<WebhookTarget>) -> Result<(), String> {
        self.emulator.set_webhook(target).await
    }

    /// A cloneable handle for changing the subscription from another task.
    pub fn handle(&self) -> EmulatorControl {
        EmulatorControl(self.emulator.clone())
    }

    pub async fn stop(self) {
        self.server.stop().await;
    }
}

/// Starts the emulator on `bind` (port 0 picks a free port). A configured webhook is verified first.
pub async fn start(bind: SocketAddr, config: TencentEmulatorConfig) -> io::Result<TencentEmulator> {
    let faults = Faults::new(auth::rate_limited_fault, is_meeting_query);
    let webhook = config.webhook.clone();
    let emulator = state::Emulator::new(config, faults.clone());
    if webhook.is_some() {
        emulator.set_webhook(webhook).await.map_err(|err| io::Error::other(format!("webhook handshake failed: {err}")))?;
    }
    let provider = Router::new()
        .route("/v1/meeting/{meeting_id}/phone/callout", post(handlers::callout).get(handlers::callout_list))
        .route("/v1/meeting/{meeting_id}/phone/cancelcall", post(handlers::cancel_call))
        .route("/v1/meetings", get(handlers::meeting_by_code))
        .route("/v1/meetings/{meeting_id}", get(handlers::meeting))
        .route("/v1/meetings/{meeting_id}/phone/ms-open-id", post(handlers::ms_open_ids))
        .route("/v1/meeting-rooms/room-call", put(handlers::room_call))
        .route("/v1/meeting-rooms/room-call-info", post(handlers::room_call_info))
        .route("/v1/meeting-rooms/cancel-room-call", put(handlers::cancel_room_call))
        .fallback(handlers::not_found)
        .layer(middleware::from_fn_with_state(emulator.clone(), auth::authenticate))
        .layer(middleware::from_fn_with_state(faults.clone(), super::faults::apply))
        .with_state(emulator.clone());
    let admin =
        Router::new().route("/__emulator/webhook", get(get_webhook).put(put_webhook).delete(delete_webhook)).with_state(emulator.clone());
    let router = admin.merge(faults.admin_router()).merge(provider);
    let server = super::serve("tencent-meeting", bind, router).await?;
    Ok(TencentEmulator { server, emulator, faults })
}

/// `GET /v1/meetings/{id}` and `GET /v1/meetings?meeting_code=`: the pre-check before a job, which
/// the fault knobs leave alone.
fn is_meeting_query(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::GET && path.strip_prefix("/v1/meetings").is_some_and(|rest| !rest[rest.len().min(1)..].contains('/'))
}

async fn get_webhook(State(emulator): State<Arc<state::Emulator>>) -> Json<Option<String>> {
    Json(emulator.webhook().map(|w| w.url))
}

async fn put_webhook(State(emulator): State<Arc<state::Emulator>>, Json(target): Json<WebhookTarget>) -> Response {
    match emulator.set_webhook(Some(target)).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => (StatusCode::BAD_REQUEST, err).into_response(),
    }
}

async fn delete_webhook(State(emulator): State<Arc<state::Emulator>>) -> StatusCode {
    let _ = emulator.set_webhook(None).await;
    StatusCode::NO_CONTENT
}
