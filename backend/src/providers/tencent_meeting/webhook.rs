//! Tencent Meeting event subscription: signature check, optional AES payload encryption, and the
//! events the console cares about (PSTN callout status, participants joining and leaving).
//!
//! Signature = lower-case hex SHA1 of the byte-sorted concatenation of token, timestamp, nonce and
//! data (a keyed hash, not HMAC). Payloads are base64 (`data`), AES-256-CBC encrypted when an
//! EncodingAESKey is configured. The emulator uses the same functions to sign and encrypt.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::{
    alphabet,
    engine::{general_purpose, DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
    Engine as _,
};
use callout_shared::call_status::CallStatus;
use serde::Deserialize;
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use super::map_callout_status;

/// The body Tencent Meeting expects back from a webhook POST (as public implementations use it;
/// the official wording is unconfirmed).
pub const ACK_BODY: &str = "successfully received callback";

/// Standard alphabet, padding optional, non-zero trailing bits allowed: EncodingAESKey + "=" usually
/// has trailing bits set, and the official example `data` comes without padding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true),
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("webhook signature does not match")]
    BadSignature,
    #[error("webhook data is not base64")]
    BadBase64,
    #[error("EncodingAESKey must be 43 base64 characters giving 32 bytes")]
    BadAesKey,
    #[error("webhook data does not decrypt with the configured key")]
    BadCiphertext,
    #[error("webhook payload is not the expected JSON: {0}")]
    BadPayload(String),
}

/// `sha1(sort([token, timestamp, nonce, data]).concat())` in lower-case hex.
pub fn signature(token: &str, timestamp: &str, nonce: &str, data: &str) -> String {
    let mut parts = [token, timestamp, nonce, data];
    parts.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    hex::encode(Sha1::digest(parts.concat().as_bytes()))
}

/// Constant-time comparison of a received signature with the expected one.
pub fn verify_signature(token: &str, timestamp: &str, nonce: &str, data: &str, received: &str) -> bool {
    let expected = signature(token, timestamp, nonce, data);
    expected.as_bytes().ct_eq(received.trim().to_ascii_lowercase().as_bytes()).into()
}

/// Whether a webhook `timestamp` header lies within `tolerance` of `now_ms` (Unix milliseconds).
/// Tencent sends milliseconds (official example) and documents no freshness window, so this is the
/// receiver's own guard; a value of 10 digits or fewer is read as seconds.
pub fn is_fresh(timestamp: &str, now_ms: i64, tolerance: std::time::Duration) -> bool {
    let Ok(value) = timestamp.trim().parse::<i64>() else { return false };
    let millis = if value < 10_000_000_000 { value.saturating_mul(1000) } else { value };
    now_ms.abs_diff(millis) <= tolerance.as_millis() as u64
}

/// Base64 decoding that accepts data with or without `=` padding.
pub fn decode_base64(data: &str) -> Result<Vec<u8>, WebhookError> {
    LENIENT.decode(data.trim()).map_err(|_| WebhookError::BadBase64)
}

/// The 32-byte AES key derived from the 43-character EncodingAESKey. Debug never shows it.
#[derive(Clone)]
pub struct AesKey([u8; 32]);

impl std::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AesKey(<redacted>)")
    }
}

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

