//! `/do-not-call`: the numbers no job ever dials. Operators read the list; admins add numbers
//! (normalised by the backend) and remove them. Numbers from the configuration file are shown,
//! but can only be removed there.

use callout_shared::{
    dnc::{AddDoNotCall, DoNotCallEntry},
    numbers::NumberInput,
};
use leptos::prelude::*;

use crate::{
    api::{self, ApiError},
    components::{
        alert::{load_failed, loading},
        field::{described_by, Field, FieldErrors, Submission},
    },
    i18n::{fill, K},
    logic::{
        dates::format_local,
        do_not_call::{matches, remove, upsert},
    },
    state::{
        alert::{use_alerts, Alert},
        load::{load, Load},
        locale::use_locale,
        session::Me,
    },
};

/// The list as loaded (`None` while it loads), changed in place by this page's own edits.
type Entries = Load<Result<Vec<DoNotCallEntry>, ApiError>>;

/// Changes the loaded list in place (a list that failed to load stays failed).
fn edit(entries: Entries, change: impl FnOnce(&mut Vec<DoNotCallEntry>)) {
    entries.update(|e| e.as_mut().map(change).is_ok());
}

#[component]
pub fn DoNotCallPage() -> impl IntoView {
    let locale = use_locale();
    let me = expect_context::<Me>();
    let entries: Entries = load(api::do_not_call);
    let search = RwSignal::new(String::new());
    let shown = move || {
        let search = search.get();
        entries.get().map(|answer| answer.map(|list| list.into_iter().filter(|e| matches(e, &search)).collect::<Vec<_>>()))
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
                    Some(Ok(list)) => view! { <DoNotCallTable list entries admin=me.is_admin() /> }.into_any(),
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
    let add = Submission::new(errors, &["number"]);
    let number = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !errors.require(&[("number", number.get_untracked())]) {
            return;
        }
        let request = AddDoNotCall {
            number: NumberInput { number: number.get_untracked().trim().to_owned(), ..Default::default() },
            note: Some(note.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
        };
        add.send(async move { api::add_do_not_call(&request).await }, move |added| {
            let said = if added.already_listed { K::DncAlreadyListed } else { K::DncAdded };
            alerts.show(Alert::Success(said, vec![("number", added.entry.e164.clone())]));
            let entry = added.entry;
            number.set(String::new());
            note.set(String::new());
            edit(entries, |list| upsert(list, entry));
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
                <button type="submit" class="primary" disabled=move || add.busy.get() data-testid="dnc-add">{locale.text(K::DncAdd)}</button>
            </div>
        </form>
    }
}

#[component]
fn DoNotCallTable(list: Vec<DoNotCallEntry>, entries: Entries, admin: bool) -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let removal = Submission::new(FieldErrors::new(), &[]);
    // Removing lets jobs dial the number again: the browser's own dialog asks first.
    let ask_and_remove = move |e164: String| {
        let question = fill(locale.t(K::DncRemoveConfirm), &[("number", &e164)]);
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let target = e164.clone();
        removal.send(async move { api::remove_do_not_call(&target).await }, move |()| {
            alerts.show(Alert::Success(K::DncRemoved, vec![("number", e164.clone())]));
            edit(entries, |list| remove(list, &e164));
        });
    };
    let row = move |e: DoNotCallEntry| {
        let action = if e.configured {
            view! { <span class="badge">{move || locale.t(K::DncConfigured)}</span> }.into_any()
        } else if admin {
            let (label_number, e164) = (e.e164.clone(), e.e164.clone());
            view! {
                <button type="button" class="button-link" data-testid="dnc-remove" disabled=move || removal.busy.get()
                    aria-label=move || fill(locale.t(K::DncRemove), &[("number", &label_number)])
                    on:click=move |_| ask_and_remove(e164.clone())>
                    {move || locale.t(K::RemoveLabel)}
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
                <td>{e.added_at.map(format_local)}</td>
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
