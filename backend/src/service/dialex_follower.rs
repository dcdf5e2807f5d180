//! Following DialEx calls to their outcome. DialEx answers with a task id and nothing more; the
//! contact center's call records (`ListCallDetailRecords`) say how each call ended. One follower per
//! account reads, through the paced client's background lane, the records of each placed call's
//! number around the time it was placed, matches them to the calls ([`match_records`], the one place
//! that decides which record is whose) and settles them: answered, not answered, failed. A call with
//! no record after `wait` becomes `unknown` ("no outcome reported"). Ended calls give the job's retry
//! policy its step, as for meeting callouts.

use std::{
    collections::{BTreeMap, BTreeSet, HashSet},
    sync::Arc,
    time::Duration,
};

use callout_shared::{
    call_status::CallStatus,
    jobs::{ItemReason, ReasonCode},
    numbers::NumberInput,
};
use tokio::sync::Notify;

use super::{pacing::Lane, Calls, ServiceError};
use crate::{
    phone,
    providers::{
        aliyun_ccc::{CallRecord, CallRecordQuery, MAX_RECORDS_PAGE_SIZE},
        ProviderError,
    },
    store::dialex_outcomes::{PlacedCall, PlacedOutcome},
};

/// How long a placed call waits for its record, and the window a record of its number must start in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeWindows {
    pub wait: Duration,
    pub before: Duration,
    pub after: Duration,
}

impl Default for OutcomeWindows {
    fn default() -> Self {
        Self { wait: Duration::from_secs(120 * 60), before: Duration::from_secs(60), after: Duration::from_secs(600) }
    }
}

/// Pages of one number's records read at most in a pass (a number called that often in the
/// window is not one of ours alone; the rest is read in the next pass).
const MAX_PAGES_PER_NUMBER: u32 = 5;

/// Matches placed calls to call records: **the only place that decides which record belongs to
/// which DialEx call.** The docs do not say how a record relates to a DialEx task (a record has a
/// `ContactId`, no task id), so this is an inference: a record may belong to a call to the same
/// number (compared as E.164, through the one normaliser) whose start lies from `windows.before`
/// before to `windows.after` after the moment the contact center took the call. Of all such pairs,
/// the closest in time are matched first, each call and each record at most once, and a record in
/// `used` (it settled a call before) never again: two calls to one number never share a record,
/// and a call whose own record never came does not take its neighbour's. Records without a start
/// time cannot be placed in time and match nothing. Returns (item id, record) pairs.
pub fn match_records<'r>(
    calls: &[PlacedCall],
    records: &'r [CallRecord],
    used: &HashSet<String>,
    windows: OutcomeWindows,
) -> Vec<(i64, &'r CallRecord)> {
    let (before, after) = (windows.before.as_millis() as i64, windows.after.as_millis() as i64);
    let records: Vec<(&CallRecord, i64, String)> = records
        .iter()
        .filter(|r| !used.contains(&r.contact_id))
        .filter_map(|r| Some((r, r.start_ms?, e164_of(r.called_number.as_deref()?)?)))
        .collect();
    let mut pairs: Vec<(i64, &PlacedCall, &CallRecord)> = Vec::new();
    for call in calls {
        for (record, start, e164) in &records {
            if *e164 == call.e164 && (call.sent_at - before..=call.sent_at + after).contains(start) {
                pairs.push(((start - call.sent_at).abs(), call, record));
            }
        }
    }
    // Closest first; ties go to the older call and the lower record id, so a pass is repeatable.
    pairs.sort_by(|a, b| (a.0, a.1.sent_at, a.1.item_id, &a.2.contact_id).cmp(&(b.0, b.1.sent_at, b.1.item_id, &b.2.contact_id)));
    let (mut calls_taken, mut records_taken) = (HashSet::new(), HashSet::new());
    let mut matched = Vec::new();
    for (_, call, record) in pairs {
        if calls_taken.contains(&call.item_id) || records_taken.contains(record.contact_id.as_str()) {
            continue;
        }
        calls_taken.insert(call.item_id);
        records_taken.insert(record.contact_id.as_str());
        matched.push((call.item_id, record));
    }
    matched.sort_by_key(|(item_id, _)| *item_id);
    matched
}

/// A record's number as E.164, the way a job's rows keep theirs.
fn e164_of(number: &str) -> Option<String> {
    let input = NumberInput { number: number.to_owned(), ..NumberInput::default() };
    phone::normalize(&input, phone::DEFAULT_REGION).ok().map(|n| n.e164)
}

