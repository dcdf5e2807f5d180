//! The webhook's base64 and AES-256-CBC layers on arbitrary bytes.
//!
//! Properties: lenient base64 decodes whatever standard base64 encodes (padded or not) to the same
//! bytes, and anything it decodes re-encodes to a string it decodes the same; AES decryption of
//! arbitrary bytes never panics and, when it succeeds, encrypting the plaintext gives back the very
//! ciphertext; `seal` then `open` / `open_check` gives back the plaintext, and a flipped signature
//! is refused.
#![no_main]

use base64::{engine::general_purpose, Engine as _};
use callout_console::providers::tencent_meeting::webhook::{decode_base64, AesKey, WebhookError, WebhookSecrets};
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "bVPU6F8Htxl5XkAbp3jGV2xWp";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

fuzz_target!(|data: &[u8]| {
    // base64, both directions.
    let padded = general_purpose::STANDARD.encode(data);
    assert_eq!(decode_base64(&padded).as_deref(), Ok(data));
    assert_eq!(decode_base64(padded.trim_end_matches('=')).as_deref(), Ok(data), "padding is optional");
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bytes) = decode_base64(text) {
            assert_eq!(decode_base64(&general_purpose::STANDARD.encode(&bytes)), Ok(bytes));
        }
        // Arbitrary EncodingAESKeys: a key is 32 bytes or refused.
        if let Ok(key) = AesKey::from_encoding_aes_key(text) {
            assert_eq!(key.bytes().len(), 32);
        }
    }

    // AES: arbitrary ciphertext.
    let key = AesKey::from_encoding_aes_key(AES_KEY).unwrap();
    if let Ok(plain) = key.decrypt(data) {
        assert_eq!(key.encrypt(&plain), data, "CBC with PKCS#7 is deterministic for a fixed IV");
    } else {
        assert_eq!(key.decrypt(data), Err(WebhookError::BadCiphertext));
    }

    // seal / open round trip, with and without AES.
    for secrets in [WebhookSecrets::new(TOKEN, None).unwrap(), WebhookSecrets::new(TOKEN, Some(AES_KEY)).unwrap()] {
        let sealed = secrets.seal(data);
        let signature = secrets.sign("1700000000000", "12345678", &sealed);
        assert_eq!(secrets.open("1700000000000", "12345678", &sealed, &signature).as_deref(), Ok(data), "seal then open");
        assert_eq!(
            secrets.open("1700000000000", "12345678", &sealed, &signature.to_ascii_uppercase()).as_deref(),
            Ok(data),
            "the received signature's hex case does not matter"
        );
        let mut flipped = signature.clone().into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(secrets.open("1700000000000", "12345678", &sealed, &flipped), Err(WebhookError::BadSignature));
        let check = secrets.open_check("1700000000000", "12345678", &sealed, &signature);
        match std::str::from_utf8(data) {
            Ok(text) => assert_eq!(check.as_deref(), Ok(text), "open_check gives the plaintext back"),
            Err(_) => assert!(matches!(check, Err(WebhookError::BadPayload(_))), "a non-UTF-8 check_str is refused"),
        }
    }
});
