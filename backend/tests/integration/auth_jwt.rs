//! Identity from a proxy's signed assertion: good tokens pass, every known attack is refused.

use crate::common;

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{SystemTime, UNIX_EPOCH},
};

use axum::{routing::get, Router};
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const ES_KEY: &str = include_str!("fixtures/es256-private.pem");
const ES_OTHER_KEY: &str = include_str!("fixtures/es256-other-private.pem");
const RS_KEY: &str = include_str!("fixtures/rs256-private.pem");
const RS_PUBLIC: &str = include_str!("fixtures/rs256-public.pem");
const JWKS: &str = include_str!("fixtures/jwks.json");
const ISSUER: &str = "https://verify.example.com";
const AUDIENCE: &str = "callout.example.com";

/// A JWKS endpoint that counts how often it is fetched.
struct Jwks {
    url: String,
    fetches: Arc<AtomicUsize>,
}

async fn jwks_server() -> Jwks {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let app = Router::new().route(
        "/jwks.json",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { ([("content-type", "application/json")], JWKS) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Jwks { url, fetches }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn claims(email: &str, groups: &[&str]) -> Value {
    json!({ "sub": format!("sub-{email}"), "email": email, "groups": groups, "iss": ISSUER, "aud": AUDIENCE,
            "iat": now(), "exp": now() + 300, "jti": "assertion-1" })
}

fn es256(kid: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(kid.into());
    encode(&header, claims, &EncodingKey::from_ec_pem(ES_KEY.as_bytes()).unwrap()).unwrap()
}

fn config(preset: &str, jwks: &Jwks, extra: &str) -> String {
    format!(
        r#"
[auth]
mode = "jwt"
[auth.jwt]
preset = "{preset}"
jwks_url = "{}"
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
{extra}
[roles]
admin_groups = ["admins"]
operator_groups = ["ops"]
viewer_emails = ["viewer@example.com"]
"#,
        jwks.url
    )
}

async fn me(app: &common::TestApp, header: &str, token: &str) -> reqwest::Response {
    app.http.get(app.url("/api/v1/me")).header(header, token).send().await.unwrap()
}

#[tokio::test]
async fn pomerium_es256_assertion_signs_the_user_in_with_their_role() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("pomerium", &jwks, ""), &[]).await;
    let response = me(&app, "X-Pomerium-Jwt-Assertion", &es256("es-key-1", &claims("ann@example.com", &["ops"]))).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["email"], "ann@example.com");
    assert_eq!(body["role"], "operator");
    assert_eq!(body["auth_mode"], "jwt");
    // A viewer by email, no groups at all.
    let viewer = me(&app, "X-Pomerium-Jwt-Assertion", &es256("es-key-1", &claims("viewer@example.com", &[]))).await;
    assert_eq!(viewer.json::<Value>().await.unwrap()["role"], "viewer");
}

#[tokio::test]
async fn cloudflare_rs256_assertion_is_accepted() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("cloudflare", &jwks, ""), &[]).await;
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("rs-key-1".into());
    let token = encode(&header, &claims("boss@example.com", &["admins"]), &EncodingKey::from_rsa_pem(RS_KEY.as_bytes()).unwrap()).unwrap();
    let response = me(&app, "Cf-Access-Jwt-Assertion", &token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["role"], "admin");
}

#[tokio::test]
async fn oidc_bearer_needs_the_bearer_scheme() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("oidc-bearer", &jwks, "algorithm = \"ES256\""), &[]).await;
    let token = es256("es-key-1", &claims("ann@example.com", &["ops"]));
    assert_eq!(me(&app, "Authorization", &format!("Bearer {token}")).await.status(), 200);
    assert_eq!(me(&app, "Authorization", &token).await.status(), 401);
    assert_eq!(me(&app, "Authorization", &format!("Basic {token}")).await.status(), 401);
}

