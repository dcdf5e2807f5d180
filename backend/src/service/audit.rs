//! Who acts (the verified identity and the operator they act as), and the audit log of what they did.

use callout_shared::{
    audit::{AuditEntry, AuditQuery},
    me::Role,
};

use super::{jobs::BatchOutcome, Calls, ServiceError};
use crate::{
    providers::{Provider, ProviderError},
    store::{audit::NewAuditEntry, jobs::JobTarget},
};

/// The signed-in person a service call acts for.
#[derive(Debug, Clone)]
pub struct Actor {
    pub subject: String,
    pub email: Option<String>,
    /// `dev`, `jwt` or `trusted_headers`.
    pub auth_mode: &'static str,
    pub role: Role,
    /// The Tencent Meeting `operator_id` their sign-in maps to.
    pub operator_id: Option<String>,
}

impl Actor {
    /// Refuses unless the actor has at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ServiceError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!("this needs the {} role; you have {}", role.as_str(), self.role.as_str())))
        }
    }
}

/// One line of the audit log, before it is written.
pub struct Audit<'a> {
    pub action: &'a str,
    pub account_id: Option<&'a str>,
    pub target: Option<&'a str>,
    /// The operator acted as; recorded as "on behalf of" when it is not the actor's own.
    pub operator: Option<&'a str>,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
}

/// Audit outcome and detail of a provider call.
pub fn outcome_of<T>(result: &Result<T, ProviderError>, ok: impl Fn(&T) -> String) -> (&'static str, String) {
    match result {
        Ok(value) => ("ok", ok(value)),
        Err(err) => (provider_outcome(err), err.to_string()),
    }
}

/// Audit outcome and detail of a service call: the provider's word when a provider answered,
/// `refused` when a rule did.
pub fn service_outcome<T>(result: &Result<T, ServiceError>, ok: impl Fn(&T) -> String) -> (&'static str, String) {
    match result {
        Ok(value) => ("ok", ok(value)),
        Err(ServiceError::Provider(err)) => (provider_outcome(err), err.to_string()),
        Err(err) => ("refused", err.to_string()),
    }
}

/// The audit word for a provider error.
pub fn provider_outcome(err: &ProviderError) -> &'static str {
    match err {
        ProviderError::Unknown { .. } => "unknown",
        ProviderError::Rejected { .. } => "rejected",
        ProviderError::NotSent { .. } | ProviderError::RateLimited { .. } => "not_sent",
    }
}

/// Counts the numbers of one sent batch by their outcome, in the words of the audit log.
pub(super) fn count_dials(target: &JobTarget, outcome: &BatchOutcome, numbers: usize) {
    let (provider, operation) = match target {
        JobTarget::Meeting { .. } => (Provider::TencentMeeting, "callout"),
        JobTarget::DialEx(_) => (Provider::AliyunCcc, "dial_ex"),
    };
    let count = |outcome, n| crate::metrics::dialled(provider, operation, outcome, n);
    match outcome {
        BatchOutcome::Answered(result) => {
            let (accepted, refused) = (result.accepted.len().min(numbers), result.invalid.len());
            count("ok", accepted);
            count("rejected", refused.min(numbers - accepted));
            // Numbers the answer does not mention are recorded as unknown.
            count("unknown", numbers.saturating_sub(accepted + refused));
        }
        BatchOutcome::Placed(_) => count("ok", numbers),
        BatchOutcome::Refused(err) | BatchOutcome::NotSent(err) | BatchOutcome::Unknown(err) => count(provider_outcome(err), numbers),
        // Put back in smaller batches: counted when those are sent.
        BatchOutcome::Split | BatchOutcome::Held => {}
    }
}

impl Calls {
    /// Records one action. A failure to write is logged, never hidden: the action has already
    /// happened and must not be reported as failed because of its record.
    pub(super) async fn audit(&self, actor: &Actor, entry: Audit<'_>) {
        let (action, subject) = (entry.action, &actor.subject);
        crate::metrics::audited(entry.action, entry.outcome);
        if let Err(err) = self.store.audit(audit_row(actor, entry)).await {
            tracing::error!(%err, action, %subject, "the audit log could not be written");
        }
    }

    /// The audit log, newest first (admins).
    pub async fn audit_entries(&self, actor: &Actor, query: &AuditQuery) -> Result<Vec<AuditEntry>, ServiceError> {
        actor.require(Role::Admin)?;
        Ok(self.store.audit_entries(query).await?)
    }
}

/// The row that records `entry`: written by [`Calls::audit`], or inside the transaction of the
/// dial it records (which counts it with `metrics::audited` once written).
pub(super) fn audit_row<'a>(actor: &'a Actor, entry: Audit<'a>) -> NewAuditEntry<'a> {
    NewAuditEntry {
        subject: &actor.subject,
        email: actor.email.as_deref(),
        auth_mode: actor.auth_mode,
        on_behalf_of: entry.operator.filter(|op| Some(*op) != actor.operator_id.as_deref()),
        action: entry.action,
        account_id: entry.account_id,
        target: entry.target,
        outcome: entry.outcome,
        detail: entry.detail,
    }
}
