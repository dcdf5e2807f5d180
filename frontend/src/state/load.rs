//! How every page loads its data: `load`, a `LocalResource` seen through its value's type.
//!
//! A resource's request loop is compiled once per value type, and it is large in the bundle (about
//! 2 KB gzip each), so every resource holds its value boxed as `dyn Any` and shares one compiled
//! copy; `Load<T>` reads it back as the `T` its fetcher answers.

use std::{any::Any, future::Future, marker::PhantomData, pin::Pin};

use leptos::prelude::*;

type Value = Box<dyn Any>;
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Value>>>>;

/// Data a `LocalResource` loads: `None` until the first answer; a refetch keeps the last value
/// until it is answered.
pub struct Load<T>(LocalResource<Value>, PhantomData<fn() -> T>);

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Load<T> {}

/// Loads what `fetch` answers; the signals it reads ask again when they change.
pub fn load<T: 'static, F: Future<Output = T> + 'static>(fetch: impl Fn() -> F + 'static) -> Load<T> {
    Load(
        resource(Box::new(move || {
            let answer = fetch();
            Box::pin(async move { Box::new(answer.await) as Value })
        })),
        PhantomData,
    )
}

fn resource(fetch: Fetch) -> LocalResource<Value> {
    LocalResource::new(fetch)
}

impl<T: 'static> Load<T> {
    pub fn with<R>(self, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.0.with(|value| f(value.as_ref().and_then(|v| v.downcast_ref())))
    }

    pub fn with_untracked<R>(self, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.0.with_untracked(|value| f(value.as_ref().and_then(|v| v.downcast_ref())))
    }

    pub fn get(self) -> Option<T>
    where
        T: Clone,
    {
        self.with(|value| value.cloned())
    }

    /// Changes the loaded value in place; `change` says whether it did. Nothing happens before the
    /// first answer. A change drops an answer still on its way (Leptos takes the write as newer):
    /// data that is refetched keeps its changes meanwhile (see `followed`).
    pub fn update(self, change: impl FnOnce(&mut T) -> bool) {
        if self.0.try_with_untracked(Option::is_some) == Some(true) {
            self.0.maybe_update(|value| value.as_mut().and_then(|v| v.downcast_mut()).is_some_and(change));
        }
    }

    /// Asks again; the answer replaces the value.
    pub fn refetch(self) {
        self.0.refetch();
    }
}
