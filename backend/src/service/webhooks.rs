//! Verified provider events: stored once under their de-duplication key, then they wake the
//! follower of their meeting (events are hints; the provider's list is the truth).

use std::sync::Arc;

use super::{Calls, ServiceError};
use crate::providers::tencent_meeting::webhook::{EventKind, WebhookEvent};

impl Calls {
    /// Stores `event` (as received: `payload`) once; false for a redelivery. Processing happens in
    /// the background: the provider only waits for the acknowledgement.
    pub async fn accept_tencent_event(
        self: &Arc<Self>,
        account_id: &str,
        event: &WebhookEvent,
        payload: &str,
    ) -> Result<bool, ServiceError> {
        let key = event.dedupe_key();
        if !self.store.record_webhook_event(account_id, &key, &event.event, payload).await? {
            tracing::info!(%key, "duplicate event ignored");
            return Ok(false);
        }
        let meetings: Vec<String> = match &event.kind {
            EventKind::PhoneStatusUpdated(items) => items.iter().map(|i| i.meeting_id.clone()).collect(),
            EventKind::ParticipantJoined(items) | EventKind::ParticipantLeft(items) => items.iter().map(|i| i.meeting_id.clone()).collect(),
            EventKind::Other { .. } => Vec::new(),
        };
        let this = self.clone();
        let account_id = account_id.to_owned();
        tokio::spawn(async move {
            for meeting in meetings {
                this.poke(&account_id, &meeting);
            }
        });
        Ok(true)
    }
}
