//! Header (brand, sandbox badge, language), navigation and footer of the shell.

use callout_shared::health::Mode;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    i18n::{fill, Lang, K},
    state::{
        locale::use_locale,
        session::{Health, Me},
    },
};

/// The areas of the product, in the order admins use them; `true` marks admin-only ones.
const AREAS: [(&str, K, bool); 7] = [
    ("/", K::NavDashboard, false),
    ("/callout", K::NavCallout, false),
    ("/status", K::NavStatus, false),
    ("/ms-open-id", K::NavMsOpenId, false),
    ("/room-call", K::NavRoomCall, false),
    ("/dialex", K::NavDialEx, false),
    ("/audit", K::NavAudit, true),
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
            <a class="skip-link" href="#main">{locale.text(K::SkipToContent)}</a>
            <span class="brand">{locale.text(K::Brand)}</span>
            <Show when=sandbox>
                <span class="badge badge-sandbox" role="status">{locale.text(K::SandboxBadge)}</span>
            </Show>
            <span class="topbar-spacer"></span>
            <label class="visually-hidden" for="language">{locale.text(K::LanguageLabel)}</label>
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
    let me = expect_context::<Me>();
    view! {
        <nav class="sidenav" aria-label=locale.text(K::MainNav)>
            <ul>
                {AREAS
                    .iter()
                    .map(|&(href, key, admin_only)| view! {
                        <Show when=move || !admin_only || me.is_admin()>
                            <li><A href=href exact=true>{move || locale.t(key)}</A></li>
                        </Show>
                    })
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
            <span>{locale.text(K::FooterUi)}" " {env!("CARGO_PKG_VERSION")} " · "</span>
            <span data-testid="footer-version">{version}</span>
        </footer>
    }
}
