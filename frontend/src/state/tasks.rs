//! Requests a user's action starts in the background (a page's own data loads through `load`).
//! Each runs under the component's reactive owner and is dropped with it: an answer that arrives
//! after the user left must neither read the page's disposed signals (that panics) nor act
//! (navigate, alert) for a page that is gone.

use std::{future::Future, pin::Pin};

use leptos::{prelude::*, task::spawn_local_scoped_with_cancellation};

/// The owner of the component that made it; `Copy`, so event handlers and callbacks can hold it.
#[derive(Clone, Copy)]
pub struct Tasks(StoredValue<Option<Owner>>);

impl Default for Tasks {
    fn default() -> Self {
        Self::new()
    }
}

impl Tasks {
    /// Call in a component's body.
    pub fn new() -> Self {
        Self(StoredValue::new(Owner::current()))
    }

    /// Runs `task` until it ends or the component is dropped, whichever comes first.
    pub fn spawn(self, task: impl Future<Output = ()> + 'static) {
        self.spawn_boxed(Box::pin(task));
    }

    // One compiled copy of the spawning machinery for every caller (it is large in the bundle).
    fn spawn_boxed(self, task: Pin<Box<dyn Future<Output = ()>>>) {
        // Nothing runs for a component that is already gone.
        let _ = self.0.try_with_value(|owner| match owner {
            Some(owner) => owner.with(|| spawn_local_scoped_with_cancellation(task)),
            None => leptos::task::spawn_local(task),
        });
    }
}
