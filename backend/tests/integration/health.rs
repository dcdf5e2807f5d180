use crate::common;

use callout_shared::health::{HealthResponse, Mode};

#[tokio::test]
async fn health_reports_version_and_sandbox_mode() {
    let app = common::spawn().await;
    let response = app.http.get(format!("{}/api/v1/health", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: HealthResponse = response.json().await.unwrap();
    assert_eq!(body.status, "ok");
    assert_eq!(body.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(body.mode, Mode::Sandbox);
}
