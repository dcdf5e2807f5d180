//! `/dialex`: one Alibaba Cloud Contact Center DialEx call. The route point's meaning follows the
//! answer mode, so its label, help and example change with it.

use callout_shared::{
    dialex::{AnswerMode, DialExRequest, DialExResult, StartDialEx},
    me::ProviderKind,
};
use leptos::prelude::*;

use crate::{
    api,
    components::{
        alert::Progress,
        field::{described_by, AccountSelect, Field, FieldErrors, Submission, ViewerNote},
    },
    i18n::K,
    state::{
        alert::{use_alerts, Alert},
        locale::use_locale,
        session::Me,
    },
};

/// Fields the backend may blame, by its names.
const FIELDS: [&str; 5] = ["account_id", "instance_id", "caller", "callee", "rout_point"];

/// Label, help and example of the route point in each answer mode.
fn rout_point_words(mode: AnswerMode) -> (K, K, &'static str) {
    match mode {
        AnswerMode::Ivr => (K::RoutIvrLabel, K::RoutIvrHelp, "cf-welcome-ivr"),
        AnswerMode::Agent => (K::RoutAgentLabel, K::RoutAgentHelp, "agent001@CalloutDemo"),
        AnswerMode::SkillGroup => (K::RoutSkillLabel, K::RoutSkillHelp, "paEF_1GAQXXJ"),
    }
}

fn mode_key(mode: AnswerMode) -> (K, &'static str) {
    match mode {
        AnswerMode::Ivr => (K::ModeIvr, "ivr"),
        AnswerMode::Agent => (K::ModeAgent, "agent"),
        AnswerMode::SkillGroup => (K::ModeSkillGroup, "skill_group"),
    }
}

#[component]
pub fn DialExPage() -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    let errors = FieldErrors::new();

    let account = RwSignal::new(String::new());
    let instance = RwSignal::new(String::new());
    let caller = RwSignal::new(String::new());
    let callee = RwSignal::new(String::new());
    let mode = RwSignal::new(AnswerMode::Ivr);
    let rout_point = RwSignal::new(String::new());
    let result = RwSignal::new(None::<DialExResult>);

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

    let dial = Submission::new(errors, &FIELDS);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        alerts.clear();
        result.set(None);
        let present = errors.require(&[
            ("account_id", account.get()),
            ("instance_id", instance.get()),
            ("caller", caller.get()),
            ("callee", callee.get()),
            ("rout_point", rout_point.get()),
        ]);
        if !present || !me.may_dial() {
            return;
        }
        let request = StartDialEx {
            account_id: account.get(),
            call: DialExRequest {
                instance_id: instance.get(),
                caller: caller.get().trim().to_owned(),
                callee: callee.get().trim().to_owned(),
                answer_mode: mode.get(),
                rout_point: rout_point.get().trim().to_owned(),
                provider: None,
            },
        };
        let key = api::new_idempotency_key();
        dial.send(async move { api::dialex(&request, &key).await }, move |accepted| {
            result.set(Some(accepted));
            alerts.show(Alert::Info(K::CallAccepted));
        });
    };

    let busy = dial.busy;
    let text = move |key: K| Signal::derive(move || locale.t(key));
    let rout_label = Signal::derive(move || locale.t(rout_point_words(mode.get()).0));
    let rout_help = Signal::derive(move || locale.t(rout_point_words(mode.get()).1));

    view! {
        <section class="page-narrow">
            <h1>{locale.text(K::DialExTitle)}</h1>
            <p class="muted">{locale.text(K::DialExIntro)}</p>
            <ViewerNote />
            <form class="card form" on:submit=submit novalidate>
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
                    <Field id="callee" label=text(K::CalleeLabel) help=text(K::CalleeHelp) error=errors.text("callee")>
                        <input id="callee" inputmode="tel" autocomplete="off" placeholder="15732036617"
                            aria-describedby=described_by("callee") bind:value=callee />
                    </Field>
                </div>
                <fieldset class="field radios">
                    <legend>{locale.text(K::AnswerModeLabel)}</legend>
                    {AnswerMode::ALL.map(|m| {
                        let (key, value) = mode_key(m);
                        view! {
                            <label class="radio">
                                <input type="radio" name="answer_mode" value=value
                                    prop:checked=move || mode.get() == m on:change=move |_| mode.set(m) />
                                {move || locale.t(key)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <Field id="rout_point" label=rout_label help=rout_help error=errors.text("rout_point")>
                    <input id="rout_point" autocomplete="off" autocapitalize="off" spellcheck="false"
                        placeholder=move || rout_point_words(mode.get()).2
                        aria-describedby=described_by("rout_point") bind:value=rout_point />
                </Field>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || busy.get() || !me.may_dial() data-testid="dialex-submit">
                        {locale.text(K::PlaceCall)}
                    </button>
                    <Show when=move || busy.get()>
                        <Progress label=text(K::PlacingCall) />
                    </Show>
                </div>
            </form>
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
