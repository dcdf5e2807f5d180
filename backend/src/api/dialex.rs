//! `POST /api/v1/dialex`: one Contact Center back-office call, routed once answered.

use axum::{extract::State, Json};
use callout_shared::{
    dialex::{validate_rout_point, DialExResult, StartDialEx},
    me::Role,
    numbers::{NormalizedNumber, NumberInput},
};

use crate::{app::AppState, error::AppError, extract::ApiJson, phone, security::CurrentUser};

pub async fn start(State(state): State<AppState>, user: CurrentUser, ApiJson(body): ApiJson<StartDialEx>) -> Result<Json<DialExResult>, AppError> {
    user.require(Role::Operator)?;
    let account = state.accounts.aliyun(&body.account_id)?;
    let mut call = body.call;
    if !account.summary.instances.is_empty() && !account.summary.instances.iter().any(|i| i.id == call.instance_id) {
        return Err(AppError::invalid("instance_id", format!("instance `{}` is not configured for this account", call.instance_id)));
    }
    validate_rout_point(call.answer_mode, &call.rout_point).map_err(|e| AppError::invalid("rout_point", e.message()))?;
    call.callee = ccc_number(&call.callee, "callee")?;
    call.caller = ccc_number(&call.caller, "caller")?;
    tracing::info!(target: "audit", event = "dialex", user = %user.identity.subject, account = %body.account_id, instance = %call.instance_id, callee = %call.callee, mode = ?call.answer_mode);
    let result = account.client.dial_ex(&call).await?;
    tracing::info!(target: "audit", event = "dialex_accepted", task_id = %result.task_id);
    Ok(Json(result))
}

/// A number the way CCC dials it: national digits inside China, `00` + country code abroad.
fn ccc_number(raw: &str, field: &str) -> Result<String, AppError> {
    let input = NumberInput { number: raw.to_owned(), ..NumberInput::default() };
    let number: NormalizedNumber =
        phone::normalize(&input, phone::DEFAULT_REGION).map_err(|problem| AppError::InvalidNumber { field: field.into(), problem })?;
    Ok(if number.country_code == 86 { number.national_format } else { format!("00{}{}", number.country_code, number.national_number) })
}
