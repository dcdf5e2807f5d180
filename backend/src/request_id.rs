//! A request id on every request: the proxy's `X-Request-Id` when it is a short visible-ASCII token,
//! otherwise a fresh UUID. It is a field of the request's tracing span (so every log line of the
//! request, and of the dial tasks it starts, carries it) and is answered as `X-Request-Id`.

use axum::{
    extract::Request,
    http::{HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};
use tracing::Span;

pub const HEADER: &str = "x-request-id";
/// Longer ids are replaced: a log field is no place for a proxy's whole trace context.
const MAX_LEN: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// The proxy's id if it is 1 to 100 visible ASCII characters, else a new one.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        headers
            .get(HEADER)
            .map(HeaderValue::as_bytes)
            .filter(|id| (1..=MAX_LEN).contains(&id.len()) && id.iter().all(|b| b.is_ascii_graphic()))
            .map(|id| Self(String::from_utf8_lossy(id).into_owned()))
            .unwrap_or_else(|| Self(uuid::Uuid::new_v4().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Outermost middleware: decides the id before the span is made, answers it after.
pub async fn propagate(mut request: Request, next: Next) -> Response {
    let id = RequestId::from_headers(request.headers());
    let value = HeaderValue::from_str(id.as_str()).expect("a request id is visible ASCII");
    request.extensions_mut().insert(id);
    let mut response = next.run(request).await;
    response.headers_mut().insert(HEADER, value);
    response
}

/// The span of one request (for `TraceLayer::make_span_with`), carrying its id.
pub fn make_span<B>(request: &axum::http::Request<B>) -> Span {
    let id = request.extensions().get::<RequestId>().map_or("-", RequestId::as_str);
    tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HEADER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_short_visible_id_from_the_proxy_is_kept() {
        assert_eq!(RequestId::from_headers(&with("req-42/abc")).as_str(), "req-42/abc");
    }

    #[test]
    fn a_long_or_blank_or_spaced_id_is_replaced_by_a_uuid() {
        for bad in ["", "has space", &"x".repeat(101)] {
            let id = RequestId::from_headers(&with(bad));
            assert!(uuid::Uuid::parse_str(id.as_str()).is_ok(), "{bad:?} became {id:?}");
        }
        assert!(uuid::Uuid::parse_str(RequestId::from_headers(&HeaderMap::new()).as_str()).is_ok());
    }
}
