//! `/callout`: call numbers into a Tencent meeting. Nothing is sent before a confirmation step that
//! shows how many numbers will be called, in how many batches, into which meeting.

use callout_shared::jobs::CreateCalloutJob;
use leptos::prelude::*;

use crate::{
    api,
    components::{
        confirm::{review, ConfirmCard, JobRequest},
        field::{job_name, FieldErrors, JobNameField, MeetingFields, Submission, ViewerNote},
        number_entry::NumberEntry,
    },
    i18n::K,
    logic::numbers::NumberRow,
    state::{alert::use_alerts, locale::use_locale, number_entry::NumberEntryState, session::Me},
};

const FIELDS: [&str; 4] = ["account_id", "meeting_id", "numbers", "name"];

#[component]
pub fn CalloutPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    let errors = FieldErrors::new();
    let account = RwSignal::new(String::new());
    let meeting_id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let numbers = NumberEntryState::new();
    let confirming = RwSignal::new(false);

    let start = Submission::new(errors, &FIELDS);

    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        if errors.meeting(&account.get(), &meeting_id.get()).is_none() {
            return;
        }
        review(numbers, confirming, alerts);
    };

    let confirm = move |()| {
        let request = CreateCalloutJob {
            account_id: account.get(),
            meeting_id: meeting_id.get().trim().to_owned(),
            operator_id: None,
            numbers: numbers.valid_rows().iter().map(NumberRow::to_callout_input).collect(),
            text: None,
            csv: None,
            name: job_name(name),
        };
        let key = api::new_idempotency_key();
        Box::pin(async move { api::start_callout(&request, &key).await }) as JobRequest
    };

    let busy = start.busy;
    view! {
        <section>
            <h1>{locale.text(K::CalloutTitle)}</h1>
            <p class="muted">{locale.text(K::CalloutIntro)}</p>
            <ViewerNote />
            <form class="form" on:submit=review novalidate>
                <MeetingFields account meeting_id errors />
                <NumberEntry state=numbers />
                <p class="field-error" data-testid="numbers-error">{errors.text("numbers")}</p>
                <div class="card"><JobNameField value=name errors /></div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || busy.get() || !me.may_dial() data-testid="callout-review">
                        {locale.text(K::Review)}
                    </button>
                </div>
            </form>
            <ConfirmCard prefix="callout" title=K::ConfirmTitle numbers batches=true open=confirming dial=start request=confirm>
                <dt>{locale.text(K::ConfirmMeeting)}</dt><dd data-testid="confirm-meeting">{move || meeting_id.get().trim().to_owned()}</dd>
                <dt>{locale.text(K::AccountLabel)}</dt><dd>{move || account.get()}</dd>
                <Show when=move || !name.get().trim().is_empty()>
                    <dt>{locale.text(K::JobNameLabel)}</dt><dd data-testid="confirm-name">{move || name.get().trim().to_owned()}</dd>
                </Show>
            </ConfirmCard>
        </section>
    }
}
