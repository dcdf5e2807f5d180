//! Bulk callout jobs: submit one, follow it to the end, and what it cost the backend (CPU, memory,
//! database); and the interactive latency a person sees while one dials. Every job runs on a fresh
//! emulator and backend, so no job inherits another's meeting list, database or memory peak.

use std::time::{Duration, Instant};

use callout_shared::jobs::{CreateCalloutJob, JobCounters, JobCreated, JobList, JobState, JobSummary};
use serde::Serialize;

use crate::{
    load::{dialling, Numbers, STATUS_MEETING, STATUS_PAGE_SIZE},
    procs::{Backend, Harness, Outcome, TENCENT_ACCOUNT},
    stats::percentile,
};

/// Numbers per callout request in the shipped configuration.
pub const BATCH_SIZE: usize = 50;
/// The shipped `rate_limit_per_minute` of a Tencent Meeting account.
pub const SHIPPED_RATE_PER_MINUTE: u32 = 300;
/// How often the harness reads the job's summary (the resolution of the timings below).
const POLL: Duration = Duration::from_millis(200);

/// `numbers / 50` batches at the shipped per-minute rate: the fastest the pacing allows.
pub fn sent_bound_seconds(numbers: usize) -> f64 {
    numbers.div_ceil(BATCH_SIZE) as f64 * 60.0 / f64::from(SHIPPED_RATE_PER_MINUTE)
}

