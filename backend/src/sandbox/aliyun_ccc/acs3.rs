//! The header-based `ACS3-HMAC-SHA256` signature ("V3"), which current Alibaba SDKs use by default
//! (`call_api`). Action, Version, date and nonce travel in `x-acs-*` headers; the key has no `&`.
//!
//! CanonicalRequest = `METHOD\n/\ncanonical query\ncanonical headers\nsigned headers\nhex sha256(body)`;
//! StringToSign = `ACS3-HMAC-SHA256\n` + hex sha256(CanonicalRequest); Signature = hex HMAC-SHA256(secret).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{
    config::AliyunEmulatorConfig,
    gateway::{self, GatewayError, Incoming, NonceLedger},
};
use crate::providers::aliyun_ccc::signer;

pub(super) const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `Credential=<AK>,SignedHeaders=<a;b>,Signature=<hex>`, the part after the algorithm name.
struct Authorization<'a> {
    access_key_id: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse(credentials: &str) -> Option<Authorization<'_>> {
    let field =
        |name: &str| credentials.split(',').map(str::trim).find_map(|part| part.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')));
    Some(Authorization { access_key_id: field("Credential")?, signed_headers: field("SignedHeaders")?, signature: field("Signature")? })
}

pub(super) fn check(
    config: &AliyunEmulatorConfig,
    nonces: &NonceLedger,
    incoming: &Incoming<'_>,
    credentials: &str,
    now: DateTime<Utc>,
) -> Result<(), GatewayError> {
    let required = |name: &str| incoming.header(name).filter(|value| !value.is_empty()).ok_or_else(|| GatewayError::missing(name));
    gateway::route(required("x-acs-version")?, required("x-acs-action")?)?;
    let authorization = parse(credentials)
        .ok_or_else(|| GatewayError::new(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."))?;
    let secret = gateway::secret_for(config, authorization.access_key_id)?;
    gateway::check_timestamp(config, Some(required("x-acs-date")?), now)?;
    let nonce = required("x-acs-signature-nonce")?;

    let string_to_sign = format!("{ALGORITHM}\n{}", hex::encode(Sha256::digest(canonical_request(incoming, authorization.signed_headers))));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    gateway::verify_signature(config, &expected, authorization.signature, &string_to_sign)?;
    gateway::use_nonce(config, nonces, nonce, now)
}

/// Rebuilt from what arrived: the query only (not the form body), the headers the client listed,
/// and the hash of the body actually received (so a changed body fails even with the old hash header).
fn canonical_request(incoming: &Incoming<'_>, signed_headers: &str) -> String {
    let query: Vec<(String, String)> = form_urlencoded::parse(incoming.query.unwrap_or("").as_bytes()).into_owned().collect();
    let headers: String = signed_headers
        .split(';')
        .map(|name| {
            let values: Vec<&str> = incoming.headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).map(str::trim).collect();
            format!("{name}:{}\n", values.join(","))
        })
        .collect();
    format!(
        "{}\n/\n{}\n{headers}\n{signed_headers}\n{}",
        incoming.method,
        // The same sorted, RFC 3986-encoded `name=value&…` as the RPC signature (V3 queries carry no `Signature`).
        signer::canonical_query(&query),
        hex::encode(Sha256::digest(incoming.body))
    )
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn authorization_fields_are_read_in_any_order_with_spaces() {
        let auth = parse("Credential=LTAI5t,SignedHeaders=host;x-acs-action, Signature=ab12").unwrap();
        assert_eq!((auth.access_key_id, auth.signed_headers, auth.signature), ("LTAI5t", "host;x-acs-action", "ab12"));
        let reordered = parse("Signature=ff,Credential=k,SignedHeaders=host").unwrap();
        assert_eq!((reordered.access_key_id, reordered.signature), ("k", "ff"));
        assert!(parse("Credential=k,Signature=ff").is_none(), "SignedHeaders is mandatory");
    }
}
