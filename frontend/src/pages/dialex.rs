//! `/dialex`: Alibaba Cloud Contact Center DialEx calls, either one call answered at once or a list
//! of numbers sent as one job after a confirmation step and followed live on the job view. The
//! route point's meaning follows the answer mode, so its label, help and example change with it.

use callout_shared::{
    dialex::{AnswerMode, DialExResult, DialExRoute, StartDialEx},
    jobs::CreateDialExJob,
    me::ProviderKind,
};
use leptos::prelude::*;

use crate::{
    api,
    components::{
        alert::Progress,
        campaign_fields::{CampaignDraft, CampaignFields},
        confirm::{review, ConfirmCard, JobRequest},
        field::{described_by, job_name, AccountSelect, Field, FieldErrors, JobNameField, Submission, ViewerNote},
        number_entry::NumberEntry,
    },
    i18n::K,
    logic::numbers::NumberRow,
    state::{
        alert::{use_alerts, Alert},
        locale::use_locale,
        number_entry::NumberEntryState,
        session::Me,
    },
};

/// Fields the backend may blame, by its names.
const FIELDS: [&str; 9] =
    ["account_id", "instance_id", "caller", "callee", "rout_point", "numbers", "name", "campaign.window", "campaign.retry"];

/// Label, help and example of the route point in each answer mode.
fn rout_point_words(mode: AnswerMode) -> (K, K, &'static str) {
    match mode {
        AnswerMode::Ivr => (K::RoutIvrLabel, K::RoutIvrHelp, "cf-welcome-ivr"),
        AnswerMode::Agent => (K::RoutAgentLabel, K::RoutAgentHelp, "agent001@CalloutDemo"),
        AnswerMode::SkillGroup => (K::RoutSkillLabel, K::RoutSkillHelp, "paEF_1GAQXXJ"),
    }
}

/// The words for where an answered call goes.
pub fn answer_mode_key(mode: AnswerMode) -> K {
    match mode {
        AnswerMode::Ivr => K::ModeIvr,
        AnswerMode::Agent => K::ModeAgent,
        AnswerMode::SkillGroup => K::ModeSkillGroup,
    }
}

