//! `GET /api/v1/events`: server-sent events of job progress and call status changes, with
//! heartbeats, resumable with `Last-Event-ID`.
//!
//! Each event arrives framed once for every subscriber (`service::events`); what queued up for a
//! client while it was being written to goes out in one write, so a burst costs each client a few
//! writes rather than one per event.

use std::{convert::Infallible, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};
use futures_util::stream::{self, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::{app::AppState, security::CurrentUser};

/// Tells the browser it missed events and must reload what it shows.
const RESYNC: &[u8] = b"event: resync\ndata: reload\n\n";
/// A comment line that keeps proxies from closing an idle stream.
const HEARTBEAT: &[u8] = b": heartbeat\n\n";
const HEARTBEAT_EVERY: Duration = Duration::from_secs(15);
/// At most this many queued events in one write.
const COALESCE: usize = 256;

pub async fn stream(State(state): State<AppState>, _user: CurrentUser, headers: HeaderMap) -> Response {
    let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let (replay, rx) = state.calls.events().subscribe(last);
    // Too far behind to replay: tell the client to reload what it shows.
    let head: Vec<Bytes> = match replay {
        Some(events) => events.iter().map(|(_, e)| e.frame.clone()).collect(),
        None => vec![Bytes::from_static(RESYNC)],
    };
    let live = stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Ok((_, event)) => Some((event.frame.clone(), rx)),
            // Events were dropped for this slow subscriber: it must reload what it shows.
            Err(RecvError::Lagged(_)) => Some((Bytes::from_static(RESYNC), rx)),
            Err(RecvError::Closed) => None,
        }
    });
    let start = tokio::time::Instant::now() + HEARTBEAT_EVERY;
    let heartbeats = stream::unfold(tokio::time::interval_at(start, HEARTBEAT_EVERY), |mut every| async move {
        every.tick().await;
        Some((Bytes::from_static(HEARTBEAT), every))
    });
    // Counted while the stream lives: dropped with it when the browser goes away.
    let client = crate::metrics::SseClient::connected();
    let frames = stream::select(stream::iter(head).chain(live), heartbeats)
        .take_until(state.calls.events().closed())
        .ready_chunks(COALESCE)
        .map(move |chunk| {
            let _counted = &client;
            Ok::<_, Infallible>(match <[Bytes; 1]>::try_from(chunk) {
                Ok([one]) => one,
                Err(many) => Bytes::from(many.concat()),
            })
        });
    ([(header::CONTENT_TYPE, "text/event-stream")], Body::from_stream(frames)).into_response()
}
