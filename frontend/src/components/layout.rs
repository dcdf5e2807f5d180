//! Header (brand, sandbox badge, language), navigation and footer of the shell.

use callout_shared::health::Mode;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    i18n::{fill, Lang, K},
    state::{locale::use_locale, session::Health},
};

/// The areas of the product, in the order admins use them.
const AREAS: [(&str, K); 6] = [
    ("/", K::NavDashboard),
    ("/callout", K::NavCallout),
    ("/status", K::NavStatus),
    ("/ms-open-id", K::NavMsOpenId),
    ("/room-call", K::NavRoomCall),
    ("/dialex", K::NavDialEx),
];

#[component]
pub fn Header() -> impl IntoView {
    let Health(health) = expect_context::<Health>();
    let locale = use_locale();
    let sandbox = move || matches!(health.get(), Some(Ok(h)) if h.mode == Mode::Sandbox);
    let choose = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
            locale.0.set(lang);
        }
    };
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">{move || locale.t(K::SkipToContent)}</a>
            <span class="brand">{move || locale.t(K::Brand)}</span>
            <Show when=sandbox>
                <span class="badge badge-sandbox" role="status">{move || locale.t(K::SandboxBadge)}</span>
            </Show>
            <span class="topbar-spacer"></span>
            <label class="visually-hidden" for="language">{move || locale.t(K::LanguageLabel)}</label>
            <select id="language" class="lang-select" data-testid="language" on:change=choose>
                {Lang::ALL
                    .map(|lang| view! { <option value=lang.tag() prop:selected=move || locale.lang() == lang>{lang.native_name()}</option> })
                    .collect_view()}
            </select>
        </header>
    }
}

#[component]
pub fn Navigation() -> impl IntoView {
    let locale = use_locale();
    view! {
        <nav class="sidenav" aria-label=move || locale.t(K::MainNav)>
            <ul>
                {AREAS
                    .iter()
                    .map(|&(href, key)| view! { <li><A href=href exact=true>{move || locale.t(key)}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let Health(health) = expect_context::<Health>();
    let locale = use_locale();
    let version = move || match health.get() {
        Some(Ok(h)) => fill(locale.t(K::FooterBackend), &[("version", &h.version)]),
        Some(Err(_)) => locale.t(K::FooterUnreachable).to_owned(),
        None => "…".to_owned(),
    };
    view! {
        <footer class="footer">
            <span>{move || locale.t(K::FooterUi)}" " {env!("CARGO_PKG_VERSION")} " · "</span>
            <span data-testid="footer-version">{version}</span>
        </footer>
    }
}
