//! Tencent Meeting PSTN operations on one meeting: callout (one provider batch), the callout
//! status list, cancelling ringing callouts, and the ms_open_id lookup.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use callout_shared::{
    me::Role,
    meeting::{
        CalloutResult, CalloutStatusPage, CancelResult, MeetingAccount, MeetingCalloutRequest, MeetingNumbersRequest, MsOpenIdResult,
        PhoneNumber, PhoneTarget,
    },
    numbers::NumberInput,
};
use serde::Deserialize;

use super::{audit::record, dialex::outcome_of, idempotency};
use crate::{
    accounts::TencentEntry,
    app::AppState,
    error::AppError,
    extract::{ApiJson, ApiQuery},
    phone,
    providers::tencent_meeting::MAX_PAGE_SIZE,
    security::CurrentUser,
};

/// Pages fetched at most for `all=true` (100 per page: ten thousand callouts).
const MAX_PAGES: u32 = 100;

pub async fn callout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(meeting_id): Path<String>,
    ApiJson(body): ApiJson<MeetingCalloutRequest>,
) -> Response {
    let route = format!("POST /meetings/{meeting_id}/callout");
    idempotency::once(&state, &user, &headers, &route, &body, || one_batch(&state, &user, &meeting_id, &body)).await
}

async fn one_batch(
    state: &AppState,
    user: &CurrentUser,
    meeting_id: &str,
    body: &MeetingCalloutRequest,
) -> Result<(StatusCode, CalloutResult), AppError> {
    user.require(Role::Operator)?;
    let meeting_id = meeting_id_param(meeting_id)?;
    let (entry, operator) = resolve(state, user, &body.account)?;
    let cap = entry.client.account().callout_batch_cap;
    if body.numbers.is_empty() || body.numbers.len() > cap {
        return Err(AppError::invalid("numbers", format!("one request takes 1 to {cap} numbers; use a callout job for more")));
    }
    let numbers: Vec<NumberInput> = body.numbers.iter().map(|n| n.number.clone()).collect();
    let targets: Vec<PhoneTarget> = provider_numbers(&numbers)?
        .into_iter()
        .zip(&body.numbers)
        .map(|(n, input)| PhoneTarget {
            area: n.area,
            phone: n.phone,
            extension: n.extension,
            nick_name: input.nick_name.clone().filter(|s| !s.trim().is_empty()),
        })
        .collect();
    entry.limiter.acquire().await;
    let result = entry.client.callout(meeting_id, &operator, &targets).await;
    let (outcome, detail) = outcome_of(&result, |r| format!("{} accepted, {} refused", r.accepted.len(), r.invalid.len()));
    let target =
        format!("meeting {meeting_id}: {}", targets.iter().map(|t| format!("+{}{}", t.area, t.phone)).collect::<Vec<_>>().join(" "));
    record(state, user, "meeting_callout", Some(&body.account.account_id), Some(&target), Some(&operator), outcome, Some(&detail)).await;
    Ok((StatusCode::OK, result?))
}

#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    pub account_id: String,
    pub operator_id: Option<String>,
    #[serde(default = "first_page")]
    pub page: u32,
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// Every page, concatenated.
    #[serde(default)]
    pub all: bool,
}

fn first_page() -> u32 {
    1
}
fn default_page_size() -> u32 {
    20
}

pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(meeting_id): Path<String>,
    ApiQuery(query): ApiQuery<StatusQuery>,
) -> Result<Json<CalloutStatusPage>, AppError> {
    let meeting_id = meeting_id_param(&meeting_id)?;
    let account = MeetingAccount { account_id: query.account_id.clone(), operator_id: query.operator_id.clone() };
    let (entry, operator) = resolve(&state, &user, &account)?;
    if query.page == 0 {
        return Err(AppError::invalid("page", "pages count from 1"));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&query.page_size) {
        return Err(AppError::invalid("page_size", format!("page_size is 1 to {MAX_PAGE_SIZE}")));
    }
    entry.limiter.acquire().await;
    if !query.all {
        let page = entry.client.callout_status(meeting_id, &operator, query.page, query.page_size).await?;
        return Ok(Json(mark_ours(&state, &query.account_id, page).await?));
    }
    let mut all = entry.client.callout_status(meeting_id, &operator, 1, MAX_PAGE_SIZE).await?;
    let mut page = 1;
    while page < all.total_page.min(MAX_PAGES) {
        page += 1;
        entry.limiter.acquire().await;
        let next = entry.client.callout_status(meeting_id, &operator, page, MAX_PAGE_SIZE).await?;
        all.items.extend(next.items);
    }
    all.current_page = 1;
    all.page_size = all.items.len() as u32;
    all.total_page = 1;
    Ok(Json(mark_ours(&state, &query.account_id, all).await?))
}

