//! The DialEx client: sign, send through the shared transport, classify the answer.

use std::fmt;

use callout_shared::dialex::{DialExRequest, DialExResult};
use chrono::{DateTime, Utc};

use super::{signer, wire};
use crate::providers::{
    transport::{self, Classified},
    HttpSettings, Provider, ProviderError, ProviderErrorBody,
};

/// The CCC 2017-07-05 API version DialEx belongs to.
pub const API_VERSION: &str = "2017-07-05";

/// One Alibaba Cloud account with access to a CCC instance.
#[derive(Clone)]
pub struct AliyunAccount {
    /// Base URL, e.g. `https://ccc.cn-shanghai.aliyuncs.com` or an emulator's `http://127.0.0.1:PORT`.
    pub endpoint: String,
    pub region_id: String,
    pub access_key_id: String,
    pub access_key_secret: String,
}

impl AliyunAccount {
    /// The public regional endpoint, `https://ccc.<region>.aliyuncs.com`.
    pub fn regional_endpoint(region_id: &str) -> String {
        format!("https://ccc.{region_id}.aliyuncs.com")
    }
}

impl fmt::Debug for AliyunAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AliyunAccount")
            .field("endpoint", &self.endpoint)
            .field("region_id", &self.region_id)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .finish()
    }
}

pub struct AliyunCccClient {
    account: AliyunAccount,
    settings: HttpSettings,
    http: reqwest::Client,
}

impl fmt::Debug for AliyunCccClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AliyunCccClient").field("account", &self.account).field("settings", &self.settings).finish()
    }
}

impl AliyunCccClient {
    pub fn new(account: AliyunAccount, settings: HttpSettings) -> Self {
        let http = settings.client();
        Self { account, settings, http }
    }

    pub fn account(&self) -> &AliyunAccount {
        &self.account
    }

    /// Places one DialEx call. Each attempt is signed afresh (new nonce and timestamp); only connection
    /// failures and throttling answers are retried, so a call is never placed twice by this client.
    pub async fn dial_ex(&self, request: &DialExRequest) -> Result<DialExResult, ProviderError> {
        let body = self.post_signed("DialEx", "dial_ex", &dial_ex_params(request), classify).await?;
        let answer: wire::DialExResponse = serde_json::from_str(&body).map_err(|err| ProviderError::Unknown {
            provider: Provider::AliyunCcc,
            detail: format!("accepted answer could not be read: {err}"),
            http_status: None,
            raw: Some(body.clone()),
        })?;
        Ok(DialExResult {
            job_id: None,
            task_id: answer.task_id.unwrap_or_default(),
            status_code: answer.status_code,
            status_desc: answer.status_desc,
            request_id: answer.request_id,
            provider_timestamp: answer.time_stamp,
        })
    }
}

impl AliyunCccClient {
    /// One RPC action: POSTed like the SDKs do, signed afresh for every attempt (common parameters in
    /// the query, the action's own in the form body), each answer sorted by `classify`.
    pub(super) async fn post_signed(
        &self,
        action: &str,
        operation: &'static str,
        api_params: &[(String, String)],
        classify: impl Fn(u16, String) -> Classified,
    ) -> Result<String, ProviderError> {
        let url = format!("{}/", self.account.endpoint.trim_end_matches('/'));
        transport::send(
            Provider::AliyunCcc,
            operation,
            &self.settings.retry,
            || {
                let signed = sign_request(&self.account, action, api_params, Utc::now(), &uuid::Uuid::new_v4().to_string());
                self.http
                    .post(format!("{url}?{}", signed.query))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(signed.body)
            },
            classify,
        )
        .await
    }
}

/// DialEx's own parameters, in the provider's names.
fn dial_ex_params(request: &DialExRequest) -> Vec<(String, String)> {
    let mut params = vec![
        ("InstanceId".to_owned(), request.instance_id.clone()),
        ("Caller".to_owned(), request.caller.clone()),
        ("Callee".to_owned(), request.callee.clone()),
        ("AnswerMode".to_owned(), request.answer_mode.provider_code().to_string()),
        ("RoutPoint".to_owned(), request.rout_point.clone()),
    ];
    if let Some(provider) = &request.provider {
        params.push(("Provider".to_owned(), provider.clone()));
    }
    params
}