impl AesKey {
    /// AESKey = Base64-decode(EncodingAESKey + "=").
    pub fn from_encoding_aes_key(encoding_aes_key: &str) -> Result<Self, WebhookError> {
        let bytes = LENIENT.decode(format!("{}=", encoding_aes_key.trim())).map_err(|_| WebhookError::BadAesKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| WebhookError::BadAesKey)?;
        Ok(Self(key))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// AES-256-CBC, IV = first 16 key bytes, PKCS#7; the plaintext is the whole message (no framing,
    /// as in the official decrypt samples).
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, WebhookError> {
        Decryptor::new(&self.0.into(), self.0[..16].into())
            .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
            .map_err(|_| WebhookError::BadCiphertext)
    }

    pub fn encrypt(&self, plaintext: &[u8]) -> Vec<u8> {
        Encryptor::new(&self.0.into(), self.0[..16].into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext)
    }
}

/// The secrets of one subscription: the Token and, when configured, the AES key.
#[derive(Debug, Clone)]
pub struct WebhookSecrets {
    token: String,
    aes_key: Option<AesKey>,
}

impl WebhookSecrets {
    pub fn new(token: impl Into<String>, encoding_aes_key: Option<&str>) -> Result<Self, WebhookError> {
        let aes_key = encoding_aes_key.map(AesKey::from_encoding_aes_key).transpose()?;
        Ok(Self { token: token.into(), aes_key })
    }

    /// The `data` value (or `check_str`) for a plaintext: base64, of the ciphertext when AES is on.
    pub fn seal(&self, plaintext: &[u8]) -> String {
        match &self.aes_key {
            Some(key) => general_purpose::STANDARD.encode(key.encrypt(plaintext)),
            None => general_purpose::STANDARD.encode(plaintext),
        }
    }

    pub fn sign(&self, timestamp: &str, nonce: &str, data: &str) -> String {
        signature(&self.token, timestamp, nonce, data)
    }

    /// Verifies and opens `data` (a URL-decoded `check_str`, or the `data` field of a POST).
    pub fn open(&self, timestamp: &str, nonce: &str, data: &str, received_signature: &str) -> Result<Vec<u8>, WebhookError> {
        if !verify_signature(&self.token, timestamp, nonce, data, received_signature) {
            return Err(WebhookError::BadSignature);
        }
        let bytes = decode_base64(data)?;
        match &self.aes_key {
            Some(key) => key.decrypt(&bytes),
            None => Ok(bytes),
        }
    }

    /// The URL check (GET `?check_str=`): the plaintext to answer with, exactly.
    pub fn open_check(&self, timestamp: &str, nonce: &str, check_str: &str, received_signature: &str) -> Result<String, WebhookError> {
        let plain = self.open(timestamp, nonce, check_str, received_signature)?;
        String::from_utf8(plain).map_err(|_| WebhookError::BadPayload("check_str is not UTF-8".into()))
    }

    /// An event POST: the raw body `{"data":"..."}` as received.
    pub fn open_event(&self, timestamp: &str, nonce: &str, body: &[u8], received_signature: &str) -> Result<WebhookEvent, WebhookError> {
        #[derive(Deserialize)]
        struct Body {
            data: String,
        }
        let body: Body = serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
        let plain = self.open(timestamp, nonce, &body.data, received_signature)?;
        parse_event(&plain)
    }
}

/// A decoded event; `trace_id` is the idempotency key (older payloads call it `unique_sequence`).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    pub event: String,
    /// Empty when the event carries neither `trace_id` nor `unique_sequence`.
    pub trace_id: String,
    /// SHA-256 (hex) of the decrypted event JSON.
    pub digest: String,
    pub kind: EventKind,
}

