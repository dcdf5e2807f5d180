//! `POST /api/v1/dialex`: one Contact Center back-office call, routed once answered.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use callout_shared::{
    dialex::{validate_rout_point, DialExResult, StartDialEx},
    me::Role,
    numbers::{NormalizedNumber, NumberInput},
};

use super::{audit::record, idempotency};
use crate::{app::AppState, error::AppError, extract::ApiJson, phone, providers::ProviderError, security::CurrentUser};

pub async fn start(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap, ApiJson(body): ApiJson<StartDialEx>) -> Response {
    idempotency::once(&state, &user, &headers, "POST /dialex", &body, || dial(&state, &user, body.clone())).await
}

async fn dial(state: &AppState, user: &CurrentUser, body: StartDialEx) -> Result<(StatusCode, DialExResult), AppError> {
    user.require(Role::Operator)?;
    let account = state.accounts.aliyun(&body.account_id)?;
    let mut call = body.call;
    if !account.summary.instances.is_empty() && !account.summary.instances.iter().any(|i| i.id == call.instance_id) {
        return Err(AppError::invalid("instance_id", format!("instance `{}` is not configured for this account", call.instance_id)));
    }
    validate_rout_point(call.answer_mode, &call.rout_point).map_err(|e| AppError::invalid("rout_point", e.message()))?;
    call.callee = ccc_number(&call.callee, "callee")?;
    call.caller = ccc_number(&call.caller, "caller")?;
    let target = format!("{} via instance {} ({:?} {})", call.callee, call.instance_id, call.answer_mode, call.rout_point);
    let result = account.client.dial_ex(&call).await;
    let (outcome, detail) = outcome_of(&result, |r| format!("task {}", r.task_id));
    record(state, user, "dialex", Some(&body.account_id), Some(&target), None, outcome, Some(&detail)).await;
    let result = result?;
    state.store.record_dialex(&body.account_id, &call, &result.task_id, &user.identity.subject).await?;
    Ok((StatusCode::OK, result))
}

/// Audit outcome and detail of a provider call.
pub fn outcome_of<T>(result: &Result<T, ProviderError>, ok: impl Fn(&T) -> String) -> (&'static str, String) {
    match result {
        Ok(value) => ("ok", ok(value)),
        Err(err @ ProviderError::Unknown { .. }) => ("unknown", err.to_string()),
        Err(err @ ProviderError::Rejected { .. }) => ("rejected", err.to_string()),
        Err(err) => ("not_sent", err.to_string()),
    }
}

/// A number the way CCC dials it: national digits inside China, `00` + country code abroad.
fn ccc_number(raw: &str, field: &str) -> Result<String, AppError> {
    let input = NumberInput { number: raw.to_owned(), ..NumberInput::default() };
    let number: NormalizedNumber =
        phone::normalize(&input, phone::DEFAULT_REGION).map_err(|problem| AppError::InvalidNumber { field: field.into(), problem })?;
    Ok(if number.country_code == 86 { number.national_format } else { format!("00{}{}", number.country_code, number.national_number) })
}
