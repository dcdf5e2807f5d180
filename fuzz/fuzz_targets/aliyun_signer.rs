//! The Alibaba Cloud RPC signature: percent-encoding, the canonical query and the string to sign.
//! Input: the first line is the HTTP method, each further line a parameter `name=value` (split at
//! the first `=`; a line without one is a name with an empty value).
//!
//! Properties: percent-encoding emits only unreserved characters and `%XX` (uppercase hex), leaves
//! unreserved text alone and decodes back to the input; the canonical query has one `name=value`
//! per parameter but `Signature`, sorted by encoded name, independent of the parameters' order, and
//! decodes back to the parameters; the string to sign is `METHOD&%2F&` and the encoded canonical
//! query; the signature is deterministic base64 of 20 bytes.
#![no_main]

use base64::{engine::general_purpose, Engine as _};
use callout_console::providers::aliyun_ccc::signer::{canonical_query, percent_encode, sign, string_to_sign};
use libfuzzer_sys::fuzz_target;
use percent_encoding::percent_decode_str;

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn check_encoding(value: &str) -> String {
    let encoded = percent_encode(value);
    let bytes = encoded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).expect("a full %XX escape");
            assert!(hex.iter().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)), "uppercase hex escape in {encoded:?}");
            let byte = u8::from_str_radix(std::str::from_utf8(hex).unwrap(), 16).unwrap();
            assert!(!unreserved(byte), "an unreserved byte is never escaped: {encoded:?}");
            i += 3;
        } else {
            assert!(unreserved(bytes[i]), "only unreserved characters are literal: {encoded:?}");
            i += 1;
        }
    }
    assert_eq!(percent_decode_str(&encoded).decode_utf8().unwrap(), value, "decodes back");
    if value.bytes().all(unreserved) {
        assert_eq!(encoded, value, "unreserved text is left alone");
    }
    encoded
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.split('\n');
    let method = lines.next().unwrap_or_default();
    let params: Vec<(String, String)> =
        lines.map(|line| line.split_once('=').unwrap_or((line, ""))).map(|(n, v)| (n.to_owned(), v.to_owned())).collect();

    check_encoding(method);
    for (name, value) in &params {
        check_encoding(name);
        check_encoding(value);
    }

    let canonical = canonical_query(&params);
    let mut expected: Vec<(String, String)> = params.iter().filter(|(name, _)| name != "Signature").cloned().collect();
    let pieces: Vec<(String, String)> = if canonical.is_empty() {
        Vec::new()
    } else {
        canonical
            .split('&')
            .map(|piece| {
                let (name, value) = piece.split_once('=').expect("name=value");
                assert!(!value.contains('='), "one = per pair: {canonical:?}");
                (name.to_owned(), value.to_owned())
            })
            .collect()
    };
    assert_eq!(pieces.len(), expected.len(), "one pair per parameter but Signature: {canonical:?}");
    assert!(pieces.windows(2).all(|w| w[0] <= w[1]), "sorted: {canonical:?}");
    let mut decoded: Vec<(String, String)> = pieces
        .iter()
        .map(|(n, v)| {
            (percent_decode_str(n).decode_utf8().unwrap().into_owned(), percent_decode_str(v).decode_utf8().unwrap().into_owned())
        })
        .collect();
    decoded.sort();
    expected.sort();
    assert_eq!(decoded, expected, "the canonical query is the parameters: {canonical:?}");
    let reversed: Vec<(String, String)> = params.iter().rev().cloned().collect();
    assert_eq!(canonical_query(&reversed), canonical, "the parameters' order does not matter");

    let sts = string_to_sign(method, &params);
    let rest = sts.strip_prefix(method).and_then(|s| s.strip_prefix("&%2F&")).expect("METHOD&%2F&...");
    assert_eq!(rest, check_encoding(&canonical), "the canonical query is encoded once more");

    let signature = sign("testsecret", &sts);
    assert_eq!(general_purpose::STANDARD.decode(&signature).map(|b| b.len()), Ok(20), "base64 of an HMAC-SHA1");
    assert_eq!(sign("testsecret", &sts), signature, "deterministic");
});
