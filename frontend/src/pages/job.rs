//! `/callout/jobs/:id`: one callout job followed live. Counters and rows arrive over the event
//! stream; the table shows one page of the filtered, sorted rows (jobs can hold 10,000 numbers).

use callout_shared::{
    call_status::CallStatus,
    jobs::{ItemPhase, JobControl, JobItem, JobKind, JobState, JobSummary},
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    api,
    components::{
        alert::{load_failed, loading},
        copy::CopyButton,
        field::{FieldErrors, Submission, ViewerNote},
        pager::Pager,
    },
    i18n::{fill, item_reason, K},
    live::listen,
    logic::{
        campaign::{attempt_line, waiting_key, window_line},
        dates::format_local,
        job_table::{dialled, dialled_count, waiting_count, JobTable, SortKey, StatusFilter, TableQuery},
        job_view::{settle, Shown},
        recent_jobs::target,
        report::duration,
    },
    pages::job_report::JobReport,
    state::{
        alert::{use_alerts, Alert},
        followed::Followed,
        load::Load,
        locale::{use_locale, Locale},
        session::Me,
    },
};

/// The words for a call status.
pub fn status_key(status: CallStatus) -> K {
    match status {
        CallStatus::Queued => K::StatusQueued,
        CallStatus::Ringing => K::StatusRinging,
        CallStatus::Answered => K::StatusAnswered,
        CallStatus::Completed => K::StatusCompleted,
        CallStatus::NotAnswered => K::StatusNotAnswered,
        CallStatus::Canceled => K::StatusCanceled,
        CallStatus::Failed => K::StatusFailed,
        CallStatus::Placed => K::StatusPlaced,
        CallStatus::Unknown => K::StatusUnknown,
    }
}

/// The words for what a job dials.
pub fn job_kind_key(kind: JobKind) -> K {
    match kind {
        JobKind::MeetingCallout => K::NavCallout,
        JobKind::Dialex => K::NavDialEx,
    }
}

pub fn job_state_key(state: JobState) -> K {
    match state {
        JobState::Scheduled => K::JobScheduled,
        JobState::Dialling => K::JobDialling,
        JobState::Paused => K::JobPaused,
        JobState::Following => K::JobFollowing,
        JobState::Finished => K::JobFinished,
    }
}

/// A status badge: the call status, or why the row was never dialled.
pub fn status_badge(item: &JobItem, locale: crate::state::locale::Locale) -> impl IntoView {
    let (class, key) = match item.phase {
        ItemPhase::Invalid => ("not-dialled", K::PhaseInvalid),
        ItemPhase::Duplicate => ("not-dialled", K::PhaseDuplicate),
        ItemPhase::Blocked => ("not-dialled", K::PhaseBlocked),
        ItemPhase::Stopped => ("not-dialled", K::PhaseStopped),
        _ => (item.status.as_str(), status_key(item.status)),
    };
    view! { <span class=format!("badge status status-{class}") data-status=class>{move || locale.t(key)}</span> }
}

/// A job's title: its name, else what it calls and when.
pub fn job_title(job: &JobSummary, locale: crate::state::locale::Locale) -> String {
    match &job.name {
        Some(name) => name.clone(),
        None => {
            let key = if job.kind == JobKind::Dialex { K::DialExJobTitle } else { K::JobTitle };
            fill(locale.t(key), &[("job", &target(job))])
        }
    }
}

/// What names the call at the provider: the DialEx task, or every ms_open_id the number had in the
/// meeting (one per time it joined), one a line.
fn call_ids(item: &JobItem, dialex: bool) -> String {
    if dialex {
        item.task_id.clone().unwrap_or_default()
    } else if item.ms_open_ids.is_empty() {
        item.ms_open_id.clone().unwrap_or_default()
    } else {
        item.ms_open_ids.join("\n")
    }
}

