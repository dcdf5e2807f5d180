//! DialEx through the real client against the CCC emulator over HTTP: success per answer mode and
//! every gateway error shape.

use std::time::Duration;

use callout_console::{
    providers::{
        aliyun_ccc::{signer, AliyunAccount, AliyunCccClient},
        HttpSettings, ProviderError, ProviderErrorBody, RetryPolicy,
    },
    sandbox::aliyun_ccc::{self, AliyunEmulator, AliyunEmulatorConfig, *},
};
use callout_shared::dialex::{AnswerMode, DialExRequest};
use serde_json::Value;

async fn emulator(config: AliyunEmulatorConfig) -> AliyunEmulator {
    aliyun_ccc::start("127.0.0.1:0".parse().unwrap(), config).await.expect("emulator binds")
}

fn client(account: AliyunAccount) -> AliyunCccClient {
    let retry = RetryPolicy { max_attempts: 1, base_delay: Duration::from_millis(10), max_delay: Duration::from_millis(10) };
    AliyunCccClient::new(account, HttpSettings { retry, use_system_proxy: false, ..HttpSettings::default() })
}

fn request(answer_mode: AnswerMode, rout_point: &str) -> DialExRequest {
    DialExRequest {
        instance_id: SANDBOX_INSTANCE_ID.into(),
        caller: SANDBOX_CALLER.into(),
        callee: "15732036617".into(),
        answer_mode,
        rout_point: rout_point.into(),
        provider: None,
    }
}

fn agent_rout_point() -> String {
    format!("{}@{SANDBOX_DOMAIN}", SANDBOX_AGENTS[0])
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
}

fn now_timestamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A GET with every parameter in the query, signed with the sandbox secret, built by hand.
fn signed_get_url(base_url: &str, mut params: Vec<(String, String)>) -> String {
    let signature = signer::sign(SANDBOX_ACCESS_KEY_SECRET, &signer::string_to_sign("GET", &params));
    params.push(("Signature".into(), signature));
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{}={}", signer::percent_encode(k), signer::percent_encode(v))).collect();
    format!("{base_url}/?{}", query.join("&"))
}

/// Common parameters of a hand-made request, without `Timestamp`.
fn common_params(nonce: &str) -> Vec<(String, String)> {
    pairs(&[
        ("AccessKeyId", SANDBOX_ACCESS_KEY_ID),
        ("Action", "DialEx"),
        ("Version", "2017-07-05"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
    ])
}

/// Every parameter of a DialEx call, as the client sends them.
fn dial_params(nonce: &str, timestamp: &str, callee: &str, answer_mode: &str, rout_point: &str) -> Vec<(String, String)> {
    let mut params = common_params(nonce);
    params.extend(pairs(&[
        ("Format", "JSON"),
        ("Timestamp", timestamp),
        ("InstanceId", SANDBOX_INSTANCE_ID),
        ("Caller", SANDBOX_CALLER),
        ("Callee", callee),
        ("AnswerMode", answer_mode),
        ("RoutPoint", rout_point),
    ]));
    params
}

fn rejected(outcome: Result<impl std::fmt::Debug, ProviderError>) -> ProviderErrorBody {
    match outcome {
        Err(ProviderError::Rejected { body, .. }) => body,
        other => panic!("expected a provider rejection, got {other:?}"),
    }
}

/// Dials the seeded IVR flow with `account` and expects a rejection with the gateway's error body.
async fn ivr_dial_rejected(account: AliyunAccount) -> ProviderErrorBody {
    let body = rejected(client(account).dial_ex(&request(AnswerMode::Ivr, SANDBOX_CONTACT_FLOWS[0])).await);
    assert_error_shape(&body);
    body
}

/// The gateway's error body carries exactly its five keys.
fn assert_error_shape(body: &ProviderErrorBody) {
    let json: Value = serde_json::from_str(&body.raw).expect("error body is JSON");
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["Code", "HostId", "Message", "Recommend", "RequestId"]);
    assert_eq!(json["Code"], body.code.as_str());
    assert_eq!(body.request_id.as_deref(), json["RequestId"].as_str());
}

