//! `/do-not-call`: the numbers no job ever dials. Operators read the list; admins add numbers
//! (normalised by the backend) and remove them. Numbers from the configuration file are shown,
//! but can only be removed there.

use callout_shared::{
    dnc::{AddDoNotCall, DoNotCallEntry},
    numbers::NumberInput,
};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{self, ApiError},
    components::{
        alert::{load_failed, loading},
        field::{described_by, Field, FieldErrors},
    },
    i18n::{fill, K},
    logic::dates::format_utc,
    state::{
        alert::{use_alerts, Alert},
        locale::use_locale,
        session::Me,
    },
};

/// The list as last loaded (`None` while the first load runs).
type Entries = RwSignal<Option<Result<Vec<DoNotCallEntry>, ApiError>>>;

fn reload(entries: Entries) {
    spawn_local(async move { entries.set(Some(api::do_not_call().await)) });
}

#[component]
pub fn DoNotCallPage() -> impl IntoView {
    let locale = use_locale();
    let me = expect_context::<Me>();
    let entries: Entries = RwSignal::new(None);
    reload(entries);
    let search = RwSignal::new(String::new());
    let shown = move || {
        let search = search.get().trim().to_lowercase();
        entries.get().map(|answer| {
            answer.map(|list| {
                list.into_iter()
                    .filter(|e| {
                        search.is_empty()
                            || e.e164.contains(&search)
                            || e.note.as_deref().is_some_and(|n| n.to_lowercase().contains(&search))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section>
            <h1>{locale.text(K::NavDoNotCall)}</h1>
            <p class="muted">{locale.text(K::DncIntro)}</p>
            {move || if me.is_admin() {
                view! { <AddForm entries /> }.into_any()
            } else {
                view! { <p class="alert alert-info" role="note" data-testid="dnc-admins-only">{locale.t(K::DncAdminsOnly)}</p> }.into_any()
            }}
            <div class="card">
                <div class="field">
                    <label for="dnc-search">{locale.text(K::SearchLabel)}</label>
                    <input id="dnc-search" type="search" data-testid="dnc-search" bind:value=search />
                </div>
                {move || match shown() {
                    None => loading(),
                    Some(Err(e)) => load_failed(&e),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="muted" data-testid="dnc-empty">{locale.t(K::DncEmpty)}</p> }.into_any(),
                    Some(Ok(list)) => view! { <DoNotCallTable list entries /> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn AddForm(entries: Entries) -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let errors = FieldErrors::new();
    let number = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !errors.require(&[("number", number.get_untracked())]) {
            return;
        }
        let request = AddDoNotCall {
            number: NumberInput { number: number.get_untracked().trim().to_owned(), ..Default::default() },
            note: Some(note.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
        };
        busy.set(true);
        spawn_local(async move {
            match api::add_do_not_call(&request).await {
                Ok(entry) => {
                    alerts.show(Alert::Success(K::DncAdded, vec![("number", entry.e164)]));
                    number.set(String::new());
                    note.set(String::new());
                    reload(entries);
                }
                Err(error) => {
                    errors.place(&error, &["number"]);
                    alerts.error(error);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card form field-pair" on:submit=submit novalidate>
            <Field id="number" label=Signal::derive(move || locale.t(K::ColNumber)) help=Signal::derive(move || locale.t(K::DncNumberHelp))
                error=errors.text("number")>
                <input id="number" type="tel" autocomplete="off" aria-describedby=described_by("number") bind:value=number data-testid="dnc-number" />
            </Field>
            <div class="field">
                <label for="dnc-note">{locale.text(K::DncNoteLabel)}</label>
                <input id="dnc-note" maxlength="200" bind:value=note data-testid="dnc-note" />
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || busy.get() data-testid="dnc-add">{locale.text(K::DncAdd)}</button>
            </div>
        </form>
    }
}

#[component]
fn DoNotCallTable(list: Vec<DoNotCallEntry>, entries: Entries) -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    // Removing lets jobs dial the number again: the browser's own dialog asks first.
    let remove = move |e164: String| {
        let question = fill(locale.t(K::DncRemoveConfirm), &[("number", &e164)]);
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        spawn_local(async move {
            match api::remove_do_not_call(&e164).await {
                Ok(()) => {
                    alerts.show(Alert::Success(K::DncRemoved, vec![("number", e164)]));
                    reload(entries);
                }
                Err(error) => alerts.error(error),
            }
        });
    };
    let row = move |e: DoNotCallEntry| {
        let action = if e.configured {
            view! { <span class="badge">{locale.t(K::DncConfigured)}</span> }.into_any()
        } else if me.is_admin() {
            let (label, e164) = (fill(locale.t(K::DncRemove), &[("number", &e.e164)]), e.e164.clone());
            view! {
                <button type="button" class="button-link" aria-label=label data-testid="dnc-remove" on:click=move |_| remove(e164.clone())>
                    {locale.t(K::RemoveLabel)}
                </button>
            }
            .into_any()
        } else {
            ().into_any()
        };
        view! {
            <tr data-testid="dnc-row">
                <td><code data-testid="dnc-row-number">{e.e164}</code></td>
                <td>{e.note}</td>
                <td>{e.added_by}</td>
                <td>{e.added_at.map(format_utc)}</td>
                <td>{action}</td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="list" data-testid="dnc-table">
                <thead><tr>
                    <th scope="col">{locale.text(K::ColNumber)}</th>
                    <th scope="col">{locale.text(K::DncNote)}</th>
                    <th scope="col">{locale.text(K::DncAddedBy)}</th>
                    <th scope="col">{locale.text(K::DncAddedAt)}</th>
                    <th scope="col"><span class="visually-hidden">{locale.text(K::RemoveLabel)}</span></th>
                </tr></thead>
                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
}
