//! The dashboard's list of the latest jobs, newest first, kept current by the event stream.

use callout_shared::jobs::JobSummary;

/// Jobs the dashboard shows.
pub const RECENT_JOBS: usize = 10;

/// Applies a job's latest summary: a listed job is replaced in place; a job not listed is added
/// where its start time puts it, unless it is older than every job of a full list.
pub fn apply(jobs: &mut Vec<JobSummary>, job: JobSummary, limit: usize) {
    if let Some(listed) = jobs.iter_mut().find(|j| j.id == job.id) {
        *listed = job;
        return;
    }
    let at = jobs.iter().position(|j| j.created_at < job.created_at).unwrap_or(jobs.len());
    if at < limit {
        jobs.insert(at, job);
        jobs.truncate(limit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::jobs::{JobCounters, JobState};

    fn job(id: &str, created_at: i64, finished: u32) -> JobSummary {
        JobSummary {
            id: id.into(),
            account_id: "a".into(),
            meeting_id: "m".into(),
            operator_id: "o".into(),
            created_by: "u".into(),
            created_at,
            state: JobState::Following,
            counters: JobCounters { finished, ..Default::default() },
        }
    }

    fn ids(jobs: &[JobSummary]) -> Vec<&str> {
        jobs.iter().map(|j| j.id.as_str()).collect()
    }

    #[test]
    fn a_listed_job_is_updated_in_place() {
        let mut jobs = vec![job("b", 2, 0), job("a", 1, 0)];
        apply(&mut jobs, job("a", 1, 7), 3);
        assert_eq!(ids(&jobs), ["b", "a"]);
        assert_eq!(jobs[1].counters.finished, 7);
    }

    #[test]
    fn a_new_job_goes_on_top_and_pushes_the_oldest_out() {
        let mut jobs = vec![job("b", 2, 0), job("a", 1, 0)];
        apply(&mut jobs, job("c", 3, 0), 2);
        assert_eq!(ids(&jobs), ["c", "b"]);
    }

    #[test]
    fn an_older_job_finds_its_place_or_stays_out_of_a_full_list() {
        let mut jobs = vec![job("c", 3, 0), job("a", 1, 0)];
        apply(&mut jobs, job("b", 2, 0), 3);
        assert_eq!(ids(&jobs), ["c", "b", "a"]);
        apply(&mut jobs, job("old", 0, 0), 3);
        assert_eq!(ids(&jobs), ["c", "b", "a"], "older than every job of a full list");
        let mut short = vec![job("c", 3, 0)];
        apply(&mut short, job("old", 0, 0), 3);
        assert_eq!(ids(&short), ["c", "old"]);
    }
}
