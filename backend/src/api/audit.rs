//! The audit log (written by the service layer): read and exported by admins.

use axum::{extract::State, response::Response, Json};
use callout_shared::audit::{AuditEntry, AuditQuery};

use super::jobs::{csv_cell, csv_response, csv_time, csv_zone};
use crate::{app::AppState, error::AppError, extract::ApiQuery, security::CurrentUser, service::ServiceError};

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    // Only the export writes times, but an offset out of range is refused wherever it is given.
    csv_zone(q.utc_offset_minutes)?;
    Ok(Json(state.calls.audit_entries(&user.actor(), &q).await?))
}

pub async fn export(State(state): State<AppState>, user: CurrentUser, ApiQuery(mut q): ApiQuery<AuditQuery>) -> Result<Response, AppError> {
    q.limit = Some(q.limit.unwrap_or(10_000));
    let zone = csv_zone(q.utc_offset_minutes)?;
    let entries = state.calls.audit_entries(&user.actor(), &q).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let w = |e: csv::Error| AppError::from(ServiceError::Internal(e.to_string()));
    out.write_record(["id", "at", "subject", "email", "auth_mode", "on_behalf_of", "action", "account_id", "target", "outcome", "detail"])
        .map_err(w)?;
    for e in entries {
        out.write_record([
            e.id.to_string(),
            csv_time(e.at, zone),
            csv_cell(&e.subject),
            csv_cell(e.email.as_deref().unwrap_or_default()),
            e.auth_mode,
            csv_cell(e.on_behalf_of.as_deref().unwrap_or_default()),
            e.action,
            csv_cell(e.account_id.as_deref().unwrap_or_default()),
            csv_cell(e.target.as_deref().unwrap_or_default()),
            e.outcome,
            csv_cell(e.detail.as_deref().unwrap_or_default()),
        ])
        .map_err(w)?;
    }
    Ok(csv_response(out.into_inner().map_err(|e| AppError::from(ServiceError::Internal(e.to_string())))?, "callout-console-audit.csv"))
}
