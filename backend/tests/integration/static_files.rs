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

#[tokio::test]
async fn precompressed_assets_are_sent_as_they_are_to_browsers_that_accept_them() {
    let dist = fake_dist();
    let wasm = "callout-frontend-0123456789abcdef_bg.wasm";
    // Not real compressed data: the test proves the backend sends these exact files.
    fs::write(dist.path().join(format!("{wasm}.br")), b"brotli bytes of the wasm").unwrap();
    fs::write(dist.path().join(format!("{wasm}.gz")), b"gzip bytes of the wasm").unwrap();
    let app = common::spawn_with("", &[("CALLOUT__SERVER__STATIC_DIR", &toml_path(dist.path()))]).await;
    let url = format!("{}/{wasm}", app.base);

    let br = app.http.get(&url).header("accept-encoding", "gzip, deflate, br").send().await.unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["content-type"], "application/wasm");
    assert_eq!(br.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(br.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes of the wasm");

    let gz = app.http.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip bytes of the wasm");

    let plain = app.http.get(&url).header("accept-encoding", "identity").send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");
}

#[tokio::test]
async fn assets_without_a_precompressed_copy_are_still_compressed_on_the_fly() {
    let dist = fake_dist();
    let script = "x".repeat(4096);
    fs::write(dist.path().join("callout-frontend-0123456789abcdef.js"), &script).unwrap();
    let app = common::spawn_with("", &[("CALLOUT__SERVER__STATIC_DIR", &toml_path(dist.path()))]).await;
    let js =
        app.http.get(format!("{}/callout-frontend-0123456789abcdef.js", app.base)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(js.status(), 200);
    assert_eq!(js.headers()["content-encoding"], "gzip");
    assert_eq!(js.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(js.bytes().await.unwrap().len() < script.len());
}
