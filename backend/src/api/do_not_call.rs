//! The do-not-call list: admins add and remove numbers; every dialling path skips them.

use axum::{extract::State, http::StatusCode, Json};
use callout_shared::dnc::{AddDoNotCall, DoNotCallAdded, DoNotCallEntry};

use crate::{
    app::AppState,
    error::AppError,
    extract::{ApiJson, ApiPath},
    security::CurrentUser,
};

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<DoNotCallEntry>>, AppError> {
    Ok(Json(state.calls.do_not_call_entries(&user.actor()).await?))
}

/// Answers with the entry as stored: 201 when new, 200 when it was listed already.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<AddDoNotCall>,
) -> Result<(StatusCode, Json<DoNotCallAdded>), AppError> {
    let added = state.calls.add_do_not_call(&user.actor(), &body).await?;
    Ok((if added.already_listed { StatusCode::OK } else { StatusCode::CREATED }, Json(added)))
}

pub async fn remove(State(state): State<AppState>, user: CurrentUser, ApiPath(e164): ApiPath<String>) -> Result<StatusCode, AppError> {
    state.calls.remove_do_not_call(&user.actor(), &e164).await?;
    Ok(StatusCode::NO_CONTENT)
}
