//! `/callout`: call numbers into a Tencent meeting. Nothing is sent before a confirmation step that
//! shows the meeting as the provider describes it (looked up first: an ended or unknown meeting or a
//! webinar is refused there), how many numbers will be called, and in how many batches.

use callout_shared::{
    error::{ApiErrorBody, ErrorCode},
    jobs::CreateCalloutJob,
    meeting::{MeetingCheck, MeetingState},
};
use leptos::prelude::*;

use crate::{
    api::{self, ApiError},
    components::{
        alert::Progress,
        campaign_fields::CampaignFields,
        confirm::{numbers_ready, ConfirmCard, JobRequest},
        field::{described_by, job_name, Field, FieldErrors, FieldProblem, JobNameField, MeetingFields, Submission, ViewerNote},
        number_entry::NumberEntry,
    },
    i18n::K,
    logic::{dates::format_local, numbers::NumberRow},
    state::{alert::use_alerts, drafts::CalloutDraft, locale::use_locale, session::Me, tasks::Tasks},
};

const FIELDS: [&str; 7] = ["account_id", "meeting_id", "operator_id", "numbers", "name", "campaign.window", "campaign.retry"];

#[component]
pub fn CalloutPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    let errors = FieldErrors::new();
    let CalloutDraft { account, meeting_id, operator, name, numbers, campaign } = expect_context::<CalloutDraft>();
    let confirming = RwSignal::new(false);
    let meeting = RwSignal::new(None::<MeetingCheck>);
    let checking = RwSignal::new(false);
    let tasks = Tasks::new();

    let start = Submission::new(errors, &FIELDS);
    let operator_id = move || Some(operator.get_untracked().trim().to_owned()).filter(|o| !o.is_empty());

    // Review looks the meeting up first; only a meeting that takes callouts opens the confirmation.
    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        confirming.set(false);
        let Some(id) = errors.meeting(&account.get_untracked(), &meeting_id.get_untracked()) else { return };
        if !numbers_ready(numbers, alerts) {
            return;
        }
        let (account_id, operator_id) = (account.get_untracked(), operator_id());
        checking.set(true);
        tasks.spawn(async move {
            let answer = api::check_meeting(&id, &account_id, operator_id.as_deref()).await;
            checking.set(false);
            match answer {
                Ok(check) => match check.refusal.clone() {
                    None => {
                        meeting.set(Some(check));
                        confirming.set(true);
                    }
                    Some(message) => {
                        let code = if check.state == MeetingState::Ended { ErrorCode::MeetingEnded } else { ErrorCode::MeetingNotCallable };
                        let body = ApiErrorBody { code, message, field: Some("meeting_id".into()), provider_code: None, problem: None };
                        errors.set("meeting_id", FieldProblem::Server(ApiError::Api { status: 422, body }));
                    }
                },
                Err(error) if errors.place(&error, &FIELDS) => {}
                Err(error) => alerts.error(error),
            }
        });
    };

    let confirm = move |()| {
        let request = CreateCalloutJob {
            account_id: account.get(),
            // The id the check resolved a meeting code to.
            meeting_id: meeting.with(|m| m.as_ref().map(|m| m.meeting_id.clone())).unwrap_or_else(|| meeting_id.get().trim().to_owned()),
            operator_id: operator_id(),
            numbers: numbers.valid_rows().iter().map(NumberRow::to_callout_input).collect(),
            text: None,
            csv: None,
            name: job_name(name),
            campaign: campaign.plan(),
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
                <Show when=move || me.is_admin()>
                    <div class="card">
                        <Field id="operator_id" label=Signal::derive(move || locale.t(K::ActAsLabel))
                            help=Signal::derive(move || locale.t(K::ActAsHelp)) error=errors.text("operator_id")>
                            <input id="operator_id" autocomplete="off" aria-describedby=described_by("operator_id")
                                bind:value=operator data-testid="operator-id" />
                        </Field>
                    </div>
                </Show>
                <NumberEntry state=numbers />
                <p class="field-error" data-testid="numbers-error">{errors.text("numbers")}</p>
                <div class="card"><JobNameField value=name errors /></div>
                <CampaignFields draft=campaign account errors />
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || busy.get() || checking.get() || !me.may_dial() data-testid="callout-review">
                        {locale.text(K::Review)}
                    </button>
                    <Show when=move || checking.get()>
                        <Progress label=Signal::derive(move || locale.t(K::CheckingMeeting)) />
                    </Show>
                </div>
            </form>
            <ConfirmCard prefix="callout" title=K::ConfirmTitle numbers batches=true open=confirming dial=start request=confirm>
                <MeetingFacts meeting />
                <dt>{locale.text(K::AccountLabel)}</dt><dd>{move || account.get()}</dd>
                <Show when=move || !name.get().trim().is_empty()>
                    <dt>{locale.text(K::JobNameLabel)}</dt><dd data-testid="confirm-name">{move || name.get().trim().to_owned()}</dd>
                </Show>
            </ConfirmCard>
        </section>
    }
}

/// The checked meeting in the confirmation: which meeting, its state and booked times, and whether
/// the operator the calls go out as hosts it.
#[component]
fn MeetingFacts(meeting: RwSignal<Option<MeetingCheck>>) -> impl IntoView {
    let locale = use_locale();
    let with = move |f: fn(&MeetingCheck) -> Option<String>| move || meeting.with(|m| m.as_ref().and_then(f));
    let state_key = move || match meeting.with(|m| m.as_ref().map(|m| m.state)) {
        Some(MeetingState::Scheduled) => K::MeetingScheduled,
        _ => K::MeetingStarted,
    };
    let may_call = move || match meeting.with(|m| m.as_ref().and_then(|m| m.operator_may_call)) {
        Some(true) => K::OperatorHosts,
        Some(false) => K::OperatorNotHost,
        None => K::OperatorHostUnknown,
    };
    view! {
        <dt>{locale.text(K::ConfirmMeeting)}</dt>
        <dd data-testid="confirm-meeting">{with(|m| Some(m.meeting_id.clone()))}</dd>
        <dt>{locale.text(K::MeetingSubjectLabel)}</dt><dd data-testid="confirm-subject">{with(|m| m.subject.clone())}</dd>
        <dt>{locale.text(K::JobStateLabel)}</dt>
        <dd data-testid="confirm-meeting-state" data-state=move || meeting.with(|m| m.as_ref().map(|m| m.state.as_str()))>{move || locale.t(state_key())}</dd>
        <dt>{locale.text(K::MeetingTimeLabel)}</dt>
        <dd data-testid="confirm-meeting-time">
            {with(|m| m.start_time.map(format_local))}" – "{with(|m| m.end_time.map(format_local))}
        </dd>
        <dt>{locale.text(K::ActAsLabel)}</dt>
        <dd data-testid="confirm-operator">{with(|m| Some(m.operator_id.clone()))}" · "{move || locale.t(may_call())}</dd>
    }
}