impl WebhookEvent {
    /// What a redelivery of this event shares with it: its trace id, or without one the digest of
    /// the decrypted event (two different id-less events must not collapse into one).
    pub fn dedupe_key(&self) -> String {
        if self.trace_id.is_empty() {
            format!("sha256:{}", self.digest)
        } else {
            self.trace_id.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// `meeting.phone.participant-status-updated`, one entry per payload item.
    PhoneStatusUpdated(Vec<PhoneStatusUpdate>),
    /// `meeting.participant-joined`.
    ParticipantJoined(Vec<ParticipantChange>),
    /// `meeting.participant-left`.
    ParticipantLeft(Vec<ParticipantChange>),
    /// Any other event, kept as the decoded JSON text.
    Other { raw: String },
}

/// Who an event is about, as far as Tencent says. Which party `operator` denotes in the PSTN status
/// event is unconfirmed; the sandbox puts the callee there (nick name or number in `user_name`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventOperator {
    pub userid: Option<String>,
    pub open_id: Option<String>,
    pub ms_open_id: Option<String>,
    pub user_name: Option<String>,
    pub instance_id: Option<String>,
    /// `0086138…` for phone participants.
    pub pstn_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PhoneStatusUpdate {
    pub meeting_id: String,
    pub operate_time_ms: Option<i64>,
    pub operator: EventOperator,
    pub raw_status: String,
    pub status: CallStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantChange {
    pub meeting_id: String,
    pub operate_time_ms: Option<i64>,
    pub operator: EventOperator,
}

/// Parses the decoded JSON of an event.
pub fn parse_event(plain: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let envelope: wire::Envelope = serde_json::from_slice(plain).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    let trace_id = envelope.trace_id.or(envelope.unique_sequence).unwrap_or_default();
    let items = || -> Result<Vec<wire::Item>, WebhookError> {
        envelope.payload.iter().map(|v| serde_json::from_value(v.clone()).map_err(|e| WebhookError::BadPayload(e.to_string()))).collect()
    };
    let kind = match envelope.event.as_str() {
        "meeting.phone.participant-status-updated" => EventKind::PhoneStatusUpdated(
            items()?
                .into_iter()
                .map(|item| {
                    let raw_status = item.status.clone().unwrap_or_default();
                    PhoneStatusUpdate {
                        status: map_callout_status(&raw_status),
                        raw_status,
                        meeting_id: item.meeting_id(),
                        operate_time_ms: item.operate_time.as_ref().and_then(wire::number),
                        operator: item.operator.map(Into::into).unwrap_or_default(),
                    }
                })
                .collect(),
        ),
        name @ ("meeting.participant-joined" | "meeting.participant-left") => {
            let changes = items()?
                .into_iter()
                .map(|item| ParticipantChange {
                    meeting_id: item.meeting_id(),
                    operate_time_ms: item.operate_time.as_ref().and_then(wire::number),
                    operator: item.operator.map(Into::into).unwrap_or_default(),
                })
                .collect();
            if name == "meeting.participant-joined" {
                EventKind::ParticipantJoined(changes)
            } else {
                EventKind::ParticipantLeft(changes)
            }
        }
        _ => EventKind::Other { raw: String::from_utf8_lossy(plain).into_owned() },
    };
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(plain));
    Ok(WebhookEvent { event: envelope.event, trace_id, digest, kind })
}

/// The event JSON as Tencent sends it. Numbers and strings are both accepted where the docs disagree.
mod wire {
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Deserialize)]
    pub struct Envelope {
        pub event: String,
        pub trace_id: Option<String>,
        pub unique_sequence: Option<String>,
        #[serde(default)]
        pub payload: Vec<Value>,
    }

    #[derive(Deserialize)]
    pub struct Item {
        pub operate_time: Option<Value>,
        pub operator: Option<Operator>,
        pub meeting_info: Option<MeetingInfo>,
        pub status: Option<String>,
    }

    impl Item {
        pub fn meeting_id(&self) -> String {
            self.meeting_info.as_ref().and_then(|m| m.meeting_id.as_ref()).and_then(text).unwrap_or_default()
        }
    }

    #[derive(Deserialize)]
    pub struct MeetingInfo {
        pub meeting_id: Option<Value>,
    }

    #[derive(Deserialize)]
    pub struct Operator {
        userid: Option<Value>,
        open_id: Option<Value>,
        ms_open_id: Option<Value>,
        user_name: Option<Value>,
        instance_id: Option<Value>,
        pstn_number: Option<Value>,
    }

    impl From<Operator> for super::EventOperator {
        fn from(o: Operator) -> Self {
            let t = |v: Option<Value>| v.as_ref().and_then(text).filter(|s| !s.is_empty());
            Self {
                userid: t(o.userid),
                open_id: t(o.open_id),
                ms_open_id: t(o.ms_open_id),
                user_name: t(o.user_name),
                instance_id: t(o.instance_id),
                pstn_number: t(o.pstn_number),
            }
        }
    }

