//! Every rule of a dial, once for every path: operator resolution, normalising, de-duplication, the
//! do-not-call list, write-ahead records, pacing, audit, and following calls to their final states.
//! Handlers call [`Calls`]; `Calls` reaches a provider only through a [`pacing::Paced`] client.

pub mod audit;
pub mod campaigns;
pub mod dialex;
pub mod dialex_follower;
pub mod do_not_call;
pub mod error;
pub mod events;
pub mod follower;
pub mod idempotency;
pub mod job_control;
pub mod jobs;
pub mod meeting_check;
pub mod meetings;
pub mod operations;
pub mod pacing;
pub mod rooms;
pub mod webhooks;

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use callout_shared::me::Role;
use tokio::sync::Notify;

use self::events::EventBus;
pub use self::{audit::Actor, error::ServiceError};
use crate::{
    accounts::{Accounts, AliyunEntry, TencentEntry},
    clock::Clock,
    store::Store,
};

#[derive(Debug, Clone)]
pub struct CallSettings {
    /// Longest pause between two polls of a meeting's callout list.
    pub max_poll_interval: Duration,
    /// How long unknown items are looked for in the provider's list.
    pub unknown_lookup: Duration,
    /// Pause after a refused (rate-limited, unreachable) batch, doubled each round.
    pub retry_pause: Duration,
    /// How long an Idempotency-Key is remembered.
    pub idempotency_ttl: Duration,
    /// How long a webhook event's key is remembered to recognise a redelivery.
    pub webhook_dedupe_window: Duration,
    /// Whether an admin may move the clock forward (`server.clock_control`: the sandbox's default).
    pub clock_control: bool,
    /// How DialEx calls are matched to the contact center's call records, and how long they wait for one.
    pub dialex_outcomes: dialex_follower::OutcomeWindows,
}

impl Default for CallSettings {
    fn default() -> Self {
        Self {
            max_poll_interval: Duration::from_secs(15),
            unknown_lookup: Duration::from_secs(600),
            retry_pause: Duration::from_secs(2),
            idempotency_ttl: Duration::from_secs(24 * 3600),
            webhook_dedupe_window: Duration::from_secs(3 * 24 * 3600),
            clock_control: false,
            dialex_outcomes: dialex_follower::OutcomeWindows::default(),
        }
    }
}

pub struct Calls {
    /// The time of every decision: schedules, calling windows, attempt spacing (see `clock.rs`).
    clock: Clock,
    store: Store,
    accounts: Arc<Accounts>,
    events: Arc<EventBus>,
    settings: CallSettings,
    /// Numbers (E.164) never to call, from the configuration; the database list is added to it.
    configured_do_not_call: HashSet<String>,
    /// One follower per (account, meeting); poking wakes it for an early poll.
    followers: Mutex<HashMap<(String, String), Arc<Notify>>>,
    /// One DialEx outcome follower per account (see `dialex_follower.rs`).
    dialex_followers: Mutex<HashMap<String, Arc<Notify>>>,
    /// Batch caps lowered after the provider refused a batch as too large, per account, until restart.
    lowered_caps: Mutex<HashMap<String, usize>>,
    /// Jobs whose dialler runs (`jobs.rs`).
    runners: Mutex<HashMap<String, Runner>>,
    /// Jobs whose summary is about to be published (see `follower.rs`).
    summaries_due: Mutex<HashSet<String>>,
    /// Status events waiting to be applied, by one worker started on the first (see `webhooks.rs`).
    status_events: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<webhooks::QueuedStatus>>,
}

/// A job's running dialler: whether it was asked to look again once done, and how to wake it while it waits.
struct Runner {
    again: bool,
    wake: Arc<Notify>,
}

