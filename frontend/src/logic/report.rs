//! A job's outcome report: how many calls ended how, how long they took to answer and to finish, and
//! how the outcomes came in over time (the chart's buckets). Computed from the rows the view holds.

use callout_shared::{call_status::CallStatus, jobs::JobItem};

use super::job_table::dialled;

/// Columns of the chart: enough to see a trend, few enough to read on a phone.
pub const BUCKETS: usize = 12;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Dialled rows.
    pub dialled: usize,
    /// Each status with rows in it, in [`CallStatus::ALL`] order, and how many.
    pub by_status: Vec<(CallStatus, usize)>,
    /// Medians in milliseconds, over the calls that have the times.
    pub median_to_answer: Option<i64>,
    pub median_length: Option<i64>,
    /// Finished calls over time: the first end, each bucket's width, and per bucket the count by
    /// final status (same order as `final_statuses`).
    pub timeline: Option<Timeline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub start: i64,
    pub bucket_ms: i64,
    pub final_statuses: Vec<CallStatus>,
    pub buckets: Vec<Vec<usize>>,
}

impl Timeline {
    /// The tallest bucket, the chart's vertical scale.
    pub fn peak(&self) -> usize {
        self.buckets.iter().map(|b| b.iter().sum::<usize>()).max().unwrap_or(0)
    }
}

impl Report {
    pub fn of<'a>(items: impl IntoIterator<Item = &'a JobItem>) -> Report {
        let calls: Vec<&JobItem> = items.into_iter().filter(|i| dialled(i)).collect();
        let count = |s: CallStatus| calls.iter().filter(|i| i.status == s).count();
        let by_status = CallStatus::ALL.into_iter().map(|s| (s, count(s))).filter(|(_, n)| *n > 0).collect();
        Report {
            dialled: calls.len(),
            by_status,
            median_to_answer: median(calls.iter().filter_map(|i| i.time_to_answer()).collect()),
            median_length: median(calls.iter().filter_map(|i| i.call_length()).collect()),
            timeline: timeline(&calls),
        }
    }

    /// Percent of the dialled rows, rounded.
    pub fn rate(&self, n: usize) -> u32 {
        if self.dialled == 0 {
            0
        } else {
            ((n * 200 + self.dialled) / (2 * self.dialled)) as u32
        }
    }
}

fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let mid = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[mid]),
        _ => Some((values[mid - 1] + values[mid]) / 2),
    }
}

fn timeline(calls: &[&JobItem]) -> Option<Timeline> {
    let ended: Vec<(i64, CallStatus)> =
        calls.iter().filter(|i| i.status.is_final()).filter_map(|i| Some((i.ended_at?, i.status))).collect();
    let start = ended.iter().map(|(t, _)| *t).min()?;
    let end = ended.iter().map(|(t, _)| *t).max()?;
    let bucket_ms = ((end - start) / BUCKETS as i64 + 1).max(1);
    let final_statuses: Vec<CallStatus> = CallStatus::ALL.into_iter().filter(|s| ended.iter().any(|(_, e)| e == s)).collect();
    let mut buckets = vec![vec![0; final_statuses.len()]; BUCKETS];
    for (t, status) in ended {
        let b = (((t - start) / bucket_ms) as usize).min(BUCKETS - 1);
        let s = final_statuses.iter().position(|f| *f == status).expect("every final status has a column");
        buckets[b][s] += 1;
    }
    Some(Timeline { start, bucket_ms, final_statuses, buckets })
}

/// `42 s`, `3 min 5 s`: how long, for people.
pub fn duration(ms: i64) -> String {
    let s = (ms + 500) / 1000;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// The rows "retry the not-answered" calls again: dialled, and the provider said nobody answered.
pub fn not_answered(items: &[JobItem]) -> Vec<&JobItem> {
    items.iter().filter(|i| dialled(i) && i.status == CallStatus::NotAnswered && i.e164.is_some()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::jobs::ItemPhase;

    use crate::logic::fixtures;

    fn call(row: u32, status: CallStatus, times: (Option<i64>, Option<i64>, Option<i64>)) -> JobItem {
        let (sent_at, answered_at, ended_at) = times;
        JobItem { sent_at, answered_at, ended_at, ..fixtures::call(i64::from(row), status) }
    }

    #[test]
    fn counts_rates_and_medians_cover_the_dialled_calls() {
        let mut blocked = call(9, CallStatus::Canceled, (None, None, None));
        blocked.phase = ItemPhase::Blocked;
        let items = vec![
            call(0, CallStatus::Completed, (Some(0), Some(4_000), Some(64_000))),
            call(1, CallStatus::Completed, (Some(0), Some(6_000), Some(26_000))),
            call(2, CallStatus::NotAnswered, (Some(0), None, Some(30_000))),
            call(3, CallStatus::Ringing, (Some(0), None, None)),
            blocked,
        ];
        let r = Report::of(&items);
        assert_eq!(r.dialled, 4, "the do-not-call row was never a call");
        assert_eq!(r.by_status, vec![(CallStatus::Ringing, 1), (CallStatus::Completed, 2), (CallStatus::NotAnswered, 1)]);
        assert_eq!(r.rate(2), 50);
        assert_eq!(r.median_to_answer, Some(5_000));
        assert_eq!(r.median_length, Some(40_000));
        let t = r.timeline.unwrap();
        assert_eq!(t.final_statuses, vec![CallStatus::Completed, CallStatus::NotAnswered]);
        assert_eq!(t.buckets.iter().flatten().sum::<usize>(), 3, "every ended call is in one bucket");
        assert_eq!(t.buckets[0], vec![1, 0], "the first end starts the chart");
        assert_eq!(t.buckets[BUCKETS - 1], vec![1, 0], "the last end is in the last bucket");
        assert_eq!(t.peak(), 1);
        assert_eq!(not_answered(&items).iter().map(|i| i.row).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn a_job_without_ended_calls_has_no_chart() {
        assert_eq!(Report::of(&[call(0, CallStatus::Ringing, (Some(0), None, None))]).timeline, None);
        assert_eq!(Report::of(&[]).rate(0), 0);
    }

    #[test]
    fn durations_read_as_seconds_and_minutes() {
        assert_eq!(duration(4_400), "4 s");
        assert_eq!(duration(59_600), "1 min 0 s");
        assert_eq!(duration(185_000), "3 min 5 s");
    }
}
