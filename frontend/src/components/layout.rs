//! Header, navigation and footer of the shell.

use callout_shared::health::Mode;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::Health;

/// The five areas of the product, in the order admins use them.
const AREAS: [(&str, &str); 6] = [
    ("/", "Dashboard"),
    ("/callout", "Meeting callout"),
    ("/status", "Callout status"),
    ("/ms-open-id", "ms_open_id lookup"),
    ("/room-call", "Room call"),
    ("/dialex", "DialEx"),
];

#[component]
pub fn Header() -> impl IntoView {
    let Health(health) = expect_context::<Health>();
    let sandbox = move || matches!(health.get(), Some(Ok(h)) if h.mode == Mode::Sandbox);
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <span class="brand">"Callout Console"</span>
            <Show when=sandbox>
                <span class="badge badge-sandbox" role="status">
                    "Sandbox: calls go to built-in emulators"
                </span>
            </Show>
        </header>
    }
}

#[component]
pub fn Navigation() -> impl IntoView {
    view! {
        <nav class="sidenav" aria-label="Main">
            <ul>
                {AREAS
                    .iter()
                    .map(|(href, label)| view! { <li><A href=*href exact=true>{*label}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let Health(health) = expect_context::<Health>();
    let version = move || match health.get() {
        Some(Ok(h)) => format!("backend {}", h.version),
        Some(Err(_)) => "backend unreachable".to_owned(),
        None => "…".to_owned(),
    };
    view! {
        <footer class="footer">
            <span>"Callout Console · UI " {env!("CARGO_PKG_VERSION")} " · "</span>
            <span data-testid="footer-version">{version}</span>
        </footer>
    }
}
