use leptos::prelude::*;

use crate::{i18n::K, state::locale::use_locale};

/// An area whose page is not built yet.
#[component]
pub fn Placeholder(title: K) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section>
            <h1>{move || locale.t(title)}</h1>
            <p class="muted">{locale.text(K::NotAvailableYet)}</p>
        </section>
    }
}
