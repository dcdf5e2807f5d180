//! A job's outcome report on its view: counts and rates per outcome, median time to answer and call
//! length, a chart of the outcomes over time (SVG drawn here, no chart library), and "call the
//! not-answered again" as a new job, after a confirmation.

use callout_shared::{
    jobs::{CreateCalloutJob, JobKind, JobSummary},
    meeting::CalloutNumberInput,
    numbers::NumberInput,
};
use leptos::prelude::*;

use crate::{
    api,
    components::field::{FieldErrors, Submission},
    i18n::{fill, K},
    logic::{
        dates::format_local,
        report::{duration, not_answered, Report, BUCKETS},
    },
    pages::job::{job_title, status_key, Rows},
    state::{locale::use_locale, session::Me},
};

/// The chart's own units (it scales to its box); whole numbers keep float formatting out of the bundle.
const CHART_W: usize = 1200;
const CHART_H: usize = 140;

#[component]
pub fn JobReport(summary: Memo<Option<JobSummary>>, table: Rows) -> impl IntoView {
    let locale = use_locale();
    let report = Memo::new(move |_| table.with(|t| Report::of(t.items())));
    let rows = move || {
        report.with(|r| {
            r.by_status
                .iter()
                .map(|(s, n)| {
                    let (s, n, rate) = (*s, *n, r.rate(*n));
                    view! {
                        <tr data-testid="report-row" data-status=s.as_str()>
                            <td><span class=format!("badge status status-{}", s.as_str())>{move || locale.t(status_key(s))}</span></td>
                            <td data-testid="report-count">{n}</td>
                            <td data-testid="report-rate">{format!("{rate} %")}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let median = |ms: Option<i64>| ms.map(duration).unwrap_or_else(|| "–".into());
    view! {
        <div class="card" data-testid="job-report">
            <h2>{locale.text(K::ReportTitle)}</h2>
            <div class="report">
                <table class="list report-table">
                    <thead><tr>
                        <th scope="col">{locale.text(K::ColStatus)}</th>
                        <th scope="col">{locale.text(K::ReportCalls)}</th>
                        <th scope="col">{locale.text(K::ReportRate)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <dl class="facts">
                    <dt>{locale.text(K::ReportMedianAnswer)}</dt>
                    <dd data-testid="report-median-answer">{move || median(report.with(|r| r.median_to_answer))}</dd>
                    <dt>{locale.text(K::ReportMedianLength)}</dt>
                    <dd data-testid="report-median-length">{move || median(report.with(|r| r.median_length))}</dd>
                </dl>
            </div>
            <Chart report />
            <RetryNotAnswered summary table />
        </div>
    }
}

/// Ended calls per time slice, stacked by outcome.
#[component]
fn Chart(report: Memo<Report>) -> impl IntoView {
    let locale = use_locale();
    move || {
        report.with(|r| r.timeline.clone()).map(|t| {
            let peak = t.peak().max(1);
            let slot = CHART_W / BUCKETS;
            let bars = t
                .buckets
                .iter()
                .enumerate()
                .flat_map(|(b, counts)| {
                    let mut top = CHART_H;
                    counts
                        .iter()
                        .zip(&t.final_statuses)
                        .filter(|(n, _)| **n > 0)
                        .map(|(n, s)| {
                            let h = (n * (CHART_H - 4) / peak).max(1);
                            top -= h;
                            view! {
                                <rect class=format!("bar status-{}", s.as_str()) x=(b * slot + 4).to_string() y=top.to_string()
                                    width=(slot - 8).to_string() height=h.to_string()>
                                    <title>{format!("{} {n}", locale.t(status_key(*s)))}</title>
                                </rect>
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .collect_view();
            let end = t.start + t.bucket_ms * BUCKETS as i64;
            view! {
                <figure class="chart" data-testid="report-chart">
                    <svg viewBox=format!("0 0 {CHART_W} {CHART_H}") role="img" aria-label=locale.text(K::ReportChart)
                        preserveAspectRatio="none">{bars}</svg>
                    <figcaption class="muted small">
                        {locale.text(K::ReportChart)}": "{format_local(t.start)}" – "{format_local(end)}
                    </figcaption>
                </figure>
            }
        })
    }
}

/// A new job for the numbers nobody answered, in the same meeting, after a yes.
#[component]
fn RetryNotAnswered(summary: Memo<Option<JobSummary>>, table: Rows) -> impl IntoView {
    let locale = use_locale();
    let me = expect_context::<Me>();
    let start = Submission::new(FieldErrors::new(), &[]);
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let count = Memo::new(move |_| table.with(|t| not_answered(t.items()).len()));
    let meeting_job = move || summary.with(|s| s.as_ref().is_some_and(|s| s.kind == JobKind::MeetingCallout));
    let retry = move |_| {
        let Some(job) = summary.get_untracked() else { return };
        let question = fill(locale.t(K::RetryNotAnsweredConfirm), &[("count", &count.get_untracked().to_string())]);
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let numbers = table.with_untracked(|t| {
            not_answered(t.items())
                .into_iter()
                .map(|i| CalloutNumberInput {
                    number: NumberInput { number: i.e164.clone().unwrap_or_default(), ..Default::default() },
                    nick_name: i.nick_name.clone(),
                })
                .collect()
        });
        let request = CreateCalloutJob {
            account_id: job.account_id.clone(),
            meeting_id: job.meeting_id.clone().unwrap_or_default(),
            operator_id: job.operator_id.clone(),
            numbers,
            text: None,
            csv: None,
            name: Some(fill(locale.t(K::RetryNotAnsweredName), &[("job", &job_title(&job, locale))]))
                .map(|n| n.chars().take(200).collect()),
            campaign: Default::default(),
        };
        let key = api::new_idempotency_key();
        start.send(async move { api::start_callout(&request, &key).await }, move |created| {
            navigate.with_value(|go| go(&format!("/callout/jobs/{}", created.job_id), Default::default()));
        });
    };
    view! {
        <Show when=meeting_job>
            <div class="form-actions">
                <button type="button" on:click=retry disabled=move || count.get() == 0 || start.busy.get() || !me.may_dial()
                    data-testid="retry-not-answered">
                    {move || fill(locale.t(K::RetryNotAnswered), &[("count", &count.get().to_string())])}
                </button>
            </div>
        </Show>
    }
}
