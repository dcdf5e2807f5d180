//! A job as a small campaign: it starts at its time, dials only inside its calling window, and calls
//! again the numbers whose outcome was known, final and "nobody took it", up to the policy's attempts
//! and spacing. The dialler asks [`Calls::dial_gate`] before every batch; the policy's step
//! ([`Calls::apply_retry_policy`]) runs in the dialler and whenever calls of a job end.

use std::sync::Arc;

use callout_shared::{
    audit::AuditAction,
    call_status::CallStatus,
    campaign::{
        CallingWindow, CampaignPlan, CampaignPreview, CampaignPreviewRequest, CampaignProblem, ClockReading, DialSpan, Waiting, Weekday,
    },
    jobs::{JobItem, JobSummary, ReasonCode},
    me::Role,
};
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::{Actor, Calls, ServiceError};
use crate::store::jobs::{JobCampaign, JobRef, Retryable};

/// What a retry policy dials again: known, final outcomes that say nobody took the call. Tencent
/// reports "not answered" for both a ring-out and a rejection; a batch given up on after rounds of
/// rate limiting or an unreachable provider was provably never sent. `unknown` is not here, ever.
pub const RETRYABLE: &Retryable = &[(CallStatus::NotAnswered, None), (CallStatus::Failed, Some(ReasonCode::NotSent))];

/// Whether the retry policy acts on this call as it stands.
pub fn is_retryable(item: &JobItem) -> bool {
    RETRYABLE.iter().any(|(status, code)| item.status == *status && code.is_none_or(|c| item.reason_code == Some(c)))
}

/// A calling window with its zone looked up and its hours in minutes.
#[derive(Debug, Clone)]
pub struct OpenHours {
    days: Vec<Weekday>,
    from: u32,
    to: u32,
    tz: Tz,
}

impl OpenHours {
    pub fn of(window: &CallingWindow) -> Result<Self, CampaignProblem> {
        let (from, to) = window.minutes()?;
        let tz = window.time_zone.trim().parse::<Tz>().map_err(|_| CampaignProblem::UnknownTimeZone)?;
        Ok(Self { days: window.days.clone(), from, to, tz })
    }

    /// The opening that contains `now`, or the next one: [open, close).
    pub fn span_at(&self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let today = now.with_timezone(&self.tz).date_naive();
        // From yesterday: a window past midnight that opened yesterday may still be open.
        (-1..=8).filter_map(|d| self.opening(today + Duration::days(d))).find(|(_, close)| *close > now)
    }

    /// The window's opening on `day` (local date), if it opens that day.
    fn opening(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.days.contains(&Weekday::from_monday(day.weekday().num_days_from_monday())) {
            return None;
        }
        let open = self.at(day, self.from);
        let close = if self.to > self.from { self.at(day, self.to) } else { self.at(day + Duration::days(1), self.to) };
        Some((open, close))
    }

    /// `minutes` after local midnight of `day` as a UTC instant; a time skipped by a clock change
    /// reads as the first valid moment after it.
    fn at(&self, day: NaiveDate, minutes: u32) -> DateTime<Utc> {
        let local = day.and_hms_opt(0, 0, 0).expect("midnight exists") + Duration::minutes(i64::from(minutes));
        let mut probe = local;
        loop {
            match self.tz.from_local_datetime(&probe) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
                LocalResult::None => probe += Duration::minutes(15),
            }
        }
    }
}

/// Why the dialler sends nothing now, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    pub why: Waiting,
    pub until: i64,
}

/// When a job with this schedule and window may send at `now`: `None` means now.
pub fn hold_at(campaign: &JobCampaign, window: Option<&OpenHours>, now: i64) -> Option<Hold> {
    let start = campaign.start_at.filter(|at| *at > now);
    let from = start.unwrap_or(now);
    // A window always opens within a week (it has at least one day).
    let open = window.and_then(|hours| hours.span_at(ms(from))).map_or(from, |(open, _)| open.timestamp_millis().max(from));
    (open > now).then_some(Hold { why: if start.is_some() { Waiting::Scheduled } else { Waiting::OutsideWindow }, until: open })
}

fn ms(at: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at).unwrap_or_default()
}

