//! The RPC request signature (HMAC-SHA1, `SignatureVersion=1.0`; Alibaba's docs call it "V2").
//!
//! Pure functions, shared by the client, the sandbox emulator and the `sign aliyun` CLI, pinned by
//! the official test vectors below.

use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

/// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is escaped (space is `%20`, `*` is `%2A`).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The provider's `percentEncode`: UTF-8 bytes, uppercase hex, only unreserved characters literal.
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, RFC3986).to_string()
}

/// `name=value` pairs, each side percent-encoded, sorted by name byte-wise (uppercase before
/// lowercase), joined with `&`. `Signature` itself is never part of what is signed.
pub fn canonical_query(params: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> =
        params.iter().filter(|(name, _)| name != "Signature").map(|(name, value)| (percent_encode(name), percent_encode(value))).collect();
    // Sorting the encoded names equals sorting the raw names for unreserved names, and is what the SDKs do.
    pairs.sort();
    pairs.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
}

/// `METHOD&%2F&percentEncode(canonical query)`; the canonical query is encoded a second time.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!("{method}&%2F&{}", percent_encode(&canonical_query(params)))
}

/// Base64 HMAC-SHA1 of `string_to_sign`, keyed with the secret plus `&`.
pub fn sign(access_key_secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{access_key_secret}&").as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn doc_example(timestamp_key: &str) -> Vec<(String, String)> {
        params(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            (timestamp_key, "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ])
    }

    fn dialex_example(callee: &str, rout_point: &str) -> Vec<(String, String)> {
        params(&[
            ("AccessKeyId", "testid"),
            ("Action", "DialEx"),
            ("Format", "JSON"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2017-07-05"),
            ("AnswerMode", "1"),
            ("Callee", callee),
            ("Caller", "02285196281"),
            ("InstanceId", "d278629c-c687-4aa3-b044-4fe9b012e7ef"),
            ("RoutPoint", rout_point),
        ])
    }

    #[test]
    fn vector_a_official_doc_example() {
        let p = doc_example("Timestamp");
        assert_eq!(
            canonical_query(&p),
            "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
        );
        let sts = string_to_sign("GET", &p);
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(sign("testsecret", &sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn vector_b_key_case_changes_the_signature() {
        let sts = string_to_sign("GET", &doc_example("TimeStamp"));
        assert_eq!(sign("testsecret", &sts), "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
    }

    #[test]
    fn vector_d_sdk_unit_tests() {
        let d1 = params(&[("query", "test"), ("body", "test")]);
        assert_eq!(string_to_sign("GET", &d1), "GET&%2F&body%3Dtest%26query%3Dtest");
        assert_eq!(sign("secret", &string_to_sign("GET", &d1)), "XlUyV4sXjOuX5FnjUz9IF9tm5rU=");
        assert_eq!(sign("secret", &string_to_sign("POST", &d1)), "F5J4ppaU6HYi+6ADuF1F9bwbXD8=");

        let d2 = params(&[("test", "ok")]);
        assert_eq!(string_to_sign("", &d2), "&%2F&test%3Dok");
        assert_eq!(sign("accessKeySecret", &string_to_sign("", &d2)), "jHx/oHoHNrbVfhncHEvPdHXZwHU=");
    }

    #[test]
    fn vector_g_dialex_shaped_requests() {
        let g = dialex_example("15732036617", "paEF_1GAQXXJ");
        assert_eq!(sign("testsecret", &string_to_sign("POST", &g)), "4Uqy8jbFdWaqKT2BVryyyNJuBNY=");
        assert_eq!(sign("testsecret", &string_to_sign("GET", &g)), "zPWRfIEITGuRq1+k0MPlLgwD/Ls=");

        let g3 = dialex_example("+86 157*3203~6617", "agent@ccc-test");
        let canonical = canonical_query(&g3);
        assert!(canonical.contains("Callee=%2B86%20157%2A3203~6617"), "{canonical}");
        assert!(canonical.contains("RoutPoint=agent%40ccc-test"), "{canonical}");
        assert_eq!(sign("testsecret", &string_to_sign("POST", &g3)), "dE/tcwFzMRONwU2YHcZk7II/Uwo=");
    }

    #[test]
    fn vector_f_hmac_key_is_secret_plus_ampersand() {
        // F: HMAC-SHA1 with the raw key `secret` over "source" is Jv4yi8SobFhg5t1C7nWLbhBSFZQ=;
        // `sign` keys with `secret&`, so that value must not come out of it.
        assert_ne!(sign("secret", "source"), "Jv4yi8SobFhg5t1C7nWLbhBSFZQ=");
        let mut raw = Hmac::<Sha1>::new_from_slice(b"secret").unwrap();
        raw.update("中文unicode".as_bytes());
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(raw.finalize().into_bytes()),
            "szlfHs3WVaO/HgY3Cg7/uyXDaRw=",
            "the HMAC primitive itself matches the SDK's"
        );
    }

    #[test]
    fn a_key_without_the_ampersand_gives_another_signature() {
        let sts = string_to_sign("GET", &doc_example("Timestamp"));
        let mut no_amp = Hmac::<Sha1>::new_from_slice(b"testsecret").unwrap();
        no_amp.update(sts.as_bytes());
        let wrong = base64::engine::general_purpose::STANDARD.encode(no_amp.finalize().into_bytes());
        assert_ne!(wrong, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assert_eq!(sign("testsecret", &sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn percent_encoding_is_rfc3986_not_form_encoding() {
        assert_eq!(percent_encode("a b"), "a%20b");
        assert_eq!(percent_encode("+86"), "%2B86");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("~-_.AZaz09"), "~-_.AZaz09");
        assert_eq!(percent_encode("\""), "%22");
        assert_eq!(percent_encode("阿"), "%E9%98%BF");
        assert_eq!(percent_encode("a:b/c=d&e"), "a%3Ab%2Fc%3Dd%26e");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn signature_is_encoded_again_in_the_url() {
        assert_eq!(percent_encode("OLeaidS1JvxuMvnyHOwuJ+uX5qY="), "OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D");
        assert_eq!(percent_encode("jHx/oHoHNrbVfhncHEvPdHXZwHU="), "jHx%2FoHoHNrbVfhncHEvPdHXZwHU%3D");
    }

    #[test]
    fn signature_param_is_left_out_and_empty_values_are_kept() {
        let p = params(&[("b", ""), ("Signature", "abc"), ("a", "x y")]);
        assert_eq!(canonical_query(&p), "a=x%20y&b=");
    }

    #[test]
    fn names_sort_byte_wise_uppercase_first() {
        let p = params(&[("a", "1"), ("B", "2"), ("A", "3")]);
        assert_eq!(canonical_query(&p), "A=3&B=2&a=1");
    }
}
