//! The audit log: written by every dialling handler, read and exported by admins.

use axum::{extract::State, response::Response, Json};
use callout_shared::{
    audit::{AuditEntry, AuditQuery},
    me::Role,
};

use super::jobs::csv_response;
use crate::{app::AppState, error::AppError, extract::ApiQuery, security::CurrentUser, store::audit::NewAuditEntry};

/// Records one action of `user`. A failure to write is logged, never hidden: the action has
/// already happened and must not be reported as failed because of its record.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    account_id: Option<&str>,
    target: Option<&str>,
    operator: Option<&str>,
    outcome: &str,
    detail: Option<&str>,
) {
    let on_behalf_of = operator.filter(|op| Some(*op) != user.operator_id.as_deref());
    let entry = NewAuditEntry {
        subject: &user.identity.subject,
        email: user.identity.email.as_deref(),
        auth_mode: user.identity.auth_mode,
        on_behalf_of,
        action,
        account_id,
        target,
        outcome,
        detail,
    };
    if let Err(err) = state.store.audit(entry).await {
        tracing::error!(%err, action, subject = %user.identity.subject, "the audit log could not be written");
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    user.require(Role::Admin)?;
    Ok(Json(state.store.audit_entries(&q).await?))
}

pub async fn export(State(state): State<AppState>, user: CurrentUser, ApiQuery(mut q): ApiQuery<AuditQuery>) -> Result<Response, AppError> {
    user.require(Role::Admin)?;
    q.limit = Some(q.limit.unwrap_or(10_000));
    let entries = state.store.audit_entries(&q).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let w = |e: csv::Error| AppError::Internal(e.to_string());
    out.write_record([
        "id",
        "at_ms",
        "subject",
        "email",
        "auth_mode",
        "on_behalf_of",
        "action",
        "account_id",
        "target",
        "outcome",
        "detail",
    ])
    .map_err(w)?;
    for e in entries {
        out.write_record([
            e.id.to_string(),
            e.at.to_string(),
            e.subject,
            e.email.unwrap_or_default(),
            e.auth_mode,
            e.on_behalf_of.unwrap_or_default(),
            e.action,
            e.account_id.unwrap_or_default(),
            e.target.unwrap_or_default(),
            e.outcome,
            e.detail.unwrap_or_default(),
        ])
        .map_err(w)?;
    }
    Ok(csv_response(out.into_inner().map_err(|e| AppError::Internal(e.to_string()))?, "callout-console-audit.csv"))
}
