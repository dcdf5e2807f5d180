//! Logs to stderr, as text or one JSON object per line (`[log] format`); `RUST_LOG` chooses the
//! level (default `info`). In JSON, each line carries the fields of its spans, the request id among them.

use tracing::Subscriber;
use tracing_subscriber::{fmt, fmt::MakeWriter, EnvFilter};

use crate::config::LogFormat;

fn default_filter(fallback: &str) -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(fallback))
}

/// The JSON subscriber, writing to `writer`.
pub fn json_subscriber<W>(filter: EnvFilter, writer: W) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    fmt().json().with_current_span(true).with_span_list(true).with_env_filter(filter).with_writer(writer).finish()
}

pub fn init(format: LogFormat) {
    let filter = default_filter("info,tower_http=info");
    // A second init (tests spawning several apps) is harmless: keep the first subscriber.
    let _ = match format {
        LogFormat::Text => tracing::subscriber::set_global_default(fmt().with_env_filter(filter).with_writer(std::io::stderr).finish()),
        LogFormat::Json => tracing::subscriber::set_global_default(json_subscriber(filter, std::io::stderr)),
    };
}

/// For tests: logs go through the test harness's capture, shown only for failing tests.
pub fn init_for_tests() {
    let _ = fmt().with_env_filter(default_filter("info")).with_test_writer().try_init();
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::http::{HeaderMap, HeaderValue, Request};

    use super::*;
    use crate::request_id::{self, RequestId};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_json_log_line_of_a_request_carries_its_request_id() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = json_subscriber(EnvFilter::new("info"), move || writer.clone());
        let mut headers = HeaderMap::new();
        headers.insert(request_id::HEADER, HeaderValue::from_static("proxy-id-7"));
        let mut request = Request::get("/api/v1/callouts").body(()).unwrap();
        request.extensions_mut().insert(RequestId::from_headers(&headers));
        tracing::subscriber::with_default(subscriber, || {
            let _entered = request_id::make_span(&request).entered();
            tracing::info!("sending callout batch");
        });
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let line: serde_json::Value = serde_json::from_str(text.lines().next().expect("one line was logged")).unwrap();
        assert_eq!(line["fields"]["message"], "sending callout batch", "{line}");
        assert_eq!(line["span"]["request_id"], "proxy-id-7", "{line}");
        assert_eq!(line["spans"][0]["request_id"], "proxy-id-7", "{line}");
    }
}