/// What a record says of its call: status, reason, and answer and end times (Unix ms).
///
/// `AbandonedInQueue` is not answered here: the customer picked up, but hung up while waiting in
/// the route's queue, before anyone of ours spoke to them. For what a campaign wants (someone
/// reached the person) that is a call nobody took, like a ring-out, so a retry policy calls again;
/// the provider's word stays in `raw_status` for anyone who needs the difference. `CallFailed`
/// is not among the values the doc lists but is what the emulator reports for a refused call.
/// Anything else (including the documented `AbandonedInContactFlow`, `AbandonedRing`,
/// `QueueOverflow`, `OneStepTransfer`, whose meaning for a DialEx call is unconfirmed) is `unknown`
/// with "outcome not recognised": never guessed, never retried by a policy.
pub fn outcome_of(record: &CallRecord) -> (CallStatus, Option<ItemReason>, Option<i64>, Option<i64>) {
    let disposition = record.disposition.as_deref().unwrap_or_default();
    let ended = record.start_ms.map(|start| start + record.duration_secs.unwrap_or(0).max(0) * 1000);
    match disposition {
        "Success" => (CallStatus::Completed, None, record.start_ms, ended),
        "NoAnswer" | "AbandonedInQueue" => (CallStatus::NotAnswered, None, None, ended),
        "CallFailed" => (CallStatus::Failed, None, None, ended),
        other => {
            let word = if other.is_empty() { "(none)" } else { other };
            (CallStatus::Unknown, Some(ItemReason::new(ReasonCode::OutcomeNotRecognised, word)), None, None)
        }
    }
}

impl Calls {
    /// Makes sure the account's placed DialEx calls are followed; wakes its follower if it runs.
    pub fn follow_dialex(self: &Arc<Self>, account_id: &str) {
        let key = account_id.to_owned();
        let Some(notify) = super::follower::claim_follower(&self.dialex_followers, &key) else { return };
        let this = self.clone();
        tokio::spawn(async move {
            this.dialex_follow_loop(&key, notify).await;
            this.dialex_followers.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
            // A call may have been placed between the last pass and the removal.
            if this.store.placed_dialex_calls(&key).await.is_ok_and(|open| !open.is_empty()) {
                this.follow_dialex(&key);
            }
        });
    }

