//! The backend's live event stream (`GET /api/v1/events`, server-sent events). The browser's
//! `EventSource` reconnects by itself and resends the last event id; after a reconnect (or when
//! the backend says `resync`) we may have missed events, so the page is told to reload.

use std::rc::Rc;

use callout_shared::jobs::{JobItem, JobSummary, LiveEvent};
use leptos::prelude::*;
use wasm_bindgen::{prelude::Closure, JsCast};
use web_sys::{Event, EventSource, MessageEvent};

use crate::api::events_url;

/// What a page hears from the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Live {
    Job(JobSummary),
    Item {
        job_id: String,
        item: JobItem,
    },
    /// Reload everything shown: events may have been missed.
    Resync,
}

/// A named DOM event listener of the stream.
type Listener = (&'static str, Closure<dyn FnMut(Event)>);

/// Listens while the calling component lives. `connected` follows the connection.
pub fn listen(connected: RwSignal<bool>, on_event: impl Fn(Live) + 'static) {
    let Ok(source) = EventSource::new(&events_url()) else { return };
    let on_event = Rc::new(on_event);
    let mut listeners: Vec<Listener> = Vec::new();
    for name in ["job", "item"] {
        let on_event = on_event.clone();
        listeners.push((
            name,
            Closure::new(move |e: Event| {
                let Some(data) = e.dyn_ref::<MessageEvent>().and_then(|m| m.data().as_string()) else { return };
                match serde_json::from_str::<LiveEvent>(&data) {
                    Ok(LiveEvent::Job { job }) => on_event(Live::Job(job)),
                    Ok(LiveEvent::Item { job_id, item }) => on_event(Live::Item { job_id, item }),
                    Err(_) => {}
                }
            }),
        ));
    }
    let resync = on_event.clone();
    listeners.push(("resync", Closure::new(move |_: Event| resync(Live::Resync))));
    listeners.push((
        "open",
        Closure::new(move |_: Event| {
            connected.set(true);
            // On every (re)connection, including the first: what changed before the stream was
            // listening is only in a fresh snapshot, taken now that nothing more can be missed.
            on_event(Live::Resync);
        }),
    ));
    listeners.push((
        "error",
        Closure::new(move |_: Event| {
            connected.set(false);
        }),
    ));
    for (name, listener) in &listeners {
        let _ = source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
    }
    // Closing on unmount; the closures live exactly as long as the source.
    let held = StoredValue::new_local(Some((source, listeners)));
    on_cleanup(move || {
        held.update_value(|held| {
            if let Some((source, _listeners)) = held.take() {
                source.close();
            }
        })
    });
}
