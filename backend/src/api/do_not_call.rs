//! The do-not-call list: admins add and remove numbers; every job skips them.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use callout_shared::{
    dnc::{AddDoNotCall, DoNotCallEntry},
    me::Role,
};

use super::audit::record;
use crate::{app::AppState, error::AppError, extract::ApiJson, phone, security::CurrentUser};

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<DoNotCallEntry>>, AppError> {
    user.require(Role::Operator)?;
    let mut entries = state.store.do_not_call_entries().await?;
    // Numbers from the configuration file are listed too, marked so the UI offers no removal.
    for e164 in state.dialler.configured_do_not_call_numbers() {
        match entries.iter_mut().find(|e| e.e164 == e164) {
            Some(entry) => entry.configured = true,
            None => entries.push(DoNotCallEntry { e164: e164.to_owned(), note: None, added_by: None, added_at: None, configured: true }),
        }
    }
    entries.sort_by(|a, b| a.e164.cmp(&b.e164));
    Ok(Json(entries))
}

/// Answers with the entry as stored (201 when new, 200 when only its note changed), so the caller
/// sees the number in its E.164 form. A number of the configuration file is not stored again: a
/// database row would outlive its removal from the file.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<AddDoNotCall>,
) -> Result<(StatusCode, Json<DoNotCallEntry>), AppError> {
    user.require(Role::Admin)?;
    let number = phone::normalize(&body.number, phone::DEFAULT_REGION)
        .map_err(|problem| AppError::InvalidNumber { field: "number".into(), problem })?;
    if state.dialler.configured_do_not_call(&number.e164) {
        return Err(configured(&number.e164));
    }
    let (entry, created) = state.store.add_do_not_call(&number.e164, body.note.as_deref(), &user.identity.subject).await?;
    record(&state, &user, "do_not_call_add", None, Some(&number.e164), None, "ok", body.note.as_deref()).await;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(entry)))
}

fn configured(e164: &str) -> AppError {
    AppError::Conflict {
        code: "do_not_call_configured",
        message: format!("{e164} is on the list through the configuration file; change it there"),
    }
}

pub async fn remove(State(state): State<AppState>, user: CurrentUser, Path(e164): Path<String>) -> Result<StatusCode, AppError> {
    user.require(Role::Admin)?;
    if state.dialler.configured_do_not_call(&e164) {
        return Err(configured(&e164));
    }
    if !state.store.remove_do_not_call(&e164).await? {
        return Err(AppError::NotFound(format!("{e164} is not on the list")));
    }
    record(&state, &user, "do_not_call_remove", None, Some(&e164), None, "ok", None).await;
    Ok(StatusCode::NO_CONTENT)
}