    async fn dialex_follow_loop(self: &Arc<Self>, account_id: &str, poke: Arc<Notify>) {
        let mut pause = Duration::from_millis(500);
        let mut moved = self.clock.moves();
        loop {
            let open = match self.store.placed_dialex_calls(account_id).await {
                Ok(open) => open,
                Err(err) => {
                    tracing::error!(%err, "cannot read the placed DialEx calls");
                    return;
                }
            };
            if open.is_empty() {
                return;
            }
            match self.dialex_pass(account_id, &open).await {
                Ok(true) => pause = Duration::from_millis(500),
                Ok(false) => pause = (pause * 2).min(self.settings.max_poll_interval),
                Err(err) => {
                    tracing::warn!(%err, account_id, "reading the call records failed; trying again later");
                    pause = (pause * 2).min(self.settings.max_poll_interval);
                }
            }
            // A moved clock may have brought a call to its wait's end.
            tokio::select! {
                _ = poke.notified() => {}
                _ = moved.changed() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// One pass: each number's records around its placed calls, matched and settled; calls asked
    /// about that still have no record after the wait are given up on. True when something changed.
    async fn dialex_pass(self: &Arc<Self>, account_id: &str, open: &[PlacedCall]) -> Result<bool, ServiceError> {
        // An account no longer configured can tell nothing: its calls only wait out their time.
        let entry = self.aliyun(account_id).ok();
        let windows = self.settings.dialex_outcomes;
        let mut by_number: BTreeMap<(&str, &str), Vec<PlacedCall>> = BTreeMap::new();
        for call in open {
            by_number.entry((call.instance_id.as_str(), call.e164.as_str())).or_default().push(call.clone());
        }
        let mut outcomes = Vec::new();
        let mut first_error = None;
        for ((instance_id, e164), calls) in by_number {
            let now = self.clock.now_ms();
            let asked = match entry {
                Some(entry) => self.records_around(entry, instance_id, e164, &calls, now).await,
                None => Ok(Vec::new()),
            };
            let records = match asked {
                Ok(records) => records,
                // A refusal (no permission for the records, say) will not pass by itself: the calls
                // wait out their time like calls the records never mention, and the log says why.
                Err(ServiceError::Provider(err)) if matches!(*err, ProviderError::Rejected { .. }) => {
                    tracing::warn!(%err, account_id, "the contact center refused to list call records");
                    Vec::new()
                }
                Err(err) => {
                    // Not asked: not given up on. A call becomes unknown once the provider was asked and said nothing of it.
                    first_error.get_or_insert(err);
                    continue;
                }
            };
            let ids: Vec<&str> = records.iter().map(|r| r.contact_id.as_str()).collect();
            let used = self.store.used_call_records(instance_id, &ids).await?;
            let matched = match_records(&calls, &records, &used, windows);
            let settled: BTreeSet<i64> = matched.iter().map(|(item_id, _)| *item_id).collect();
            for (item_id, record) in matched {
                let call = calls.iter().find(|c| c.item_id == item_id).expect("matched calls come from this list");
                let (status, reason, answered_at, ended_at) = outcome_of(record);
                outcomes.push(PlacedOutcome {
                    item_id,
                    attempt: call.attempt,
                    status,
                    raw_status: record.disposition.clone(),
                    reason,
                    record: Some((instance_id.to_owned(), record.contact_id.clone())),
                    answered_at,
                    ended_at,
                });
            }
            let wait_ms = windows.wait.as_millis() as i64;
            for call in calls.iter().filter(|c| !settled.contains(&c.item_id) && now - c.sent_at >= wait_ms) {
                let minutes = (windows.wait.as_secs() / 60).to_string();
                outcomes.push(PlacedOutcome {
                    item_id: call.item_id,
                    attempt: call.attempt,
                    status: CallStatus::Unknown,
                    raw_status: None,
                    reason: Some(ItemReason::new(ReasonCode::NoOutcomeReported, minutes)),
                    record: None,
                    answered_at: None,
                    ended_at: None,
                });
            }
        }
        let changed = self.store.settle_placed_calls(&outcomes).await?;
        if !changed.is_empty() {
            tracing::info!(account_id, settled = changed.len(), "DialEx calls settled from the call records");
        }
        let any = self.calls_moved_on(changed).await;
        match first_error {
            Some(err) if !any => Err(err),
            _ => Ok(any),
        }
    }

    /// Every record of the number from just before its oldest placed call to just after its newest
    /// (at most now), through the background lane.
    async fn records_around(
        &self,
        entry: &crate::accounts::AliyunEntry,
        instance_id: &str,
        e164: &str,
        calls: &[PlacedCall],
        now: i64,
    ) -> Result<Vec<CallRecord>, ServiceError> {
        let windows = self.settings.dialex_outcomes;
        let oldest = calls.iter().map(|c| c.sent_at).min().unwrap_or(now);
        let newest = calls.iter().map(|c| c.sent_at).max().unwrap_or(now);
        let number = super::dialex::normalise(&NumberInput { number: e164.to_owned(), ..NumberInput::default() }, "callee")?;
        let mut query = CallRecordQuery {
            instance_id: instance_id.to_owned(),
            // The number the way CCC dialled it: its records name it so.
            criteria: Some(super::dialex::ccc_dial_string(&number, "callee")?),
            start_ms: oldest - windows.before.as_millis() as i64,
            stop_ms: (newest + windows.after.as_millis() as i64).min(now),
            page_number: 1,
            page_size: MAX_RECORDS_PAGE_SIZE,
        };
        let mut records = Vec::new();
        loop {
            let page = entry.client.call(Lane::Background, |c| c.list_call_detail_records(&query)).await?;
            let full = page.records.len() as u32 >= query.page_size;
            records.extend(page.records);
            if !full || query.page_number >= MAX_PAGES_PER_NUMBER {
                return Ok(records);
            }
            query.page_number += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(item_id: i64, e164: &str, sent_at: i64) -> PlacedCall {
        PlacedCall { item_id, job_id: "j".into(), instance_id: "i".into(), e164: e164.into(), attempt: 1, sent_at }
    }

    fn record(id: &str, number: &str, start: i64, disposition: &str) -> CallRecord {
        CallRecord {
            contact_id: id.into(),
            start_ms: Some(start),
            duration_secs: Some(30),
            contact_type: Some("Outbound".into()),
            disposition: Some(disposition.into()),
            calling_number: Some("02285196281".into()),
            called_number: Some(number.into()),
        }
    }

    const T: i64 = 1_800_000_000_000;

    #[test]
    fn a_record_of_the_number_inside_the_window_matches_and_one_outside_does_not() {
        let windows = OutcomeWindows::default();
        let calls = [call(1, "+8613800000001", T)];
        let inside = [record("a", "13800000001", T + 5_000, "Success")];
        assert_eq!(match_records(&calls, &inside, &HashSet::new(), windows).len(), 1);
        let other_number = [record("a", "13800000002", T + 5_000, "Success")];
        assert!(match_records(&calls, &other_number, &HashSet::new(), windows).is_empty());
        let too_early = [record("a", "13800000001", T - 61_000, "Success")];
        assert!(match_records(&calls, &too_early, &HashSet::new(), windows).is_empty());
        let too_late = [record("a", "13800000001", T + 601_000, "Success")];
        assert!(match_records(&calls, &too_late, &HashSet::new(), windows).is_empty());
        let narrower = OutcomeWindows { after: Duration::from_secs(2), ..windows };
        assert!(match_records(&calls, &inside, &HashSet::new(), narrower).is_empty(), "the window is configurable");
    }

    #[test]
    fn two_calls_to_one_number_never_share_a_record() {
        let windows = OutcomeWindows::default();
        let calls = [call(2, "+8613800000006", T + 30_000), call(1, "+8613800000006", T)];
        let one = [record("a", "13800000006", T + 1_000, "NoAnswer")];
        let matched = match_records(&calls, &one, &HashSet::new(), windows);
        assert_eq!(
            matched.iter().map(|(id, r)| (*id, r.contact_id.as_str())).collect::<Vec<_>>(),
            vec![(1, "a")],
            "the call closest in time takes it"
        );
        let late = [record("c", "13800000006", T + 29_000, "NoAnswer")];
        let matched = match_records(&calls, &late, &HashSet::new(), windows);
        assert_eq!(
            matched.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            vec![2],
            "a call whose record never came does not take its neighbour's"
        );
        let two = [record("b", "13800000006", T + 31_000, "Success"), record("a", "13800000006", T + 1_000, "NoAnswer")];
        let matched = match_records(&calls, &two, &HashSet::new(), windows);
        assert_eq!(matched.iter().map(|(id, r)| (*id, r.contact_id.as_str())).collect::<Vec<_>>(), vec![(1, "a"), (2, "b")]);
        let used = HashSet::from(["a".to_owned()]);
        let matched = match_records(&calls[..1], &two, &used, windows);
        assert_eq!(
            matched.iter().map(|(_, r)| r.contact_id.as_str()).collect::<Vec<_>>(),
            vec!["b"],
            "a record already used is not used again"
        );
    }

    #[test]
    fn numbers_are_compared_as_e164_whatever_their_spelling() {
        let calls = [call(1, "+85291234569", T)];
        let abroad = [record("a", "0085291234569", T, "AbandonedInQueue")];
        assert_eq!(match_records(&calls, &abroad, &HashSet::new(), OutcomeWindows::default()).len(), 1);
    }

    #[test]
    fn dispositions_map_to_statuses_and_the_unknown_ones_are_not_guessed() {
        let (status, reason, answered, ended) = outcome_of(&record("a", "1", T, "Success"));
        assert_eq!((status, reason, answered, ended), (CallStatus::Completed, None, Some(T), Some(T + 30_000)));
        assert_eq!(outcome_of(&record("a", "1", T, "NoAnswer")).0, CallStatus::NotAnswered);
        assert_eq!(outcome_of(&record("a", "1", T, "AbandonedInQueue")).0, CallStatus::NotAnswered);
        assert_eq!(outcome_of(&record("a", "1", T, "AbandonedInQueue")).2, None, "nobody of ours answered it");
        assert_eq!(outcome_of(&record("a", "1", T, "CallFailed")).0, CallStatus::Failed);
        let (status, reason, ..) = outcome_of(&record("a", "1", T, "QueueOverflow"));
        assert_eq!(status, CallStatus::Unknown);
        assert_eq!(reason, Some(ItemReason::new(ReasonCode::OutcomeNotRecognised, "QueueOverflow")));
    }
}