#[tokio::test]
async fn bad_assertions_are_refused() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("pomerium", &jwks, ""), &[]).await;
    let h = "X-Pomerium-Jwt-Assertion";
    let good = claims("ann@example.com", &["ops"]);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = good.clone();
        f(&mut c);
        c
    };
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());

    let cases: Vec<(&str, String)> = vec![
        ("expired beyond leeway", es256("es-key-1", &with(&|c| c["exp"] = json!(now() - 120)))),
        (
            "exp missing",
            es256(
                "es-key-1",
                &with(&|c| {
                    c.as_object_mut().unwrap().remove("exp");
                }),
            ),
        ),
        ("exp as a string", es256("es-key-1", &with(&|c| c["exp"] = json!((now() + 300).to_string())))),
        ("not yet valid", es256("es-key-1", &with(&|c| c["nbf"] = json!(now() + 600)))),
        ("wrong audience", es256("es-key-1", &with(&|c| c["aud"] = json!("other-app.example.com")))),
        (
            "audience missing",
            es256(
                "es-key-1",
                &with(&|c| {
                    c.as_object_mut().unwrap().remove("aud");
                }),
            ),
        ),
        ("wrong issuer", es256("es-key-1", &with(&|c| c["iss"] = json!("https://evil.example.com")))),
        ("issuer with trailing slash", es256("es-key-1", &with(&|c| c["iss"] = json!(format!("{ISSUER}/"))))),
        (
            "issuer missing",
            es256(
                "es-key-1",
                &with(&|c| {
                    c.as_object_mut().unwrap().remove("iss");
                }),
            ),
        ),
        ("known kid, other key", {
            let mut header = Header::new(Algorithm::ES256);
            header.kid = Some("es-key-1".into());
            encode(&header, &good, &EncodingKey::from_ec_pem(ES_OTHER_KEY.as_bytes()).unwrap()).unwrap()
        }),
        ("alg none", format!("{}.{}.", b64(&json!({"alg": "none", "kid": "es-key-1"})), b64(&good))),
        ("alg None", format!("{}.{}.", b64(&json!({"alg": "None", "kid": "es-key-1"})), b64(&good))),
        ("HS256 keyed with the public key", {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some("rs-key-1".into());
            encode(&header, &good, &EncodingKey::from_secret(RS_PUBLIC.as_bytes())).unwrap()
        }),
        ("RS256 where ES256 is pinned", {
            let mut header = Header::new(Algorithm::RS256);
            header.kid = Some("rs-key-1".into());
            encode(&header, &good, &EncodingKey::from_rsa_pem(RS_KEY.as_bytes()).unwrap()).unwrap()
        }),
        ("no kid", { encode(&Header::new(Algorithm::ES256), &good, &EncodingKey::from_ec_pem(ES_KEY.as_bytes()).unwrap()).unwrap() }),
        ("kid path traversal", es256("../../etc/passwd", &good)),
        ("truncated signature", {
            let t = es256("es-key-1", &good);
            t[..t.len() - 10].to_owned()
        }),
        ("not three parts", "abc.def".to_owned()),
        ("garbage", "!!!.@@@.###".to_owned()),
        ("oversized", format!("{}.{}.sig", b64(&json!({"alg": "ES256", "kid": "es-key-1"})), "A".repeat(20_000))),
        ("empty", String::new()),
    ];
    for (name, token) in cases {
        let response = me(&app, h, &token).await;
        assert_eq!(response.status(), 401, "{name} must be refused");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "unauthenticated", "{name}");
    }
    // Sanity: the same server accepts the good token.
    assert_eq!(me(&app, h, &es256("es-key-1", &good)).await.status(), 200);
}

#[tokio::test]
async fn missing_or_doubled_assertion_is_refused() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("pomerium", &jwks, ""), &[]).await;
    assert_eq!(app.get("/api/v1/me").await.status(), 401);
    let token = es256("es-key-1", &claims("ann@example.com", &["ops"]));
    let doubled = app
        .http
        .get(app.url("/api/v1/me"))
        .header("X-Pomerium-Jwt-Assertion", &token)
        .header("X-Pomerium-Jwt-Assertion", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(doubled.status(), 401);
}

#[tokio::test]
async fn header_supplied_keys_are_ignored() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("pomerium", &jwks, ""), &[]).await;
    // Signed with a key the JWKS does not know, which the token itself offers via jku/jwk: refused.
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("attacker".into());
    header.jku = Some("http://127.0.0.1:1/attacker-jwks.json".into());
    let token =
        encode(&header, &claims("ann@example.com", &["admins"]), &EncodingKey::from_ec_pem(ES_OTHER_KEY.as_bytes()).unwrap()).unwrap();
    assert_eq!(me(&app, "X-Pomerium-Jwt-Assertion", &token).await.status(), 401);
}

