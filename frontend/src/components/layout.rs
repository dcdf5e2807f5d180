//! Header (brand, sandbox badge, language), navigation and footer of the shell.

use callout_shared::{health::Mode, me::Role};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    i18n::{fill, Lang, K},
    state::{
        locale::use_locale,
        session::{Health, Me},
    },
};

/// The areas of the product, in the order admins use them, with the least role that sees each.
const AREAS: [(&str, K, Role); 9] = [
    ("/", K::NavDashboard, Role::Viewer),
    ("/jobs", K::NavJobs, Role::Viewer),
    ("/callout", K::NavCallout, Role::Viewer),
    ("/status", K::NavStatus, Role::Viewer),
    ("/ms-open-id", K::NavMsOpenId, Role::Viewer),
    ("/room-call", K::NavRoomCall, Role::Viewer),
    ("/dialex", K::NavDialEx, Role::Viewer),
    ("/do-not-call", K::NavDoNotCall, Role::Operator),
    ("/audit", K::NavAudit, Role::Admin),
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
                    .map(|&(href, key, least)| view! {
                        <Show when=move || me.has_role(least)>
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