/// The row's reason in the page's language, following a switch of language.
fn reason_words(item: &JobItem, locale: Locale) -> impl Fn() -> String + Send + Sync + 'static {
    let (code, detail, english) = (item.reason_code, item.reason_detail.clone(), item.reason.clone());
    move || item_reason(locale.lang(), code, detail.as_deref(), english.as_deref()).unwrap_or_default()
}

/// The number as dialled (E.164), and what was typed when that differs.
fn number_cell(item: &JobItem) -> impl IntoView {
    let typed = Some(item.input.clone()).filter(|input| item.e164.as_deref() != Some(input.as_str()));
    match item.e164.clone() {
        Some(e164) => view! { <code>{e164}</code>{typed.map(|t| view! { <br /><span class="muted small">{t}</span> })} }.into_any(),
        None => view! { <span>{item.input.clone()}</span> }.into_any(),
    }
}

/// The job's rows as shown, for the parts of the page.
#[derive(Clone, Copy)]
pub struct Rows(Load<Shown>);

impl Rows {
    pub fn with<R>(self, f: impl FnOnce(&JobTable) -> R) -> R {
        self.0.with(|shown| Self::of(shown, f))
    }

    pub fn with_untracked<R>(self, f: impl FnOnce(&JobTable) -> R) -> R {
        self.0.with_untracked(|shown| Self::of(shown, f))
    }

    fn of<R>(shown: Option<&Shown>, f: impl FnOnce(&JobTable) -> R) -> R {
        match shown {
            Some(shown) => f(&shown.table),
            None => f(&JobTable::default()),
        }
    }
}

