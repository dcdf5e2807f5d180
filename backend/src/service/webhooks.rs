//! Verified provider events: recognised once under their de-duplication key, then applied. A PSTN
//! status event moves the matching item at once; an event that names no item we can tell apart
//! wakes the meeting's follower for an early poll (the provider's list stays the safety net).
//!
//! Status events are applied by one worker, in arrival order, every event that queued up while it
//! was busy in one transaction: a big job's calls all ringing and ending at once cost a few writes,
//! not one each (each waits its turn for SQLite's single writer).

use std::{
    collections::HashMap,
    sync::{Arc, Weak},
    time::Duration,
};

use callout_shared::call_status::CallStatus;
use tokio::sync::mpsc;

use super::{Calls, ServiceError};
use crate::{
    providers::tencent_meeting::webhook::{EventKind, EventOperator, PhoneStatusUpdate, WebhookEvent},
    store::jobs::{DialItem, ItemMove},
};

/// How often old de-duplication records are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Most status events applied in one transaction.
const GROUP: usize = 512;

/// A verified PSTN status event waiting to be applied.
pub(super) struct QueuedStatus {
    account_id: String,
    update: PhoneStatusUpdate,
}

impl Calls {
    /// Recognises `event` once; false for a redelivery. Processing happens in the background: the
    /// provider only waits for the acknowledgement.
    pub async fn accept_tencent_event(self: &Arc<Self>, account_id: &str, event: &WebhookEvent) -> Result<bool, ServiceError> {
        let key = event.dedupe_key();
        if !self.store.record_webhook_event(account_id, &key, &event.event).await? {
            tracing::info!(%key, "duplicate event ignored");
            return Ok(false);
        }
        match &event.kind {
            EventKind::PhoneStatusUpdated(updates) => self.queue_status_events(account_id, updates),
            EventKind::ParticipantJoined(items) => {
                // A phone that joins names its in-meeting id: one per time it joined, each kept on
                // the call's row (a move that is no progress changes only the ids).
                let phones: Vec<PhoneStatusUpdate> = items
                    .iter()
                    .filter(|i| i.operator.pstn_number.is_some() && i.operator.ms_open_id.is_some())
                    .map(|i| PhoneStatusUpdate {
                        meeting_id: i.meeting_id.clone(),
                        operate_time_ms: i.operate_time_ms,
                        operator: i.operator.clone(),
                        raw_status: String::new(),
                        status: CallStatus::Queued,
                    })
                    .collect();
                self.queue_status_events(account_id, &phones);
                for item in items {
                    self.poke(account_id, &item.meeting_id);
                }
            }
            EventKind::ParticipantLeft(items) => {
                for item in items {
                    self.poke(account_id, &item.meeting_id);
                }
            }
            EventKind::Other { .. } => {}
        }
        Ok(true)
    }

    fn queue_status_events(self: &Arc<Self>, account_id: &str, updates: &[PhoneStatusUpdate]) {
        let queue = self.status_events.get_or_init(|| {
            let (queue, waiting) = mpsc::unbounded_channel();
            tokio::spawn(apply_queued(Arc::downgrade(self), waiting));
            queue
        });
        for update in updates {
            let _ = queue.send(QueuedStatus { account_id: account_id.to_owned(), update: update.clone() });
        }
    }

    /// Moves the items a group of PSTN status events is about, in one transaction; wakes the
    /// follower for each event that names none.
    async fn apply_status_events(self: &Arc<Self>, group: &[QueuedStatus]) -> Result<(), ServiceError> {
        let unknown_for = self.settings.unknown_lookup.as_millis() as i64;
        let mut moves = Vec::with_capacity(group.len());
        // Items this group gave an ms_open_id, for its later events that name the call only by it.
        let mut named: HashMap<(&str, &str, &str), DialItem> = HashMap::new();
        for QueuedStatus { account_id, update } in group {
            let operator = &update.operator;
            let ms_open_id = operator.ms_open_id.as_deref().filter(|m| !m.is_empty());
            let earlier = ms_open_id.and_then(|ms| named.get(&(account_id.as_str(), update.meeting_id.as_str(), ms))).cloned();
            let item = match earlier {
                Some(item) => Some(item),
                None => {
                    let e164 = operator.pstn_number.as_deref().and_then(|p| p.strip_prefix("00")).map(|digits| format!("+{digits}"));
                    let candidates = match (&e164, ms_open_id) {
                        (None, None) => Vec::new(),
                        _ => self.store.open_items_named(account_id, &update.meeting_id, e164.as_deref(), ms_open_id, unknown_for).await?,
                    };
                    event_item(&candidates, operator).cloned()
                }
            };
            let Some(item) = item else {
                // Not told apart here: the list poll will say.
                self.poke(account_id, &update.meeting_id);
                continue;
            };
            moves.push(ItemMove {
                item_id: item.id,
                next: update.status,
                raw_status: update.raw_status.clone(),
                ms_open_id: operator.ms_open_id.clone(),
            });
            if let Some(ms) = ms_open_id {
                named.insert((account_id.as_str(), update.meeting_id.as_str(), ms), item);
            }
        }
        self.apply_moves(&moves).await?;
        Ok(())
    }

