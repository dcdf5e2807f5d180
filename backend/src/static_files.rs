//! Serving the built admin panel (`dist/`) from the backend itself.
//!
//! Trunk names every asset after its content hash (`app-0123456789abcdef_bg.wasm`), so those may be
//! cached for a year; `index.html` names the current hashes and must be revalidated on every load.
//! Unknown paths outside `/api` get `index.html`, so client-side routes survive a reload.
//!
//! The release build leaves `name.br` and `name.gz` next to each asset (`scripts/precompress.sh`):
//! a browser that accepts them gets those bytes as they are, with `Content-Encoding`, instead of a
//! fresh (and weaker) compression per request. Anything without such a file is compressed on the fly.

use std::path::Path;

use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use tower_http::{
    compression::CompressionLayer,
    services::{ServeDir, ServeFile},
};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn router(dist: &Path) -> Router {
    let spa = ServeDir::new(dist).precompressed_br().precompressed_gzip().fallback(ServeFile::new(dist.join("index.html")));
    Router::new().fallback_service(spa).layer(middleware::from_fn(cache_policy)).layer(CompressionLayer::new())
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/api/") || path == "/api" {
        // An API path that no handler matched must not be answered with the SPA's HTML.
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = next.run(request).await;
    let policy = if is_content_hashed(&path) && response.status().is_success() { IMMUTABLE } else { REVALIDATE };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // The bytes depend on Accept-Encoding (precompressed or not): caches must keep them apart.
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// SHA-256 (base64) of each inline `<script>` in `index.html`: trunk bootstraps the WASM with one,
/// and the CSP allows exactly these instead of `'unsafe-inline'`.
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    use base64::Engine;
    use sha2::Digest;
    let Ok(html) = std::fs::read_to_string(dist.join("index.html")) else { return Vec::new() };
    let mut hashes = Vec::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script") {
        let tag_end = match rest[start..].find('>') {
            Some(i) => start + i,
            None => break,
        };
        let tag = &rest[start..tag_end];
        let body_end = match rest[tag_end..].find("</script>") {
            Some(i) => tag_end + i,
            None => break,
        };
        if !tag.contains(" src=") {
            let body = &rest[tag_end + 1..body_end];
            hashes.push(base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body.as_bytes())));
        }
        rest = &rest[body_end..];
    }
    hashes
}

/// True for trunk's hashed file names: `<name>-<hash>[_bg].<ext>`, the hash a 64-bit number in hex.
/// Trunk writes it without leading zeros (one build in 16 has 15 digits), so 12 to 16 digits count.
pub fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _ext)) = file.rsplit_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else { return false };
    (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::{inline_script_hashes, is_content_hashed};

    #[test]
    fn inline_bootstrap_scripts_are_hashed_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let html =
            "<html><head><script type=\"module\">\nimport init from '/a.js';\n</script><script src=\"/x.js\"></script></head></html>";
        std::fs::write(dir.path().join("index.html"), html).unwrap();
        // sha256 of "\nimport init from '/a.js';\n", computed independently.
        assert_eq!(inline_script_hashes(dir.path()), vec!["nmdLyQ6u69OUSoW4i7ADiAWaKqSloTkmbl/K96XORko=".to_string()]);
    }

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_content_hashed("/callout-frontend-3f9a0c1b2d4e5f67_bg.wasm"));
        assert!(is_content_hashed("/callout-frontend-3f9a0c1b2d4e5f67.js"));
        assert!(is_content_hashed("/style-0123456789abcdef.css"));
        // A hash with a leading zero digit, as trunk names it.
        assert!(is_content_hashed("/callout-frontend-c05625bea361070_bg.wasm"));
    }

    #[test]
    fn plain_names_are_not_hashed() {
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/"));
        assert!(!is_content_hashed("/callout-frontend.js"));
        assert!(!is_content_hashed("/logo-12345.svg"));
        assert!(!is_content_hashed("/style-0123456789abcdeg.css"));
    }
}
