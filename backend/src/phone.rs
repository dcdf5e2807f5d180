//! The one phone-number normaliser. Every path that dials (form rows, pasted text, CSV, API) and the
//! browser's as-you-type validation go through [`normalize`], so what the UI accepts is exactly
//! what the backend dials. Built on libphonenumber's metadata (the `phonenumber` crate), which
//! stays on the server: compiled into the WASM it would add about 470 KB gzip.

use callout_shared::numbers::{NormalizedNumber, NumberInput, NumberProblem};
use phonenumber::{country, Mode, PhoneNumber};

/// Region assumed for national numbers entered without a country code.
pub const DEFAULT_REGION: country::Id = country::Id::CN;

/// Parses an ISO 3166 alpha-2 region (`"CN"`, `"us"`).
pub fn region(code: &str) -> Option<country::Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// Normalises one number as a person entered it.
pub fn normalize(input: &NumberInput, default_region: country::Id) -> Result<NormalizedNumber, NumberProblem> {
    let number = input.number.trim();
    if number.is_empty() {
        return Err(NumberProblem::Empty);
    }
    let extension = normalize_extension(&input.extension)?;

    let country_code = input.country_code.trim().trim_start_matches('+');
    if !country_code.is_empty() && (country_code.len() > 3 || !country_code.bytes().all(|b| b.is_ascii_digit())) {
        return Err(NumberProblem::InvalidCountryCode);
    }
    let international = number.strip_prefix('+').or_else(|| number.strip_prefix("00"));
    let text = match international {
        // The number carries its own country code; a country code field may only agree with it.
        Some(rest) => format!("+{rest}"),
        None if !country_code.is_empty() => format!("+{country_code} {number}"),
        None => number.to_owned(),
    };

    let region = if text.starts_with('+') { None } else { Some(default_region) };
    let parsed = phonenumber::parse(region, &text).map_err(|err| match err {
        phonenumber::ParseError::InvalidCountryCode => NumberProblem::InvalidCountryCode,
        phonenumber::ParseError::TooShortAfterIdd | phonenumber::ParseError::TooShortNsn => NumberProblem::TooShort,
        phonenumber::ParseError::TooLong => NumberProblem::TooLong,
        _ => NumberProblem::NotANumber,
    })?;
    if international.is_some() && !country_code.is_empty() && parsed.code().value().to_string() != country_code {
        return Err(NumberProblem::InvalidCountryCode);
    }
    if !parsed.is_valid() {
        return Err(length_problem(&parsed));
    }

    let extension = match (extension, parsed.extension()) {
        (Some(ext), _) => Some(ext),
        (None, Some(ext)) => normalize_extension(ext.as_ref())?,
        (None, None) => None,
    };
    // What is dialled is the E.164 number, and everything else is read off it parsed again, so that a
    // number normalises to itself however it was typed: parsed as typed it can still carry what is not
    // the number (a carrier code after the trunk prefix, which the national format prints; an
    // extension), and where libphonenumber's prefix rules read the E.164 form as another number, the
    // typed one is not dialled at all.
    let mut e164 = parsed.format().mode(Mode::E164).to_string();
    let canonical = phonenumber::parse(None, &e164)
        .ok()
        .filter(|again| again.code().value() == parsed.code().value() && again.national() == parsed.national() && again.is_valid())
        .ok_or(NumberProblem::NotAValidNumber)?;
    let national = canonical.format().mode(Mode::National).to_string();
    if let Some(ext) = &extension {
        e164.push_str(";ext=");
        e164.push_str(ext);
    }
    Ok(NormalizedNumber {
        e164,
        country_code: canonical.code().value(),
        national_number: canonical.national().to_string(),
        national_format: national.chars().filter(char::is_ascii_digit).collect(),
        extension,
        region: canonical.country().id().map(|id| id.as_ref().to_owned()),
    })
}

/// Says whether an invalid number is too short or too long, where its length tells.
fn length_problem(number: &PhoneNumber) -> NumberProblem {
    // A calling code may serve several regions (+1): take the lengths any of them allows.
    let Some(regions) = phonenumber::metadata::DATABASE.by_code(&number.code().value()) else {
        return NumberProblem::InvalidCountryCode;
    };
    let digits = number.national().to_string().len();
    let lengths: Vec<u16> = regions
        .iter()
        .flat_map(|meta| {
            let d = meta.descriptors();
            [Some(d.general()), d.fixed_line(), d.mobile(), d.toll_free(), d.voip()]
        })
        .flatten()
        .flat_map(|desc| desc.possible_length().iter().copied())
        .collect();
    match (lengths.iter().min(), lengths.iter().max()) {
        (Some(&min), _) if digits < usize::from(min) => NumberProblem::TooShort,
        (_, Some(&max)) if digits > usize::from(max) => NumberProblem::TooLong,
        _ => NumberProblem::NotAValidNumber,
    }
}

