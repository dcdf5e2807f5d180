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
    Ok(Json(state.store.do_not_call_entries().await?))
}

pub async fn add(State(state): State<AppState>, user: CurrentUser, ApiJson(body): ApiJson<AddDoNotCall>) -> Result<StatusCode, AppError> {
    user.require(Role::Admin)?;
    let number = phone::normalize(&body.number, phone::DEFAULT_REGION)
        .map_err(|problem| AppError::InvalidNumber { field: "number".into(), problem })?;
    state.store.add_do_not_call(&number.e164, body.note.as_deref(), &user.identity.subject).await?;
    record(&state, &user, "do_not_call_add", None, Some(&number.e164), None, "ok", body.note.as_deref()).await;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn remove(State(state): State<AppState>, user: CurrentUser, Path(e164): Path<String>) -> Result<StatusCode, AppError> {
    user.require(Role::Admin)?;
    if !state.store.remove_do_not_call(&e164).await? {
        return Err(AppError::NotFound(format!("{e164} is not on the list")));
    }
    record(&state, &user, "do_not_call_remove", None, Some(&e164), None, "ok", None).await;
    Ok(StatusCode::NO_CONTENT)
}
