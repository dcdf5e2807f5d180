//! The emulator's memory: meetings (from the configuration), placed calls, room invitations, seen
//! nonces, the rate-limit window and the webhook subscription.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use serde_json::Value;
use sha1::{Digest, Sha1};
use tokio::{sync::mpsc, time::Instant};

use super::{auth::ApiError, webhook_sender, EmulatedMeeting, MeetingKind, TencentEmulatorConfig, WebhookTarget};
use crate::sandbox::faults::Faults;

pub struct Emulator {
    pub config: TencentEmulatorConfig,
    pub faults: Arc<Faults>,
    inner: Mutex<Inner>,
    events: mpsc::UnboundedSender<Value>,
    pub http: reqwest::Client,
}

#[derive(Default)]
pub struct Inner {
    /// Calls per meeting id, in the order they were placed.
    pub calls: HashMap<String, Vec<Call>>,
    pub rooms: Vec<RoomInvite>,
    seen_nonces: crate::sandbox::ReplayLedger<(String, String), Instant>,
    recent_requests: VecDeque<Instant>,
    pub webhook: Option<WebhookTarget>,
    next_id: u64,
}

#[derive(Debug, Clone)]
pub struct Call {
    pub id: u64,
    pub area: u32,
    pub phone: String,
    pub extension: Option<String>,
    pub nick_name: Option<String>,
    /// The provider's status word; `""` until the phone starts ringing.
    pub status: &'static str,
    pub ms_open_ids: Vec<String>,
}

impl Call {
    pub fn is_live(&self) -> bool {
        matches!(self.status, "" | "START_INVITE" | "START_ACCEPT")
    }

    pub fn same_number(&self, area: u32, phone: &str, extension: Option<&str>) -> bool {
        self.area == area
            && self.phone == phone
            && self.extension.as_deref().filter(|e| !e.is_empty()) == extension.filter(|e| !e.is_empty())
    }

    /// How the dial counter names this number.
    pub fn dial_label(&self) -> String {
        match &self.extension {
            Some(ext) if !ext.is_empty() => format!("+{}{};ext={ext}", self.area, self.phone),
            _ => format!("+{}{}", self.area, self.phone),
        }
    }
}

/// The room or device a room call rings, as the provider identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomKey {
    Room(String),
    /// protocol (1 SIP, 2 H.323), dial string
    Mra(u8, String),
}

impl RoomKey {
    pub fn dial_label(&self) -> String {
        match self {
            RoomKey::Room(id) => format!("room:{id}"),
            RoomKey::Mra(1, dial) => format!("sip:{dial}"),
            RoomKey::Mra(_, dial) => format!("h323:{dial}"),
        }
    }