impl Calls {
    /// The window in force for a job of `account_id`: its own, else the account's default; and whether it is the default.
    fn window_for<'a>(&'a self, account_id: &str, own: Option<&'a CallingWindow>) -> (Option<&'a CallingWindow>, bool) {
        match own {
            Some(window) => (Some(window), false),
            None => {
                let default = self.accounts.calling_window(account_id);
                (default, default.is_some())
            }
        }
    }

    /// Checks a submitted plan (a start in the past means now) into what the store keeps.
    pub(super) fn check_plan(&self, plan: &CampaignPlan) -> Result<JobCampaign, ServiceError> {
        let bad = |field: &str, problem: CampaignProblem| ServiceError::invalid(field, problem.english());
        if let Some(window) = &plan.window {
            OpenHours::of(window).map_err(|p| bad("campaign.window", p))?;
        }
        let (max_attempts, spacing_minutes) = match plan.retry {
            Some(retry) => {
                retry.check().map_err(|p| bad("campaign.retry", p))?;
                (retry.max_attempts, retry.spacing_minutes)
            }
            None => (1, 0),
        };
        let now = self.clock.now_ms();
        Ok(JobCampaign { start_at: plan.start_at.filter(|at| *at > now), window: plan.window.clone(), max_attempts, spacing_minutes })
    }

    /// Whether the job may send a batch now; else why not and until when.
    pub(super) fn dial_gate(&self, job: &JobRef) -> Option<Hold> {
        let (window, _) = self.window_for(&job.account_id, job.campaign.window.as_ref());
        // Windows are checked when stored (jobs) and at start-up (defaults): an unreadable one holds nothing.
        let hours = window.and_then(|w| OpenHours::of(w).ok());
        hold_at(&job.campaign, hours.as_ref(), self.clock.now_ms())
    }

    /// The summary with its campaign as it stands now: the window in force, why it waits and until when.
    pub(super) fn with_campaign(&self, mut summary: JobSummary, next_attempt: Option<i64>) -> JobSummary {
        let (window, is_default) = self.window_for(&summary.account_id, summary.campaign.as_ref().and_then(|c| c.window.as_ref()));
        let window = window.cloned();
        if window.is_none() && summary.campaign.is_none() {
            return summary;
        }
        let mut campaign = summary.campaign.take().unwrap_or(callout_shared::campaign::CampaignStatus {
            start_at: None,
            window: None,
            window_is_default: false,
            retry: None,
            waiting: None,
            next_dial_at: None,
        });
        campaign.window = window;
        campaign.window_is_default = is_default;
        let waits = matches!(summary.state, callout_shared::jobs::JobState::Dialling | callout_shared::jobs::JobState::Scheduled);
        if waits {
            let stored = JobCampaign { start_at: campaign.start_at, window: campaign.window.clone(), ..JobCampaign::default() };
            let hours = campaign.window.as_ref().and_then(|w| OpenHours::of(w).ok());
            let now = self.clock.now_ms();
            let hold = hold_at(&stored, hours.as_ref(), now).or_else(|| {
                // Open now, but every number left is an attempt waiting for its spacing.
                next_attempt.filter(|at| *at > now).map(|until| Hold { why: Waiting::RetrySpacing, until })
            });
            campaign.waiting = hold.map(|h| h.why);
            campaign.next_dial_at = hold.map(|h| h.until);
        }
        summary.campaign = Some(campaign);
        summary
    }

    /// The retry policy's step for one job: calls that ended in a retryable outcome with attempts
    /// left are queued as their next attempt, audited. Returns how many.
    pub(super) async fn apply_retry_policy(&self, job: &JobRef) -> Result<u32, ServiceError> {
        let Some(policy) = job.campaign.retry() else { return Ok(0) };
        let spacing_ms = i64::from(policy.spacing_minutes) * 60_000;
        let queued = self.store.requeue_for_retry(&job.id, RETRYABLE, spacing_ms).await?;
        if queued.is_empty() {
            return Ok(0);
        }
        let n = queued.len() as u32;
        let mut by_attempt = std::collections::BTreeMap::<u32, (u32, i64)>::new();
        for (_, item) in &queued {
            let entry = by_attempt.entry(item.attempt).or_insert((0, i64::MAX));
            entry.0 += 1;
            entry.1 = entry.1.min(item.next_attempt_at.unwrap_or(i64::MAX));
        }
        let detail = by_attempt
            .iter()
            .map(|(attempt, (count, at))| {
                let at = ms(*at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                format!("{count} numbers to attempt {attempt} of {}, not before {at}", policy.max_attempts)
            })
            .collect::<Vec<_>>()
            .join("; ");
        tracing::info!(job = %job.id, n, %detail, "the retry policy queued numbers again");
        self.publish_items(queued);
        self.audit_job_action(&policy_actor(), AuditAction::JobRetryPolicy, job, &detail).await;
        Ok(n)
    }

    /// After calls of these jobs changed: a job whose policy has something to dial again gets its dialler.
    pub(super) async fn retry_where_due(self: &Arc<Self>, job_ids: impl IntoIterator<Item = String>) {
        for job_id in job_ids {
            match self.store.job_ref(&job_id).await {
                Ok(Some(job)) if job.campaign.retry().is_some() => self.clone().spawn_job(job),
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, job = %job_id, "cannot read the job to apply its retry policy"),
            }
        }
    }

    /// `POST /api/v1/campaigns/preview`: the window in force and its next openings from the start.
    pub fn preview_campaign(&self, actor: &Actor, request: &CampaignPreviewRequest) -> Result<CampaignPreview, ServiceError> {
        actor.require(Role::Viewer)?;
        if self.accounts.tencent(&request.account_id).is_none() && self.accounts.aliyun(&request.account_id).is_none() {
            return Err(ServiceError::UnknownAccount { provider: "any", id: request.account_id.clone() });
        }
        let campaign = self.check_plan(&request.plan)?;
        let (window, window_is_default) = self.window_for(&request.account_id, campaign.window.as_ref());
        let from = campaign.start_at.unwrap_or_else(|| self.clock.now_ms());
        let spans = match window {
            None => vec![DialSpan { from, to: None }],
            Some(window) => {
                let hours = OpenHours::of(window).map_err(|p| ServiceError::invalid("campaign.window", p.english()))?;
                let mut spans = Vec::new();
                let mut at = ms(from);
                while spans.len() < 5 {
                    let Some((open, close)) = hours.span_at(at) else { break };
                    spans.push(DialSpan { from: open.max(ms(from)).timestamp_millis(), to: Some(close.timestamp_millis()) });
                    at = close;
                }
                spans
            }
        };
        Ok(CampaignPreview { window: window.cloned(), window_is_default, spans })
    }

    pub fn clock_reading(&self) -> ClockReading {
        ClockReading { now: self.clock.now_ms(), shift_ms: self.clock.shift_ms() }
    }

    /// Moves the clock forward (admins, where `server.clock_control` allows it): a scheduled start,
    /// a window's opening or a retry's spacing comes at once, as it would after that long. The
    /// clock stays moved across restarts.
    pub async fn advance_clock(&self, actor: &Actor, seconds: u64) -> Result<ClockReading, ServiceError> {
        actor.require(Role::Admin)?;
        if !self.settings.clock_control {
            return Err(ServiceError::Forbidden("this backend's clock cannot be moved (server.clock_control is off)".into()));
        }
        if !(1..=31_536_000).contains(&seconds) {
            return Err(ServiceError::invalid("seconds", "move the clock 1 second to a year ahead"));
        }
        tracing::warn!(seconds, by = %actor.subject, "the clock was moved forward");
        self.clock.advance(std::time::Duration::from_secs(seconds));
        // Kept for the next start, so a restart does not take the time back.
        self.store.save_clock_shift(self.clock.shift_ms()).await?;
        Ok(self.clock_reading())
    }
}

