//! The landing page: the latest callout jobs with live counters, backend health, who is signed
//! in, and the provider accounts they may use.

use callout_shared::{
    health::Mode,
    jobs::{JobList, JobListQuery},
    me::{AccountSummary, MeResponse, ProviderKind, Role},
};
use leptos::prelude::*;

use crate::{
    api::{self, ApiError},
    components::alert::{load_failed, loading, Progress},
    i18n::K,
    live::{listen, Live},
    logic::recent_jobs::{apply, settle, RECENT_JOBS},
    pages::jobs::JobsTable,
    state::{
        followed::Followed,
        locale::use_locale,
        session::{Health, Me},
    },
};

#[component]
pub fn Dashboard() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section>
            <h1>{locale.text(K::NavDashboard)}</h1>
            <div class="cards">
                <BackendCard />
                <WhoAmICard />
            </div>
            <RecentJobsCard />
            <AccountsCard />
        </section>
    }
}

/// The latest jobs; their counters follow the event stream.
#[component]
fn RecentJobsCard() -> impl IntoView {
    let locale = use_locale();
    let recent = Followed::new(
        || async { api::jobs(&JobListQuery { page_size: Some(RECENT_JOBS as u32), ..Default::default() }).await },
        |answer: Result<JobList, ApiError>, shown, heard| settle(answer.map(|list| list.jobs), shown, heard),
    );
    // Every (re)connection reloads: events may have been missed while the stream was down.
    listen(RwSignal::new(false), move |event| match event {
        Live::Job(job) => recent.hear(job, |list, job| list.as_mut().map(|jobs| apply(jobs, job, RECENT_JOBS)).is_ok()),
        Live::Resync => recent.refetch(),
        Live::Item { .. } => {}
    });
    view! {
        <div class="card" data-testid="recent-jobs">
            <h2>{locale.text(K::RecentJobsTitle)}</h2>
            {move || match recent.data.get() {
                None => loading(),
                Some(Err(err)) => load_failed(&err),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{locale.t(K::NoJobsYet)}</p> }.into_any(),
                Some(Ok(jobs)) => view! { <JobsTable jobs /> }.into_any(),
            }}
            <p><a href="/jobs" data-testid="all-jobs">{locale.text(K::AllJobs)}</a></p>
        </div>
    }
}

#[component]
fn BackendCard() -> impl IntoView {
    let Health(health) = expect_context::<Health>();
    let locale = use_locale();
    view! {
        <div class="card" aria-live="polite">
            <h2>{locale.text(K::BackendTitle)}</h2>
            {move || match health.get() {
                None => view! { <Progress label=Signal::derive(move || locale.t(K::CheckingBackend)) /> }.into_any(),
                Some(Err(err)) => load_failed(&err),
                Some(Ok(h)) => view! {
                    <dl class="facts" data-testid="health">
                        <dt>{locale.t(K::HealthStatus)}</dt><dd data-testid="health-status">{h.status.clone()}</dd>
                        <dt>{locale.t(K::HealthVersion)}</dt><dd data-testid="health-version">{h.version.clone()}</dd>
                        <dt>{locale.t(K::HealthMode)}</dt>
                        <dd data-testid="health-mode">{locale.t(match h.mode { Mode::Sandbox => K::ModeSandbox, Mode::Live => K::ModeLive })}</dd>
                    </dl>
                }.into_any(),
            }}
        </div>
    }
}

pub fn role_key(role: Role) -> K {
    match role {
        Role::Viewer => K::RoleViewer,
        Role::Operator => K::RoleOperator,
        Role::Admin => K::RoleAdmin,
    }
}

#[component]
fn WhoAmICard() -> impl IntoView {
    let Me(me) = expect_context::<Me>();
    let locale = use_locale();
    let body = move |me: MeResponse| {
        let dev = me.auth_mode == "dev";
        view! {
            <Show when=move || dev>
                <p class="alert alert-warn" role="note" data-testid="dev-banner">{locale.text(K::DevModeBanner)}</p>
            </Show>
            <p class="who">
                <strong data-testid="me-name">{me.name.clone().unwrap_or_else(|| me.subject.clone())}</strong>
                " "
                <span class=format!("badge badge-role badge-{}", me.role.as_str()) data-testid="me-role">{locale.t(role_key(me.role))}</span>
            </p>
            <dl class="facts">
                {me.email.clone().map(|email| view! { <dt>{locale.t(K::EmailLabel)}</dt><dd data-testid="me-email">{email}</dd> })}
                <dt>{locale.t(K::SubjectLabel)}</dt><dd>{me.subject.clone()}</dd>
                <dt>{locale.t(K::SignInMode)}</dt><dd>{me.auth_mode.clone()}</dd>
            </dl>
        }
    };
    view! {
        <div class="card">
            <h2>{locale.text(K::SignedInTitle)}</h2>
            {move || match me.get() {
                None => loading(),
                Some(Err(err)) => load_failed(&err),
                Some(Ok(me)) => body(me).into_any(),
            }}
        </div>
    }
}

pub fn provider_key(provider: ProviderKind) -> K {
    match provider {
        ProviderKind::TencentMeeting => K::ProviderTencent,
        ProviderKind::AliyunCcc => K::ProviderCcc,
    }
}

#[component]
fn AccountsCard() -> impl IntoView {
    let Me(me) = expect_context::<Me>();
    let locale = use_locale();
    let account = move |a: AccountSummary| {
        let instances = a.instances.iter().map(|i| format!("{} ({})", i.name, i.id)).collect::<Vec<_>>().join(", ");
        view! {
            <tr data-testid="account-row">
                <td>{a.name.clone()}<span class="muted">" · "{a.id.clone()}</span></td>
                <td>{locale.t(provider_key(a.provider))}</td>
                <td>{a.sandbox.then(|| view! { <span class="badge badge-sandbox">{locale.t(K::SandboxAccount)}</span> })}</td>
                <td class="muted">{instances}</td>
            </tr>
        }
    };
    view! {
        <div class="card">
            <h2>{locale.text(K::AccountsTitle)}</h2>
            {move || match me.get() {
                Some(Ok(me)) if me.accounts.is_empty() => view! { <p class="muted">{locale.t(K::NoAccounts)}</p> }.into_any(),
                Some(Ok(me)) => view! {
                    <div class="table-wrap">
                        <table class="list">
                            <thead><tr>
                                <th scope="col">{locale.t(K::AccountLabel)}</th>
                                <th scope="col">{locale.t(K::ProviderLabel)}</th>
                                <th scope="col"><span class="visually-hidden">{locale.t(K::SandboxAccount)}</span></th>
                                <th scope="col">{locale.t(K::InstancesLabel)}</th>
                            </tr></thead>
                            <tbody>{me.accounts.into_iter().map(account).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
        </div>
    }
}