#[tokio::test]
async fn dial_ex_succeeds_in_every_answer_mode_and_dials_once_each() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let client = client(emulator.account());
    let cases = [
        (AnswerMode::Ivr, SANDBOX_CONTACT_FLOWS[0].to_owned(), "15700000000"),
        (AnswerMode::Agent, agent_rout_point(), "15700000001"),
        (AnswerMode::SkillGroup, SANDBOX_SKILL_GROUPS[0].to_owned(), "15700000002"),
    ];
    for (mode, rout_point, callee) in &cases {
        let mut dial = request(*mode, rout_point);
        dial.callee = (*callee).into();
        let result = client.dial_ex(&dial).await.unwrap_or_else(|err| panic!("{mode:?}: {err}"));
        assert!(!result.task_id.is_empty());
        assert_eq!(result.status_code.as_deref(), Some("200"), "a numeric StatusCode is read as text");
        assert_eq!(result.status_desc.as_deref(), Some("Okay"));
        assert!(result.request_id.is_some() && result.provider_timestamp.is_some());
    }
    let tasks = emulator.tasks();
    assert_eq!(tasks.iter().map(|task| task.answer_mode).collect::<Vec<_>>(), [AnswerMode::Ivr, AnswerMode::Agent, AnswerMode::SkillGroup]);
    let dials = emulator.faults().dials();
    assert!(cases.iter().all(|(_, _, callee)| dials.get(*callee) == Some(&1)), "{dials:?}");
    let listed: Vec<Value> = reqwest::get(format!("{}/__emulator/tasks", emulator.base_url())).await.unwrap().json().await.unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[1]["answer_mode"], "agent");
    assert_eq!(listed[1]["rout_point"], agent_rout_point().as_str());
}

#[tokio::test]
async fn reserved_characters_survive_signing_and_the_form_body() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let mut dial = request(AnswerMode::SkillGroup, SANDBOX_SKILL_GROUPS[1]);
    dial.callee = "+86 157*3203~6617".into();
    dial.provider = Some("线路 A&B=1".into());
    client(emulator.account()).dial_ex(&dial).await.expect("accepted");
    let task = emulator.tasks().pop().unwrap();
    assert_eq!(task.callee, "+86 157*3203~6617", "a + in the form body must arrive as %2B, not as a space");
    assert_eq!(task.provider.as_deref(), Some("线路 A&B=1"));
}

#[tokio::test]
async fn a_wrong_secret_gets_signature_does_not_match_echoing_what_the_client_signed() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let mut account = emulator.account();
    account.access_key_secret = "not-the-secret".into();
    let body = ivr_dial_rejected(account).await;
    assert_eq!((body.http_status, body.code.as_str()), (400, "SignatureDoesNotMatch"));
    let (prefix, server_string_to_sign) = body.message.split_once(':').unwrap();
    assert_eq!(prefix, "Specified signature is not matched with our calculation. server string to sign is");

    // The echo is exactly what the client signed: rebuild it from the request the emulator saw.
    let seen = emulator.seen_requests().pop().unwrap();
    let params = dial_params(
        seen.signature_nonce.as_deref().unwrap(),
        seen.timestamp.as_deref().unwrap(),
        "15732036617",
        "0",
        SANDBOX_CONTACT_FLOWS[0],
    );
    assert_eq!(server_string_to_sign, signer::string_to_sign("POST", &params));
    assert!(emulator.faults().dials().is_empty());
}

#[tokio::test]
async fn a_client_clock_outside_the_window_gets_invalid_timestamp_expired() {
    let emulator = emulator(AliyunEmulatorConfig { clock_offset_secs: 16 * 60, ..Default::default() }).await;
    let body = ivr_dial_rejected(emulator.account()).await;
    assert_eq!((body.http_status, body.code.as_str()), (400, "InvalidTimeStamp.Expired"));
}

#[tokio::test]
async fn a_replayed_request_gets_signature_nonce_used_and_is_not_dialled_again() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let params = dial_params("fixed-nonce-1", &now_timestamp(), "15711112222", "2", SANDBOX_SKILL_GROUPS[0]);
    let url = signed_get_url(&emulator.base_url(), params);
    let http = reqwest::Client::new();

    let first = http.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200, "a GET with every parameter in the query is accepted too");
    let replay = http.get(&url).send().await.unwrap();
    assert_eq!(replay.status(), 400);
    let body: Value = replay.json().await.unwrap();
    assert_eq!(body["Code"], "SignatureNonceUsed");
    assert_eq!(body["Message"], "Specified signature nonce was used already.");
    assert_eq!(emulator.faults().dials().get("15711112222"), Some(&1));
}

#[tokio::test]
async fn an_unknown_access_key_gets_not_found() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let mut account = emulator.account();
    account.access_key_id = "LTAI-nobody".into();
    let body = ivr_dial_rejected(account).await;
    assert_eq!((body.http_status, body.code.as_str()), (404, "InvalidAccessKeyId.NotFound"));
}

