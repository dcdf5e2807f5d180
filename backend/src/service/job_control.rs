//! What a person does to a job's numbers not sent yet: pause them (held across restarts, while the
//! calls already sent are followed), resume them, or stop them for good. Each is audited and takes
//! effect before the next request: a batch already sent finishes, one still waiting for its turn in
//! the rate budget waits again (pause) or is stopped with the rest (stop).

use std::sync::Arc;

use callout_shared::{
    audit::AuditAction,
    jobs::{ItemReason, JobControl, JobControlled, ReasonCode},
    me::Role,
};

use super::{Actor, Calls, ServiceError};

impl Calls {
    pub async fn control_job(self: &Arc<Self>, actor: &Actor, job_id: &str, action: JobControl) -> Result<JobControlled, ServiceError> {
        actor.require(Role::Operator)?;
        let job = self.store.job_ref(job_id).await?.ok_or_else(|| ServiceError::NotFound(format!("no job {job_id}")))?;
        let refused = |message: &str| ServiceError::Unprocessable { field: "action".into(), message: message.into() };
        let (numbers, audit_action) = match action {
            JobControl::Pause => {
                if self.store.pending_count(job_id).await? == 0 {
                    return Err(refused("nothing of this job waits to be sent: there is nothing to pause"));
                }
                if !self.store.set_paused(job_id, true).await? {
                    return Err(refused("the job is paused already"));
                }
                // Counted once paused: from here on nothing leaves `pending` (see `mark_sending`).
                self.wake_job(job_id);
                (self.store.pending_count(job_id).await?, AuditAction::JobPause)
            }
            JobControl::Resume => {
                if !self.store.set_paused(job_id, false).await? {
                    return Err(refused("the job is not paused"));
                }
                let waiting = self.store.pending_count(job_id).await?;
                self.clone().spawn_job(job.clone());
                (waiting, AuditAction::JobResume)
            }
            JobControl::Stop => {
                let by = actor.email.clone().unwrap_or_else(|| actor.subject.clone());
                let stopped = self.store.stop_pending(job_id, &ItemReason::new(ReasonCode::Stopped, by)).await?;
                if stopped.is_empty() {
                    return Err(refused("nothing of this job waits to be sent: there is nothing to stop"));
                }
                let n = stopped.len() as u32;
                self.publish_items(stopped);
                self.wake_job(job_id);
                (n, AuditAction::JobStop)
            }
        };
        let summary = self.publish_job(job_id).await?.ok_or_else(|| ServiceError::NotFound(format!("no job {job_id}")))?;
        self.audit_job_action(actor, audit_action, &job, &format!("{numbers} numbers not sent yet: {}", action.as_str())).await;
        Ok(JobControlled { numbers, job: summary })
    }
}
