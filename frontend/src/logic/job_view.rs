//! A job as its page shows it: the last snapshot, kept live by the event stream, and how a fresh
//! snapshot is merged with what was shown and heard while it was on its way.

use callout_shared::jobs::{CalloutJob, JobSummary};

use crate::{api::ApiError, live::Live, logic::job_table::JobTable};

#[derive(Clone, Default)]
pub struct Shown {
    pub id: String,
    /// `None` until a snapshot (or a live summary) arrives.
    pub summary: Option<JobSummary>,
    pub table: JobTable,
    /// Why the last load failed; what was shown stays under it.
    pub failed: Option<ApiError>,
}

impl Shown {
    /// A live event of this job; says whether it changed anything.
    pub fn hear(&mut self, event: Live) -> bool {
        match event {
            Live::Job(job) if job.id == self.id => {
                self.summary = Some(job);
                true
            }
            Live::Item { job_id, item } if job_id == self.id => self.table.apply(item),
            _ => false,
        }
    }
}

/// What to show once the snapshot of job `id` is answered, given what was shown and what was heard
/// while the request was on its way.
pub fn settle((id, answer): (String, Result<CalloutJob, ApiError>), shown: Option<&Shown>, heard: Vec<Live>) -> Shown {
    // Only this job's rows carry over: a link to another job starts afresh.
    let shown = shown.filter(|s| s.id == id);
    let (mut next, rows_only) = match answer {
        Ok(job) => {
            let mut table = JobTable::new(job.items);
            // A snapshot may answer after newer live events: merged row by row, newer rows win.
            if let Some(shown) = shown {
                table.keep_newer(&shown.table);
            }
            // The snapshot's summary stands over the ones heard on its way.
            (Shown { id, summary: Some(job.summary), table, failed: None }, true)
        }
        Err(error) => (Shown { id, failed: Some(error), ..shown.cloned().unwrap_or_default() }, false),
    };
    for event in heard {
        if !rows_only || matches!(event, Live::Item { .. }) {
            next.hear(event);
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::{call_status::CallStatus, jobs::JobItem};

    use crate::logic::fixtures;

    fn summary(id: &str, finished: u32) -> JobSummary {
        fixtures::summary(id, 1, finished)
    }

    fn item(id: i64, status: CallStatus, updated_at: i64) -> JobItem {
        JobItem { e164: None, updated_at, ..fixtures::call(id, status) }
    }

    fn snapshot(id: &str, items: Vec<JobItem>) -> (String, Result<CalloutJob, ApiError>) {
        (id.into(), Ok(CalloutJob { summary: summary(id, 0), items, attempts: Vec::new() }))
    }

    fn statuses(shown: &Shown) -> Vec<CallStatus> {
        shown.table.items().iter().map(|i| i.status).collect()
    }

    fn heard(job_id: &str, item: JobItem) -> Live {
        Live::Item { job_id: job_id.into(), item }
    }

    #[test]
    fn a_snapshot_of_the_job_shown_keeps_the_newer_rows_and_what_was_heard_meanwhile() {
        let first = settle(snapshot("j", vec![item(1, CallStatus::Ringing, 1), item(2, CallStatus::Ringing, 1)]), None, Vec::new());
        let mut shown = first.clone();
        shown.hear(heard("j", item(1, CallStatus::Completed, 5)));
        let during = vec![heard("j", item(2, CallStatus::NotAnswered, 6)), Live::Job(summary("j", 9))];
        // Read before either change.
        let next = settle(snapshot("j", vec![item(1, CallStatus::Ringing, 1), item(2, CallStatus::Ringing, 1)]), Some(&shown), during);
        assert_eq!(statuses(&next), [CallStatus::Completed, CallStatus::NotAnswered]);
        assert_eq!(next.summary.unwrap().counters.finished, 0, "the snapshot's summary stands");
    }

    #[test]
    fn another_job_starts_afresh() {
        let shown = settle(snapshot("a", vec![item(1, CallStatus::Completed, 9), item(7, CallStatus::Ringing, 9)]), None, Vec::new());
        let during = vec![heard("a", item(3, CallStatus::Ringing, 9)), heard("b", item(2, CallStatus::Completed, 2))];
        let next = settle(snapshot("b", vec![item(1, CallStatus::Ringing, 1)]), Some(&shown), during);
        assert_eq!(next.table.items().iter().map(|i| i.id).collect::<Vec<_>>(), [1, 2], "no row of job a");
        assert_eq!(statuses(&next), [CallStatus::Ringing, CallStatus::Completed]);
        let failed = settle(("b".into(), Err(ApiError::Network("down".into()))), Some(&shown), Vec::new());
        assert!(failed.summary.is_none() && failed.table.is_empty() && failed.failed.is_some());
    }

    #[test]
    fn a_failed_reload_keeps_the_job_shown_still_followed() {
        let shown = settle(snapshot("j", vec![item(1, CallStatus::Ringing, 1)]), None, Vec::new());
        let during = vec![heard("j", item(1, CallStatus::Completed, 2)), Live::Job(summary("j", 1))];
        let next = settle(("j".into(), Err(ApiError::Network("down".into()))), Some(&shown), during);
        assert_eq!(next.failed, Some(ApiError::Network("down".into())));
        assert_eq!(statuses(&next), [CallStatus::Completed]);
        assert_eq!(next.summary.unwrap().counters.finished, 1);
    }
}
