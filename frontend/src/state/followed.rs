//! Data a page loads (`load`) and the event stream then keeps current.
//!
//! Changing loaded data drops the answer a refetch is waiting for (Leptos takes the write as newer
//! than the request). So an event heard while a request is on its way is kept, and handed with the
//! value the answer replaces to the page's `settle`; an event heard otherwise changes the loaded
//! value in place. A resource sends one request at a time: a refetch asked meanwhile is sent once
//! the answer is in, so no answer lands after a newer one.

use std::{future::Future, rc::Rc};

use leptos::prelude::*;

use crate::state::load::{load, Load};

pub struct Followed<T: 'static, E: 'static> {
    pub data: Load<T>,
    /// `Some` while a request is on its way: the events heard since it started.
    heard: StoredValue<Option<Vec<E>>, LocalStorage>,
}

impl<T, E> Clone for Followed<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, E> Copy for Followed<T, E> {}

impl<T, E> Followed<T, E> {
    /// `fetch` sends the request (the signals it reads refetch when they change); `settle` makes the
    /// value to show from the answer, the value it replaces (`None` at first) and what was heard.
    pub fn new<A, F>(fetch: impl Fn() -> F + 'static, settle: impl Fn(A, Option<&T>, Vec<E>) -> T + 'static) -> Self
    where
        F: Future<Output = A> + 'static,
    {
        let heard = StoredValue::new_local(None::<Vec<E>>);
        // The fetcher reads the value it replaces, so it reaches its own resource through this.
        let this = StoredValue::new_local(None::<Load<T>>);
        let settle = Rc::new(settle);
        let data = load(move || {
            heard.update_value(|h| {
                h.get_or_insert_with(Vec::new);
            });
            let (request, settle) = (fetch(), settle.clone());
            async move {
                let answer = request.await;
                let heard = heard.try_update_value(Option::take).flatten().unwrap_or_default();
                let next = move |shown: Option<&T>| settle(answer, shown, heard);
                match this.try_get_value().flatten() {
                    Some(data) => data.with_untracked(next),
                    // The page is gone: nothing shows the value.
                    None => next(None),
                }
            }
        });
        this.set_value(Some(data));
        Self { data, heard }
    }

    /// A live event: kept while a request is on its way, else applied in place by `apply`, which
    /// says whether it changed anything.
    pub fn hear(self, event: E, apply: impl FnOnce(&mut T, E) -> bool) {
        let mut event = Some(event);
        self.heard.update_value(|heard| {
            if let Some(heard) = heard {
                heard.extend(event.take());
            }
        });
        if let Some(event) = event {
            self.data.update(|value| apply(value, event));
        }
    }

    /// Loads again (events may have been missed).
    pub fn refetch(self) {
        self.data.refetch();
    }
}
