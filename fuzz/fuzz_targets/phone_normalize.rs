//! The phone normaliser on what people type. Input: up to four lines, the country code field, the
//! number, the extension field and a default region (`CN` when absent or not a region).
//!
//! Properties: a normalised number is digits after `+`, its parts agree with each other, and it
//! normalises to itself again, both from its E.164 form and from its `00` international form.
#![no_main]

use callout_console::phone::{self, normalize, DEFAULT_REGION};
use callout_shared::numbers::NumberInput;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.split('\n');
    let input = NumberInput {
        country_code: lines.next().unwrap_or_default().to_owned(),
        number: lines.next().unwrap_or_default().to_owned(),
        extension: lines.next().unwrap_or_default().to_owned(),
    };
    let region = lines.next().and_then(phone::region).unwrap_or(DEFAULT_REGION);

    let Ok(n) = normalize(&input, region) else { return };

    let (dialled, ext) = match n.e164.split_once(";ext=") {
        Some((dialled, ext)) => (dialled, Some(ext)),
        None => (n.e164.as_str(), None),
    };
    assert_eq!(ext, n.extension.as_deref(), "the extension in e164 is the extension field: {n:?}");
    if let Some(ext) = &n.extension {
        assert!(!ext.is_empty() && ext.len() <= 20, "extension length: {n:?}");
        assert!(ext.chars().all(|c| c.is_ascii_digit() || c == '*' || c == '#'), "extension characters: {n:?}");
    }
    let digits = dialled.strip_prefix('+').expect("e164 starts with +");
    // No length cap here: libphonenumber's metadata has valid numbers past E.164's 15 digits
    // (Japanese toll-free numbers of 16 and more).
    assert!(!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()), "e164 digits: {n:?}");
    assert_eq!(digits, format!("{}{}", n.country_code, n.national_number), "e164 is country code + national number: {n:?}");
    assert!(!n.national_format.is_empty() && n.national_format.bytes().all(|b| b.is_ascii_digit()), "national format: {n:?}");

    // What was dialled once dials the same again, whichever default region the second pass assumes.
    let again = |number: String| NumberInput { country_code: String::new(), number, extension: n.extension.clone().unwrap_or_default() };
    assert_eq!(normalize(&again(dialled.to_owned()), DEFAULT_REGION).as_ref(), Ok(&n), "E.164 re-normalises to itself");
    assert_eq!(normalize(&again(format!("00{digits}")), region).as_ref(), Ok(&n), "00 form re-normalises to itself");
});
