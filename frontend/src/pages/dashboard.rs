use callout_shared::health::Mode;
use leptos::prelude::*;

use crate::app::Health;

#[component]
pub fn Dashboard() -> impl IntoView {
    let Health(health) = expect_context::<Health>();
    view! {
        <section>
            <h1>"Dashboard"</h1>
            <div class="card" aria-live="polite">
                <h2>"Backend"</h2>
                {move || match health.get() {
                    None => view! { <p class="muted">"Checking the backend…"</p> }.into_any(),
                    Some(Err(err)) => view! { <p class="alert alert-error" role="alert">{err.to_string()}</p> }.into_any(),
                    Some(Ok(h)) => view! {
                        <dl class="facts" data-testid="health">
                            <dt>"Status"</dt><dd data-testid="health-status">{h.status.clone()}</dd>
                            <dt>"Version"</dt><dd data-testid="health-version">{h.version.clone()}</dd>
                            <dt>"Mode"</dt>
                            <dd data-testid="health-mode">{match h.mode { Mode::Sandbox => "sandbox", Mode::Live => "live" }}</dd>
                        </dl>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
