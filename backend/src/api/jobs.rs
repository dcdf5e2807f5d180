//! Jobs of every kind (meeting callouts, DialEx lists): submit (idempotent), read, export, retry
//! unknown, cancel ringing, pause, resume and stop.

use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use callout_shared::{
    jobs::{CalloutJob, CreateCalloutJob, ExportQuery, JobControl, JobControlled, JobList, JobListQuery, RetryUnknown},
    meeting::CancelResult,
    number_list::CSV_TEMPLATE,
};

use super::idempotency::{self, IdempotencyKey};
use crate::{
    app::AppState,
    error::AppError,
    extract::{ApiJson, ApiPath, ApiQuery},
    security::CurrentUser,
    service::ServiceError,
};

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<CreateCalloutJob>,
) -> Response {
    let (calls, actor, request) = (state.calls.clone(), user.actor(), body.clone());
    let work = async move { calls.create_callout_job(&actor, &request).await };
    idempotency::once(&state, &user, key, "POST /callouts", &body, StatusCode::ACCEPTED, work).await
}

pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(q): ApiQuery<JobListQuery>,
) -> Result<Json<JobList>, AppError> {
    Ok(Json(state.calls.list_jobs(&q).await?))
}

pub async fn get(State(state): State<AppState>, _user: CurrentUser, ApiPath(id): ApiPath<String>) -> Result<Json<CalloutJob>, AppError> {
    Ok(Json(state.calls.job(&id).await?))
}

/// Every row of the job as CSV, for people without a CRM: times in the reader's zone, the time to
/// answer and the call's length in seconds.
pub async fn export(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, AppError> {
    let zone = csv_zone(q.utc_offset_minutes)?;
    let job = state.calls.job(&id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let w = |e: csv::Error| AppError::from(ServiceError::Internal(e.to_string()));
    out.write_record([
        "row",
        "input",
        "e164",
        "nick_name",
        "batch",
        "phase",
        "status",
        "raw_status",
        "reason",
        "reason_code",
        "ms_open_id",
        "task_id",
        "updated_at",
        "sent_at",
        "answered_at",
        "ended_at",
        "seconds_to_answer",
        "call_seconds",
        "attempt",
    ])
    .map_err(w)?;
    // Each attempt of a row is its own dial, on its own line.
    for i in &job.every_attempt() {
        out.write_record([
            (i.row + 1).to_string(),
            csv_cell(&i.input),
            csv_cell(i.e164.as_deref().unwrap_or_default()),
            csv_cell(i.nick_name.as_deref().unwrap_or_default()),
            i.batch.map(|b| b.to_string()).unwrap_or_default(),
            i.phase.as_str().to_owned(),
            i.status.as_str().to_owned(),
            csv_cell(i.raw_status.as_deref().unwrap_or_default()),
            csv_cell(i.reason.as_deref().unwrap_or_default()),
            i.reason_code.map(|c| c.as_str()).unwrap_or_default().to_owned(),
            csv_cell(&if i.ms_open_ids.is_empty() { i.ms_open_id.clone().unwrap_or_default() } else { i.ms_open_ids.join(" ") }),
            csv_cell(i.task_id.as_deref().unwrap_or_default()),
            csv_time(i.updated_at, zone),
            i.sent_at.map(|t| csv_time(t, zone)).unwrap_or_default(),
            i.answered_at.map(|t| csv_time(t, zone)).unwrap_or_default(),
            i.ended_at.map(|t| csv_time(t, zone)).unwrap_or_default(),
            i.time_to_answer().map(seconds).unwrap_or_default(),
            i.call_length().map(seconds).unwrap_or_default(),
            i.attempt.to_string(),
        ])
        .map_err(w)?;
    }
    let bytes = out.into_inner().map_err(|e| AppError::from(ServiceError::Internal(e.to_string())))?;
    Ok(csv_response(bytes, &format!("callout-job-{id}.csv")))
}

pub async fn template() -> Response {
    csv_response(CSV_TEMPLATE.as_bytes().to_vec(), "callout-numbers-template.csv")
}

const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// A cell a spreadsheet will not run: text that starts like a formula (`=`, `+`, `-`, `@`, tab, CR)
/// gets a leading `'`, as OWASP advises for CSV injection.
pub fn csv_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The zone an export writes its times in: the reader's offset from UTC, UTC when not given.
pub fn csv_zone(utc_offset_minutes: Option<i32>) -> Result<chrono::FixedOffset, AppError> {
    let minutes = utc_offset_minutes.unwrap_or(0);
    chrono::FixedOffset::east_opt(minutes * 60)
        .filter(|_| minutes.abs() <= 840)
        .ok_or_else(|| AppError::invalid("utc_offset_minutes", "an offset from UTC is -840 to 840 minutes"))
}

/// A stored time (Unix milliseconds) as a spreadsheet reads it: ISO 8601 / RFC 3339 in the reader's
/// zone with its offset written out, to the millisecond.
pub fn csv_time(unix_ms: i64, zone: chrono::FixedOffset) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms)
        .map(|t| t.with_timezone(&zone).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|| unix_ms.to_string())
}

/// Milliseconds as seconds with one decimal.
fn seconds(ms: i64) -> String {
    format!("{:.1}", ms as f64 / 1000.0)
}

/// A CSV download. It starts with a UTF-8 byte order mark: without it Excel reads the file in the
/// machine's legacy code page and garbles Chinese names.
pub fn csv_response(mut bytes: Vec<u8>, filename: &str) -> Response {
    bytes.splice(0..0, UTF8_BOM);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

pub async fn retry_unknown(
    State(state): State<AppState>,
    user: CurrentUser,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RetryUnknown>,
) -> Response {
    let route = format!("POST /callouts/{id}/retry-unknown");
    let (calls, actor, request) = (state.calls.clone(), user.actor(), body.clone());
    let work = async move { calls.retry_unknown(&actor, &id, &request).await };
    idempotency::once(&state, &user, key, &route, &body, StatusCode::OK, work).await
}

/// Holds the job's numbers not sent yet (across restarts) until it is resumed.
pub async fn pause(state: State<AppState>, user: CurrentUser, id: ApiPath<String>) -> Result<Json<JobControlled>, AppError> {
    control(state, user, id, JobControl::Pause).await
}

pub async fn resume(state: State<AppState>, user: CurrentUser, id: ApiPath<String>) -> Result<Json<JobControlled>, AppError> {
    control(state, user, id, JobControl::Resume).await
}

/// The job's numbers not sent yet are never sent.
pub async fn stop(state: State<AppState>, user: CurrentUser, id: ApiPath<String>) -> Result<Json<JobControlled>, AppError> {
    control(state, user, id, JobControl::Stop).await
}

async fn control(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    action: JobControl,
) -> Result<Json<JobControlled>, AppError> {
    Ok(Json(state.calls.control_job(&user.actor(), &id, action).await?))
}

/// Cancels every call of the job that is still ringing.
pub async fn cancel_ringing(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CancelResult>, AppError> {
    Ok(Json(state.calls.cancel_ringing(&user.actor(), &id).await?))
}
