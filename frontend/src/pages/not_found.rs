//! Any path the router does not know: say so, name the path, and offer the way back.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::{i18n::K, state::locale::use_locale};

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    let path = use_location().pathname;
    view! {
        <section data-testid="not-found">
            <h1>{locale.text(K::PageNotFound)}</h1>
            <p>{locale.text(K::PageNotFoundBody)} " " <code data-testid="not-found-path">{move || path.get()}</code></p>
            <p><A href="/" attr:class="button primary" attr:data-testid="not-found-home">{locale.text(K::PageNotFoundHome)}</A></p>
        </section>
    }
}
