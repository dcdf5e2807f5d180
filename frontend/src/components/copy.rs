//! A button that puts text on the clipboard and says so for a moment.

use leptos::prelude::*;

use crate::{i18n::K, state::locale::use_locale};

/// `label` names what is copied for screen readers (`aria-label`); the button reads "Copy".
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let Some(window) = web_sys::window() else { return };
        let _ = window.navigator().clipboard().write_text(&text.get_untracked());
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_millis(1500));
    };
    view! {
        <button type="button" class="small" on:click=copy aria-label=move || label.get() data-testid=testid>
            {move || locale.t(if copied.get() { K::Copied } else { K::Copy })}
        </button>
    }
}