/// Digits, `*` and `#`, at most 20; separators people type (spaces, dashes) are dropped.
fn normalize_extension(raw: &str) -> Result<Option<String>, NumberProblem> {
    let ext: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    if ext.is_empty() {
        return Ok(None);
    }
    if ext.len() > 20 || !ext.chars().all(|c| c.is_ascii_digit() || c == '*' || c == '#') {
        return Err(NumberProblem::InvalidExtension);
    }
    Ok(Some(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(cc: &str, number: &str, ext: &str) -> NumberInput {
        NumberInput { country_code: cc.into(), number: number.into(), extension: ext.into() }
    }

    fn e164(cc: &str, number: &str, ext: &str) -> Result<String, NumberProblem> {
        normalize(&input(cc, number, ext), DEFAULT_REGION).map(|n| n.e164)
    }

    #[test]
    fn chinese_mobile_in_every_common_spelling() {
        for (cc, number) in [
            ("86", "13800138000"),
            ("", "13800138000"),
            ("", "+86 138 0013 8000"),
            ("", "0086-138-0013-8000"),
            ("+86", "138 0013 8000"),
            ("86", "+8613800138000"),
        ] {
            assert_eq!(e164(cc, number, "").as_deref(), Ok("+8613800138000"), "{cc} {number}");
        }
        let n = normalize(&input("86", "13800138000", ""), DEFAULT_REGION).unwrap();
        assert_eq!((n.country_code, n.national_number.as_str(), n.region.as_deref()), (86, "13800138000", Some("CN")));
    }

    #[test]
    fn landline_trunk_prefix_is_dropped() {
        let n = normalize(&input("86", "010 6552 9988", ""), DEFAULT_REGION).unwrap();
        assert_eq!(n.e164, "+861065529988");
        assert_eq!(n.national_number, "1065529988");
        assert_eq!(n.national_format, "01065529988");
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        assert_eq!(e164("852", "2123 4567", "").as_deref(), Ok("+85221234567"));
        assert_eq!(e164("1", "(650) 253-0000", "").as_deref(), Ok("+16502530000"));
        assert_eq!(e164("", "+44 20 7946 0958", "").as_deref(), Ok("+442079460958"));
        // Italian numbers keep their leading zero inside the national number.
        let it = normalize(&input("39", "06 4991 0000", ""), DEFAULT_REGION).unwrap();
        assert_eq!(it.national_number, "0649910000");
    }

    #[test]
    fn extensions_from_the_field_or_the_number() {
        let n = normalize(&input("86", "010 6552 9988", "8001"), DEFAULT_REGION).unwrap();
        assert_eq!(n.extension.as_deref(), Some("8001"));
        assert_eq!(n.e164, "+861065529988;ext=8001");
        assert_eq!(e164("1", "650 253 0000 ext. 123", "").as_deref(), Ok("+16502530000;ext=123"));
        assert_eq!(e164("86", "13800138000", "12a"), Err(NumberProblem::InvalidExtension));
    }

    #[test]
    fn the_national_format_leaves_an_extension_in_the_number_out() {
        // Found by fuzzing: the extension's digits ran on into the national format (what DialEx dials
        // inside China), so a number with an extension did not normalise to itself.
        let n = normalize(&input("1", "650 253 0000 ext. 123", ""), DEFAULT_REGION).unwrap();
        assert_eq!((n.national_format.as_str(), n.extension.as_deref()), ("6502530000", Some("123")));
        let again = normalize(&input("", "+16502530000", "123"), DEFAULT_REGION).unwrap();
        assert_eq!(again, n);
        let n = normalize(&input("86", "010 6552 9988 ext. 8001", ""), DEFAULT_REGION).unwrap();
        assert_eq!((n.national_format.as_str(), n.extension.as_deref()), ("01065529988", Some("8001")));
    }

    #[test]
    fn a_carrier_code_typed_after_the_trunk_prefix_is_neither_dialled_nor_shown() {
        // Found by fuzzing: Brazilians type a carrier code after the trunk prefix (0 41 11 ...); the
        // national format printed it, so the number did not normalise to itself from its E.164 form.
        let brazil = region("BR").unwrap();
        let n = normalize(&input("", "0 41 11 98765 4321", ""), brazil).unwrap();
        assert_eq!((n.e164.as_str(), n.national_format.as_str()), ("+5511987654321", "11987654321"));
        assert_eq!(normalize(&input("", &n.e164, ""), DEFAULT_REGION), Ok(n));
    }

    #[test]
    fn each_problem_has_its_reason() {
        assert_eq!(e164("86", "  ", ""), Err(NumberProblem::Empty));
        assert_eq!(e164("86", "hello", ""), Err(NumberProblem::NotANumber));
        assert_eq!(e164("999", "12345678", ""), Err(NumberProblem::InvalidCountryCode));
        assert_eq!(e164("8a", "12345678", ""), Err(NumberProblem::InvalidCountryCode));
        assert_eq!(e164("86", "138", ""), Err(NumberProblem::TooShort));
        assert_eq!(e164("1", "+86 13800138000", ""), Err(NumberProblem::InvalidCountryCode), "two countries disagree");
        assert_eq!(e164("86", "138001380001234", ""), Err(NumberProblem::TooLong));
        assert_eq!(e164("1", "123 456 7890", ""), Err(NumberProblem::NotAValidNumber), "no US area code starts with 1");
        assert!(e164("86", "12345678901", "").is_err());
    }
}
