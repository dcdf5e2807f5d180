//! The chosen language: remembered in `localStorage`, first guessed from `navigator.language`.

use leptos::prelude::*;

use crate::i18n::{Lang, K};

const STORAGE_KEY: &str = "callout-console.lang";

#[derive(Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

impl Locale {
    /// The text for `key` in the current language; reading it subscribes the caller.
    pub fn t(self, key: K) -> &'static str {
        key.text(self.0.get())
    }

    /// `t` as a reactive view child. Every call returns the same closure type, so a page full of
    /// labels compiles to one renderer instead of one per label (this keeps the bundle small).
    pub fn text(self, key: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    pub fn lang(self) -> Lang {
        self.0.get()
    }
}

pub fn use_locale() -> Locale {
    expect_context::<Locale>()
}

pub fn provide_locale() {
    let lang = RwSignal::new(initial_lang());
    provide_context(Locale(lang));
    Effect::new(move |_| {
        let lang = lang.get();
        let window = web_sys::window();
        if let Some(storage) = window.as_ref().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
        // Screen readers and fonts follow `<html lang>`; the tab title is visible text too.
        if let Some(document) = window.and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.tag());
            }
            document.set_title(K::Brand.text(lang));
        }
    });
}

fn initial_lang() -> Lang {
    let Some(window) = web_sys::window() else { return Lang::En };
    let stored = window.local_storage().ok().flatten().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    stored
        .as_deref()
        .and_then(Lang::from_tag)
        .or_else(|| window.navigator().language().as_deref().and_then(Lang::from_tag))
        .unwrap_or(Lang::En)
}
