//! Configuration: one TOML file (see `callout-console.example.toml`) plus environment overrides,
//! validated as a whole at start-up. A bad value stops the start with a message naming its key.
//!
//! Environment overrides: `CALLOUT__<SECTION>__<KEY>=value` sets `section.key` (array items by
//! index: `CALLOUT__TENCENT_MEETING__0__APP_ID`); values are read as TOML (`30`, `true`,
//! `["a","b"]`) and otherwise as text. Secrets are never written in the file: each secret names an
//! environment variable (`*_env`) or a file (`*_file`) to read it from.

use std::{collections::BTreeMap, fmt, net::SocketAddr, path::PathBuf};

use callout_shared::campaign::CallingWindow;
use ipnet::IpNet;
use serde::Deserialize;

pub use crate::secret::Secret;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub server: ServerSettings,
    #[serde(default)]
    pub auth: AuthSettings,
    #[serde(default)]
    pub roles: RoleSettings,
    /// Signed-in user (email, or subject when there is no email) → the Tencent Meeting `operator_id`
    /// they act as.
    #[serde(default)]
    pub operator_ids: BTreeMap<String, String>,
    #[serde(default)]
    pub http: HttpTimeouts,
    #[serde(default)]
    pub log: LogSettings,
    #[serde(default)]
    pub sandbox: SandboxSettings,
    #[serde(default)]
    pub dialex_outcomes: DialExOutcomeSettings,
    /// Numbers no job ever dials, in any spelling the normaliser understands (admins can add more in the UI).
    #[serde(default)]
    pub do_not_call: Vec<String>,
    #[serde(default)]
    pub tencent_meeting: Vec<TencentAccountSettings>,
    #[serde(default)]
    pub aliyun_ccc: Vec<AliyunAccountSettings>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    /// The built admin panel (`trunk build --release` writes `dist/`), served by the backend itself.
    pub static_dir: Option<PathBuf>,
    /// Where the database and other state live.
    pub data_dir: PathBuf,
    /// How long an `Idempotency-Key` is remembered (a repeat within it replays the first answer).
    pub idempotency_ttl_secs: u64,
    /// How long a webhook event's id is remembered to recognise a redelivery (then pruned; the
    /// event's body is never stored).
    pub webhook_dedupe_secs: u64,
    /// A second listener that serves `/metrics` alone and without sign-in: for loopback or an
    /// internal network that only Prometheus reaches. Without it, admins scrape the main listener.
    pub metrics_bind: Option<SocketAddr>,
    /// Lets an admin move this backend's clock forward (`POST /api/v1/sandbox/clock`), to try a
    /// campaign's schedule, windows and retries without waiting. Default: on in sandbox mode only;
    /// never turn it on for real calling.
    pub clock_control: Option<bool>,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// For people: one readable line per event.
    #[default]
    Text,
    /// For log collectors: one JSON object per line, with the request's span fields (its request id).
    Json,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    pub format: LogFormat,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".parse().unwrap(),
            static_dir: None,
            data_dir: PathBuf::from("data"),
            idempotency_ttl_secs: 24 * 3600,
            webhook_dedupe_secs: 3 * 24 * 3600,
            metrics_bind: None,
            clock_control: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMode {
    /// A fixed user from this file; loopback only. For trying the product and for development.
    #[default]
    Dev,
    /// Verify the signed assertion (JWT) an identity-aware proxy adds to every request.
    Jwt,
    /// Trust identity headers, but only from the configured proxy addresses.
    TrustedHeaders,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    #[serde(default)]
    pub mode: AuthMode,
    #[serde(default)]
    pub dev: DevUser,
    pub jwt: Option<JwtSettings>,
    pub trusted_headers: Option<TrustedHeaderSettings>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DevUser {
    pub subject: String,
    pub email: String,
    pub name: String,
    pub groups: Vec<String>,
    /// Dev sign-in with real provider accounts (not the sandbox): off unless said here, since
    /// anyone who reaches the loopback port acts as this user.
    pub allow_live_accounts: bool,
}

impl Default for DevUser {
    fn default() -> Self {
        Self {
            subject: "dev".into(),
            email: "dev@localhost".into(),
            name: "Developer".into(),
            groups: vec!["callout-admins".into()],
            allow_live_accounts: false,
        }
    }
}

/// Identity-aware proxies whose assertion format is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JwtPreset {
    Pomerium,
    Cloudflare,
    Iap,
    /// oauth2-proxy with `--pass-authorization-header`: the IdP's ID token as `Authorization: Bearer`.
    OidcBearer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum JwtAlgorithm {
    ES256,
    ES384,
    RS256,
    RS384,
    RS512,
    PS256,
    EdDSA,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtSettings {
    pub preset: Option<JwtPreset>,
    /// Header carrying the assertion; the preset's when absent.
    pub header: Option<String>,
    /// Pinned JWKS URL; never taken from the token.
    pub jwks_url: String,
    pub algorithm: Option<JwtAlgorithm>,
    pub issuer: String,
    pub audience: String,
    #[serde(default = "default_email_claim")]
    pub email_claim: String,
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
    #[serde(default = "default_name_claim")]
    pub name_claim: String,
    #[serde(default = "default_leeway")]
    pub leeway_secs: u64,
    /// At most one JWKS fetch per this many seconds when an unknown `kid` shows up.
    #[serde(default = "default_jwks_cooldown")]
    pub jwks_cooldown_secs: u64,
    /// The whole key set is refetched after this age, so removed keys stop verifying.
    #[serde(default = "default_jwks_max_age")]
    pub jwks_max_age_secs: u64,
}

/// How long one JWKS fetch may take.
pub const JWKS_FETCH_TIMEOUT_SECS: u64 = 5;

fn default_email_claim() -> String {
    "email".into()
}
fn default_groups_claim() -> String {
    "groups".into()
}
fn default_name_claim() -> String {
    "name".into()
}
fn default_leeway() -> u64 {
    30
}
fn default_jwks_cooldown() -> u64 {
    30
}
fn default_jwks_max_age() -> u64 {
    600
}

/// Forward-auth proxies whose identity headers are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderPreset {
    Oauth2Proxy,
    Authelia,
    Authentik,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedHeaderSettings {
    pub preset: Option<HeaderPreset>,
    /// TCP peers (the proxy) allowed to assert identity, as addresses or CIDR ranges. Required.
    #[serde(default)]
    pub trusted_proxies: Vec<IpNet>,
    pub user_header: Option<String>,
    pub email_header: Option<String>,
    pub groups_header: Option<String>,
    pub name_header: Option<String>,
    pub groups_separator: Option<String>,
}

/// Groups and emails per role. Nobody matching gets no access at all.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleSettings {
    pub admin_groups: Vec<String>,
    pub operator_groups: Vec<String>,
    pub viewer_groups: Vec<String>,
    pub admin_emails: Vec<String>,
    pub operator_emails: Vec<String>,
    pub viewer_emails: Vec<String>,
}

impl Default for RoleSettings {
    fn default() -> Self {
        Self {
            admin_groups: vec!["callout-admins".into()],
            operator_groups: vec!["callout-operators".into()],
            viewer_groups: vec!["callout-viewers".into()],
            admin_emails: vec![],
            operator_emails: vec![],
            viewer_emails: vec![],
        }
    }
}

/// The built-in emulators of sandbox mode.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxSettings {
    /// Let the Tencent Meeting emulator deliver signed webhook events to this backend (as a real
    /// subscription would); off, calls are followed by polling only.
    pub webhooks: bool,
    /// Multiplies every emulated call delay (ringing, answering, talking): 0.05 makes a demo twenty
    /// times faster. The delays at 1.0 are those of `sandbox::tencent_meeting::LifecycleDelays`.
    pub time_scale: f64,
    /// Numbers the Tencent Meeting emulator takes per callout request (the real cap is unconfirmed:
    /// 50 or 30); below the console's 50 it shows how a job splits a batch the provider refuses.
    pub callout_batch_cap: usize,
    /// The sandbox accounts' request budgets (the Tencent emulator enforces the same limit).
    pub rate_limit_per_minute: u32,
    pub ccc_rate_limit_per_minute: u32,
    /// The sandbox accounts' default calling window (absent: any time), to try windows.
    pub calling_window: Option<CallingWindow>,
}