#[component]
pub fn JobPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let connected = RwSignal::new(false);
    // Another job (a link from this one) is another request; nothing of the last one shows meanwhile.
    let job = Followed::new(
        move || {
            let id = id.get();
            async move {
                let answer = api::job(&id).await;
                (id, answer)
            }
        },
        settle,
    );
    // Until this job's snapshot is in, what is loaded is another job's (or nothing).
    let summary = Memo::new(move |_| job.data.with(|s| s.filter(|s| s.id == id.get()).and_then(|s| s.summary.clone())));
    let load_error = Memo::new(move |_| job.data.with(|s| s.filter(|s| s.id == id.get()).and_then(|s| s.failed.clone())));
    let table = Rows(job.data);
    let reload = move || job.refetch();
    let loaded = Memo::new(move |_| summary.with(Option::is_some));
    // DialEx jobs have no meeting: their rows carry task ids and nothing rings to be canceled.
    let dialex = Memo::new(move |_| summary.with(|s| s.as_ref().is_some_and(|s| s.kind == JobKind::Dialex)));
    listen(connected, move |event| match event.job_id().map(|job_id| job_id == id.get_untracked()) {
        None => reload(),
        Some(true) => job.hear(event, Shown::hear),
        Some(false) => {}
    });

    view! {
        <section>
            <h1 data-testid="job-title">{move || summary.with(|s| s.as_ref().map(|s| job_title(s, locale)))}</h1>
            <p class="muted" data-testid="job-subtitle">
                {move || summary.with(|s| s.as_ref().map(|s| format!("{} · {}", format_local(s.created_at), s.created_by)))}
                " · " <code data-testid="job-id">{move || id.get()}</code>
            </p>
            <p class="muted" aria-live="polite" data-testid="live-state">
                {move || locale.t(if connected.get() { K::LiveConnected } else { K::LiveReconnecting })}
            </p>
            {move || load_error.get().map(|e| load_failed(&e))}
            // Only whether the job is loaded picks the view: the parts below follow `summary` and
            // `table` themselves, so a live update does not rebuild them (and reset the filters).
            {move || match (loaded.get(), load_error.with(Option::is_none)) {
                (false, true) => loading(),
                (false, false) => ().into_any(),
                (true, _) => view! {
                    <JobCounters summary dialex />
                    <JobActions id summary table reload dialex />
                    <JobReport summary table />
                    <JobRows table dialex summary />
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn JobCounters(summary: Memo<Option<JobSummary>>, dialex: Memo<bool>) -> impl IntoView {
    let locale = use_locale();
    let counters = move || summary.get().map(|s| s.counters).unwrap_or_default();
    let dialled = move || dialled_count(&counters());
    let bar = move |key: K, testid: &'static str, value: Signal<u32>, max: Signal<u32>| {
        view! {
            <div class="meter">
                <label for=testid>{move || locale.t(key)}</label>
                <progress id=testid max=move || max.get().max(1) value=move || value.get()></progress>
                <span class="meter-count" data-testid=testid>{move || format!("{} / {}", value.get(), max.get())}</span>
            </div>
        }
    };
    let of_dialled = Signal::derive(dialled);
    // The provider refused a batch as too large: say so, and what the job does instead.
    let batch_cap = move || {
        summary.get().and_then(|s| {
            let refused = s.batch_cap_refused?;
            let text = fill(locale.t(K::BatchCapRefused), &[("refused", &refused.to_string()), ("cap", &s.batch_cap.to_string())]);
            Some(view! { <p class="alert alert-info" role="note" data-testid="batch-cap-refused">{text}</p> })
        })
    };
    view! {
        <div class="card" data-testid="job-counters">
            {batch_cap}
            <dl class="facts">
                <dt>{locale.text(K::JobKindLabel)}</dt>
                <dd data-testid="job-kind">{move || summary.get().map(|s| locale.t(job_kind_key(s.kind)))}</dd>
                // The meeting, or for DialEx the route point and instance answered calls go to.
                <dt>{move || locale.t(if dialex.get() { K::RoutPointLabel } else { K::ConfirmMeeting })}</dt>
                <dd data-testid="job-target">{move || summary.with(|s| s.as_ref().map(target))}</dd>
                <dt>{locale.text(K::AccountLabel)}</dt><dd>{move || summary.get().map(|s| s.account_id)}</dd>
                <dt>{locale.text(K::JobStateLabel)}</dt>
                <dd data-testid="job-state" data-state=move || summary.get().map(|s| s.state.as_str())>
                    {move || summary.get().map(|s| locale.t(job_state_key(s.state)))}
                </dd>
                <dt>{locale.text(K::NotDialledCount)}</dt>
                <dd data-testid="not-dialled">{move || { let c = counters(); c.invalid + c.duplicates + c.blocked + c.stopped }}</dd>
                <CampaignFacts summary />
            </dl>
            {bar(if dialex.get_untracked() { K::CallsSent } else { K::BatchesSent }, "count-batches", Signal::derive(move || counters().batches_sent), Signal::derive(move || counters().batches_total))}
            {bar(K::Accepted, "count-accepted", Signal::derive(move || counters().accepted), of_dialled)}
            {bar(K::ProviderInvalid, "count-provider-invalid", Signal::derive(move || counters().provider_invalid), of_dialled)}
            {bar(K::StatusUnknown, "count-unknown", Signal::derive(move || counters().unknown), of_dialled)}
            // Calls the provider took: a refused or unknown row never finishes, so it is not in this bar's base.
            {bar(K::Finished, "count-finished", Signal::derive(move || counters().finished), Signal::derive(move || counters().accepted))}
        </div>
    }
}

/// The job's schedule, calling window and retry policy, and why it waits and until when.
#[component]
fn CampaignFacts(summary: Memo<Option<JobSummary>>) -> impl IntoView {
    let locale = use_locale();
    let campaign = move || summary.with(|s| s.as_ref().and_then(|s| s.campaign.clone()));
    move || {
        campaign().map(|c| {
            let window = window_line(&c, locale.lang()).map(|w| if c.window_is_default { format!("{w} {}", locale.t(K::DefaultWindowMark)) } else { w });
            let retry = c.retry.map(|r| {
                fill(locale.t(K::RetryPolicyLine), &[("max", &r.max_attempts.to_string()), ("minutes", &r.spacing_minutes.to_string())])
            });
            let waiting = c.waiting.map(|w| format!("{} {}", locale.t(waiting_key(w)), c.next_dial_at.map(format_local).unwrap_or_default()));
            view! {
                {c.start_at.map(|at| view! { <dt>{locale.text(K::CampaignStarts)}</dt><dd data-testid="job-start-at">{format_local(at)}</dd> })}
                {window.map(|w| view! { <dt>{locale.text(K::CampaignWindow)}</dt><dd data-testid="job-window">{w}</dd> })}
                {retry.map(|r| view! { <dt>{locale.text(K::CampaignRetryPolicy)}</dt><dd data-testid="job-retry-policy">{r}</dd> })}
                {waiting.map(|w| view! { <dt></dt><dd class="alert alert-info" role="status" data-testid="job-waiting" data-waiting=c.waiting.map(|w| format!("{w:?}"))>{w}</dd> })}
            }
        })
    }
}

#[component]
fn JobActions(
    id: Memo<String>,
    summary: Memo<Option<JobSummary>>,
    table: Rows,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    dialex: Memo<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let alerts = use_alerts();
    let me = expect_context::<Me>();
    let confirming = RwSignal::new(false);
    let cancel = Submission::new(FieldErrors::new(), &[]);
    let retry = Submission::new(FieldErrors::new(), &[]);
    let ringing = move || table.with(|t| t.ringing_rows());
    let cancel_ringing = move |_| {
        // Hanging up on people is not undone: the browser's own dialog asks first.
        let question = fill(locale.t(K::CancelRingingConfirm), &[("count", &ringing().to_string())]);
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let id = id.get_untracked();
        cancel.send(async move { api::cancel_ringing(&id).await }, move |done| {
            alerts.show(Alert::Success(K::CancelDone, vec![("count", done.succeeded.len().to_string())]))
        });
    };
    let retry_unknown = move |_| {
        let (id, key) = (id.get_untracked(), api::new_idempotency_key());
        retry.send(async move { api::retry_unknown(&id, &key).await }, move |done| {
            confirming.set(false);
            alerts.show(Alert::Success(K::RetryDone, vec![("count", done.requeued.to_string())]));
            reload();
        });
    };
    let control = Submission::new(FieldErrors::new(), &[]);
    let state = move || summary.with(|s| s.as_ref().map(|s| s.state));
    let waiting = move || summary.with(|s| s.as_ref().map_or(0, |s| waiting_count(&s.counters)));
    let act = move |action: JobControl| {
        // A stop is final: the browser's own dialog asks first.
        let question = fill(locale.t(K::StopJobConfirm), &[("count", &waiting().to_string())]);
        if action == JobControl::Stop && !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let id = id.get_untracked();
        // The summary and the stopped rows arrive as live events.
        control.send(async move { api::control_job(&id, action).await }, move |done| {
            let key = match action {
                JobControl::Pause => K::PauseDone,
                JobControl::Resume => K::ResumeDone,
                JobControl::Stop => K::StopDone,
            };
            alerts.show(Alert::Success(key, vec![("count", done.numbers.to_string())]));
        });
    };
    let busy = move || cancel.busy.get() || retry.busy.get() || control.busy.get() || !me.may_dial();
    let unknown = move || summary.with(|s| s.as_ref().map_or(0, |s| s.counters.unknown));
    view! {
        <ViewerNote />
        <p class="alert alert-info" role="status" data-testid="paused-note" hidden=move || state() != Some(JobState::Paused)>
            {move || fill(locale.t(K::PausedNote), &[("count", &waiting().to_string())])}
        </p>
        <div class="form-actions">
            {[JobControl::Pause, JobControl::Resume, JobControl::Stop].map(|action| control_button(action, state, busy, act))}
            <a class="button" href=move || api::job_export_url(&id.get()) download data-testid="job-export">{locale.text(K::ExportCsv)}</a>
            // Nothing of a DialEx job rings here to be canceled.
            <button type="button" on:click=cancel_ringing hidden=move || dialex.get()
                disabled=move || busy() || ringing() == 0 data-testid="cancel-ringing">
                {locale.text(K::CancelRinging)}
            </button>
            <button type="button" on:click=move |_| confirming.set(true) disabled=move || busy() || unknown() == 0 data-testid="retry-unknown">
                {locale.text(K::RetryUnknown)}
            </button>
        </div>
        <Show when=move || confirming.get()>
            <div class="card card-confirm" role="alertdialog" aria-labelledby="retry-title" data-testid="retry-confirm">
                <h2 id="retry-title">{locale.text(K::RetryTitle)}</h2>
                <p>{move || fill(locale.t(K::RetryWarning), &[("count", &unknown().to_string())])}</p>
                <div class="form-actions">
                    <button type="button" class="primary" disabled=busy data-testid="retry-confirm-button"
                        on:click=retry_unknown>
                        {locale.text(K::RetryConfirm)}
                    </button>
                    <button type="button" on:click=move |_| confirming.set(false) disabled=move || retry.busy.get()>{locale.text(K::Back)}</button>
                </div>
            </div>
        </Show>
    }
}

/// Pause while dialling, resume while paused, stop in either: one renderer for the three buttons.
fn control_button(
    action: JobControl,
    state: impl Fn() -> Option<JobState> + Copy + Send + Sync + 'static,
    busy: impl Fn() -> bool + Copy + Send + Sync + 'static,
    act: impl Fn(JobControl) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let (key, shown, class): (K, fn(JobState) -> bool, &str) = match action {
        JobControl::Pause => (K::PauseJob, |s| matches!(s, JobState::Dialling | JobState::Scheduled), ""),
        JobControl::Resume => (K::ResumeJob, |s| s == JobState::Paused, "primary"),
        // Stopping a scheduled job cancels it.
        JobControl::Stop => (K::StopJob, |s| matches!(s, JobState::Dialling | JobState::Paused | JobState::Scheduled), ""),
    };
    view! {
        <button type="button" class=class on:click=move |_| act(action) hidden=move || !state().is_some_and(shown)
            disabled=busy data-testid=format!("job-{}", action.as_str())>
            {locale.text(key)}
        </button>
    }
}

#[component]
fn JobRows(table: Rows, dialex: Memo<bool>, summary: Memo<Option<JobSummary>>) -> impl IntoView {
    let locale = use_locale();
    let attempt = move |item: &JobItem| {
        let item = item.clone();
        move || summary.with(|s| attempt_line(&item, s.as_ref().and_then(|s| s.campaign.as_ref()), locale.lang(), format_local))
    };
    let query = RwSignal::new(TableQuery::default());
    let page = Memo::new(move |_| query.with(|q| table.with(|t| t.page(q))));
    let set = move |f: fn(&mut TableQuery, String)| move |ev: leptos::ev::Event| query.update(|q| f(q, event_target_value(&ev)));
    let filters = move || {
        let mut all = vec![StatusFilter::All, StatusFilter::NotDialled];
        all.extend(CallStatus::ALL.map(StatusFilter::Status));
        all
    };
    let filter_key = move |f: StatusFilter| match f {
        StatusFilter::All => K::FilterAll,
        StatusFilter::NotDialled => K::NotDialledCount,
        StatusFilter::Status(s) => status_key(s),
    };
    let sort_key = |k: SortKey| match k {
        SortKey::Row => K::SortRow,
        SortKey::Number => K::ColNumber,
        SortKey::Status => K::ColStatus,
        SortKey::Batch => K::ColBatch,
    };
    let tsv = Signal::derive(move || query.with(|q| table.with(|t| t.to_tsv(q))));
    view! {
        <div class="card">
            <div class="toolbar">
                <label>{locale.text(K::FilterLabel)}
                    <select on:change=set(|q, v| { q.filter = StatusFilter::from_tag(&v); q.page = 0; }) data-testid="job-filter">
                        {move || filters().into_iter().map(|f| view! {
                            <option value=f.tag() prop:selected=move || query.with(|q| q.filter == f)>{locale.t(filter_key(f))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{locale.text(K::SearchLabel)}
                    <input type="search" on:input=set(|q, v| { q.search = v; q.page = 0; }) data-testid="job-search" />
                </label>
                <label>{locale.text(K::SortLabel)}
                    <select on:change=set(|q, v| q.sort = SortKey::from_tag(&v)) data-testid="job-sort">
                        {move || SortKey::ALL.map(|k| view! { <option value=k.tag()>{locale.t(sort_key(k))}</option> }).collect_view()}
                    </select>
                </label>
                <label class="checkbox">
                    <input type="checkbox" on:change=move |ev| query.update(|q| q.descending = event_target_checked(&ev)) />
                    {locale.text(K::Descending)}
                </label>
                <CopyButton text=tsv label=Signal::derive(move || locale.t(K::CopyRows).to_owned()) testid="job-copy" />
            </div>
            <p class="muted" aria-live="polite" data-testid="job-matching">
                {move || fill(locale.t(K::RowsMatching), &[("count", &page.with(|p| p.matching).to_string())])}
            </p>
            <div class="table-wrap">
                <table class="list" data-testid="job-table">
                    <thead><tr>
                        <th scope="col">{locale.text(K::SortRow)}</th>
                        <th scope="col">{locale.text(K::ColNumber)}</th>
                        <th scope="col">{locale.text(K::ColNickname)}</th>
                        <th scope="col" class="col-minor">{locale.text(K::ColBatch)}</th>
                        <th scope="col">{locale.text(K::ColStatus)}</th>
                        <th scope="col" class="col-wide">{locale.text(K::ProviderStatusLabel)}</th>
                        <th scope="col" class="col-minor">{locale.text(K::ColAnsweredAfter)}</th>
                        <th scope="col" class="col-minor">{locale.text(K::ColCallLength)}</th>
                        <th scope="col">{locale.text(K::ColReason)}</th>
                        <th scope="col" data-testid="job-id-column">{move || if dialex.get() { locale.t(K::TaskIdLabel) } else { "ms_open_id" }}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || page.with(|p| p.rows.clone()) key=|i| (i.id, i.updated_at, i.status) let:item>
                            <tr data-testid="job-row" data-final=(dialled(&item) && item.status.is_final()).to_string()>
                                <td data-testid="job-row-index">{item.row + 1}</td>
                                <td class="number">{number_cell(&item)}</td>
                                <td>{item.nick_name.clone()}</td>
                                <td class="col-minor">{item.batch}</td>
                                <td title=item.raw_status.clone().unwrap_or_default()>
                                    {status_badge(&item, locale)}
                                    <br /><span class="muted small" data-testid="row-attempt">{attempt(&item)}</span>
                                </td>
                                <td class="col-wide">{item.raw_status.clone()}</td>
                                <td class="col-minor nowrap" data-testid="row-answered-after">{item.time_to_answer().map(duration)}</td>
                                <td class="col-minor nowrap" data-testid="row-call-length">{item.call_length().map(duration)}</td>
                                <td class="muted reason" data-testid="row-reason" title=reason_words(&item, locale)>{reason_words(&item, locale)}</td>
                                <td class="call-id"><code data-testid="row-call-id">{call_ids(&item, dialex.get_untracked())}</code></td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Pager page=Signal::derive(move || page.with(|p| (p.page, p.pages))) on_page=move |n| query.update(|q| q.page = n) />
        </div>
    }
}
