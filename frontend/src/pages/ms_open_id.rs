//! `/ms-open-id`: which meeting member ids (`ms_open_id`) the meeting gave to phone numbers that
//! joined it. A number that joined twice has two; one that never connected has none.

use callout_shared::meeting::{MeetingAccount, MeetingNumbersRequest, MsOpenIdResult, PhoneNumber};
use leptos::prelude::*;

use crate::{
    api,
    components::{
        alert::Progress,
        copy::CopyButton,
        field::{FieldErrors, MeetingFields, Submission},
        number_entry::NumberEntry,
    },
    i18n::{fill, K},
    state::{
        alert::{use_alerts, Alert},
        locale::use_locale,
        number_entry::NumberEntryState,
    },
};

/// `+86 13800138000 ext. 12`, the way the table shows a provider's number.
pub fn show_number(n: &PhoneNumber) -> String {
    match &n.extension {
        Some(ext) => format!("+{} {} ext. {ext}", n.area, n.phone),
        None => format!("+{} {}", n.area, n.phone),
    }
}

#[component]
pub fn MsOpenIdPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let errors = FieldErrors::new();
    let account = RwSignal::new(String::new());
    let meeting_id = RwSignal::new(String::new());
    let numbers = NumberEntryState::new();
    let result = RwSignal::new(None::<MsOpenIdResult>);

    let lookup = Submission::new(errors, &["account_id", "meeting_id", "numbers"]);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        let Some(id) = errors.meeting(&account.get(), &meeting_id.get()) else { return };
        let rows = numbers.valid_rows();
        if numbers.tally.get().pending > 0 || numbers.checking.get() {
            alerts.show(Alert::Info(K::WaitForChecks));
        } else if rows.is_empty() {
            alerts.show(Alert::Info(K::NeedValidNumbers));
        } else {
            let request = MeetingNumbersRequest {
                account: MeetingAccount { account_id: account.get(), operator_id: None },
                numbers: rows.into_iter().map(|r| r.to_input()).collect(),
            };
            lookup.send(async move { api::ms_open_ids(&id, &request).await }, move |answer| result.set(Some(answer)));
        }
    };
    let busy = lookup.busy;
    view! {
        <section>
            <h1>{locale.text(K::NavMsOpenId)}</h1>
            <p class="muted">{locale.text(K::MsOpenIdIntro)}</p>
            <form class="form" on:submit=submit novalidate>
                <MeetingFields account meeting_id errors />
                <NumberEntry state=numbers />
                <p class="field-error" data-testid="numbers-error">{errors.text("numbers")}</p>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || busy.get() data-testid="ms-open-id-submit">{locale.text(K::LookUp)}</button>
                    <Show when=move || busy.get()>
                        <Progress label=Signal::derive(move || locale.t(K::Loading)) />
                    </Show>
                </div>
            </form>
            {move || result.get().map(|r| view! {
                <div class="card" aria-live="polite">
                    <h2>{locale.text(K::MsOpenIdResults)}</h2>
                    <div class="table-wrap">
                        <table class="list" data-testid="ms-open-id-results">
                            <thead><tr>
                                <th scope="col">{locale.text(K::ColNumber)}</th>
                                <th scope="col">"ms_open_id"</th>
                            </tr></thead>
                            <tbody>
                                {r.numbers.into_iter().map(|n| {
                                    let shown = show_number(&n.number);
                                    let ids = if n.ms_open_ids.is_empty() {
                                        view! { <span class="muted">{locale.text(K::NoMsOpenId)}</span> }.into_any()
                                    } else {
                                        n.ms_open_ids.into_iter().map(|id| {
                                            let label = fill(locale.t(K::CopyIdOf), &[("number", &shown)]);
                                            view! {
                                                <div class="id-line">
                                                    <code data-testid="ms-open-id">{id.clone()}</code>" "
                                                    <CopyButton text=id label=label />
                                                </div>
                                            }
                                        }).collect_view().into_any()
                                    };
                                    view! { <tr data-testid="ms-open-id-row"><td>{shown.clone()}</td><td>{ids}</td></tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            })}
        </section>
    }
}
