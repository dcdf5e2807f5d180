//! What the CCC emulator knows: access keys, instances, the gateway's windows and status codes.

use std::{collections::BTreeMap, time::Duration};

/// The sandbox's AccessKey id, accepted by the emulator's default configuration.
pub const SANDBOX_ACCESS_KEY_ID: &str = "LTAI5tCalloutSandbox";
/// Its secret. Sandbox only: it protects nothing.
pub const SANDBOX_ACCESS_KEY_SECRET: &str = "CalloutSandboxSecret0123456789";
pub const SANDBOX_REGION_ID: &str = "cn-shanghai";
/// The seeded CCC instance (the id from Alibaba's DialEx doc example).
pub const SANDBOX_INSTANCE_ID: &str = "d278629c-c687-4aa3-b044-4fe9b012e7ef";
/// The instance's CCC domain. Case-sensitive, like the real one: `agent001@calloutdemo` is refused.
pub const SANDBOX_DOMAIN: &str = "CalloutDemo";
/// Agents' RAM ids; the route point is `<ram id>@CalloutDemo`.
pub const SANDBOX_AGENTS: [&str; 2] = ["agent001", "agent002"];
/// Skill groups (queues); the first is the doc example's route point.
pub const SANDBOX_SKILL_GROUPS: [&str; 2] = ["paEF_1GAQXXJ", "sg-sales"];
/// Published contact flows (IVR).
pub const SANDBOX_CONTACT_FLOWS: [&str; 2] = ["cf-welcome-ivr", "7a1c2f3e-ivr-survey"];
/// A caller (display) number of the instance.
pub const SANDBOX_CALLER: &str = "02285196281";

/// One emulated CCC instance.
#[derive(Debug, Clone)]
pub struct CccInstance {
    pub instance_id: String,
    pub domain: String,
    pub agents: Vec<String>,
    pub skill_groups: Vec<String>,
    pub contact_flows: Vec<String>,
}

/// HTTP statuses of gateway errors whose real value is not confirmed (observed and documented values differ).
#[derive(Debug, Clone)]
pub struct ErrorStatuses {
    /// Observed 400; documented 403.
    pub signature_does_not_match: u16,
    /// Observed 404; documented 404 or 400.
    pub access_key_not_found: u16,
    /// Unknown instance: no source; the gateway's `*.NotFound` codes use 404.
    pub instance_not_found: u16,
}

impl Default for ErrorStatuses {
    fn default() -> Self {
        Self { signature_does_not_match: 400, access_key_not_found: 404, instance_not_found: 404 }
    }
}

#[derive(Debug, Clone)]
pub struct AliyunEmulatorConfig {
    /// AccessKey id → secret.
    pub access_keys: BTreeMap<String, String>,
    pub instances: Vec<CccInstance>,
    /// Largest accepted |server clock − Timestamp|. ±15 min is one reading of conflicting docs ("15 minutes"
    /// in the error text, "valid 31 minutes" in the V2 doc); the real value is unconfirmed.
    pub timestamp_window: Duration,
    /// How long a SignatureNonce stays used (15 min per support, relayed by a user; unconfirmed). Global, not per key.
    pub nonce_window: Duration,
    /// Seconds the emulator's clock runs ahead of the host's (negative: behind), to rehearse clock skew.
    pub clock_offset_secs: i64,
    pub statuses: ErrorStatuses,
    /// Whether DialEx business errors (unknown instance, bad RoutPoint) come back as HTTP 200 with
    /// `Success:false` rather than as an HTTP 4xx error body. Unconfirmed which one CCC does; default 4xx.
    pub business_errors_as_http_200: bool,
    /// `HostId` in error bodies.
    pub host_id: String,
    /// How long after a DialEx task its call record is listed (the contact center writes records
    /// after the call; the real delay is unknown).
    pub record_delay: Duration,
    /// The clock call records are stamped and listed on (the backend's in sandbox mode, so a test
    /// that moves time moves them too). Signatures are checked on the wall clock.
    pub clock: crate::clock::Clock,
}

impl Default for AliyunEmulatorConfig {
    /// The sandbox seeds above.
    fn default() -> Self {
        let strings = |items: &[&str]| items.iter().map(|item| item.to_string()).collect();
        Self {
            access_keys: BTreeMap::from([(SANDBOX_ACCESS_KEY_ID.to_owned(), SANDBOX_ACCESS_KEY_SECRET.to_owned())]),
            instances: vec![CccInstance {
                instance_id: SANDBOX_INSTANCE_ID.to_owned(),
                domain: SANDBOX_DOMAIN.to_owned(),
                agents: strings(&SANDBOX_AGENTS),
                skill_groups: strings(&SANDBOX_SKILL_GROUPS),
                contact_flows: strings(&SANDBOX_CONTACT_FLOWS),
            }],
            timestamp_window: Duration::from_secs(15 * 60),
            nonce_window: Duration::from_secs(15 * 60),
            clock_offset_secs: 0,
            statuses: ErrorStatuses::default(),
            business_errors_as_http_200: false,
            host_id: "ccc.cn-shanghai.aliyuncs.com".to_owned(),
            record_delay: Duration::from_secs(2),
            clock: crate::clock::Clock::system(),
        }
    }
}
