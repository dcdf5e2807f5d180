//! `POST /numbers/validate`: the forms' check of every row as it is typed or pasted.

use axum::{extract::State, Json};
use callout_shared::numbers::{ValidateNumbersRequest, ValidateNumbersResponse};

use crate::{app::AppState, error::AppError, extract::ApiJson, security::CurrentUser};

pub async fn validate(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<ValidateNumbersRequest>,
) -> Result<Json<ValidateNumbersResponse>, AppError> {
    Ok(Json(state.calls.validate_numbers(&user.actor(), &request).await?))
}