/// Who the audit log names for the retry policy's decisions.
fn policy_actor() -> Actor {
    Actor { subject: "retry-policy".into(), email: None, auth_mode: "policy", role: Role::Operator, operator_id: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(days: &[Weekday], from: &str, to: &str, tz: &str) -> OpenHours {
        OpenHours::of(&CallingWindow { days: days.to_vec(), from: from.into(), to: to.into(), time_zone: tz.into() }).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    const WEEKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

    #[test]
    fn inside_a_window_the_span_is_todays() {
        // 2026-12-02 is a Wednesday; 10:00 in Shanghai is 02:00 UTC.
        let h = hours(&WEEKDAYS, "09:00", "18:00", "Asia/Shanghai");
        let (open, close) = h.span_at(utc("2026-12-02T02:00:00Z")).unwrap();
        assert_eq!(open, utc("2026-12-02T01:00:00Z"));
        assert_eq!(close, utc("2026-12-02T10:00:00Z"));
    }

    #[test]
    fn after_friday_closing_the_next_span_is_monday_morning() {
        let h = hours(&WEEKDAYS, "09:00", "18:00", "Asia/Shanghai");
        // Friday 2026-12-04 19:00 Shanghai.
        let (open, _) = h.span_at(utc("2026-12-04T11:00:00Z")).unwrap();
        assert_eq!(open, utc("2026-12-07T01:00:00Z"), "Monday 09:00 Shanghai");
    }

    #[test]
    fn a_window_past_midnight_is_still_open_the_next_morning() {
        let h = hours(&[Weekday::Tue], "22:00", "06:00", "UTC");
        // Wednesday 03:00 belongs to Tuesday's window.
        let (open, close) = h.span_at(utc("2026-12-02T03:00:00Z")).unwrap();
        assert_eq!(open, utc("2026-12-01T22:00:00Z"));
        assert_eq!(close, utc("2026-12-02T06:00:00Z"));
    }

    #[test]
    fn a_window_follows_its_zone_across_a_clock_change() {
        // New York leaves daylight saving time on 2026-11-01: 09:00 local is 13:00 UTC before, 14:00 after.
        let h = hours(&[Weekday::Fri, Weekday::Mon], "09:00", "17:00", "America/New_York");
        assert_eq!(h.span_at(utc("2026-10-30T05:00:00Z")).unwrap().0, utc("2026-10-30T13:00:00Z"));
        assert_eq!(h.span_at(utc("2026-11-02T05:00:00Z")).unwrap().0, utc("2026-11-02T14:00:00Z"));
    }

    #[test]
    fn an_unknown_zone_is_refused() {
        let w = CallingWindow { days: vec![Weekday::Mon], from: "09:00".into(), to: "17:00".into(), time_zone: "Mars/Olympus".into() };
        assert_eq!(OpenHours::of(&w).unwrap_err(), CampaignProblem::UnknownTimeZone);
    }

    #[test]
    fn a_job_waits_for_its_start_and_then_for_its_window() {
        let now = utc("2026-12-02T02:00:00Z").timestamp_millis();
        let plain = JobCampaign::default();
        assert_eq!(hold_at(&plain, None, now), None, "no schedule, no window: now");
        let later = JobCampaign { start_at: Some(now + 3_600_000), ..plain.clone() };
        assert_eq!(hold_at(&later, None, now), Some(Hold { why: Waiting::Scheduled, until: now + 3_600_000 }));
        let h = hours(&WEEKDAYS, "09:00", "18:00", "Asia/Shanghai");
        assert_eq!(hold_at(&plain, Some(&h), now), None, "inside the window");
        let evening = utc("2026-12-02T11:00:00Z").timestamp_millis();
        let next_morning = utc("2026-12-03T01:00:00Z").timestamp_millis();
        assert_eq!(hold_at(&plain, Some(&h), evening), Some(Hold { why: Waiting::OutsideWindow, until: next_morning }));
        // Scheduled for the evening: it waits for the start, then for the next morning's window.
        let evening_start = JobCampaign { start_at: Some(evening), ..plain.clone() };
        assert_eq!(hold_at(&evening_start, Some(&h), now), Some(Hold { why: Waiting::Scheduled, until: next_morning }));
    }

    #[test]
    fn only_known_final_nobody_took_it_outcomes_are_retried() {
        let item = |status: CallStatus, code: Option<ReasonCode>| JobItem {
            id: 1,
            row: 0,
            input: String::new(),
            e164: None,
            nick_name: None,
            batch: Some(1),
            phase: callout_shared::jobs::ItemPhase::Sent,
            status,
            reason: None,
            reason_code: code,
            reason_detail: None,
            raw_status: None,
            ms_open_id: None,
            ms_open_ids: vec![],
            task_id: None,
            updated_at: 0,
            sent_at: None,
            answered_at: None,
            ended_at: None,
            attempt: 1,
            next_attempt_at: None,
        };
        assert!(is_retryable(&item(CallStatus::NotAnswered, None)));
        assert!(is_retryable(&item(CallStatus::Failed, Some(ReasonCode::NotSent))));
        assert!(!is_retryable(&item(CallStatus::Unknown, Some(ReasonCode::OutcomeUnknown))), "unknown: only a person retries");
        assert!(!is_retryable(&item(CallStatus::Failed, Some(ReasonCode::ProviderRefusedNumber))), "a refused number stays refused");
        assert!(!is_retryable(&item(CallStatus::Completed, None)));
        assert!(!is_retryable(&item(CallStatus::Canceled, None)));
    }
}
