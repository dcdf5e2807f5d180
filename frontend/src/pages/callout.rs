//! `/callout`: call numbers into a Tencent meeting. Nothing is sent before a confirmation step that
//! shows how many numbers will be called, in how many batches, into which meeting.

use callout_shared::{jobs::CreateCalloutJob, meeting::CalloutNumberInput};
use leptos::prelude::*;

use crate::{
    api,
    components::{
        alert::Progress,
        field::{FieldErrors, MeetingFields, Submission, ViewerNote},
        number_entry::NumberEntry,
    },
    i18n::{fill, K},
    state::{
        alert::{use_alerts, Alert},
        locale::use_locale,
        number_entry::NumberEntryState,
        session::Me,
    },
};

const FIELDS: [&str; 3] = ["account_id", "meeting_id", "numbers"];

#[component]
pub fn CalloutPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    let errors = FieldErrors::new();
    let account = RwSignal::new(String::new());
    let meeting_id = RwSignal::new(String::new());
    let numbers = NumberEntryState::new();
    let confirming = RwSignal::new(false);
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());

    let start = Submission::new(errors, &FIELDS);

    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        if errors.meeting(&account.get(), &meeting_id.get()).is_none() {
            return;
        }
        let tally = numbers.tally.get();
        if tally.pending > 0 || numbers.checking.get() {
            alerts.show(Alert::Info(K::WaitForChecks));
        } else if tally.valid == 0 {
            alerts.show(Alert::Info(K::NeedValidNumbers));
        } else {
            confirming.set(true);
        }
    };

    let confirm = move |_| {
        let request = CreateCalloutJob {
            account_id: account.get(),
            meeting_id: meeting_id.get().trim().to_owned(),
            operator_id: None,
            numbers: numbers
                .valid_rows()
                .into_iter()
                .map(|row| CalloutNumberInput { number: row.to_input(), nick_name: Some(row.nickname).filter(|n| !n.is_empty()) })
                .collect(),
            text: None,
            csv: None,
        };
        let key = api::new_idempotency_key();
        start.send(async move { api::start_callout(&request, &key).await }, move |started| {
            confirming.set(false);
            // The job view follows it live.
            navigate.with_value(|go| go(&format!("/callout/jobs/{}", started.job_id), Default::default()));
        });
    };

    let busy = start.busy;
    let text = move |key: K| Signal::derive(move || locale.t(key));
    view! {
        <section>
            <h1>{locale.text(K::CalloutTitle)}</h1>
            <p class="muted">{locale.text(K::CalloutIntro)}</p>
            <ViewerNote />
            <form class="form" on:submit=review novalidate>
                <MeetingFields account meeting_id errors />
                <NumberEntry state=numbers />
                <p class="field-error" data-testid="numbers-error">{errors.text("numbers")}</p>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || busy.get() || !me.may_dial() data-testid="callout-review">
                        {locale.text(K::Review)}
                    </button>
                </div>
            </form>
            <Show when=move || confirming.get()>
                <div class="card card-confirm" data-testid="callout-confirm" role="region" aria-labelledby="confirm-title">
                    <h2 id="confirm-title">{locale.text(K::ConfirmTitle)}</h2>
                    <dl class="facts">
                        <dt>{locale.text(K::ConfirmMeeting)}</dt><dd data-testid="confirm-meeting">{move || meeting_id.get().trim().to_owned()}</dd>
                        <dt>{locale.text(K::AccountLabel)}</dt><dd>{move || account.get()}</dd>
                        <dt>{locale.text(K::ConfirmValid)}</dt><dd data-testid="confirm-valid">{move || numbers.tally.get().valid}</dd>
                        <dt>{locale.text(K::ConfirmBatches)}</dt><dd data-testid="confirm-batches">{move || numbers.tally.get().batches()}</dd>
                    </dl>
                    {move || {
                        let t = numbers.tally.get();
                        let skipped = t.invalid + t.duplicates;
                        (skipped > 0).then(|| view! {
                            <p class="muted" data-testid="confirm-skipped">{fill(locale.t(K::ConfirmSkipped), &[("count", &skipped.to_string())])}</p>
                        })
                    }}
                    <div class="form-actions">
                        <button type="button" class="primary" on:click=confirm disabled=move || busy.get() || !me.may_dial() data-testid="callout-start">
                            {locale.text(K::StartCalling)}
                        </button>
                        <button type="button" on:click=move |_| confirming.set(false) disabled=move || busy.get()>{locale.text(K::Back)}</button>
                        <Show when=move || busy.get()>
                            <Progress label=text(K::Starting) />
                        </Show>
                    </div>
                </div>
            </Show>
        </section>
    }
}
