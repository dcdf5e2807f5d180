//! Following dialled calls to their final states: read the provider's callout list of the meeting
//! (every page, through the one paging loop), match rows to our open items by number, move them
//! forward. Webhook events poke the follower for an early poll; without them it polls with backoff
//! until nothing is open.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use callout_shared::{
    jobs::{ItemChanged, LiveEvent},
    meeting::CalloutStatusPage,
};
use tokio::sync::Notify;

use super::{pacing::Lane, Calls, ServiceError};
use crate::{
    accounts::TencentEntry,
    providers::tencent_meeting::{map_callout_status, MAX_PAGE_SIZE},
    store::jobs::DialItem,
};

/// Pages read at most in one pass (100 per page: ten thousand callouts).
const MAX_PAGES: u32 = 100;

impl Calls {
    /// Every page of a meeting's callout list, concatenated: the one paging loop.
    pub(super) async fn all_callouts(
        &self,
        entry: &TencentEntry,
        meeting_id: &str,
        operator_id: &str,
        lane: Lane,
    ) -> Result<CalloutStatusPage, ServiceError> {
        let mut all = entry.client.call(lane, |c| c.callout_status(meeting_id, operator_id, 1, MAX_PAGE_SIZE)).await?;
        let mut page = 1;
        while page < all.total_page.min(MAX_PAGES) {
            page += 1;
            let next = entry.client.call(lane, |c| c.callout_status(meeting_id, operator_id, page, MAX_PAGE_SIZE)).await?;
            all.items.extend(next.items);
        }
        all.current_page = 1;
        all.page_size = all.items.len() as u32;
        all.total_page = 1;
        Ok(all)
    }

    /// Makes sure the meeting is followed; wakes its follower if there is one already.
    pub fn follow(self: &Arc<Self>, account_id: &str, meeting_id: &str, operator_id: &str) {
        let key = (account_id.to_owned(), meeting_id.to_owned());
        let mut followers = self.followers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(notify) = followers.get(&key) {
            notify.notify_one();
            return;
        }
        let notify = Arc::new(Notify::new());
        followers.insert(key.clone(), notify.clone());
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
    pub fn poke(self: &Arc<Self>, account_id: &str, meeting_id: &str) {
        if let Some(notify) = self.followers.lock().unwrap_or_else(|e| e.into_inner()).get(&(account_id.to_owned(), meeting_id.to_owned()))
        {
            notify.notify_one();
        }
    }

    async fn follow_loop(self: &Arc<Self>, account_id: &str, meeting_id: &str, operator_id: &str, poke: Arc<Notify>) {
        let mut pause = Duration::from_millis(500);
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
            match self.poll_once(account_id, meeting_id, operator_id, &open).await {
                Ok(true) => pause = Duration::from_millis(500),
                Ok(false) => pause = (pause * 2).min(self.settings.max_poll_interval),
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

    /// One pass over the meeting's callout list; true when something changed.
    async fn poll_once(&self, account_id: &str, meeting_id: &str, operator_id: &str, open: &[DialItem]) -> Result<bool, ServiceError> {
        let entry = self.tencent(account_id)?;
        let list = self.all_callouts(entry, meeting_id, operator_id, Lane::Background).await?;
        let mut touched_jobs = BTreeSet::new();
        for row in &list.items {
            let callee = &row.callee;
            let Some(item) = open.iter().find(|i| i.area == callee.area && i.phone == callee.phone && i.extension == callee.extension)
            else {
                continue; // called from another client, or not ours
            };
            let next = map_callout_status(&row.raw_status);
            if let Some((job_id, updated)) = self.store.advance_item(item.id, next, &row.raw_status, row.ms_open_id.as_deref()).await? {
                self.events.publish(LiveEvent::Item(ItemChanged { job_id: job_id.clone(), item: updated }));
                touched_jobs.insert(job_id);
            }
        }
        for job in &touched_jobs {
            self.publish_job(job).await?;
        }
        Ok(!touched_jobs.is_empty())
    }
}
