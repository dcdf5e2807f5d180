//! A dial a person waits on, with its `Idempotency-Key` (DialEx): one write transaction before its
//! provider request (the key's claim, the job and its row as `sending`) and one after it (the row's
//! outcome, the job's state, the audit row and the answer the key replays), so a crash between them
//! leaves the write-ahead record that start-up settles as unknown, and never half an outcome.

use callout_shared::jobs::{JobItem, JobSummary};

use super::{
    audit::{self, NewAuditEntry},
    idempotency::{self, Claim, RequestKey},
    jobs::{self, DialItem, ItemOutcome, NewItem, NewJob},
    Store, StoreError,
};

/// What a dial came to, stored in one transaction.
pub struct DialAnswer<'a> {
    pub key: &'a RequestKey,
    /// The job the dial was recorded in; `None` when it was refused before anything was recorded.
    pub job_id: Option<&'a str>,
    pub outcomes: &'a [ItemOutcome],
    /// `None` for a refusal that is not audited (a person without the role to dial).
    pub audit: Option<NewAuditEntry<'a>>,
    /// The status and JSON body a replay of the key answers with.
    pub status: u16,
    pub body: &'a str,
}

/// What the transaction after a dial changed: the items as stored and the job's summary, to publish.
pub struct DialRecorded {
    pub items: Vec<(String, JobItem)>,
    pub job: Option<JobSummary>,
}

impl Store {
    /// Before the provider request: claims the key, then records the job and its rows; returns the
    /// rows recorded as `sending`. When the key was used before, nothing is recorded.
    pub async fn claim_and_insert_job(
        &self,
        key: &RequestKey,
        ttl_ms: i64,
        job: &NewJob,
        items: &[NewItem],
    ) -> Result<Claim<Vec<DialItem>>, StoreError> {
        let _timer = crate::metrics::StoreTimer::start("claim_and_insert_job");
        let mut tx = self.write().await?;
        if let Claim::Seen(seen) = idempotency::claim(&mut tx, key, ttl_ms, self.now_ms()).await? {
            tx.commit().await?;
            return Ok(Claim::Seen(seen));
        }
        let sending = jobs::insert_job(&mut tx, job, items, self.now_ms()).await?;
        tx.commit().await?;
        Ok(Claim::Fresh(sending))
    }

    /// After the provider request (or a refusal after the job was recorded): the rows' outcomes, the
    /// job's state, the audit row and the key's answer, all or none.
    pub async fn record_dial_answer(&self, answer: &DialAnswer<'_>) -> Result<DialRecorded, StoreError> {
        let _timer = crate::metrics::StoreTimer::start("record_dial_answer");
        let mut tx = self.write().await?;
        let recorded = record_answer(&mut tx, answer, self.now_ms()).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    /// A dial refused before anything was recorded: the key's claim, the audit row and the answer in
    /// one transaction. When the key was used before, nothing is written.
    pub async fn claim_and_record_refusal(&self, ttl_ms: i64, answer: &DialAnswer<'_>) -> Result<Claim, StoreError> {
        let _timer = crate::metrics::StoreTimer::start("claim_and_record_refusal");
        let mut tx = self.write().await?;
        let claim = idempotency::claim(&mut tx, answer.key, ttl_ms, self.now_ms()).await?;
        if let Claim::Fresh(()) = claim {
            record_answer(&mut tx, answer, self.now_ms()).await?;
        }
        tx.commit().await?;
        Ok(claim)
    }
}

async fn record_answer(conn: &mut sqlx::SqliteConnection, answer: &DialAnswer<'_>, now: i64) -> Result<DialRecorded, StoreError> {
    let items = jobs::record_outcomes(conn, answer.outcomes, now).await?;
    let job = match answer.job_id {
        Some(id) => jobs::job_summary(conn, id, now).await?,
        None => None,
    };
    if let Some(entry) = &answer.audit {
        audit::insert(conn, entry, now).await?;
    }
    idempotency::answer(conn, answer.key, answer.status, answer.body).await?;
    Ok(DialRecorded { items, job })
}