#[tokio::test]
async fn an_unknown_instance_gets_not_found() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let mut dial = request(AnswerMode::Ivr, SANDBOX_CONTACT_FLOWS[0]);
    dial.instance_id = "00000000-0000-0000-0000-000000000000".into();
    let body = rejected(client(emulator.account()).dial_ex(&dial).await);
    assert_eq!((body.http_status, body.code.as_str()), (404, "InvalidInstanceId.NotFound"));
    assert_error_shape(&body);
    assert!(emulator.faults().dials().is_empty());
}

#[tokio::test]
async fn a_route_point_that_does_not_fit_its_mode_or_instance_is_invalid() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let client = client(emulator.account());
    let lower_domain = format!("{}@{}", SANDBOX_AGENTS[0], SANDBOX_DOMAIN.to_lowercase());
    let unknown_agent = format!("nobody@{SANDBOX_DOMAIN}");
    let cases: [(AnswerMode, &str, &str); 6] = [
        (AnswerMode::Agent, SANDBOX_AGENTS[0], "ram_id@domain"),
        (AnswerMode::Agent, &lower_domain, "case-sensitive"),
        (AnswerMode::Agent, &unknown_agent, "no agent"),
        (AnswerMode::SkillGroup, "sg-missing", "no skill group"),
        (AnswerMode::Ivr, "cf-missing", "no contact flow"),
        (AnswerMode::Ivr, "cf welcome", "spaces"),
    ];
    for (mode, rout_point, why) in cases {
        let body = rejected(client.dial_ex(&request(mode, rout_point)).await);
        assert_eq!((body.http_status, body.code.as_str()), (400, "InvalidParameter.RoutPoint"), "{mode:?} {rout_point}");
        assert!(body.message.contains(why), "{rout_point}: {}", body.message);
        assert_error_shape(&body);
    }
    assert!(emulator.faults().dials().is_empty());
}

#[tokio::test]
async fn business_errors_reported_as_http_200_success_false_are_rejections_too() {
    let emulator = emulator(AliyunEmulatorConfig { business_errors_as_http_200: true, ..Default::default() }).await;
    let body = rejected(client(emulator.account()).dial_ex(&request(AnswerMode::SkillGroup, "sg-missing")).await);
    assert_eq!((body.http_status, body.code.as_str()), (200, "InvalidParameter.RoutPoint"));
}

#[tokio::test]
async fn wrong_version_and_action_get_the_gateway_errors() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let http = reqwest::Client::new();
    let get = |query: &'static str| http.get(format!("{}/?{query}", emulator.base_url())).send();
    let version = get("Action=DialEx&Version=2020-07-01").await.unwrap();
    assert_eq!(version.status(), 400);
    assert_eq!(version.json::<Value>().await.unwrap()["Code"], "InvalidVersion");
    let action = get("Action=MakeCall&Version=2017-07-05").await.unwrap();
    assert_eq!(action.status(), 404);
    assert_eq!(action.json::<Value>().await.unwrap()["Code"], "InvalidAction.NotFound");
    let missing = get("Action=DialEx&Version=2017-07-05").await.unwrap();
    assert_eq!(missing.status(), 400);
    assert_eq!(missing.json::<Value>().await.unwrap()["Code"], "MissingAccessKeyId");
}

#[tokio::test]
async fn missing_timestamp_and_missing_dial_ex_parameters_are_named() {
    let emulator = emulator(AliyunEmulatorConfig::default()).await;
    let no_timestamp = reqwest::get(signed_get_url(&emulator.base_url(), common_params("n1"))).await.unwrap();
    assert_eq!(no_timestamp.status(), 400);
    assert_eq!(no_timestamp.json::<Value>().await.unwrap()["Code"], "IllegalTimestamp");

    let mut no_callee = common_params("n2");
    no_callee.extend(pairs(&[("Timestamp", &now_timestamp()), ("InstanceId", SANDBOX_INSTANCE_ID), ("Caller", SANDBOX_CALLER)]));
    let answer = reqwest::get(signed_get_url(&emulator.base_url(), no_callee)).await.unwrap();
    assert_eq!(answer.status(), 400);
    let body = answer.json::<Value>().await.unwrap();
    assert_eq!((body["Code"].as_str(), body["Message"].as_str()), (Some("MissingCallee"), Some("Callee is mandatory for this action.")));
}
