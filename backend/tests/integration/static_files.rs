//! The backend serves a built `dist/` itself: content types, cache policy, SPA fallback.

use crate::common;

use std::fs;

fn toml_path(path: &std::path::Path) -> String {
    format!("{:?}", path.display().to_string())
}

fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("index.html"), "<!doctype html><title>Callout Console</title>").unwrap();
    fs::write(dir.path().join("callout-frontend-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    fs::write(dir.path().join("callout-frontend-0123456789abcdef.js"), "export default 1;").unwrap();
    dir
}

#[tokio::test]
async fn hashed_assets_are_immutable_with_the_right_type() {
    let dist = fake_dist();
    let app = common::spawn_with("", &[("CALLOUT__SERVER__STATIC_DIR", &toml_path(dist.path()))]).await;
    let wasm = app.http.get(format!("{}/callout-frontend-0123456789abcdef_bg.wasm", app.base)).send().await.unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    let js = app.http.get(format!("{}/callout-frontend-0123456789abcdef.js", app.base)).send().await.unwrap();
    assert!(js.headers()["content-type"].to_str().unwrap().contains("javascript"));
    assert_eq!(js.headers()["cache-control"], "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn index_and_client_routes_are_revalidated_html() {
    let dist = fake_dist();
    let app = common::spawn_with("", &[("CALLOUT__SERVER__STATIC_DIR", &toml_path(dist.path()))]).await;
    for path in ["/", "/callout", "/dialex/new"] {
        let page = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
        assert_eq!(page.headers()["cache-control"], "no-cache", "{path}");
        assert!(page.text().await.unwrap().contains("Callout Console"));
    }
}

#[tokio::test]
async fn unknown_api_paths_are_not_answered_with_the_spa() {
    let dist = fake_dist();
    let app = common::spawn_with("", &[("CALLOUT__SERVER__STATIC_DIR", &toml_path(dist.path()))]).await;
    let response = app.http.get(format!("{}/api/v1/nope", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let health = app.http.get(format!("{}/api/v1/health", app.base)).send().await.unwrap();
    assert_eq!(health.status(), 200);
}
