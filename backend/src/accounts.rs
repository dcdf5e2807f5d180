//! The provider accounts of a running backend, each with its signing client. In sandbox mode these
//! are the built-in emulators, started in-process on loopback ports and reached over HTTP.

use std::{sync::Arc, time::Duration};

use callout_shared::{
    campaign::CallingWindow,
    me::{AccountSummary, InstanceSummary, ProviderKind},
};

use crate::{
    clock::Clock,
    config::{read_secret, ConfigError, Settings},
    providers::{
        aliyun_ccc::{AliyunAccount, AliyunCccClient},
        tencent_meeting::{webhook::WebhookSecrets, TencentAccount, TencentMeetingClient},
        HttpSettings, RetryPolicy,
    },
    sandbox::{
        aliyun_ccc::{self as ccc_emulator, AliyunEmulator, AliyunEmulatorConfig},
        tencent_meeting::{self as meeting_emulator, TencentEmulator, TencentEmulatorConfig, WebhookTarget},
    },
    service::pacing::{Paced, RateLimiter},
};

pub struct TencentEntry {
    pub summary: AccountSummary,
    /// Every call through this app waits on its budget: the provider's limit is per app, all APIs together.
    pub client: Paced<TencentMeetingClient>,
    /// Numbers per callout request, as configured.
    pub batch_cap: usize,
    /// The operator used when the signed-in user has none mapped (the sandbox's meeting host).
    pub default_operator: Option<String>,
    /// Event subscription secrets; without them the webhook endpoint refuses this account.
    pub webhook: Option<WebhookSecrets>,
    pub webhook_tolerance: Duration,
    /// When its jobs may dial unless a job sets its own window (from the configuration).
    pub calling_window: Option<CallingWindow>,
}

pub struct AliyunEntry {
    pub summary: AccountSummary,
    /// Every DialEx waits on the account's configured rate.
    pub client: Paced<AliyunCccClient>,
    pub calling_window: Option<CallingWindow>,
}

/// The emulators of sandbox mode; kept here so they live as long as the backend.
pub struct Sandbox {
    pub tencent: TencentEmulator,
    pub aliyun: AliyunEmulator,
}

pub struct Accounts {
    pub tencent: Vec<TencentEntry>,
    pub aliyun: Vec<AliyunEntry>,
    pub sandbox: Option<Sandbox>,
}

pub const SANDBOX_CCC_ACCOUNT: &str = "sandbox-ccc";
pub const SANDBOX_TENCENT_ACCOUNT: &str = "sandbox-tencent";
/// The sandbox's event-subscription secrets (they protect nothing: the emulator is local).
pub const SANDBOX_WEBHOOK_TOKEN: &str = "SandboxWebhookToken000001";
pub const SANDBOX_WEBHOOK_AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

impl Sandbox {
    /// Where and how the emulator delivers events to this backend: signed and AES-encrypted.
    pub fn webhook_target(&self, url: String) -> WebhookTarget {
        WebhookTarget { url, token: SANDBOX_WEBHOOK_TOKEN.into(), encoding_aes_key: Some(SANDBOX_WEBHOOK_AES_KEY.into()) }
    }
}

