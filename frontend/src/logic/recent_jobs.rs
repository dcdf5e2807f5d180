//! The dashboard's list of the latest jobs, newest first, kept current by the event stream.

use callout_shared::jobs::JobSummary;

/// Jobs the dashboard shows.
pub const RECENT_JOBS: usize = 10;

/// Where a job's calls go, in one line: the meeting, or the DialEx route point and instance.
pub fn target(job: &JobSummary) -> String {
    match &job.dialex {
        Some(route) => format!("{} · {}", route.rout_point, route.instance_id),
        None => job.meeting_id.clone().unwrap_or_default(),
    }
}

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

/// The list to show once an answer is in. The events heard while it was on its way are replayed
/// over it: every change of a job publishes an event, in order, so replaying them ends each job at
/// its latest state, whether the list was read before or after an event. When the list could not be
/// loaded, the one shown stays and keeps following the events.
pub fn settle<E>(
    answer: Result<Vec<JobSummary>, E>,
    shown: Option<&Result<Vec<JobSummary>, E>>,
    heard: Vec<JobSummary>,
) -> Result<Vec<JobSummary>, E> {
    let mut jobs = match (answer, shown) {
        (Ok(jobs), _) => jobs,
        (Err(_), Some(Ok(shown))) => shown.clone(),
        (Err(error), _) => return Err(error),
    };
    for job in heard {
        apply(&mut jobs, job, RECENT_JOBS);
    }
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::{
        dialex::{AnswerMode, DialExRoute},
        jobs::JobKind,
    };

    use crate::logic::fixtures::summary as job;

    fn ids(jobs: &[JobSummary]) -> Vec<&str> {
        jobs.iter().map(|j| j.id.as_str()).collect()
    }

    #[test]
    fn a_job_is_named_by_its_meeting_or_its_dialex_route() {
        let meeting = job("a", 1, 0);
        assert_eq!(target(&meeting), "m");
        let dialex = JobSummary {
            kind: JobKind::Dialex,
            meeting_id: None,
            operator_id: None,
            dialex: Some(DialExRoute {
                instance_id: "inst-1".into(),
                caller: "02285196281".into(),
                answer_mode: AnswerMode::Ivr,
                rout_point: "cf-welcome-ivr".into(),
                provider: None,
            }),
            batch_cap: 1,
            ..meeting
        };
        assert_eq!(target(&dialex), "cf-welcome-ivr · inst-1");
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

    #[test]
    fn events_heard_while_a_list_loads_are_not_lost() {
        // Published after the list was read: the answer does not have it.
        let jobs = settle::<()>(Ok(vec![job("a", 1, 2)]), None, vec![job("a", 1, 5)]).unwrap();
        assert_eq!(jobs[0].counters.finished, 5);
    }

    #[test]
    fn an_event_older_than_the_list_is_followed_by_the_events_that_made_the_list() {
        // Both published before the list was read, heard before it arrived.
        let jobs = settle::<()>(Ok(vec![job("a", 1, 2)]), None, vec![job("a", 1, 1), job("a", 1, 2)]).unwrap();
        assert_eq!(jobs[0].counters.finished, 2);
    }

    #[test]
    fn a_failed_reload_keeps_the_list_shown_and_what_was_heard() {
        let shown = Ok(vec![job("a", 1, 2)]);
        let jobs = settle(Err("down"), Some(&shown), vec![job("a", 1, 3)]).unwrap();
        assert_eq!(jobs[0].counters.finished, 3);
        assert_eq!(settle(Err("down"), None, vec![job("a", 1, 3)]), Err("down"), "nothing shown yet: the error is");
    }
}
