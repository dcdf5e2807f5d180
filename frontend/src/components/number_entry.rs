//! The number entry: editable rows, a paste box, CSV import and a CSV template. Each row shows the
//! backend's verdict (E.164 or the reason) and duplicates are flagged.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::{
    components::alert::Progress,
    i18n::{fill, number_problem_key, K},
    logic::{
        errors::one_line,
        numbers::{csv_template, parse_csv, split_pasted, RowState},
    },
    state::{
        alert::{use_alerts, Alert},
        locale::use_locale,
        number_entry::{NumberEntryState, RowFields},
        tasks::Tasks,
    },
};

#[component]
pub fn NumberEntry(state: NumberEntryState) -> impl IntoView {
    let locale = use_locale();
    view! {
        <fieldset class="card number-entry">
            <legend>{locale.text(K::NumbersTitle)}</legend>
            <div class="table-wrap">
                <table class="numbers">
                    <thead>
                        <tr>
                            <th scope="col">"#"</th>
                            <th scope="col">{locale.text(K::ColCountryCode)}</th>
                            <th scope="col">{locale.text(K::ColNumber)}</th>
                            <th scope="col">{locale.text(K::ColExtension)}</th>
                            <th scope="col">{locale.text(K::ColNickname)}</th>
                            <th scope="col">{locale.text(K::ColCheck)}</th>
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || state.rows.get() key=|row| row.id let:row>
                            <NumberRowView state row />
                        </For>
                    </tbody>
                </table>
            </div>
            <div class="row-actions">
                <button type="button" on:click=move |_| state.add_row()>{locale.text(K::AddRow)}</button>
                <Summary state />
            </div>
            <PasteBox state />
            <div class="row-actions">
                <CsvImport state />
                <TemplateLink />
            </div>
        </fieldset>
    }
}

#[component]
fn NumberRowView(state: NumberEntryState, row: RowFields) -> impl IntoView {
    let locale = use_locale();
    let id = row.id;
    let position = move || state.states.with(|s| s.get(&id).map(|(i, _)| i + 1).unwrap_or(0));
    let label = move |field: K| fill(locale.t(K::RowField), &[("field", locale.t(field)), ("row", &position().to_string())]);
    let row_state = move || state.states.with(|s| s.get(&id).map(|(_, st)| st.clone()).unwrap_or(RowState::Blank));
    let verdict = move || {
        let (kind, text) = match row_state() {
            RowState::Blank => ("blank", String::new()),
            RowState::Pending => ("pending", locale.t(K::Checking).to_owned()),
            RowState::Valid { e164 } => ("valid", e164),
            RowState::Blocked { e164 } => ("blocked", format!("{e164} · {}", locale.t(K::OnDoNotCallList))),
            RowState::Invalid { problem } => ("invalid", locale.t(number_problem_key(problem)).to_owned()),
            RowState::Duplicate { e164, first } => {
                ("duplicate", format!("{e164} · {}", fill(locale.t(K::DuplicateOf), &[("row", &(first + 1).to_string())])))
            }
        };
        view! { <span class=format!("verdict verdict-{kind}") data-testid="row-verdict" data-state=kind>{text}</span> }
    };
    view! {
        <tr data-testid="number-row">
            <td class="muted">{position}</td>
                        // Placeholders name the fields where a phone hides the table's header.
            <td><input class="input-cc" inputmode="tel" autocomplete="off" aria-label=move || label(K::ColCountryCode)
                placeholder="+86" bind:value=row.country_code /></td>
            <td><input inputmode="tel" autocomplete="off" aria-label=move || label(K::ColNumber)
                placeholder=move || locale.t(K::ColNumber) bind:value=row.number data-testid="row-number" /></td>
            <td><input class="input-ext" autocomplete="off" aria-label=move || label(K::ColExtension)
                placeholder=move || locale.t(K::ColExtension) bind:value=row.extension /></td>
            <td><input autocomplete="off" aria-label=move || label(K::ColNickname)
                placeholder=move || locale.t(K::ColNickname) bind:value=row.nickname /></td>
            <td aria-live="polite">{verdict}</td>
            <td>
                <button type="button" class="button-link"
                    aria-label=move || fill(locale.t(K::RemoveRow), &[("row", &position().to_string())])
                    on:click=move |_| state.remove_row(id)>"×"</button>
            </td>
        </tr>
    }
}

#[component]
fn Summary(state: NumberEntryState) -> impl IntoView {
    let locale = use_locale();
    let text = move || {
        let t = state.tally.get();
        fill(
            locale.t(K::NumbersSummary),
            &[
                ("valid", &t.valid.to_string()),
                ("invalid", &t.invalid.to_string()),
                ("duplicates", &t.duplicates.to_string()),
                ("blocked", &t.blocked.to_string()),
            ],
        )
    };
    view! {
        <span class="summary" data-testid="numbers-summary">{text}</span>
        <Show when=move || state.checking.get()>
            <Progress label=Signal::derive(move || locale.t(K::Checking)) />
        </Show>
        {move || state.check_error.get().map(|e| view! {
            <span class="field-error" role="alert">{locale.t(K::CheckFailed)}" "{one_line(&e, locale.lang())}</span>
        })}
    }
}

#[component]
fn PasteBox(state: NumberEntryState) -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let text = RwSignal::new(String::new());
    let add = move |_| {
        let rows = split_pasted(&text.get());
        let count = rows.len();
        if count > 0 {
            state.append(rows);
            text.set(String::new());
            alerts.show(Alert::Success(K::RowsAdded, vec![("count", count.to_string())]));
        }
    };
    view! {
        <div class="field">
            <label for="paste-numbers">{locale.text(K::PasteLabel)}</label>
            <textarea id="paste-numbers" rows="4" aria-describedby="paste-numbers-help" bind:value=text data-testid="paste-numbers"></textarea>
            <p class="help" id="paste-numbers-help">{locale.text(K::PasteHelp)}</p>
            <div>
                <button type="button" on:click=add disabled=move || text.with(|t| t.trim().is_empty())>{locale.text(K::AddPasted)}</button>
            </div>
        </div>
    }
}

#[component]
fn CsvImport(state: NumberEntryState) -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let tasks = Tasks::new();
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        tasks.spawn(async move {
            let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await else { return };
            let rows = parse_csv(&text.as_string().unwrap_or_default());
            let count = rows.len();
            state.append(rows);
            alerts.show(Alert::Success(K::RowsAdded, vec![("count", count.to_string())]));
        });
    };
    view! {
        <label class="button file-button">
            {locale.text(K::ImportCsv)}
            <input type="file" accept=".csv,text/csv" class="visually-hidden" on:change=on_change data-testid="csv-file" />
        </label>
    }
}

/// A link to the CSV template, generated in the browser: nothing to fetch, nothing to keep in sync.
#[component]
fn TemplateLink() -> impl IntoView {
    let locale = use_locale();
    let href = template_url().unwrap_or_default();
    view! {
        <a class="button" href=href download="numbers-template.csv" data-testid="csv-template">{locale.text(K::DownloadTemplate)}</a>
    }
}

fn template_url() -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&csv_template()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
