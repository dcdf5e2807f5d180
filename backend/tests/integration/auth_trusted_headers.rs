//! Identity from forward-auth headers: only from the configured proxy, never smuggled.

use crate::common;

use serde_json::Value;

fn config(proxies: &str, preset: &str) -> String {
    format!(
        "[auth]\nmode = \"trusted-headers\"\n[auth.trusted_headers]\npreset = \"{preset}\"\ntrusted_proxies = [{proxies}]\n\
         [roles]\nadmin_groups = [\"admins\"]\noperator_groups = [\"ops\"]\n"
    )
}

#[tokio::test]
async fn oauth2_proxy_headers_from_the_proxy_sign_the_user_in() {
    let app = common::spawn_with(&config("\"127.0.0.1/32\"", "oauth2-proxy"), &[]).await;
    let response = app
        .http
        .get(app.url("/api/v1/me"))
        .header("X-Forwarded-User", "ann")
        .header("X-Forwarded-Email", "ann@example.com")
        .header("X-Forwarded-Groups", "everyone")
        .header("X-Forwarded-Groups", "ops")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["subject"], "ann");
    assert_eq!(body["role"], "operator");
    assert_eq!(body["groups"], serde_json::json!(["everyone", "ops"]));
}

#[tokio::test]
async fn authentik_groups_are_pipe_separated() {
    let app = common::spawn_with(&config("\"127.0.0.0/8\"", "authentik"), &[]).await;
    let response = app
        .http
        .get(app.url("/api/v1/me"))
        .header("X-authentik-username", "bob")
        .header("X-authentik-groups", "users|admins")
        .send()
        .await
        .unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["role"], "admin");
}

#[tokio::test]
async fn headers_from_an_address_that_is_not_the_proxy_are_ignored() {
    let app = common::spawn_with(&config("\"10.1.2.3/32\"", "authelia"), &[]).await;
    let response =
        app.http.get(app.url("/api/v1/me")).header("Remote-User", "mallory").header("Remote-Groups", "admins").send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn smuggled_or_doubled_identity_headers_are_refused() {
    let app = common::spawn_with(&config("\"127.0.0.1/32\"", "oauth2-proxy"), &[]).await;
    let underscore = app
        .http
        .get(app.url("/api/v1/me"))
        .header("X-Forwarded-User", "ann")
        .header("X_Forwarded_Email", "boss@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(underscore.status(), 401, "underscore look-alike");
    let doubled =
        app.http.get(app.url("/api/v1/me")).header("X-Forwarded-User", "ann").header("X-Forwarded-User", "boss").send().await.unwrap();
    assert_eq!(doubled.status(), 401, "two users");
    assert_eq!(app.get("/api/v1/me").await.status(), 401, "no headers at all");
}

#[test]
fn refuses_to_start_without_a_proxy_list() {
    let err = callout_console::config::Settings::from_toml(
        "[auth]\nmode = \"trusted-headers\"\n[auth.trusted_headers]\npreset = \"authelia\"\n",
        Vec::new(),
    )
    .unwrap_err();
    assert_eq!(err.key, "auth.trusted_headers.trusted_proxies");
}
