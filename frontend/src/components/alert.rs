//! The global alert and the small progress indicator every long action shows.

use leptos::prelude::*;

use crate::{
    api::ApiError,
    i18n::{fill, K},
    logic::errors::{describe, one_line},
    state::{
        alert::{use_alerts, Alert},
        locale::use_locale,
    },
};

#[component]
pub fn GlobalAlert() -> impl IntoView {
    let alerts = use_alerts();
    let locale = use_locale();
    // An alert belongs to the page that raised it.
    let pathname = leptos_router::hooks::use_location().pathname;
    Effect::new(move |previous: Option<String>| {
        let path = pathname.get();
        if previous.is_some_and(|p| p != path) {
            alerts.clear();
        }
        path
    });
    move || {
        let alert = alerts.0.get()?;
        let (class, role, body) = match alert {
            Alert::Error(error) => {
                let words = describe(&error, locale.lang());
                let body = view! {
                    <p class="alert-headline">{words.headline}</p>
                    {words.provider_code.map(|code| view! {
                        <p>{locale.t(K::ProviderCodeLabel)}": "<code data-testid="provider-code">{code}</code></p>
                    })}
                    {words.detail.map(|detail| view! { <p class="alert-detail">{detail}</p> })}
                }
                .into_any();
                ("alert alert-error", "alert", body)
            }
            Alert::Success(key, values) => {
                let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let text = fill(locale.t(key), &values);
                ("alert alert-success", "status", view! { <p class="alert-headline">{text}</p> }.into_any())
            }
            Alert::Info(key) => ("alert alert-info", "status", view! { <p class="alert-headline">{locale.t(key)}</p> }.into_any()),
        };
        Some(view! {
            <div class=format!("{class} global-alert") role=role data-testid="global-alert">
                <div class="alert-body">{body}</div>
                <button type="button" class="button-link" on:click=move |_| alerts.clear()>{locale.t(K::Dismiss)}</button>
            </div>
        })
    }
}

/// A spinner with words, announced politely to screen readers.
#[component]
pub fn Progress(#[prop(into)] label: Signal<&'static str>) -> impl IntoView {
    view! {
        <span class="progress" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || label.get()}</span>
        </span>
    }
}

/// What a section shows while its data loads.
pub fn loading() -> AnyView {
    let locale = use_locale();
    view! { <Progress label=Signal::derive(move || locale.t(K::Loading)) /> }.into_any()
}

/// What a section shows when its data could not be loaded: the error in one line.
pub fn load_failed(error: &ApiError) -> AnyView {
    let locale = use_locale();
    view! { <p class="alert alert-error" role="alert">{one_line(error, locale.lang())}</p> }.into_any()
}
