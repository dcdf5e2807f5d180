//! Following dialled calls to their final states. Webhook events move items directly (see
//! `webhooks.rs`); this is the safety net that needs no events: read the provider's callout list of
//! the meeting (through the one paging loop), match rows to our open items by number, move them
//! forward, with backoff until nothing is open. A pass starts from the page on which the oldest open
//! call was seen last time, so a meeting with many finished callouts costs only its tail.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, Mutex},
    time::Duration,
};

use callout_shared::{
    jobs::{ItemChanged, JobItem, LiveEvent},
    meeting::{CalloutStatusItem, CalloutStatusPage},
};
use tokio::sync::Notify;

use super::{pacing::Lane, Calls, ServiceError};
use crate::{
    accounts::TencentEntry,
    providers::tencent_meeting::{map_callout_status, MAX_PAGE_SIZE},
    store::jobs::{DialItem, ItemMove},
};

/// The wake-up of a new follower of `key`, registered; `None` when one runs already (it is woken
/// instead). One follower per key: the meeting's list, or an account's DialEx records.
pub(super) fn claim_follower<K: Eq + std::hash::Hash + Clone>(followers: &Mutex<HashMap<K, Arc<Notify>>>, key: &K) -> Option<Arc<Notify>> {
    let mut followers = followers.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(notify) = followers.get(key) {
        notify.notify_one();
        return None;
    }
    let notify = Arc::new(Notify::new());
    followers.insert(key.clone(), notify.clone());
    Some(notify)
}

/// Pages a person's "all callouts" request reads at most (ten thousand callouts); the answer's
/// `total_count` still tells the whole. The follower reads without a cap.
pub(super) const MAX_PAGES_FOR_A_PERSON: u32 = 100;

/// The pages of a meeting's callout list to read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pages {
    pub first: u32,
    pub at_most: Option<u32>,
}

impl Calls {
    /// Pages `pages.first..` of a meeting's callout list, concatenated: the one paging loop. The
    /// answer's `current_page` is the first page read.
    pub(super) async fn callouts_from(
        &self,
        entry: &TencentEntry,
        meeting_id: &str,
        operator_id: &str,
        pages: Pages,
        lane: Lane,
    ) -> Result<CalloutStatusPage, ServiceError> {
        let first = pages.first.max(1);
        let mut all = entry.client.call(lane, |c| c.callout_status(meeting_id, operator_id, first, MAX_PAGE_SIZE)).await?;
        let last = match pages.at_most {
            Some(n) => all.total_page.min(first + n.max(1) - 1),
            None => all.total_page,
        };
        let mut page = first;
        while page < last {
            page += 1;
            let next = entry.client.call(lane, |c| c.callout_status(meeting_id, operator_id, page, MAX_PAGE_SIZE)).await?;
            // The list may have grown while it was read: the newest total counts.
            all.total_count = next.total_count;
            all.items.extend(next.items);
        }
        all.current_page = first;
        all.page_size = all.items.len() as u32;
        Ok(all)
    }

    /// Makes sure the meeting is followed; wakes its follower if there is one already.
    pub fn follow(self: &Arc<Self>, account_id: &str, meeting_id: &str, operator_id: &str) {
        let key = (account_id.to_owned(), meeting_id.to_owned());
        let Some(notify) = claim_follower(&self.followers, &key) else { return };
        let this = self.clone();
        let operator = operator_id.to_owned();
        tokio::spawn(async move {
            this.follow_loop(&key.0, &key.1, &operator, notify).await;
            this.followers.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
            // Something may have been dialled between the last poll and the removal.
            if let Ok(open) = this.store.open_items(&key.0, &key.1, this.settings.unknown_lookup.as_millis() as i64).await {
                if !open.is_empty() {
                    this.follow(&key.0, &key.1, &operator);
                }
            }
        });
    }

    /// A webhook said something happened in this meeting.
    pub fn poke(&self, account_id: &str, meeting_id: &str) {
        if let Some(notify) = self.followers.lock().unwrap_or_else(|e| e.into_inner()).get(&(account_id.to_owned(), meeting_id.to_owned()))
        {
            notify.notify_one();
        }
    }