/// `+86139xxxxxxxx`, one per line, as pasted into the form.
pub fn job_text(numbers: usize) -> String {
    let source = Numbers::default();
    (0..numbers).map(|_| format!("+86{}\n", source.next_national())).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct JobRun {
    pub numbers: usize,
    pub batches: usize,
    pub sent_bound_s: f64,
    /// `POST /callouts` until its 202.
    pub accept_ms: f64,
    /// From the POST until every batch was sent.
    pub all_sent_s: Option<f64>,
    /// From the POST until the job was finished (every call final).
    pub all_final_s: Option<f64>,
    pub final_after_sent_s: Option<f64>,
    pub backend_cpu_s: f64,
    pub peak_rss_bytes: u64,
    pub database_before_bytes: u64,
    pub database_after_bytes: u64,
    pub database_growth_bytes: u64,
    /// What the job's rows keep in the database after the webhook de-duplication window: the stopped
    /// backend's database with its webhook keys pruned (as the backend prunes them), pages in use,
    /// less a fresh database's.
    pub database_retained_bytes: u64,
    /// Distinct numbers the emulator dialled, and how many of them more than once.
    pub emulator_dialled: usize,
    pub emulator_dialled_twice: usize,
    pub counters: JobCounters,
    pub cold_start_ms: f64,
}

/// What the harness saw of a job while following it.
struct Timeline {
    all_sent: Option<Duration>,
    all_final: Option<Duration>,
    last: Option<JobSummary>,
}

/// Submits a callout job of `numbers` numbers into the status meeting; the answer and its latency.
pub async fn submit(http: &reqwest::Client, backend: &Backend, numbers: usize) -> Outcome<(JobCreated, Duration)> {
    let body = CreateCalloutJob {
        account_id: TENCENT_ACCOUNT.into(),
        meeting_id: STATUS_MEETING.into(),
        operator_id: None,
        numbers: vec![],
        text: Some(job_text(numbers)),
        csv: None,
        name: None,
        campaign: Default::default(),
    };
    let started = Instant::now();
    let answer = dialling(http.post(backend.api("/callouts")).json(&body)).send().await.map_err(|e| format!("POST /callouts: {e}"))?;
    let status = answer.status();
    if !status.is_success() {
        return Err(format!("POST /callouts answered {status}: {}", answer.text().await.unwrap_or_default()));
    }
    let created: JobCreated = answer.json().await.map_err(|e| format!("POST /callouts answer: {e}"))?;
    Ok((created, started.elapsed()))
}

/// The job's summary as the dashboard lists it (cheap next to the full job with every item).
pub async fn summary(http: &reqwest::Client, backend: &Backend, job_id: &str) -> Outcome<Option<JobSummary>> {
    let answer = http.get(backend.api("/callouts?page_size=20")).send().await.map_err(|e| format!("GET /callouts: {e}"))?;
    let list: JobList = answer.json().await.map_err(|e| format!("GET /callouts answer: {e}"))?;
    Ok(list.jobs.into_iter().find(|j| j.id == job_id))
}

pub fn all_sent(job: &JobSummary) -> bool {
    job.state != JobState::Dialling && job.counters.batches_sent >= job.counters.batches_total
}

/// Follows the job until it is finished (or `stop_when_sent` and every batch went), or `limit` passed.
async fn follow(
    http: &reqwest::Client,
    backend: &Backend,
    job_id: &str,
    since: Instant,
    limit: Duration,
    stop_when_sent: bool,
) -> Outcome<Timeline> {
    let mut timeline = Timeline { all_sent: None, all_final: None, last: None };
    while since.elapsed() < limit {
        if let Some(job) = summary(http, backend, job_id).await? {
            if timeline.all_sent.is_none() && all_sent(&job) {
                timeline.all_sent = Some(since.elapsed());
            }
            if job.state == JobState::Finished {
                timeline.all_final = Some(since.elapsed());
                timeline.all_sent.get_or_insert(since.elapsed());
            }
            timeline.last = Some(job);
            if timeline.all_final.is_some() || (stop_when_sent && timeline.all_sent.is_some()) {
                break;
            }
        }
        tokio::time::sleep(POLL).await;
    }
    Ok(timeline)
}

/// Long enough for any sane run, short enough that a job that never finishes does not hang the run.
pub fn follow_limit(numbers: usize) -> Duration {
    Duration::from_secs_f64(sent_bound_seconds(numbers) * 3.0 + 90.0)
}

/// One job on a fresh emulator and backend (shipped rate limits, webhooks on), start to finish.
pub async fn measure_job(h: &Harness, numbers: usize, name: &str) -> Outcome<JobRun> {
    let (emulator, backend) = h.shipped_stack(name).await?;
    emulator.deliver_webhooks_to(&h.http, &backend).await?;
    let (cpu_before, db_before) = (backend.cpu_seconds()?, backend.database_bytes());
    let started = Instant::now();
    let (created, accept) = submit(&h.http, &backend, numbers).await?;
    let timeline = follow(&h.http, &backend, &created.job_id, started, follow_limit(numbers), false).await?;
    let backend_cpu_s = backend.cpu_seconds()? - cpu_before;
    let peak_rss_bytes = backend.memory("VmHWM")?;
    let database_after_bytes = backend.database_bytes();
    let dials = emulator.dials(&h.http).await?;
    let (data_dir, cold_start) = (backend.data_dir.clone(), backend.cold_start);
    backend.stop().await;
    emulator.stop().await;
    let database_retained_bytes = retained_bytes(&data_dir).await?.saturating_sub(fresh_database_bytes(&h.work).await?);
    let run = JobRun {
        numbers,
        batches: numbers.div_ceil(BATCH_SIZE),
        sent_bound_s: sent_bound_seconds(numbers),
        accept_ms: accept.as_secs_f64() * 1000.0,
        all_sent_s: timeline.all_sent.map(|d| d.as_secs_f64()),
        all_final_s: timeline.all_final.map(|d| d.as_secs_f64()),
        final_after_sent_s: timeline.all_final.zip(timeline.all_sent).map(|(f, s)| f.as_secs_f64() - s.as_secs_f64()),
        backend_cpu_s,
        peak_rss_bytes,
        database_before_bytes: db_before,
        database_after_bytes,
        database_growth_bytes: database_after_bytes.saturating_sub(db_before),
        database_retained_bytes,
        emulator_dialled: dials.len(),
        emulator_dialled_twice: dials.values().filter(|n| **n > 1).count(),
        counters: timeline.last.map(|j| j.counters).unwrap_or_default(),
        cold_start_ms: cold_start.as_secs_f64() * 1000.0,
    };
    Ok(run)
}

/// Bytes of the database's pages in use once its webhook keys are pruned (the backend is stopped).
async fn retained_bytes(data_dir: &std::path::Path) -> Outcome<u64> {
    let store = callout_console::store::Store::open(data_dir, callout_console::clock::Clock::system())
        .await
        .map_err(|e| format!("the job's database: {e}"))?;
    // Everything received before now: the state after the de-duplication window has passed.
    store.prune_webhook_events(0).await.map_err(|e| format!("pruning the job's webhook keys: {e}"))?;
    let used: i64 = sqlx::query_scalar(
        "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
    )
    .fetch_one(store.pool())
    .await
    .map_err(|e| format!("measuring the job's database: {e}"))?;
    store.pool().close().await;
    Ok(used.max(0) as u64)
}

/// The same measure of a database with the schema and nothing else.
async fn fresh_database_bytes(work: &std::path::Path) -> Outcome<u64> {
    let dir = work.join(format!("fresh-db-{}", uuid::Uuid::new_v4()));
    let bytes = retained_bytes(&dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}

#[derive(Debug, Clone, Serialize)]
pub struct InteractiveRun {
    pub numbers: usize,
    /// `GET /meetings/{id}/callouts` (first page, as the status page loads it) while the job dials.
    pub status_page_samples: usize,
    pub status_page_errors: usize,
    pub status_page_p50_ms: Option<f64>,
    pub status_page_p99_ms: Option<f64>,
    /// `GET /callouts/{id}` (the live job view's first load, every item) while the job dials.
    pub job_view_samples: usize,
    pub job_view_p50_ms: Option<f64>,
    pub job_view_p99_ms: Option<f64>,
    /// Seconds of dialling the samples cover.
    pub dialling_s: f64,
}

/// A person on the status page (one read every 200 ms) and, once a second, the job view, while a
/// job of `numbers` dials; sampling stops when every batch was sent.
pub async fn interactive_during_job(h: &Harness, numbers: usize, name: &str) -> Outcome<InteractiveRun> {
    let (emulator, backend) = h.shipped_stack(name).await?;
    emulator.deliver_webhooks_to(&h.http, &backend).await?;
    let started = Instant::now();
    let (created, _) = submit(&h.http, &backend, numbers).await?;
    let status_url =
        backend.api(&format!("/meetings/{STATUS_MEETING}/callouts?account_id={TENCENT_ACCOUNT}&page=1&page_size={STATUS_PAGE_SIZE}"));
    let job_url = backend.api(&format!("/callouts/{}", created.job_id));
    let (mut status, mut job_view, mut errors) = (Vec::new(), Vec::new(), 0);
    let limit = follow_limit(numbers);
    for tick in 0u64.. {
        if started.elapsed() > limit {
            break;
        }
        match timed_get(&h.http, &status_url).await {
            Ok(ms) => status.push(ms),
            Err(_) => errors += 1,
        }
        if tick.is_multiple_of(5) {
            if let Ok(ms) = timed_get(&h.http, &job_url).await {
                job_view.push(ms);
            }
            if summary(&h.http, &backend, &created.job_id).await?.is_some_and(|j| all_sent(&j)) {
                break;
            }
        }
        tokio::time::sleep(POLL).await;
    }
    let run = InteractiveRun {
        numbers,
        status_page_samples: status.len(),
        status_page_errors: errors,
        status_page_p50_ms: percentile(&status, 50.0),
        status_page_p99_ms: percentile(&status, 99.0),
        job_view_samples: job_view.len(),
        job_view_p50_ms: percentile(&job_view, 50.0),
        job_view_p99_ms: percentile(&job_view, 99.0),
        dialling_s: started.elapsed().as_secs_f64(),
    };
    backend.stop().await;
    emulator.stop().await;
    Ok(run)
}

async fn timed_get(http: &reqwest::Client, url: &str) -> Outcome<f64> {
    let started = Instant::now();
    let answer = http.get(url).send().await.map_err(|e| e.to_string())?;
    let status = answer.status();
    answer.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{url}: {status}"));
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sent_bound_is_batches_at_the_shipped_rate() {
        // 10,000 numbers: 200 batches at 300 a minute.
        assert_eq!(sent_bound_seconds(10_000), 40.0);
        assert_eq!(sent_bound_seconds(1_000), 4.0);
        // A partial batch is a batch.
        assert_eq!(sent_bound_seconds(1_001), 4.2);
    }

    #[test]
    fn job_numbers_are_distinct_lines() {
        let text = job_text(3);
        assert_eq!(text, "+8613900000000\n+8613900000001\n+8613900000002\n");
    }
}
