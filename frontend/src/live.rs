//! The backend's live event stream (`GET /api/v1/events`, server-sent events). The browser's
//! `EventSource` reconnects by itself and resends the last event id; after a reconnect (or when
//! the backend says `resync`) we may have missed events, so the page is told to reload.

use std::rc::Rc;

use callout_shared::jobs::{ItemChanged, JobChanged, JobItem, JobSummary};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
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

impl Live {
    /// The job the event is about; `None` for a resync.
    pub fn job_id(&self) -> Option<&str> {
        match self {
            Live::Job(job) => Some(&job.id),
            Live::Item { job_id, .. } => Some(job_id),
            Live::Resync => None,
        }
    }
}

/// The JSON data of a message event, when it is what the event's name says.
fn data<T: DeserializeOwned>(event: &Event) -> Option<T> {
    let text = event.dyn_ref::<MessageEvent>()?.data().as_string()?;
    crate::api::from_json(&text).ok()
}

/// A named DOM event listener of the stream.
type Listener = (&'static str, Closure<dyn FnMut(Event)>);

/// Listens while the calling component lives. `connected` follows the connection.
pub fn listen(connected: RwSignal<bool>, on_event: impl Fn(Live) + 'static) {
    let Ok(source) = EventSource::new(&events_url()) else { return };
    let on_event = Rc::new(on_event);
    let mut listeners: Vec<Listener> = Vec::new();
    // The event's name says which `LiveEvent` variant its data is, so each is read as that
    // variant's payload (the `type` tag is ignored): decoding the tagged enum would compile a second
    // decoder for every job type (about 6 KB gzip).
    let job = on_event.clone();
    listeners.push((
        "job",
        Closure::new(move |e: Event| {
            if let Some(JobChanged { job: summary }) = data(&e) {
                job(Live::Job(summary));
            }
        }),
    ));
    let item = on_event.clone();
    listeners.push((
        "item",
        Closure::new(move |e: Event| {
            if let Some(ItemChanged { job_id, item: row }) = data(&e) {
                item(Live::Item { job_id, item: row });
            }
        }),
    ));
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