    async fn follow_loop(self: &Arc<Self>, account_id: &str, meeting_id: &str, operator_id: &str, poke: Arc<Notify>) {
        let mut pause = Duration::from_millis(500);
        let mut first_page = None;
        loop {
            let open = match self.store.open_items(account_id, meeting_id, self.settings.unknown_lookup.as_millis() as i64).await {
                Ok(open) => open,
                Err(err) => {
                    tracing::error!(%err, "cannot read open calls");
                    return;
                }
            };
            if open.is_empty() {
                return;
            }
            let first = match first_page {
                Some(page) => page,
                None => self.first_page_estimate(account_id, meeting_id, &open).await,
            };
            match self.poll_once(account_id, meeting_id, operator_id, &open, first).await {
                Ok(pass) => {
                    first_page = Some(pass.next_first_page);
                    pause = if pass.changed { Duration::from_millis(500) } else { (pause * 2).min(self.settings.max_poll_interval) };
                }
                Err(err) => {
                    tracing::warn!(%err, account_id, meeting_id, "polling the callout list failed; trying again later");
                    pause = (pause * 2).min(self.settings.max_poll_interval);
                }
            }
            tokio::select! {
                _ = poke.notified() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// Where the first pass starts: the list (oldest first) holds at least the numbers this console
    /// had called in the meeting before the oldest open call, so that call is on their page or
    /// later. Other clients' calls only move it further back; if the provider orders differently,
    /// the call is not found from there and the next pass reads from page 1.
    async fn first_page_estimate(&self, account_id: &str, meeting_id: &str, open: &[DialItem]) -> u32 {
        let Some(oldest) = open.iter().map(|i| i.id).min() else { return 1 };
        match self.store.numbers_listed_before(account_id, meeting_id, oldest).await {
            Ok(before) => before / MAX_PAGE_SIZE + 1,
            Err(err) => {
                tracing::warn!(%err, "cannot estimate where the open calls are listed; reading from page 1");
                1
            }
        }
    }

    /// One pass over the meeting's callout list from `first_page` on.
    async fn poll_once(
        self: &Arc<Self>,
        account_id: &str,
        meeting_id: &str,
        operator_id: &str,
        open: &[DialItem],
        first_page: u32,
    ) -> Result<Pass, ServiceError> {
        let entry = self.tencent(account_id)?;
        let list = self.callouts_from(entry, meeting_id, operator_id, Pages { first: first_page, at_most: None }, Lane::Background).await?;
        let by_number: HashMap<(u32, &str, Option<&str>), &DialItem> =
            open.iter().map(|i| ((i.area, i.phone.as_str(), i.extension.as_deref()), i)).collect();
        // A number called again is listed again, oldest first: the open call is its latest row. An
        // attempt whose outcome is unknown needs one more row than the row's earlier attempts the
        // provider took (each listed before it): without it, this attempt's call is not listed and
        // the earlier call's row must not settle it. (Pages skipped before the oldest open call can
        // only make that count short: the attempt then stays unknown, never wrongly settled.)
        let mut listed: HashMap<i64, (&DialItem, u32, &CalloutStatusItem)> = HashMap::new();
        let mut first_seen_at = None;
        for (index, row) in list.items.iter().enumerate() {
            let callee = &row.callee;
            let Some(item) = by_number.get(&(callee.area, callee.phone.as_str(), callee.extension.as_deref())) else {
                continue; // called from another client, or not ours
            };
            first_seen_at.get_or_insert(index);
            let seen = listed.entry(item.id).or_insert((item, 0, row));
            *seen = (item, seen.1 + 1, row);
        }
        // `earlier_calls` is counted for unknown items only (0 for the others).
        let latest: Vec<(i64, &CalloutStatusItem)> =
            listed.into_iter().filter(|(_, (item, times, _))| *times > item.earlier_calls).map(|(id, (_, _, row))| (id, row)).collect();
        let seen = latest.len();
        let moves: Vec<ItemMove> = latest
            .into_iter()
            .map(|(item_id, row)| ItemMove {
                item_id,
                next: map_callout_status(&row.raw_status),
                raw_status: row.raw_status.clone(),
                ms_open_id: row.ms_open_id.clone(),
            })
            .collect();
        let changed = self.apply_moves(&moves).await?;
        // Every open call seen: the next pass can skip the pages before the oldest of them. One
        // missing (the list is ordered differently than expected, or it was not listed yet): read
        // everything again.
        let next_first_page = match first_seen_at {
            Some(index) if seen == open.len() => list.current_page + (index as u32) / MAX_PAGE_SIZE,
            _ => 1,
        };
        Ok(Pass { changed, next_first_page })
    }

    /// Moves items forward in one store transaction and tells the browsers; true when something changed.
    pub(super) async fn apply_moves(self: &Arc<Self>, moves: &[ItemMove]) -> Result<bool, ServiceError> {
        if moves.is_empty() {
            return Ok(false);
        }
        let changed = self.store.advance_items(moves).await?;
        Ok(self.calls_moved_on(changed).await)
    }

    /// What follows calls that moved on, whoever learned of it (list poll, webhook, call records):
    /// the browsers hear of each, their jobs' summaries follow, and a job with a call that just
    /// ended the way its retry policy dials again takes the policy's step. True when any moved.
    pub(super) async fn calls_moved_on(self: &Arc<Self>, changed: Vec<(String, JobItem)>) -> bool {
        let mut touched_jobs = BTreeSet::new();
        let mut retry_due = BTreeSet::new();
        for (job_id, item) in changed {
            touched_jobs.insert(job_id.clone());
            if super::campaigns::is_retryable(&item) {
                retry_due.insert(job_id.clone());
            }
            self.events.publish(LiveEvent::Item(ItemChanged { job_id, item }));
        }
        for job in &touched_jobs {
            self.publish_job_soon(job.clone());
        }
        self.retry_where_due(retry_due).await;
        !touched_jobs.is_empty()
    }
}

/// How long a job's summary waits for more changes before it is published: status events arrive
/// one call at a time, and each summary goes to every browser.
const SUMMARY_DELAY: Duration = Duration::from_millis(200);

impl Calls {
    /// Publishes the job's summary shortly, once for every change in the meantime.
    fn publish_job_soon(self: &Arc<Self>, job_id: String) {
        if !self.summaries_due.lock().unwrap_or_else(|e| e.into_inner()).insert(job_id.clone()) {
            return; // one is on its way and will include this change
        }
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SUMMARY_DELAY).await;
            // Taken off before reading: a change after this point schedules the next summary.
            this.summaries_due.lock().unwrap_or_else(|e| e.into_inner()).remove(&job_id);
            if let Err(err) = this.publish_job(&job_id).await {
                tracing::warn!(%err, job = %job_id, "the job's summary could not be published");
            }
        });
    }
}

/// What one pass over the list found.
struct Pass {
    changed: bool,
    next_first_page: u32,
}
