//! Tencent Meeting webhook events as the network delivers them. Input: an event POST body (or the
//! decrypted event JSON).
//!
//! Properties: `parse_event` never panics and its digest is the SHA-256 of exactly the bytes it
//! read; a body with a wrong signature is refused before anything is decoded; a correctly signed
//! body opens to what `parse_event` makes of the decoded data, with and without AES; the event
//! JSON sealed by the secrets' own `seal` opens to the same event.
#![no_main]

use callout_console::providers::tencent_meeting::webhook::{decode_base64, parse_event, WebhookError, WebhookSecrets};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const TIMESTAMP: &str = "1609239040864";
const NONCE: &str = "14964161";

fuzz_target!(|data: &[u8]| {
    let parsed = parse_event(data);
    if let Ok(event) = &parsed {
        assert_eq!(event.digest, hex::encode(Sha256::digest(data)), "the digest covers the event bytes");
        assert!(!event.dedupe_key().is_empty(), "every event has a dedupe key");
    }

    let secrets = [WebhookSecrets::new(TOKEN, None).unwrap(), WebhookSecrets::new(TOKEN, Some(AES_KEY)).unwrap()];
    // The body as received, once with a signature that cannot match and once signed over its data.
    let sent_data = serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|body| body.get("data").and_then(|d| d.as_str()).map(str::to_owned));
    for secrets in &secrets {
        let wrong = secrets.open_event(TIMESTAMP, NONCE, data, "0000000000000000000000000000000000000000");
        assert!(matches!(wrong, Err(WebhookError::BadSignature | WebhookError::BadPayload(_))), "unsigned body opened: {wrong:?}");
        if let Some(sent) = &sent_data {
            let signature = secrets.sign(TIMESTAMP, NONCE, sent);
            let opened = secrets.open_event(TIMESTAMP, NONCE, data, &signature);
            let expected = secrets.open(TIMESTAMP, NONCE, sent, &signature).and_then(|plain| parse_event(&plain));
            assert_eq!(opened, expected, "open_event is open then parse_event");
            if opened.is_ok() {
                decode_base64(sent).expect("opened data was base64");
            }
        }

        // The input as the event JSON, sealed as the emulator seals it.
        let sealed = secrets.seal(data);
        let body = serde_json::json!({ "data": sealed }).to_string();
        let signature = secrets.sign(TIMESTAMP, NONCE, &sealed);
        assert_eq!(secrets.open_event(TIMESTAMP, NONCE, body.as_bytes(), &signature), parsed, "a sealed event opens to itself");
    }
});