#[tokio::test]
async fn unknown_kids_refetch_the_jwks_at_most_once_per_cooldown() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("pomerium", &jwks, ""), &[]).await;
    let good = es256("es-key-1", &claims("ann@example.com", &["ops"]));
    assert_eq!(me(&app, "X-Pomerium-Jwt-Assertion", &good).await.status(), 200);
    assert_eq!(jwks.fetches.load(Ordering::SeqCst), 1, "first use fetches the key set once");
    assert_eq!(me(&app, "X-Pomerium-Jwt-Assertion", &good).await.status(), 200);
    assert_eq!(jwks.fetches.load(Ordering::SeqCst), 1, "known kids come from the cache");

    let burst =
        (0..200).map(|i| {
            let app = &app;
            async move {
                me(app, "X-Pomerium-Jwt-Assertion", &es256(&format!("random-{i}"), &claims("ann@example.com", &["ops"]))).await.status()
            }
        });
    let statuses = futures_util::future::join_all(burst).await;
    assert!(statuses.iter().all(|s| *s == 401));
    assert!(
        jwks.fetches.load(Ordering::SeqCst) <= 2,
        "a burst of unknown kids costs at most one more fetch, got {}",
        jwks.fetches.load(Ordering::SeqCst)
    );
    assert_eq!(me(&app, "X-Pomerium-Jwt-Assertion", &good).await.status(), 200, "known keys keep working");
}

#[tokio::test]
async fn jwks_endpoint_down_fails_closed() {
    let config = format!(
        "[auth]\nmode = \"jwt\"\n[auth.jwt]\npreset = \"pomerium\"\njwks_url = \"http://127.0.0.1:1/jwks.json\"\nissuer = \"{ISSUER}\"\naudience = \"{AUDIENCE}\"\n"
    );
    let app = common::spawn_with(&config, &[]).await;
    let token = es256("es-key-1", &claims("ann@example.com", &["ops"]));
    assert_eq!(me(&app, "X-Pomerium-Jwt-Assertion", &token).await.status(), 401);
}

#[tokio::test]
async fn signed_in_without_a_role_is_forbidden() {
    let jwks = jwks_server().await;
    let app = common::spawn_with(&config("pomerium", &jwks, ""), &[]).await;
    let response = me(&app, "X-Pomerium-Jwt-Assertion", &es256("es-key-1", &claims("nobody@example.com", &["everyone"]))).await;
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "forbidden");
}

/// Once the key set is older than its maximum age, requests with a known kid are answered from the
/// cache while one refresh runs beside them: a JWKS endpoint that hangs must not hold them up.
#[tokio::test]
async fn a_stale_key_set_is_refreshed_in_the_background_not_in_front_of_requests() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Notify::new());
    let (counter, gate) = (fetches.clone(), release.clone());
    let router = Router::new().route(
        "/jwks.json",
        get(move || {
            let (counter, gate) = (counter.clone(), gate.clone());
            async move {
                // The first fetch answers; every later one hangs until the test lets it go.
                if counter.fetch_add(1, Ordering::SeqCst) > 0 {
                    gate.notified().await;
                }
                ([("content-type", "application/json")], JWKS)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jwks = Jwks { url: format!("http://{}/jwks.json", listener.local_addr().unwrap()), fetches: fetches.clone() };
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let app = common::spawn_with(&config("pomerium", &jwks, "jwks_max_age_secs = 1\njwks_cooldown_secs = 5"), &[]).await;
    let good = es256("es-key-1", &claims("ann@example.com", &["ops"]));
    assert_eq!(me(&app, "X-Pomerium-Jwt-Assertion", &good).await.status(), 200);
    // Past the maximum age and the cooldown: a refresh is due.
    tokio::time::sleep(std::time::Duration::from_millis(5200)).await;

    let burst = (0..6).map(|_| {
        let (app, good) = (&app, good.clone());
        async move { me(app, "X-Pomerium-Jwt-Assertion", &good).await.status() }
    });
    // Waiting on the hanging refresh would never end: the bound turns that into a failure.
    let statuses = tokio::time::timeout(std::time::Duration::from_secs(10), futures_util::future::join_all(burst))
        .await
        .expect("requests with a known key do not wait for the refresh");
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    for _ in 0..50 {
        if fetches.load(Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // While that refresh hangs, more requests are still answered and start no second one.
    assert_eq!(me(&app, "X-Pomerium-Jwt-Assertion", &good).await.status(), 200);
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "one background refresh for the whole burst");
    release.notify_waiters();
}

#[test]
fn a_jwks_cooldown_shorter_than_a_fetch_is_refused() {
    let toml = "[auth]\nmode = \"jwt\"\n[auth.jwt]\npreset = \"pomerium\"\njwks_url = \"https://x/jwks\"\nissuer = \"i\"\naudience = \"a\"\njwks_cooldown_secs = 1\n";
    let err = callout_console::config::Settings::from_toml(toml, Vec::new()).expect_err("refused");
    assert_eq!(err.key, "auth.jwt.jwks_cooldown_secs");
}
