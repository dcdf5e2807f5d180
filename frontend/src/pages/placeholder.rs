use leptos::prelude::*;

/// An area whose page is not built yet.
#[component]
pub fn Placeholder(title: &'static str) -> impl IntoView {
    view! {
        <section>
            <h1>{title}</h1>
            <p class="muted">"This area is not available yet."</p>
        </section>
    }
}
