//! Stopping the backend: an open event stream (a browser left on a live page) must not hold the
//! graceful shutdown open.

use std::time::Duration;

use callout_console::{app::Application, config::Settings};

#[tokio::test]
async fn an_open_event_stream_ends_when_the_server_stops() {
    callout_console::telemetry::init_for_tests();
    let data = tempfile::tempdir().unwrap();
    let env = vec![
        ("CALLOUT__SERVER__BIND".to_owned(), "\"127.0.0.1:0\"".to_owned()),
        ("CALLOUT__SERVER__DATA_DIR".to_owned(), format!("{:?}", data.path().display().to_string())),
    ];
    let app = Application::build(Settings::from_toml("", env).unwrap()).await.unwrap();
    let url = format!("http://{}/api/v1/events", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));

    let mut stream = reqwest::get(&url).await.unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    stop.send(()).unwrap();

    // Generous bounds: they only tell "ends" from "hangs forever".
    let ended = tokio::time::timeout(Duration::from_secs(20), server).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "the server stopped although a stream was open: {ended:?}");
    let rest = tokio::time::timeout(Duration::from_secs(5), async { while let Ok(Some(_)) = stream.chunk().await {} }).await;
    assert!(rest.is_ok(), "the stream was closed");
}