/// A request ready to POST: common parameters and `Signature` in the query, API parameters in the form body.
#[derive(Debug, PartialEq, Eq)]
struct SignedRequest {
    query: String,
    body: String,
    string_to_sign: String,
}

/// Signs common and API parameters together, as the gateway checks them (query and form body merged).
/// `RegionId` is not sent: the official CCC SDK does not send it for DialEx.
fn sign_request(account: &AliyunAccount, action: &str, api_params: &[(String, String)], now: DateTime<Utc>, nonce: &str) -> SignedRequest {
    let common: Vec<(String, String)> = [
        ("Action", action),
        ("Version", API_VERSION),
        ("Format", "JSON"),
        ("AccessKeyId", account.access_key_id.as_str()),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("Timestamp", &now.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    let all: Vec<(String, String)> = common.iter().chain(api_params).cloned().collect();
    let string_to_sign = signer::string_to_sign("POST", &all);
    let signature = signer::sign(&account.access_key_secret, &string_to_sign);
    let query = encode_pairs(common.iter().chain(std::iter::once(&("Signature".to_owned(), signature))));
    SignedRequest { query, body: encode_pairs(api_params.iter()), string_to_sign }
}

/// `a=b&c=d` with the signer's percent-encoding (so `+` stays a plus and space is `%20`).
fn encode_pairs<'a>(pairs: impl Iterator<Item = &'a (String, String)>) -> String {
    pairs.map(|(name, value)| format!("{}={}", signer::percent_encode(name), signer::percent_encode(value))).collect::<Vec<_>>().join("&")
}

/// Sorts one gateway answer into the transport's outcomes.
fn classify(status: u16, body: String) -> Classified {
    if status >= 500 {
        // A 5xx, even with a provider error body (InternalError, ServiceUnavailable), does not prove the
        // call was not placed: the gateway may fail after CCC has started dialling. Never retry, never call it failed.
        return Classified::Unknown(format!("HTTP {status} from the gateway: the call may have been placed"));
    }
    let parsed = serde_json::from_str::<wire::DialExResponse>(&body);
    let answer = match parsed {
        Ok(answer) => answer,
        Err(_) if (200..300).contains(&status) => {
            return Classified::Unknown(format!("HTTP {status} with an answer that is not DialEx JSON"))
        }
        Err(_) => {
            let error = ProviderErrorBody {
                http_status: status,
                code: format!("HTTP{status}"),
                new_code: None,
                message: "the gateway refused the request without an error body".to_owned(),
                request_id: None,
                raw: body,
            };
            return if status == 429 { Classified::RateLimited(error) } else { Classified::Rejected(error) };
        }
    };
    if (200..300).contains(&status) && answer.success == Some(true) {
        return match answer.task_id.as_deref() {
            Some(task_id) if !task_id.is_empty() => Classified::Success(body),
            _ => Classified::Unknown("the gateway accepted the call but gave no TaskId".to_owned()),
        };
    }
    // An error body, or a 2xx with `Success:false` (business errors may come either way).
    refusal(status, answer.code, answer.message, answer.request_id, body)
}

/// A gateway error body as a refusal: a `Throttling*` code is a rate limit, any other a rejection.
/// The message is kept without any credential the gateway echoed.
pub(super) fn refusal(status: u16, code: Option<String>, message: Option<String>, request_id: Option<String>, body: String) -> Classified {
    let error = ProviderErrorBody {
        http_status: status,
        code: code.unwrap_or_else(|| format!("HTTP{status}")),
        new_code: None,
        message: crate::providers::redact_echoed_credentials(&message.unwrap_or_default()),
        request_id,
        raw: body,
    };
    if error.code.starts_with("Throttling") {
        Classified::RateLimited(error)
    } else {
        Classified::Rejected(error)
    }
}

#[cfg(test)]
mod tests {
    use callout_shared::dialex::AnswerMode;
    use chrono::TimeZone;

    use super::*;

    fn account() -> AliyunAccount {
        AliyunAccount {
            endpoint: "http://127.0.0.1:1".into(),
            region_id: "cn-shanghai".into(),
            access_key_id: "testid".into(),
            access_key_secret: "testsecret".into(),
        }
    }

    fn g3_request() -> DialExRequest {
        DialExRequest {
            instance_id: "d278629c-c687-4aa3-b044-4fe9b012e7ef".into(),
            caller: "02285196281".into(),
            callee: "+86 157*3203~6617".into(),
            answer_mode: AnswerMode::Agent,
            rout_point: "agent@ccc-test".into(),
            provider: None,
        }
    }

    #[test]
    fn signs_query_and_form_body_together_like_vector_g3() {
        let now = Utc.with_ymd_and_hms(2016, 2, 23, 12, 46, 24).unwrap();
        let signed = sign_request(&account(), "DialEx", &dial_ex_params(&g3_request()), now, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        assert!(signed.string_to_sign.starts_with("POST&%2F&AccessKeyId%3Dtestid%26Action%3DDialEx"));
        // Vector G3's signature, percent-encoded again for the URL.
        assert!(signed.query.ends_with("&Signature=dE%2FtcwFzMRONwU2YHcZk7II%2FUwo%3D"), "{}", signed.query);
        assert!(signed.query.contains("Timestamp=2016-02-23T12%3A46%3A24Z"));
        assert_eq!(
            signed.body,
            "InstanceId=d278629c-c687-4aa3-b044-4fe9b012e7ef&Caller=02285196281&Callee=%2B86%20157%2A3203~6617&AnswerMode=1&RoutPoint=agent%40ccc-test"
        );
    }

    #[test]
    fn optional_provider_is_sent_only_when_given() {
        let mut request = g3_request();
        assert!(!dial_ex_params(&request).iter().any(|(name, _)| name == "Provider"));
        request.provider = Some("x".into());
        assert!(dial_ex_params(&request).contains(&("Provider".into(), "x".into())));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let text = format!("{:?}", AliyunCccClient::new(account(), HttpSettings::default()));
        assert!(!text.contains("testsecret"), "{text}");
        assert!(text.contains("<redacted>"));
    }

    fn outcome_of(outcome: Classified) -> (&'static str, String) {
        match outcome {
            Classified::Success(_) => ("success", String::new()),
            Classified::RateLimited(body) => ("rate_limited", body.code),
            Classified::Rejected(body) => ("rejected", body.code),
            Classified::Unknown(detail) => ("unknown", detail),
        }
    }

    #[test]
    fn classification_follows_the_retry_rules() {
        let error = |code: &str| format!(r#"{{"RequestId":"r","HostId":"h","Code":"{code}","Message":"m","Recommend":"x"}}"#);
        assert_eq!(outcome_of(classify(200, r#"{"Success":true,"TaskId":"1","StatusCode":200}"#.into())).0, "success");
        assert_eq!(outcome_of(classify(400, error("Throttling.User"))), ("rate_limited", "Throttling.User".into()));
        assert_eq!(outcome_of(classify(400, error("SignatureDoesNotMatch"))), ("rejected", "SignatureDoesNotMatch".into()));
        assert_eq!(outcome_of(classify(200, r#"{"Success":false,"Code":"Busy","Message":"m"}"#.into())).1, "Busy");
        assert_eq!(outcome_of(classify(500, error("InternalError"))).0, "unknown", "a 5xx may have dialled");
        assert_eq!(outcome_of(classify(503, error("ServiceUnavailable"))).0, "unknown");
        assert_eq!(outcome_of(classify(200, r#"{"TaskId":"#.into())).0, "unknown");
        assert_eq!(outcome_of(classify(200, r#"{"Success":true}"#.into())).0, "unknown", "accepted without a TaskId");
    }
}