    /// A string or a number as text (ids are strings, but never lose a digit of a number).
    pub fn text(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    pub fn number(v: &Value) -> Option<i64> {
        text(v)?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
    const OFFICIAL_DATA: &str = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCIsInVuaXF1ZV9zZXF1ZW5jZSI6ImYyMDA5NmVlLThhYzgtNGRmMi1hN2RlLTA1NzQ2NDlmMjExYiIsInBheWxvYWQiOlt7Im9wZXJhdGVfdGltZSI6IjIwMjAtMTItMjkgMTc6NDE6MDYiLCJvcGVyYXRvciI6eyJ1c2VyaWQiOiJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJ9LCJtZWV0aW5nX2luZm8iOnsibWVldGluZ19pZCI6IjYwNTg4OTAzODU0ODA5MjEwNTIiLCJtZWV0aW5nX2NvZGUiOiI1MzA4MTI0NTIiLCJzdWJqZWN0IjoibWVkaWEgdGVzdGVyIG1lZXRpbmciLCJjcmVhdG9yX2lkIjoidGVzdGVyMDAwMDZiYTViYWIzMzk4NThjMTNjOTMwY2NhOTU2ODQiLCJob3N0cyI6WyJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJdLCJtZWV0aW5nX3R5cGUiOjAsInN0YXJ0X3RpbWUiOiIyMDIwLTEyLTI5IDE3OjQxOjA0IiwiZW5kX3RpbWUiOiIyMDIwLTEyLTI5IDE4OjAxOjA0In19XX0";
    const OFFICIAL_SIG: &str = "b11e507817336a91d7df0c8536ee2aca18bbbae8";
    const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    #[test]
    fn official_example_signature_matches() {
        assert_eq!(OFFICIAL_DATA.len(), 667);
        assert_eq!(signature(TOKEN, "1609239040864", "14964161", OFFICIAL_DATA), OFFICIAL_SIG);
        assert!(verify_signature(TOKEN, "1609239040864", "14964161", OFFICIAL_DATA, OFFICIAL_SIG));
    }

    #[test]
    fn adding_padding_changes_the_signature() {
        let padded = format!("{OFFICIAL_DATA}=");
        assert_ne!(signature(TOKEN, "1609239040864", "14964161", &padded), OFFICIAL_SIG);
        assert!(!verify_signature(TOKEN, "1609239040864", "14964161", &padded, OFFICIAL_SIG));
    }

    #[test]
    fn official_example_opens_and_keeps_unknown_events_raw() {
        let secrets = WebhookSecrets::new(TOKEN, None).unwrap();
        let body = format!(r#"{{"data":"{OFFICIAL_DATA}"}}"#);
        let event = secrets.open_event("1609239040864", "14964161", body.as_bytes(), OFFICIAL_SIG).unwrap();
        assert_eq!(event.event, "meeting.created");
        assert_eq!(event.trace_id, "f20096ee-8ac8-4df2-a7de-0574649f211b", "older unique_sequence is the trace id");
        match event.kind {
            EventKind::Other { raw } => assert!(raw.contains("6058890385480921052")),
            other => panic!("meeting.created is not a phone event: {other:?}"),
        }
    }

    #[test]
    fn tampered_data_or_signature_is_rejected() {
        let secrets = WebhookSecrets::new(TOKEN, None).unwrap();
        let tampered = OFFICIAL_DATA.replacen('e', "f", 1);
        let body = format!(r#"{{"data":"{tampered}"}}"#);
        assert_eq!(secrets.open_event("1609239040864", "14964161", body.as_bytes(), OFFICIAL_SIG), Err(WebhookError::BadSignature));
        let bad_sig = OFFICIAL_SIG.replace('b', "c");
        assert!(!verify_signature(TOKEN, "1609239040864", "14964161", OFFICIAL_DATA, &bad_sig));
        assert!(!verify_signature(TOKEN, "1609239040865", "14964161", OFFICIAL_DATA, OFFICIAL_SIG));
    }

    #[test]
    fn aes_vector_from_the_docs() {
        let key = AesKey::from_encoding_aes_key(AES_KEY).unwrap();
        assert_eq!(hex::encode(key.bytes()), "69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051");
        let secrets = WebhookSecrets::new(TOKEN, Some(AES_KEY)).unwrap();
        assert_eq!(secrets.seal(b"hello-check"), "YnHy14NsKhY55Rz1BYrElA==");
        let sig = "0b2b859a205282e04519b83a4ecf14d99d3aa057";
        assert_eq!(secrets.sign("1700000000000", "12345678", "YnHy14NsKhY55Rz1BYrElA=="), sig);
        assert_eq!(secrets.open_check("1700000000000", "12345678", "YnHy14NsKhY55Rz1BYrElA==", sig).unwrap(), "hello-check");
        assert_eq!(
            secrets.open_check("1700000000000", "12345678", "YnHy14NsKhY55Rz1BYrElA=", sig),
            Err(WebhookError::BadSignature),
            "the signature covers check_str exactly as sent"
        );
    }

    #[test]
    fn strict_base64_would_reject_the_key() {
        assert!(general_purpose::STANDARD.decode(format!("{AES_KEY}=")).is_err(), "trailing bits are set in this key");
        assert!(AesKey::from_encoding_aes_key(AES_KEY).is_ok());
        assert!(matches!(AesKey::from_encoding_aes_key("short"), Err(WebhookError::BadAesKey)));
    }

    #[test]
    fn wrong_aes_key_does_not_decrypt() {
        let sealed = WebhookSecrets::new(TOKEN, Some(AES_KEY)).unwrap().seal(b"hello-check");
        let other = WebhookSecrets::new(TOKEN, Some("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg")).unwrap();
        let sig = other.sign("1", "2", &sealed);
        assert_ne!(other.open_check("1", "2", &sealed, &sig).ok().as_deref(), Some("hello-check"));
    }

    #[test]
    fn freshness_accepts_milliseconds_and_seconds_within_the_window() {
        let window = std::time::Duration::from_secs(300);
        let now = 1_609_239_040_864;
        assert!(is_fresh("1609239040864", now, window));
        assert!(is_fresh("1609239040", now, window), "seconds are understood too");
        assert!(is_fresh(&(now - 299_000).to_string(), now, window));
        assert!(!is_fresh(&(now - 301_000).to_string(), now, window));
        assert!(!is_fresh(&(now + 301_000).to_string(), now, window));
        assert!(!is_fresh("yesterday", now, window));
    }

    #[test]
    fn phone_status_event_is_typed() {
        let json = br#"{"event":"meeting.phone.participant-status-updated","trace_id":"t-1","payload":[{"operate_time":1700000000123,
            "operator":{"userid":"","ms_open_id":"m1","user_name":"Alice","instance_id":"0","pstn_number":"008613800138000"},
            "meeting_info":{"meeting_id":"13339451618278424869"},"status":"CANCLE_INVITE"}]}"#;
        let event = parse_event(json).unwrap();
        assert_eq!(event.trace_id, "t-1");
        let EventKind::PhoneStatusUpdated(items) = event.kind else { panic!("typed phone event expected") };
        assert_eq!(items[0].status, CallStatus::Canceled);
        assert_eq!(items[0].meeting_id, "13339451618278424869");
        assert_eq!(items[0].operate_time_ms, Some(1_700_000_000_123));
        assert_eq!(items[0].operator.userid, None, "empty strings mean absent");
        assert_eq!(items[0].operator.pstn_number.as_deref(), Some("008613800138000"));
    }
}
