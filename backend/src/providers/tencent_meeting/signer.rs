//! Request signing of Tencent Meeting's enterprise self-built apps ("JWT"/"AK/SK" in the docs; in
//! fact a custom HMAC-SHA256 scheme): the string to sign covers the method, the three `X-TC-*`
//! headers, the request-target exactly as sent (path and query) and the body exactly as sent.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// `METHOD \n X-TC-Key=..&X-TC-Nonce=..&X-TC-Timestamp=.. \n URI \n BODY`. Always three `\n`, so a
/// body-less request ends with `\n`; values go in raw, never URL-encoded.
pub fn string_to_sign(method: &str, secret_id: &str, nonce: &str, timestamp: &str, uri: &str, body: &str) -> String {
    format!("{method}\nX-TC-Key={secret_id}&X-TC-Nonce={nonce}&X-TC-Timestamp={timestamp}\n{uri}\n{body}")
}

/// `X-TC-Signature`: Base64 of the *lower-case hex text* of HMAC-SHA256 (not of the raw MAC).
pub fn sign(secret_key: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    let hex = hex::encode(mac.finalize().into_bytes());
    base64::engine::general_purpose::STANDARD.encode(hex)
}

/// A fresh nonce in the official SDKs' shape: Unix milliseconds × 1,000,000 plus six digits (about
/// 19 digits, fits in u64). The SDKs take the six digits at random, which repeats within a
/// millisecond often enough under load (64 requests signed in one millisecond collide about once in
/// 500 such bursts) for the provider to refuse one as a replay (190301); here they count up from a
/// random start, so one process never repeats itself below a million requests a millisecond.
pub fn fresh_nonce() -> String {
    use std::sync::{atomic::AtomicU64, atomic::Ordering, OnceLock};
    static NEXT: OnceLock<AtomicU64> = OnceLock::new();
    let next = NEXT.get_or_init(|| AtomicU64::new(rand::random::<u64>() % 1_000_000));
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    (millis * 1_000_000 + next.fetch_add(1, Ordering::Relaxed) % 1_000_000).to_string()
}

/// Unix seconds, as `X-TC-Timestamp` wants them.
pub fn timestamp_now() -> String {
    chrono::Utc::now().timestamp().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "test-secret-id";
    const KEY: &str = "test-secret-key";
    const V1_BODY: &str = r#"{"userid":"test1","instanceid":1,"reason_code":1,"reason_detail":"取消会议"}"#;
    const V2_URI: &str = "/v1/meeting/6058890385480921052/phone/callout?operator_id=user1&operator_id_type=1&page=1&page_size=20";
    const V3_URI: &str = "/v1/meeting/6058890385480921052/phone/callout";
    const V3_BODY: &str = r#"{"operator_id":"user1","operator_id_type":1,"phone_numbers":[{"area":86,"phone":"13800138000"}]}"#;

    fn v2() -> String {
        string_to_sign("GET", ID, "1700000000000123456", "1700000000", V2_URI, "")
    }

    #[test]
    fn v1_post_with_chinese_body() {
        let s = string_to_sign("POST", ID, "88080", "1572168600", "/v1/meetings/7567454748865986567/cancel", V1_BODY);
        assert_eq!(sign(KEY, &s), "MWZhMjQzMDI4NjNhODBhZWQyNDUyY2ZmMDFkMWY4ZTFjMjYwMzE3MTlhMDljODYxMTExZTY4NmM4Y2I2NjE0YQ==");
    }

    #[test]
    fn v2_get_ends_with_a_newline() {
        assert!(v2().ends_with("page_size=20\n"));
        assert_eq!(sign(KEY, &v2()), "OWIwMmE5ZWE2ZGFiYTI0ODI5ZDZjNWQzNTIxMWM1ODVkOTQzNDhkNzA4NTQ4YTM3MjNlNTNjZDU3NWUyMjk5Yw==");
    }

    #[test]
    fn v3_post_callout() {
        let s = string_to_sign("POST", ID, "1700000000000123456", "1700000000", V3_URI, V3_BODY);
        assert_eq!(sign(KEY, &s), "YzZmMGQxZDgyMjA2OGQ1N2EyOWUxYzI4YWQzN2Y0YmNlYTk2YzQxMDAwMTI1NDRmN2IyOGU3MTFjOTc5Yjk0OA==");
    }

    #[test]
    fn base64_of_the_raw_mac_is_not_the_signature() {
        let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
        mac.update(v2().as_bytes());
        let raw = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_ne!(raw, sign(KEY, &v2()));
        assert_eq!(sign(KEY, &v2()).len(), 88, "base64 of 64 hex characters");
    }

    #[test]
    fn get_without_trailing_newline_is_wrong() {
        let dropped = v2().trim_end_matches('\n').to_owned();
        assert_ne!(sign(KEY, &dropped), sign(KEY, &v2()));
    }

    #[test]
    fn extra_newline_after_body_is_wrong() {
        let s = string_to_sign("POST", ID, "1700000000000123456", "1700000000", V3_URI, V3_BODY);
        assert_ne!(sign(KEY, &format!("{s}\n")), sign(KEY, &s));
    }

    #[test]
    fn nonces_are_fresh_positive_integers() {
        let (a, b) = (fresh_nonce(), fresh_nonce());
        assert_ne!(a, b);
        assert!(a.parse::<u64>().unwrap() > 1_000_000_000_000_000_000);
    }

    #[test]
    fn nonces_do_not_repeat_when_many_are_signed_in_one_millisecond() {
        // A load test's burst: six-digit random nonces repeated here within a few thousand.
        let nonces: Vec<String> = (0..200_000).map(|_| fresh_nonce()).collect();
        let distinct: std::collections::HashSet<&String> = nonces.iter().collect();
        assert_eq!(distinct.len(), nonces.len());
    }
}