impl Calls {
    pub fn new(
        store: Store,
        accounts: Arc<Accounts>,
        events: Arc<EventBus>,
        settings: CallSettings,
        configured_do_not_call: HashSet<String>,
        clock: Clock,
    ) -> Arc<Self> {
        Arc::new(Self {
            clock,
            store,
            accounts,
            events,
            settings,
            configured_do_not_call,
            followers: Mutex::new(HashMap::new()),
            dialex_followers: Mutex::new(HashMap::new()),
            lowered_caps: Mutex::new(HashMap::new()),
            runners: Mutex::new(HashMap::new()),
            summaries_due: Mutex::new(HashSet::new()),
            status_events: std::sync::OnceLock::new(),
        })
    }

    pub fn events(&self) -> &Arc<EventBus> {
        &self.events
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// After a start: what was on its way when the backend stopped becomes `unknown`; requests whose
    /// answer was never stored replay that; batches never sent are dialled; open calls are followed.
    pub async fn resume(self: &Arc<Self>) -> Result<(), ServiceError> {
        let interrupted = self.store.settle_interrupted_sends().await?;
        if !interrupted.is_empty() {
            tracing::warn!(jobs = ?interrupted, "batches were being sent when the backend stopped; their numbers are marked unknown and not re-dialled");
        }
        let rooms = self.store.settle_interrupted_room_calls().await?;
        if rooms > 0 {
            tracing::warn!(rooms, "room calls were being placed when the backend stopped; they are recorded as unknown");
        }
        self.settle_unfinished_requests().await?;
        self.spawn_webhook_pruning();
        // Calls that ended while the backend was stopping may not have had their retry policy's step.
        for job in self.store.jobs_due_a_retry(campaigns::RETRYABLE).await? {
            self.apply_retry_policy(&job).await?;
        }
        for job in self.store.unfinished_jobs().await? {
            tracing::info!(job = %job.id, "resuming job");
            self.clone().spawn_job(job);
        }
        // Placed DialEx calls (single calls too) still wait for their outcome.
        for account in self.store.accounts_with_placed_calls().await? {
            self.follow_dialex(&account);
        }
        Ok(())
    }

    fn tencent(&self, account_id: &str) -> Result<&TencentEntry, ServiceError> {
        self.accounts
            .tencent(account_id)
            .ok_or_else(|| ServiceError::UnknownAccount { provider: "Tencent Meeting", id: account_id.to_owned() })
    }

    fn aliyun(&self, account_id: &str) -> Result<&AliyunEntry, ServiceError> {
        self.accounts
            .aliyun(account_id)
            .ok_or_else(|| ServiceError::UnknownAccount { provider: "Contact Center", id: account_id.to_owned() })
    }

    /// The Tencent `operator_id` the actor acts as: their own, or (admins only) the one they name.
    fn operator_for(&self, actor: &Actor, entry: &TencentEntry, requested: Option<&str>) -> Result<String, ServiceError> {
        let own = actor.operator_id.clone().or_else(|| entry.default_operator.clone());
        match requested.map(str::trim).filter(|o| !o.is_empty()) {
            Some(requested) if Some(requested) != own.as_deref() => {
                if actor.role < Role::Admin {
                    return Err(ServiceError::Forbidden("only admins may act on behalf of another operator".into()));
                }
                Ok(requested.to_owned())
            }
            _ => own.ok_or_else(|| {
                ServiceError::Forbidden(
                    "no Tencent Meeting operator_id is mapped to your sign-in; ask an admin to add you to operator_ids".into(),
                )
            }),
        }
    }

    /// Numbers per callout request for the account: the configured cap, or lower once the provider refused it.
    fn batch_cap(&self, account_id: &str, entry: &TencentEntry) -> usize {
        let lowered = self.lowered_caps.lock().unwrap_or_else(|e| e.into_inner()).get(account_id).copied();
        lowered.unwrap_or(entry.batch_cap).min(entry.batch_cap).max(1)
    }
}

/// Meeting ids are decimal strings of up to 20 digits (they overflow a signed 64-bit integer).
pub fn meeting_id_param(id: &str) -> Result<&str, ServiceError> {
    let id = id.trim();
    if id.is_empty() || id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ServiceError::invalid("meeting_id", "a meeting id is 1 to 20 digits (not the 9-digit meeting code with spaces)"));
    }
    Ok(id)
}
