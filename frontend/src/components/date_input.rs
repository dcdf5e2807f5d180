//! A day typed as text. `<input type=date>` shows the browser's own format (mm/dd/yyyy in an
//! English browser) whatever the page's language, so the console asks for year-month-day in both.

use leptos::prelude::*;

use crate::{i18n::K, logic::dates::parse_day, state::locale::use_locale};

/// The input only (the caller labels it): flagged while its text is not a real day.
// One compiled copy for every page: the change handler is boxed.
pub fn date_input(id: String, testid: String, value: Signal<String>, on_input: Box<dyn Fn(String)>) -> impl IntoView {
    let locale = use_locale();
    let invalid = move || value.with(|v| !v.trim().is_empty() && parse_day(v).is_none());
    view! {
        <input id=id type="text" inputmode="numeric" autocomplete="off" maxlength="12" data-testid=testid
            placeholder=locale.text(K::DateHint) title=locale.text(K::DateHint)
            class="date-input" class:input-invalid=invalid aria-invalid=move || invalid().to_string()
            prop:value=move || value.get() on:input=move |ev| on_input(event_target_value(&ev)) />
    }
}