impl Accounts {
    pub async fn from_settings(settings: &Settings, clock: &Clock) -> Result<Self, ConfigError> {
        let http = http_settings(settings);
        if settings.is_sandbox() {
            return Self::sandbox(http, &settings.sandbox, clock).await;
        }
        let tencent = settings
            .tencent_meeting
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let secret = read_secret(&t.secret_key_env, &t.secret_key_file).expect("validated at load");
                let mut account = TencentAccount::new(&t.base_url, &t.app_id, &t.secret_id, secret.expose());
                account.sdk_id = t.sdk_id.clone();
                account.callout_batch_cap = t.callout_batch_cap;
                Ok(TencentEntry {
                    summary: AccountSummary {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        provider: ProviderKind::TencentMeeting,
                        sandbox: false,
                        instances: vec![],
                    },
                    client: Paced::new(
                        TencentMeetingClient::new(account, http.clone()),
                        Arc::new(RateLimiter::per_minute(t.rate_limit_per_minute)),
                    ),
                    batch_cap: t.callout_batch_cap,
                    default_operator: None,
                    webhook: webhook_secrets(t, i)?,
                    webhook_tolerance: Duration::from_secs(t.webhook_tolerance_secs),
                    calling_window: t.calling_window.clone(),
                })
            })
            .collect::<Result<_, ConfigError>>()?;
        let aliyun = settings
            .aliyun_ccc
            .iter()
            .map(|a| {
                let secret = read_secret(&a.access_key_secret_env, &a.access_key_secret_file).expect("validated at load");
                let account = AliyunAccount {
                    endpoint: a.endpoint.clone().unwrap_or_else(|| AliyunAccount::regional_endpoint(&a.region_id)),
                    region_id: a.region_id.clone(),
                    access_key_id: a.access_key_id.clone(),
                    access_key_secret: secret.expose().to_owned(),
                };
                AliyunEntry {
                    summary: AccountSummary {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        provider: ProviderKind::AliyunCcc,
                        sandbox: false,
                        instances: a.instances.iter().map(|i| InstanceSummary { id: i.id.clone(), name: i.name.clone() }).collect(),
                    },
                    client: Paced::new(
                        AliyunCccClient::new(account, http.clone()),
                        Arc::new(RateLimiter::per_minute(a.rate_limit_per_minute)),
                    ),
                    calling_window: a.calling_window.clone(),
                }
            })
            .collect();
        Ok(Self { tencent, aliyun, sandbox: None })
    }

    async fn sandbox(http: HttpSettings, sandbox: &crate::config::SandboxSettings, clock: &Clock) -> Result<Self, ConfigError> {
        let loopback = "127.0.0.1:0".parse().expect("static address");
        let emulator_error =
            |e: std::io::Error| ConfigError { key: "(sandbox)".into(), message: format!("cannot start the emulators: {e}") };
        let defaults = AliyunEmulatorConfig::default();
        // Call records on the backend's clock, written after a delay that scales like every emulated call's.
        let ccc_config =
            AliyunEmulatorConfig { record_delay: defaults.record_delay.mul_f64(sandbox.time_scale), clock: clock.clone(), ..defaults };
        let aliyun = ccc_emulator::start(loopback, ccc_config).await.map_err(emulator_error)?;
        let mut meeting_config = TencentEmulatorConfig::default();
        meeting_config.delays = meeting_config.delays.scaled(sandbox.time_scale);
        meeting_config.callout_batch_cap = sandbox.callout_batch_cap;
        // The emulated provider enforces the budget the console paces itself to.
        meeting_config.rate_limit_per_minute = sandbox.rate_limit_per_minute;
        let tencent = meeting_emulator::start(loopback, meeting_config).await.map_err(emulator_error)?;
        let http = HttpSettings { use_system_proxy: false, ..http };
        let meeting = TencentEntry {
            summary: AccountSummary {
                id: SANDBOX_TENCENT_ACCOUNT.into(),
                name: "Sandbox Tencent Meeting".into(),
                provider: ProviderKind::TencentMeeting,
                sandbox: true,
                instances: vec![],
            },
            client: Paced::new(
                TencentMeetingClient::new(
                    TencentAccount::new(
                        tencent.base_url(),
                        meeting_emulator::SANDBOX_APP_ID,
                        meeting_emulator::SANDBOX_SECRET_ID,
                        meeting_emulator::SANDBOX_SECRET_KEY,
                    ),
                    http.clone(),
                ),
                Arc::new(RateLimiter::per_minute(sandbox.rate_limit_per_minute)),
            ),
            batch_cap: crate::providers::tencent_meeting::DEFAULT_CALLOUT_BATCH_CAP,
            default_operator: Some(meeting_emulator::SANDBOX_OPERATOR_ID.into()),
            webhook: Some(WebhookSecrets::new(SANDBOX_WEBHOOK_TOKEN, Some(SANDBOX_WEBHOOK_AES_KEY)).expect("static sandbox key")),
            webhook_tolerance: Duration::from_secs(300),
            calling_window: sandbox.calling_window.clone(),
        };
        let entry = AliyunEntry {
            summary: AccountSummary {
                id: SANDBOX_CCC_ACCOUNT.into(),
                name: "Sandbox Contact Center".into(),
                provider: ProviderKind::AliyunCcc,
                sandbox: true,
                instances: vec![InstanceSummary {
                    id: ccc_emulator::SANDBOX_INSTANCE_ID.into(),
                    name: "Sandbox instance (CalloutDemo)".into(),
                }],
            },
            client: Paced::new(
                AliyunCccClient::new(aliyun.account(), http),
                Arc::new(RateLimiter::per_minute(sandbox.ccc_rate_limit_per_minute)),
            ),
            calling_window: sandbox.calling_window.clone(),
        };
        Ok(Self { tencent: vec![meeting], aliyun: vec![entry], sandbox: Some(Sandbox { tencent, aliyun }) })
    }

    pub fn summaries(&self) -> Vec<AccountSummary> {
        self.tencent.iter().map(|t| t.summary.clone()).chain(self.aliyun.iter().map(|a| a.summary.clone())).collect()
    }

    /// The account's default calling window, whichever provider it is.
    pub fn calling_window(&self, id: &str) -> Option<&CallingWindow> {
        match self.tencent(id) {
            Some(t) => t.calling_window.as_ref(),
            None => self.aliyun(id).and_then(|a| a.calling_window.as_ref()),
        }
    }

    pub fn tencent(&self, id: &str) -> Option<&TencentEntry> {
        self.tencent.iter().find(|t| t.summary.id == id)
    }

    pub fn aliyun(&self, id: &str) -> Option<&AliyunEntry> {
        self.aliyun.iter().find(|a| a.summary.id == id)
    }
}

fn webhook_secrets(t: &crate::config::TencentAccountSettings, i: usize) -> Result<Option<WebhookSecrets>, ConfigError> {
    let Some(token) = read_secret(&t.webhook_token_env, &t.webhook_token_file) else { return Ok(None) };
    let aes = read_secret(&t.webhook_aes_key_env, &t.webhook_aes_key_file);
    WebhookSecrets::new(token.expose(), aes.as_ref().map(|k| k.expose())).map(Some).map_err(|e| ConfigError {
        key: format!("tencent_meeting[{i}].webhook_aes_key_env"),
        message: format!("not a usable EncodingAESKey: {e}"),
    })
}

fn http_settings(settings: &Settings) -> HttpSettings {
    let h = &settings.http;
    HttpSettings {
        connect_timeout: Duration::from_millis(h.connect_timeout_ms),
        total_timeout: Duration::from_millis(h.total_timeout_ms),
        retry: RetryPolicy {
            max_attempts: h.retry_attempts.max(1),
            base_delay: Duration::from_millis(h.retry_base_delay_ms),
            max_delay: Duration::from_secs(5),
        },
        use_system_proxy: true,
    }
}
