//! `GET /api/v1/events`: server-sent events of job progress and call status changes, with
//! heartbeats, resumable with `Last-Event-ID`.

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::State,
    http::HeaderMap,
    response::sse::{Event, KeepAlive, Sse},
};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::{app::AppState, security::CurrentUser, service::events::WireEvent};

fn to_sse(id: u64, event: &WireEvent) -> Event {
    Event::default().id(id.to_string()).event(event.name).data(&event.json)
}

pub async fn stream(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let (replay, rx) = state.calls.events().subscribe(last);
    // Too far behind to replay: tell the client to reload what it shows.
    let head: Vec<Event> = match replay {
        Some(events) => events.iter().map(|(id, e)| to_sse(*id, e)).collect(),
        None => vec![Event::default().event("resync").data("reload")],
    };
    let live = stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Ok((id, event)) => Some((to_sse(id, &event), rx)),
            // Events were dropped for this slow subscriber: it must reload what it shows.
            Err(RecvError::Lagged(_)) => Some((Event::default().event("resync").data("reload"), rx)),
            Err(RecvError::Closed) => None,
        }
    });
    // Counted while the stream lives: dropped with it when the browser goes away.
    let client = crate::metrics::SseClient::connected();
    let events = stream::iter(head).chain(live).take_until(state.calls.events().closed()).map(move |event| {
        let _counted = &client;
        Ok(event)
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)).text("heartbeat"))
}