#[component]
pub fn DialExPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    let errors = FieldErrors::new();

    let account = RwSignal::new(String::new());
    let campaign = CampaignDraft::new();
    let instance = RwSignal::new(String::new());
    let caller = RwSignal::new(String::new());
    let callee = RwSignal::new(String::new());
    let mode = RwSignal::new(AnswerMode::Ivr);
    let rout_point = RwSignal::new(String::new());
    let result = RwSignal::new(None::<DialExResult>);
    // A list of numbers instead of one callee; `confirming` is its confirmation step.
    let list = RwSignal::new(false);
    let numbers = NumberEntryState::new();
    let name = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);

    let instances = Memo::new(move |_| {
        let id = account.get();
        me.accounts(ProviderKind::AliyunCcc).into_iter().find(|a| a.id == id).map(|a| a.instances).unwrap_or_default()
    });
    // A new account brings its own instances: keep the choice only if it still exists.
    Effect::new(move |_| {
        let instances = instances.get();
        if !instances.iter().any(|i| i.id == instance.get_untracked()) {
            instance.set(instances.first().map(|i| i.id.clone()).unwrap_or_default());
        }
    });

    // One request at a time, whichever mode sent it.
    let dial = Submission::new(errors, &FIELDS);
    let route = move || DialExRoute {
        instance_id: instance.get_untracked(),
        caller: caller.get_untracked().trim().to_owned(),
        answer_mode: mode.get_untracked(),
        rout_point: rout_point.get_untracked().trim().to_owned(),
        provider: None,
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        result.set(None);
        let list_mode = list.get_untracked();
        let mut required = vec![
            ("account_id", account.get_untracked()),
            ("instance_id", instance.get_untracked()),
            ("caller", caller.get_untracked()),
            ("rout_point", rout_point.get_untracked()),
        ];
        if !list_mode {
            required.push(("callee", callee.get_untracked()));
        }
        if !errors.require(&required) || !me.may_dial() {
            return;
        }
        if list_mode {
            // Nothing is sent before the confirmation says how many numbers go where.
            review(numbers, confirming, alerts);
            return;
        }
        let request = StartDialEx { account_id: account.get_untracked(), call: route().call(callee.get_untracked().trim().to_owned()) };
        let key = api::new_idempotency_key();
        dial.send(async move { api::dialex(&request, &key).await }, move |accepted| {
            result.set(Some(accepted));
            alerts.show(Alert::Info(K::CallAccepted));
        });
    };

    let start = move |()| {
        let request = CreateDialExJob {
            account_id: account.get_untracked(),
            route: route(),
            numbers: numbers.valid_rows().iter().map(NumberRow::to_callout_input).collect(),
            text: None,
            csv: None,
            name: job_name(name),
            campaign: campaign.plan(),
        };
        let key = api::new_idempotency_key();
        Box::pin(async move { api::start_dialex_job(&request, &key).await }) as JobRequest
    };

    let choose = move |to_list: bool| {
        list.set(to_list);
        confirming.set(false);
        result.set(None);
        errors.clear();
    };

    let busy = dial.busy;
    let text = move |key: K| Signal::derive(move || locale.t(key));
    let rout_label = Signal::derive(move || locale.t(rout_point_words(mode.get()).0));
    let rout_help = Signal::derive(move || locale.t(rout_point_words(mode.get()).1));
    let route_summary = move || format!("{} · {}", locale.t(answer_mode_key(mode.get())), rout_point.get().trim());

    view! {
        <section class:page-narrow=move || !list.get()>
            <h1>{locale.text(K::DialExTitle)}</h1>
            <p class="muted">{locale.text(K::DialExIntro)}</p>
            <ViewerNote />
            <form class="card form" on:submit=submit novalidate>
                <fieldset class="field radios">
                    <legend>{locale.text(K::DialExModeLabel)}</legend>
                    {[(false, "one", "dialex-mode-one", K::DialExOne), (true, "list", "dialex-mode-list", K::DialExList)]
                        .map(|(to_list, value, testid, key)| view! {
                            <label class="radio">
                                <input type="radio" name="dialex_mode" value=value prop:checked=move || list.get() == to_list
                                    on:change=move |_| choose(to_list) data-testid=testid />
                                {locale.text(key)}
                            </label>
                        })}
                </fieldset>
                <AccountSelect provider=ProviderKind::AliyunCcc value=account errors />
                <Field id="instance_id" label=text(K::InstanceLabel) error=errors.text("instance_id")>
                    <select id="instance_id" bind:value=instance aria-describedby=described_by("instance_id") data-testid="instance">
                        <For each=move || instances.get() key=|i| i.id.clone() let:i>
                            <option value=i.id.clone()>{format!("{} ({})", i.name, i.id)}</option>
                        </For>
                    </select>
                </Field>
                <div class="field-pair">
                    <Field id="caller" label=text(K::CallerLabel) help=text(K::CallerHelp) error=errors.text("caller")>
                        <input id="caller" inputmode="tel" autocomplete="off" placeholder="02285196281"
                            aria-describedby=described_by("caller") bind:value=caller />
                    </Field>
                    <div hidden=move || list.get()>
                        <Field id="callee" label=text(K::CalleeLabel) help=text(K::CalleeHelp) error=errors.text("callee")>
                            <input id="callee" inputmode="tel" autocomplete="off" placeholder="15732036617"
                                aria-describedby=described_by("callee") bind:value=callee />
                        </Field>
                    </div>
                </div>
                <fieldset class="field radios">
                    <legend>{locale.text(K::AnswerModeLabel)}</legend>
                    {AnswerMode::ALL.iter().map(|&m| view! {
                        <label class="radio">
                            <input type="radio" name="answer_mode" value=m.as_str()
                                prop:checked=move || mode.get() == m on:change=move |_| mode.set(m) />
                            {move || locale.t(answer_mode_key(m))}
                        </label>
                    }).collect_view()}
                </fieldset>
                <Field id="rout_point" label=rout_label help=rout_help error=errors.text("rout_point")>
                    <input id="rout_point" autocomplete="off" autocapitalize="off" spellcheck="false"
                        placeholder=move || rout_point_words(mode.get()).2
                        aria-describedby=described_by("rout_point") bind:value=rout_point />
                </Field>
                <div hidden=move || !list.get()>
                    <p class="muted">{locale.text(K::DialExListHelp)}</p>
                    <NumberEntry state=numbers />
                    <p class="field-error" data-testid="numbers-error">{errors.text("numbers")}</p>
                    <JobNameField value=name errors />
                    <CampaignFields draft=campaign account errors />
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || busy.get() || !me.may_dial() data-testid="dialex-submit">
                        {move || locale.t(if list.get() { K::Review } else { K::PlaceCall })}
                    </button>
                    <Show when=move || busy.get()>
                        <Progress label=text(K::PlacingCall) />
                    </Show>
                </div>
            </form>
            <ConfirmCard prefix="dialex" title=K::ConfirmDialExTitle numbers open=confirming dial request=start>
                <dt>{locale.text(K::InstanceLabel)}</dt><dd data-testid="confirm-instance">{move || instance.get()}</dd>
                <dt>{locale.text(K::AnswerModeLabel)}</dt><dd data-testid="confirm-route">{route_summary}</dd>
            </ConfirmCard>
            {move || result.get().map(|r| view! { <ResultCard result=r /> })}
        </section>
    }
}

#[component]
fn ResultCard(result: DialExResult) -> impl IntoView {
    let locale = use_locale();
    let status = [result.status_code.clone(), result.status_desc.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    view! {
        <div class="card card-ok" data-testid="dialex-result" aria-live="polite">
            <h2>{locale.text(K::ResultTitle)}</h2>
            <dl class="facts">
                <dt>{locale.text(K::TaskIdLabel)}</dt><dd><code data-testid="dialex-task-id">{result.task_id.clone()}</code></dd>
                <dt>{locale.text(K::ProviderStatusLabel)}</dt><dd data-testid="dialex-status">{status}</dd>
                <dt>{locale.text(K::RequestIdLabel)}</dt><dd><code>{result.request_id.clone().unwrap_or_default()}</code></dd>
            </dl>
        </div>
    }
}