/// Marks the rows this console placed, with their job and submitter.
async fn mark_ours(state: &AppState, account_id: &str, mut page: CalloutStatusPage) -> Result<CalloutStatusPage, AppError> {
    let ours = state.store.console_callouts(account_id, &page.meeting_id).await?;
    for item in &mut page.items {
        let c = &item.callee;
        item.console = ours.get(&(c.area, c.phone.clone(), c.extension.clone())).cloned();
    }
    Ok(page)
}

pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(meeting_id): Path<String>,
    ApiJson(body): ApiJson<MeetingNumbersRequest>,
) -> Result<Json<CancelResult>, AppError> {
    user.require(Role::Operator)?;
    let meeting_id = meeting_id_param(&meeting_id)?;
    let (entry, operator) = resolve(&state, &user, &body.account)?;
    let numbers = provider_numbers(&body.numbers)?;
    entry.limiter.acquire().await;
    let result = entry.client.cancel_callout(meeting_id, &operator, &numbers).await;
    let (outcome, detail) = outcome_of(&result, |r| format!("{} cancelled, {} not", r.succeeded.len(), r.failed.len()));
    record(
        &state,
        &user,
        "callout_cancel",
        Some(&body.account.account_id),
        Some(&format!("meeting {meeting_id}")),
        Some(&operator),
        outcome,
        Some(&detail),
    )
    .await;
    Ok(Json(result?))
}

pub async fn ms_open_ids(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(meeting_id): Path<String>,
    ApiJson(body): ApiJson<MeetingNumbersRequest>,
) -> Result<Json<MsOpenIdResult>, AppError> {
    let meeting_id = meeting_id_param(&meeting_id)?;
    let (entry, operator) = resolve(&state, &user, &body.account)?;
    let numbers = provider_numbers(&body.numbers)?;
    entry.limiter.acquire().await;
    Ok(Json(entry.client.pstn_ms_open_ids(meeting_id, &operator, &numbers).await?))
}

/// The account and the Tencent `operator_id` a request acts as.
pub fn resolve<'a>(state: &'a AppState, user: &CurrentUser, account: &MeetingAccount) -> Result<(&'a TencentEntry, String), AppError> {
    let entry = state.accounts.tencent(&account.account_id)?;
    let own = user.operator_id.clone().or_else(|| entry.default_operator.clone());
    let operator = match account.operator_id.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(requested) if Some(requested) != own.as_deref() => {
            if user.role < Role::Admin {
                return Err(AppError::Forbidden("only admins may act on behalf of another operator".into()));
            }
            requested.to_owned()
        }
        _ => own.ok_or_else(|| {
            AppError::Forbidden("no Tencent Meeting operator_id is mapped to your sign-in; ask an admin to add you to operator_ids".into())
        })?,
    };
    Ok((entry, operator))
}

/// Meeting ids are decimal strings of up to 20 digits (they overflow a signed 64-bit integer).
pub fn meeting_id_param(id: &str) -> Result<&str, AppError> {
    let id = id.trim();
    if id.is_empty() || id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("meeting_id", "a meeting id is 1 to 20 digits (not the 9-digit meeting code with spaces)"));
    }
    Ok(id)
}

/// Normalises every row with the one normaliser; the first bad or repeated row is the error.
pub fn provider_numbers(inputs: &[NumberInput]) -> Result<Vec<PhoneNumber>, AppError> {
    let mut seen = std::collections::HashMap::new();
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let n = phone::normalize(input, phone::DEFAULT_REGION)
                .map_err(|problem| AppError::InvalidNumber { field: format!("numbers[{i}]"), problem })?;
            if let Some(first) = seen.insert(n.e164.clone(), i) {
                return Err(AppError::invalid(format!("numbers[{i}]"), format!("{} repeats row {first}", n.e164)));
            }
            Ok(PhoneNumber { area: u32::from(n.country_code), phone: n.national_number, extension: n.extension })
        })
        .collect()
}
