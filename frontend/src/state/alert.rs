//! The one global alert at the top of the content area. It holds keys and errors rather than
//! finished text, so it follows a language switch.

use leptos::prelude::*;

use crate::{api::ApiError, i18n::K};

#[derive(Debug, Clone, PartialEq)]
pub enum Alert {
    Error(ApiError),
    Success(K, Vec<(&'static str, String)>),
    Info(K),
}

#[derive(Clone, Copy)]
pub struct Alerts(pub RwSignal<Option<Alert>>);

impl Alerts {
    pub fn show(self, alert: Alert) {
        self.0.set(Some(alert));
    }

    pub fn error(self, error: ApiError) {
        self.show(Alert::Error(error));
    }

    pub fn clear(self) {
        self.0.set(None);
    }
}

pub fn use_alerts() -> Alerts {
    expect_context::<Alerts>()
}

pub fn provide_alerts() {
    provide_context(Alerts(RwSignal::new(None)));
}
