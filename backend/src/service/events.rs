//! Live events for the browser. Each event gets an increasing id; the last few thousand are kept so
//! a reconnecting client (`Last-Event-ID`) misses nothing. An event is serialised and framed for
//! server-sent events once, when it is published, and the same bytes go to every subscriber.

use std::{
    collections::VecDeque,
    future::Future,
    sync::{Arc, Mutex, MutexGuard},
};

use axum::body::Bytes;
use callout_shared::jobs::LiveEvent;
use tokio::sync::{broadcast, watch};

const KEEP: usize = 16_384;

/// A published event as it goes on the wire: one server-sent event, `id`, `event` and `data` lines.
#[derive(Debug)]
pub struct WireEvent {
    pub frame: Bytes,
}

impl WireEvent {
    fn new(id: u64, name: &str, json: &str) -> Self {
        // Compact JSON has no line breaks, so it is one `data:` line.
        debug_assert!(!json.contains('\n'));
        Self { frame: Bytes::from(format!("id: {id}\nevent: {name}\ndata: {json}\n\n")) }
    }
}

/// An event with its id.
pub type Numbered = (u64, Arc<WireEvent>);

pub struct EventBus {
    tx: broadcast::Sender<Numbered>,
    recent: Mutex<(u64, VecDeque<Numbered>)>,
    /// Set when the server stops: open streams end, so a graceful shutdown is not held open by browsers.
    closing: watch::Sender<bool>,
}

impl Default for EventBus {
    fn default() -> Self {
        // Room for bursts (a webhook per call of a big job) before a slow browser must resync.
        Self { tx: broadcast::channel(KEEP).0, recent: Mutex::new((0, VecDeque::with_capacity(KEEP))), closing: watch::channel(false).0 }
    }
}

impl EventBus {
    /// Ends every open stream (the server is shutting down).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Completes once [`EventBus::close`] was called.
    pub fn closed(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut closing = self.closing.subscribe();
        async move {
            let _ = closing.wait_for(|closed| *closed).await;
        }
    }

    pub fn publish(&self, event: LiveEvent) -> u64 {
        let name = match &event {
            LiveEvent::Job(_) => "job",
            LiveEvent::Item(_) => "item",
        };
        // Plain data types: serialising cannot fail.
        let json = serde_json::to_string(&event).unwrap_or_default();
        // Numbered and sent under one lock so ids reach subscribers in order.
        let mut recent = self.recent();
        recent.0 += 1;
        let id = recent.0;
        let event = Arc::new(WireEvent::new(id, name, &json));
        if recent.1.len() == KEEP {
            recent.1.pop_front();
        }
        recent.1.push_back((id, event.clone()));
        let _ = self.tx.send((id, event));
        id
    }

    /// Events after `last_id` still kept (in order), and a receiver for what comes next.
    /// `None` in the first place means the client fell too far behind and must reload.
    pub fn subscribe(&self, last_id: Option<u64>) -> (Option<Vec<Numbered>>, broadcast::Receiver<Numbered>) {
        let recent = self.recent();
        let rx = self.tx.subscribe();
        let replay = match last_id {
            None => Some(Vec::new()),
            Some(last) if last >= recent.0 => Some(Vec::new()),
            Some(last) => match recent.1.front() {
                Some((first, _)) if *first <= last + 1 => Some(recent.1.iter().filter(|(id, _)| *id > last).cloned().collect()),
                _ => None,
            },
        };
        (replay, rx)
    }

    fn recent(&self) -> MutexGuard<'_, (u64, VecDeque<Numbered>)> {
        self.recent.lock().unwrap_or_else(|e| e.into_inner())
    }
}