    /// The character the deterministic room lifecycle keys on.
    pub fn last_char(&self) -> Option<char> {
        match self {
            RoomKey::Room(s) | RoomKey::Mra(_, s) => s.chars().last(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RoomInvite {
    pub invite_id: String,
    pub meeting_id: String,
    pub key: RoomKey,
    pub status: i64,
    pub response_time: Option<String>,
}

impl Emulator {
    pub fn new(config: TencentEmulatorConfig, faults: Arc<Faults>) -> Arc<Self> {
        let (events, receiver) = mpsc::unbounded_channel();
        let http = reqwest::Client::builder()
            .timeout(config.webhook_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("static HTTP client configuration");
        let emulator = Arc::new(Self { config, faults, inner: Mutex::new(Inner::default()), events, http });
        tokio::spawn(webhook_sender::deliver_events(Arc::downgrade(&emulator), receiver));
        emulator
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn meeting(&self, meeting_id: &str) -> Result<&EmulatedMeeting, ApiError> {
        self.config
            .meetings
            .iter()
            .find(|m| m.meeting_id == meeting_id)
            .ok_or_else(|| ApiError::request(190457, "会议不存在,请检查meeting_id (meeting does not exist)"))
    }

    /// The checks every PSTN operation shares: the meeting exists and the operator may act on it.
    /// `placing` adds the checks that only apply to dialling (meeting ended, webinar).
    pub fn operable_meeting(
        &self,
        meeting_id: &str,
        operator_id: &str,
        operator_id_type: i64,
        placing: bool,
    ) -> Result<&EmulatedMeeting, ApiError> {
        if operator_id_type != 1 {
            return Err(ApiError::invalid_param("operator_id_type must be 1 (userid)"));
        }
        let meeting = self.meeting(meeting_id)?;
        if !meeting.may_operate(operator_id) {
            return Err(ApiError::request(9042, "没有权限: 操作者须为会议创建者、主持人或联席主持人 (permission denied)"));
        }
        if placing {
            match meeting.kind {
                MeetingKind::Ended => return Err(ApiError::service(9006, "会议已结束 (meeting already ended)")),
                MeetingKind::Webinar => {
                    if let Some(spec) = &self.config.webinar_callout_error {
                        return Err(ApiError::new(spec.http_status, spec.code, spec.message.clone()));
                    }
                }
                MeetingKind::Normal => {}
            }
        }
        Ok(meeting)
    }

    /// Why the real service would refuse to dial this number, if it would.
    pub fn refusal(&self, area: u32, phone: &str, extension: Option<&str>) -> Option<&'static str> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if ![86, 852, 1].contains(&area) {
            return Some("不支持的国家或地区代码 (unsupported area code; 86, 852 and 1 are supported)");
        }
        if !digits(phone) || extension.is_some_and(|e| !e.is_empty() && !digits(e)) {
            return Some("电话号码格式错误 (the number and extension must be digits)");
        }
        let plausible = match area {
            86 => (7..=12).contains(&phone.len()),
            852 => phone.len() == 8,
            _ => phone.len() == 10,
        };
        if !plausible {
            return Some("电话号码长度错误 (implausible number length)");
        }
        let full = format!("{area}{phone}");
        if self.config.blocked_prefixes.iter().any(|p| full.starts_with(p.as_str())) {
            return Some("该号码禁止外呼 (number blocked for callout)");
        }
        None
    }

    pub fn webhook(&self) -> Option<WebhookTarget> {
        self.lock().webhook.clone()
    }

    pub async fn set_webhook(&self, target: Option<WebhookTarget>) -> Result<(), String> {
        if let Some(target) = &target {
            webhook_sender::handshake(&self.http, target).await?;
        }
        self.lock().webhook = target;
        Ok(())
    }

    /// Queues an event for delivery when a webhook is subscribed (events without one are dropped, as the real service would).
    pub fn emit(&self, event: &str, item: Value) {
        if self.lock().webhook.is_none() {
            return;
        }
        let envelope = serde_json::json!({"event": event, "trace_id": uuid::Uuid::new_v4().to_string(), "payload": [item]});
        let _ = self.events.send(envelope);
    }
}

impl Inner {
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// False when (timestamp, nonce) was already used within `window`.
    pub fn remember_nonce(&mut self, timestamp: &str, nonce: &str, window: Duration) -> bool {
        let now = Instant::now();
        self.seen_nonces.record((timestamp.to_owned(), nonce.to_owned()), now, now.checked_sub(window))
    }

    /// Sliding one-minute window of accepted requests for the app.
    pub fn take_rate_token(&mut self, per_window: u32, window: Duration) -> bool {
        let now = Instant::now();
        while self.recent_requests.front().is_some_and(|t| now.duration_since(*t) >= window) {
            self.recent_requests.pop_front();
        }
        if self.recent_requests.len() >= per_window as usize {
            return false;
        }
        self.recent_requests.push_back(now);
        true
    }

    pub fn call_mut(&mut self, meeting_id: &str, call_id: u64) -> Option<&mut Call> {
        self.calls.get_mut(meeting_id)?.iter_mut().find(|c| c.id == call_id)
    }
}

/// A stable, opaque ms_open_id for the `nth` meeting identity of a call.
pub fn ms_open_id(meeting_id: &str, call: &Call, nth: u32) -> String {
    let digest = Sha1::digest(format!("{meeting_id}|{}|{}|{nth}", call.dial_label(), call.id).as_bytes());
    format!("ms{}", &hex::encode(digest)[..30])
}
