//! `/jobs`: every job of every kind, a page at a time from the server, filtered by what it calls,
//! who submitted it, its state, its name and when. The filters live in the URL, so a view can be
//! bookmarked, shared and reloaded; counters of the listed jobs follow the event stream.

use std::collections::HashMap;

use callout_shared::{
    call_status::CallStatus,
    jobs::{JobKind, JobListQuery, JobState, JobSummary},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api,
    components::{
        alert::{load_failed, loading},
        date_input::date_input,
        pager::Pager,
    },
    i18n::K,
    live::{listen, Live},
    logic::{
        dates::{format_local, local_day_bounds, normal_day},
        recent_jobs::target,
    },
    pages::job::{job_kind_key, job_state_key, job_title, status_key},
    state::{load::load, locale::use_locale},
};

const PAGE_SIZE: u32 = 20;

/// The filters, as the URL and the form hold them (days local, `YYYY-MM-DD` in the URL).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    search: String,
    state: String,
    kind: String,
    account_id: String,
    meeting_id: String,
    created_by: String,
    from: String,
    to: String,
}

impl Filters {
    const NAMES: [&'static str; 8] = ["search", "state", "kind", "account_id", "meeting_id", "created_by", "from", "to"];

    fn field(&mut self, name: &str) -> &mut String {
        match name {
            "search" => &mut self.search,
            "state" => &mut self.state,
            "kind" => &mut self.kind,
            "account_id" => &mut self.account_id,
            "meeting_id" => &mut self.meeting_id,
            "created_by" => &mut self.created_by,
            "from" => &mut self.from,
            _ => &mut self.to,
        }
    }

    fn query(&self, page: u32) -> JobListQuery {
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        JobListQuery {
            page: Some(page),
            page_size: Some(PAGE_SIZE),
            from: local_day_bounds(&self.from).map(|(start, _)| start),
            to: local_day_bounds(&self.to).map(|(_, end)| end),
            account_id: text(&self.account_id),
            meeting_id: text(&self.meeting_id),
            created_by: text(&self.created_by),
            state: self.state.parse::<JobState>().ok(),
            kind: self.kind.parse::<JobKind>().ok(),
            search: text(&self.search),
        }
    }

    /// `/jobs?…` with the filters that are set.
    fn href(&mut self, page: u32) -> String {
        let mut pairs: Vec<String> = Vec::new();
        for name in Self::NAMES {
            let mut value = self.field(name).trim().to_owned();
            if let ("from" | "to", Some(day)) = (name, normal_day(&value)) {
                // However the day was typed, the URL holds it one way.
                value = day;
            }
            if !value.is_empty() {
                pairs.push(format!("{name}={}", js_sys::encode_uri_component(&value)));
            }
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() {
            "/jobs".into()
        } else {
            format!("/jobs?{}", pairs.join("&"))
        }
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let locale = use_locale();
    let navigate = use_navigate();
    let url = use_query_map();
    let applied = Memo::new(move |_| {
        url.with(|q| {
            let mut f = Filters::default();
            for name in Filters::NAMES {
                *f.field(name) = q.get(name).unwrap_or_default();
            }
            let page = q.get("page").and_then(|p| p.parse::<u32>().ok()).filter(|p| *p >= 1).unwrap_or(1);
            (f, page)
        })
    });
    // The form starts from the URL and is applied to it by the button.
    let typed = RwSignal::new(applied.get_untracked().0);
    let tick = RwSignal::new(0u32);
    // Summaries heard over the stream since the list was asked for, by job id, shown instead of the
    // listed ones. Events come in publish order, so the last one heard is the newest; one heard before
    // the request may be older than the list and is forgotten when the request starts.
    let heard = RwSignal::new(HashMap::<String, JobSummary>::new());
    let list = load(move || {
        tick.track();
        let query = applied.with(|(f, page)| f.query(*page));
        heard.update_untracked(HashMap::clear);
        async move { api::jobs(&query).await }
    });
    listen(RwSignal::new(false), move |event| match event {
        Live::Job(job) => heard.update(|h| {
            h.insert(job.id.clone(), job);
        }),
        Live::Resync => tick.update(|t| *t += 1),
        Live::Item { .. } => {}
    });

    let go = StoredValue::new_local(move |href: String| navigate(&href, Default::default()));
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let href = typed.with_untracked(|f| f.clone().href(1));
        go.with_value(|go| go(href));
    };
    let clear = move |_| {
        typed.set(Filters::default());
        go.with_value(|go| go("/jobs".into()));
    };
    let to_page = move |page: usize| {
        let href = applied.with_untracked(|(f, _)| f.clone().href(page as u32 + 1));
        go.with_value(|go| go(href));
    };
    let input = move |name: &'static str, key: K, kind: &'static str| {
        let id = format!("jobs-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{locale.text(key)}</label>
                <input id=id type=kind data-testid=format!("jobs-filter-{name}")
                    prop:value=move || typed.with(|f| f.clone().field(name).clone())
                    on:input=move |ev| typed.update(|f| *f.field(name) = event_target_value(&ev)) />
            </div>
        }
    };
    let day = move |name: &'static str, key: K| {
        let id = format!("jobs-{name}");
        let value = Signal::derive(move || typed.with(|f| f.clone().field(name).clone()));
        view! {
            <div class="field">
                <label for=id.clone()>{locale.text(key)}</label>
                {date_input(id, format!("jobs-filter-{name}"), value, Box::new(move |v| typed.update(|f| *f.field(name) = v)))}
            </div>
        }
    };
    let select = move |name: &'static str, key: K, options: Vec<(&'static str, K)>| {
        let id = format!("jobs-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{locale.text(key)}</label>
                <select id=id data-testid=format!("jobs-filter-{name}")
                    on:change=move |ev| typed.update(|f| *f.field(name) = event_target_value(&ev))>
                    <option value="" prop:selected=move || typed.with(|f| f.clone().field(name).is_empty())>{locale.text(K::FilterAll)}</option>
                    {options.into_iter().map(|(value, label)| view! {
                        <option value=value prop:selected=move || typed.with(|f| f.clone().field(name) == value)>{locale.text(label)}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let states = JobState::ALL.iter().map(|s| (s.as_str(), job_state_key(*s))).collect();
    let kinds = JobKind::ALL.iter().map(|k| (k.as_str(), job_kind_key(*k))).collect();

    view! {
        <section>
            <h1>{locale.text(K::NavJobs)}</h1>
            <p class="muted">{locale.text(K::JobsIntro)}</p>
            <form class="card form filters" on:submit=apply novalidate>
                {input("search", K::JobsSearchLabel, "search")}
                {select("state", K::JobStateLabel, states)}
                {select("kind", K::JobKindLabel, kinds)}
                {input("account_id", K::AccountLabel, "text")}
                {input("meeting_id", K::MeetingIdLabel, "text")}
                {input("created_by", K::SubmittedBy, "text")}
                {day("from", K::AuditFrom)}
                {day("to", K::AuditTo)}
                <div class="form-actions">
                    <button type="submit" class="primary" data-testid="jobs-apply">{locale.text(K::ApplyFilters)}</button>
                    <button type="button" on:click=clear data-testid="jobs-clear">{locale.text(K::ClearFilters)}</button>
                </div>
            </form>
            <div class="card">
                {move || match list.get() {
                    None => loading(),
                    Some(Err(e)) => load_failed(&e),
                    Some(Ok(page)) if page.jobs.is_empty() => {
                        view! { <p class="muted" data-testid="jobs-empty">{locale.t(K::NoJobsMatch)}</p> }.into_any()
                    }
                    Some(Ok(page)) => {
                        let pages = (page.total.div_ceil(page.page_size.max(1))).max(1) as usize;
                        let at = (page.page.max(1) - 1) as usize;
                        let jobs = page.jobs.into_iter().map(|j| heard.with(|h| h.get(&j.id).cloned()).unwrap_or(j)).collect();
                        view! {
                            <p class="muted" data-testid="jobs-total">{crate::i18n::fill(locale.t(K::JobsMatching), &[("count", &page.total.to_string())])}</p>
                            <JobsTable jobs />
                            <Pager page=Signal::derive(move || (at, pages)) on_page=to_page />
                        }.into_any()
                    }
                }}
            </div>
        </section>
    }
}

/// Jobs as a table: when, title (a link to the job), what it calls, who, state and progress. The
/// dashboard's latest jobs use it too.
#[component]
pub fn JobsTable(jobs: Vec<JobSummary>) -> impl IntoView {
    let locale = use_locale();
    let row = move |job: JobSummary| {
        let c = &job.counters;
        let statuses = CallStatus::ALL
            .into_iter()
            .filter_map(|s| c.by_status.get(s.as_str()).filter(|n| **n > 0).map(|n| (s, *n)))
            .map(|(s, n)| view! { <span class=format!("badge status status-{}", s.as_str()) data-status=s.as_str()>{locale.t(status_key(s))}" "{n}</span> })
            .collect_view();
        let progress = format!("{} / {}", c.finished, c.accepted);
        view! {
            <tr data-testid="job-list-row" data-job=job.id.clone()>
                <td class="nowrap">{format_local(job.created_at)}</td>
                <td data-testid="job-list-title">
                    <a href=format!("/callout/jobs/{}", job.id)>{job_title(&job, locale)}</a>
                    <br /><span class="muted small" data-testid="job-list-target" data-kind=job.kind.as_str()>
                        <span class="badge">{locale.t(job_kind_key(job.kind))}</span>" "{target(&job)}" · "{job.account_id.clone()}
                    </span>
                </td>
                <td data-testid="job-list-submitter">{job.created_by.clone()}</td>
                <td data-testid="job-list-state" data-state=job.state.as_str()>{locale.t(job_state_key(job.state))}</td>
                <td data-testid="job-list-finished">{progress}</td>
                <td class="badges col-minor">{statuses}</td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="list" data-testid="job-list">
                <thead><tr>
                    <th scope="col">{locale.t(K::JobStartedAt)}</th>
                    <th scope="col">{locale.t(K::JobTitleLabel)}</th>
                    <th scope="col">{locale.t(K::SubmittedBy)}</th>
                    <th scope="col">{locale.t(K::JobStateLabel)}</th>
                    <th scope="col">{locale.t(K::FinishedOfAccepted)}</th>
                    <th scope="col" class="col-minor">{locale.t(K::CallsByStatus)}</th>
                </tr></thead>
                <tbody>{jobs.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
}