    /// Forgets webhook de-duplication records older than the window, now and every hour.
    pub(super) fn spawn_webhook_pruning(self: &Arc<Self>) {
        let this = Arc::downgrade(self);
        let window = self.settings.webhook_dedupe_window.as_millis() as i64;
        tokio::spawn(async move {
            let mut every = tokio::time::interval(PRUNE_EVERY);
            loop {
                every.tick().await;
                let Some(this) = this.upgrade() else { return };
                match this.store.prune_webhook_events(window).await {
                    Ok(0) => {}
                    Ok(pruned) => tracing::info!(pruned, "old webhook de-duplication records pruned"),
                    Err(err) => tracing::warn!(%err, "pruning webhook de-duplication records failed"),
                }
            }
        });
    }
}

/// Applies queued status events until the console goes away.
async fn apply_queued(calls: Weak<Calls>, mut waiting: mpsc::UnboundedReceiver<QueuedStatus>) {
    let mut group = Vec::with_capacity(GROUP);
    while waiting.recv_many(&mut group, GROUP).await > 0 {
        let Some(this) = calls.upgrade() else { return };
        if let Err(err) = this.apply_status_events(&group).await {
            tracing::warn!(%err, events = group.len(), "status events could not be applied; polling instead");
            for queued in &group {
                this.poke(&queued.account_id, &queued.update.meeting_id);
            }
        }
        group.clear();
    }
}

/// The open item a PSTN status event is about, when the event tells it apart from the others.
///
/// Tencent's documented example of `meeting.phone.participant-status-updated` carries no phone
/// field, and which party `operator` denotes is unconfirmed. What is used, in this order: the
/// `ms_open_id` an item already has (the call was connected before), then `pstn_number`
/// (`00` + country code + number, as in the participant events) when exactly one open item has it
/// (extensions are not in it). Anything else is left to the list poll. This is the one place that
/// maps an event to an item.
fn event_item<'a>(open: &'a [DialItem], operator: &EventOperator) -> Option<&'a DialItem> {
    if let Some(ms) = operator.ms_open_id.as_deref().filter(|m| !m.is_empty()) {
        if let Some(item) = open.iter().find(|i| i.ms_open_id.as_deref() == Some(ms)) {
            return Some(item);
        }
    }
    let pstn = operator.pstn_number.as_deref().filter(|p| !p.is_empty())?;
    let mut matching = open.iter().filter(|i| format!("00{}{}", i.area, i.phone) == pstn);
    let first = matching.next()?;
    matching.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use callout_shared::call_status::CallStatus;

    use super::*;

    fn item(id: i64, area: u32, phone: &str, extension: Option<&str>, ms_open_id: Option<&str>) -> DialItem {
        DialItem {
            id,
            job_id: "job".into(),
            e164: format!("+{area}{phone}"),
            area,
            phone: phone.into(),
            extension: extension.map(Into::into),
            nick_name: None,
            status: CallStatus::Ringing,
            ms_open_id: ms_open_id.map(Into::into),
            earlier_calls: 0,
        }
    }

    fn operator(ms_open_id: Option<&str>, pstn_number: Option<&str>) -> EventOperator {
        EventOperator { ms_open_id: ms_open_id.map(Into::into), pstn_number: pstn_number.map(Into::into), ..EventOperator::default() }
    }

    #[test]
    fn an_event_names_its_item_by_ms_open_id_then_by_a_unique_pstn_number() {
        let open = [
            item(1, 86, "13800000001", None, Some("ms-a")),
            item(2, 1, "8613800000", None, None),
            item(3, 86, "13800000003", Some("11"), None),
            item(4, 86, "13800000003", Some("12"), None),
        ];
        assert_eq!(event_item(&open, &operator(Some("ms-a"), Some("0013800000"))).map(|i| i.id), Some(1), "ms_open_id first");
        assert_eq!(event_item(&open, &operator(Some("ms-new"), Some("0018613800000"))).map(|i| i.id), Some(2));
        assert_eq!(event_item(&open, &operator(None, Some("008613800000001"))).map(|i| i.id), Some(1));
        // Two extensions behind one number: the event cannot tell them apart.
        assert!(event_item(&open, &operator(None, Some("008613800000003"))).is_none());
        assert!(event_item(&open, &operator(None, None)).is_none());
        assert!(event_item(&open, &operator(None, Some("0086139"))).is_none());
    }
}