impl Default for SandboxSettings {
    fn default() -> Self {
        Self {
            webhooks: true,
            time_scale: 1.0,
            callout_batch_cap: 50,
            rate_limit_per_minute: 300,
            ccc_rate_limit_per_minute: 60,
            calling_window: None,
        }
    }
}

/// Following DialEx calls to their outcome through the contact center's call records
/// (`ListCallDetailRecords`). How a record maps to a DialEx task is not documented: a record counts
/// for a call to its number that started within the window around the moment the call was placed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DialExOutcomeSettings {
    /// How long a placed call waits for its record; then it is `unknown` (no outcome reported) and
    /// only a person's "retry unknown" dials it again.
    pub wait_minutes: u64,
    /// A record may start this long before the call was placed (clocks differ)...
    pub match_before_secs: u64,
    /// ...and up to this long after (ringing, queueing).
    pub match_after_secs: u64,
}

impl Default for DialExOutcomeSettings {
    fn default() -> Self {
        Self { wait_minutes: 120, match_before_secs: 60, match_after_secs: 600 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpTimeouts {
    pub connect_timeout_ms: u64,
    pub total_timeout_ms: u64,
    pub retry_attempts: u32,
    pub retry_base_delay_ms: u64,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        Self { connect_timeout_ms: 5_000, total_timeout_ms: 10_000, retry_attempts: 3, retry_base_delay_ms: 500 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TencentAccountSettings {
    /// Stable id used in API requests (`hq`).
    pub id: String,
    /// What the UI shows.
    pub name: String,
    #[serde(default = "default_tencent_base_url")]
    pub base_url: String,
    /// Enterprise id (AppId header).
    pub app_id: String,
    /// Only when Tencent assigned one; sending one that was not assigned fails with 190303.
    pub sdk_id: Option<String>,
    pub secret_id: String,
    pub secret_key_env: Option<String>,
    pub secret_key_file: Option<PathBuf>,
    /// Numbers per callout request. Tencent's docs say 30 in one place and 50 in another.
    #[serde(default = "default_batch_cap")]
    pub callout_batch_cap: usize,
    /// The app's request budget, shared by every operation (Tencent: 300 a minute per app).
    #[serde(default = "default_rate_limit")]
    pub rate_limit_per_minute: u32,
    /// Event subscription (webhook) token and optional EncodingAESKey.
    pub webhook_token_env: Option<String>,
    pub webhook_token_file: Option<PathBuf>,
    pub webhook_aes_key_env: Option<String>,
    pub webhook_aes_key_file: Option<PathBuf>,
    /// Largest accepted distance between an event's timestamp and our clock. Tencent documents no
    /// window; five minutes is the common webhook practice.
    #[serde(default = "default_webhook_tolerance")]
    pub webhook_tolerance_secs: u64,
    /// When this account's jobs may dial unless a job sets its own window; absent: any time.
    pub calling_window: Option<CallingWindow>,
}

fn default_tencent_base_url() -> String {
    "https://api.meeting.qq.com".into()
}
fn default_batch_cap() -> usize {
    50
}
fn default_webhook_tolerance() -> u64 {
    300
}
fn default_rate_limit() -> u32 {
    300
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliyunAccountSettings {
    pub id: String,
    pub name: String,
    pub region_id: String,
    /// Defaults to `https://ccc.<region_id>.aliyuncs.com`.
    pub endpoint: Option<String>,
    pub access_key_id: String,
    pub access_key_secret_env: Option<String>,
    pub access_key_secret_file: Option<PathBuf>,
    /// CCC instances offered in the UI.
    #[serde(default)]
    pub instances: Vec<CccInstance>,
    /// DialEx requests a minute for this account. Alibaba documents no per-API figure for DialEx
    /// (unconfirmed), so this is the console's own pace; raise it to what the account's quota allows.
    #[serde(default = "default_ccc_rate_limit")]
    pub rate_limit_per_minute: u32,
    /// When this account's jobs may dial unless a job sets its own window; absent: any time.
    pub calling_window: Option<CallingWindow>,
}

fn default_ccc_rate_limit() -> u32 {
    60
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CccInstance {
    pub id: String,
    pub name: String,
}

/// A configuration problem, naming the key (`auth.jwt.issuer`) or environment variable at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration key `{}`: {}", self.key, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn err(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError { key: key.into(), message: message.into() }
}

impl Settings {
    /// Reads the file (if any), applies `CALLOUT__*` overrides from `env`, deserialises and validates.
    pub fn load(file: Option<&std::path::Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigError> {
        let text = match file {
            Some(path) => std::fs::read_to_string(path).map_err(|e| err("--config", format!("cannot read {}: {e}", path.display())))?,
            None => String::new(),
        };
        Self::from_toml(&text, env)
    }

    pub fn from_toml(text: &str, env: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigError> {
        let mut root: toml::Table = toml::from_str(text).map_err(|e| {
            let key = e.span().map(|s| format!("at byte {}", s.start)).unwrap_or_else(|| "(file)".into());
            err(key, e.message().to_owned())
        })?;
        for (name, value) in env {
            if let Some(path) = name.strip_prefix("CALLOUT__") {
                apply_override(&mut root, &name, path, &value)?;
            }
        }
        let settings: Settings = serde_path_to_error::deserialize(toml::Value::Table(root)).map_err(|e| {
            let path = e.path().to_string();
            err(if path == "." { "(root)".into() } else { path }, e.inner().to_string())
        })?;
        settings.validate()?;
        Ok(settings)
    }

    /// No provider account configured: everything goes to the built-in emulators.
    pub fn is_sandbox(&self) -> bool {
        self.tencent_meeting.is_empty() && self.aliyun_ccc.is_empty()
    }

    /// Whether an admin may move the clock forward (see [`ServerSettings::clock_control`]).
    pub fn clock_control(&self) -> bool {
        self.server.clock_control.unwrap_or_else(|| self.is_sandbox())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        match self.auth.mode {
            AuthMode::Dev => {
                if !self.server.bind.ip().is_loopback() {
                    return Err(err("server.bind", "auth.mode = \"dev\" only listens on a loopback address (127.0.0.1 or ::1); configure jwt or trusted-headers to serve others"));
                }
            }
            AuthMode::Jwt => {
                let jwt = self.auth.jwt.as_ref().ok_or_else(|| err("auth.jwt", "auth.mode = \"jwt\" needs an [auth.jwt] section"))?;
                for (key, value) in [("jwks_url", &jwt.jwks_url), ("issuer", &jwt.issuer), ("audience", &jwt.audience)] {
                    if value.trim().is_empty() {
                        return Err(err(format!("auth.jwt.{key}"), "must not be empty"));
                    }
                }
                if jwt.jwks_cooldown_secs < JWKS_FETCH_TIMEOUT_SECS {
                    // A cooldown shorter than one fetch lets requests for unknown keys queue fetch after fetch.
                    return Err(err(
                        "auth.jwt.jwks_cooldown_secs",
                        format!("must be at least the JWKS fetch timeout ({JWKS_FETCH_TIMEOUT_SECS} s)"),
                    ));
                }
                if !(jwt.jwks_url.starts_with("https://") || jwt.jwks_url.starts_with("http://")) {
                    return Err(err("auth.jwt.jwks_url", "must be an http(s) URL"));
                }
                if jwt.preset.is_none() && (jwt.header.is_none() || jwt.algorithm.is_none()) {
                    return Err(err("auth.jwt.preset", "without a preset, both auth.jwt.header and auth.jwt.algorithm are required"));
                }
            }
            AuthMode::TrustedHeaders => {
                let th = self.auth.trusted_headers.as_ref().ok_or_else(|| {
                    err("auth.trusted_headers", "auth.mode = \"trusted-headers\" needs an [auth.trusted_headers] section")
                })?;
                if th.trusted_proxies.is_empty() {
                    return Err(err(
                        "auth.trusted_headers.trusted_proxies",
                        "refusing to trust identity headers from anyone: list the proxy addresses",
                    ));
                }
                if th.preset.is_none() && th.email_header.is_none() && th.user_header.is_none() {
                    return Err(err("auth.trusted_headers.preset", "without a preset, name at least user_header or email_header"));
                }
            }
        }
        if !(self.sandbox.time_scale > 0.0 && self.sandbox.time_scale <= 100.0) {
            return Err(err("sandbox.time_scale", "must be greater than 0 and at most 100"));
        }
        calling_window("sandbox.calling_window", self.sandbox.calling_window.as_ref())?;
        if !(1..=100).contains(&self.sandbox.callout_batch_cap) {
            return Err(err("sandbox.callout_batch_cap", "must be between 1 and 100"));
        }
        for (key, rate) in [
            ("sandbox.rate_limit_per_minute", self.sandbox.rate_limit_per_minute),
            ("sandbox.ccc_rate_limit_per_minute", self.sandbox.ccc_rate_limit_per_minute),
        ] {
            if rate == 0 {
                return Err(err(key, "must be at least 1"));
            }
        }
        let outcomes = &self.dialex_outcomes;
        if !(1..=7 * 24 * 60).contains(&outcomes.wait_minutes) {
            return Err(err("dialex_outcomes.wait_minutes", "must be between 1 and 10080 (a week)"));
        }
        if outcomes.match_before_secs > 3600 {
            return Err(err("dialex_outcomes.match_before_secs", "must be at most 3600"));
        }
        if outcomes.match_after_secs == 0 || outcomes.match_after_secs > outcomes.wait_minutes * 60 {
            return Err(err(
                "dialex_outcomes.match_after_secs",
                "must be at least 1 and at most wait_minutes: a call must not be given up on while its record may still come",
            ));
        }
        if self.server.idempotency_ttl_secs == 0 {
            return Err(err("server.idempotency_ttl_secs", "must be at least 1"));
        }
        if self.server.webhook_dedupe_secs < 3600 {
            return Err(err("server.webhook_dedupe_secs", "must be at least 3600: a provider may deliver an event again for hours"));
        }
        let mut ids = std::collections::BTreeSet::new();
        for (i, account) in self.tencent_meeting.iter().enumerate() {
            let key = |k: &str| format!("tencent_meeting[{i}].{k}");
            non_empty(&key("id"), &account.id)?;
            non_empty(&key("name"), &account.name)?;
            non_empty(&key("app_id"), &account.app_id)?;
            non_empty(&key("secret_id"), &account.secret_id)?;
            if !ids.insert(account.id.clone()) {
                return Err(err(key("id"), format!("`{}` is used by another account", account.id)));
            }
            if !(1..=100).contains(&account.callout_batch_cap) {
                return Err(err(key("callout_batch_cap"), "must be between 1 and 100"));
            }
            secret_source(&key("secret_key"), &account.secret_key_env, &account.secret_key_file, true)?;
            secret_source(&key("webhook_token"), &account.webhook_token_env, &account.webhook_token_file, false)?;
            secret_source(&key("webhook_aes_key"), &account.webhook_aes_key_env, &account.webhook_aes_key_file, false)?;
            calling_window(&key("calling_window"), account.calling_window.as_ref())?;
        }
        for (i, account) in self.aliyun_ccc.iter().enumerate() {
            let key = |k: &str| format!("aliyun_ccc[{i}].{k}");
            non_empty(&key("id"), &account.id)?;
            non_empty(&key("name"), &account.name)?;
            non_empty(&key("region_id"), &account.region_id)?;
            non_empty(&key("access_key_id"), &account.access_key_id)?;
            if !ids.insert(account.id.clone()) {
                return Err(err(key("id"), format!("`{}` is used by another account", account.id)));
            }
            secret_source(&key("access_key_secret"), &account.access_key_secret_env, &account.access_key_secret_file, true)?;
            calling_window(&key("calling_window"), account.calling_window.as_ref())?;
        }
        if self.auth.mode == AuthMode::Dev && !self.is_sandbox() && !self.auth.dev.allow_live_accounts {
            return Err(err(
                "auth.dev.allow_live_accounts",
                "auth.mode = \"dev\" signs everyone in as the developer user; with real provider accounts that needs allow_live_accounts = true",
            ));
        }
        Ok(())
    }
}

fn non_empty(key: &str, value: &str) -> Result<(), ConfigError> {
    if value.trim().is_empty() {
        return Err(err(key, "must not be empty"));
    }
    Ok(())
}

/// Checks that a secret named `<key>_env` / `<key>_file` can be read; `required` when it must exist.
fn calling_window(key: &str, window: Option<&CallingWindow>) -> Result<(), ConfigError> {
    match window.map(crate::service::campaigns::OpenHours::of) {
        Some(Err(problem)) => Err(err(key, problem.english())),
        _ => Ok(()),
    }
}

fn secret_source(key: &str, env: &Option<String>, file: &Option<PathBuf>, required: bool) -> Result<Option<Secret>, ConfigError> {
    match (env, file) {
        (Some(_), Some(_)) => Err(err(format!("{key}_env"), format!("set either {key}_env or {key}_file, not both"))),
        (Some(var), None) => match std::env::var(var) {
            Ok(value) if !value.trim().is_empty() => Ok(Some(Secret::new(value.trim().to_owned()))),
            _ => Err(err(format!("{key}_env"), format!("environment variable {var} is not set or empty"))),
        },
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(value) if !value.trim().is_empty() => Ok(Some(Secret::new(value.trim().to_owned()))),
            Ok(_) => Err(err(format!("{key}_file"), format!("{} is empty", path.display()))),
            Err(e) => Err(err(format!("{key}_file"), format!("cannot read {}: {e}", path.display()))),
        },
        (None, None) if required => Err(err(format!("{key}_env"), format!("a secret is required: set {key}_env or {key}_file"))),
        (None, None) => Ok(None),
    }
}

/// Reads a secret whose source [`Settings::load`] already checked.
pub fn read_secret(env: &Option<String>, file: &Option<PathBuf>) -> Option<Secret> {
    secret_source("secret", env, file, false).ok().flatten()
}

fn apply_override(root: &mut toml::Table, var: &str, path: &str, raw: &str) -> Result<(), ConfigError> {
    let parts: Vec<String> = path.split("__").map(|p| p.to_ascii_lowercase()).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(err(var, "malformed override name (use CALLOUT__SECTION__KEY)"));
    }
    let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_owned()));
    // Walk tables and array indices down to the parent of the last key.
    let (last, parents) = parts.split_last().expect("split yields at least one part");
    let mut current = root_value(root);
    for part in parents {
        current = step(current, part, var)?;
    }
    match current {
        Node::Table(t) => {
            t.insert(last.clone(), value);
        }
        Node::Value(toml::Value::Table(t)) => {
            t.insert(last.clone(), value);
        }
        Node::Value(toml::Value::Array(items)) => {
            let idx: usize = last.parse().map_err(|_| err(var, "an array needs a numeric index"))?;
            *items.get_mut(idx).ok_or_else(|| err(var, format!("no item {idx} to override")))? = value;
        }
        Node::Value(_) => return Err(err(var, "overrides a value that is not a table")),
    }
    Ok(())
}

/// A place in the TOML tree: the root table, or a value below it.
enum Node<'a> {
    Table(&'a mut toml::Table),
    Value(&'a mut toml::Value),
}

fn root_value(root: &mut toml::Table) -> Node<'_> {
    Node::Table(root)
}

fn step<'a>(current: Node<'a>, part: &str, var: &str) -> Result<Node<'a>, ConfigError> {
    let new_table = || toml::Value::Table(toml::Table::new());
    match current {
        Node::Table(t) => Ok(Node::Value(t.entry(part.to_owned()).or_insert_with(new_table))),
        Node::Value(toml::Value::Table(t)) => Ok(Node::Value(t.entry(part.to_owned()).or_insert_with(new_table))),
        Node::Value(toml::Value::Array(items)) => {
            let idx: usize = part.parse().map_err(|_| err(var, format!("`{part}` is not an array index")))?;
            items.get_mut(idx).map(Node::Value).ok_or_else(|| err(var, format!("no item {idx} to override")))
        }
        Node::Value(_) => Err(err(var, format!("`{part}` is below a value that is not a table"))),
    }
}
