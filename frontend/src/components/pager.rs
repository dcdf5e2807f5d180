//! Previous / next and "page 2 of 7", for every paged list of the console.

use leptos::prelude::*;

use crate::{
    i18n::{fill, K},
    state::locale::use_locale,
};

fn last_page((at, of): (usize, usize)) -> bool {
    at + 1 >= of
}

/// Previous / next and where we are; pages are zero-based inside, one-based on screen.
#[component]
pub fn Pager(page: Signal<(usize, usize)>, #[prop(into)] on_page: Callback<usize>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <nav class="pager" aria-label=locale.text(K::Pages)>
            <button type="button" disabled=move || page.get().0 == 0 on:click=move |_| on_page.run(page.get_untracked().0.saturating_sub(1)) data-testid="page-prev">
                {locale.text(K::PreviousPage)}
            </button>
            <span data-testid="page-of">{move || {
                let (at, of) = page.get();
                fill(locale.t(K::PageOf), &[("page", &(at + 1).to_string()), ("pages", &of.to_string())])
            }}</span>
            <button type="button" disabled=move || last_page(page.get()) on:click=move |_| on_page.run(page.get_untracked().0 + 1) data-testid="page-next">
                {locale.text(K::NextPage)}
            </button>
        </nav>
    }
}
