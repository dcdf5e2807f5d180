//! Meeting callout jobs: submit (idempotent), read, export, retry unknown, cancel ringing.

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use callout_shared::{
    call_status::CallStatus,
    jobs::{CalloutJob, CreateCalloutJob, JobSummary},
    me::Role,
    meeting::{CancelResult, MeetingAccount, PhoneNumber},
    number_list::CSV_TEMPLATE,
};

use super::{
    audit::record,
    idempotency,
    meetings::{meeting_id_param, resolve},
};
use crate::{
    app::AppState,
    error::AppError,
    extract::{ApiJson, ApiQuery},
    security::CurrentUser,
    service::dialler::Submitter,
};

#[derive(serde::Serialize)]
pub struct CreatedJob {
    pub job_id: String,
    pub job: JobSummary,
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateCalloutJob>,
) -> Response {
    idempotency::once(&state, &user, &headers, "POST /callouts", &body, || async {
        user.require(Role::Operator)?;
        meeting_id_param(&body.meeting_id)?;
        let account = MeetingAccount { account_id: body.account_id.clone(), operator_id: body.operator_id.clone() };
        let (_, operator) = resolve(&state, &user, &account)?;
        let submitter =
            Submitter { subject: user.identity.subject.clone(), email: user.identity.email.clone(), operator_id: operator.clone() };
        let result = state.dialler.create_job(&body, &submitter).await;
        let (outcome, detail) = match &result {
            Ok(job) => (
                "ok",
                format!(
                    "job {}: {} rows, {} batches, {} invalid, {} duplicates, {} blocked",
                    job.id,
                    job.counters.rows,
                    job.counters.batches_total,
                    job.counters.invalid,
                    job.counters.duplicates,
                    job.counters.blocked
                ),
            ),
            Err(err) => ("refused", err.to_string()),
        };
        // The job id in the target lets the audit log link to the job.
        let target = match &result {
            Ok(job) => format!("meeting {} job {}", body.meeting_id, job.id),
            Err(_) => format!("meeting {}", body.meeting_id),
        };
        record(&state, &user, "callout_job", Some(&body.account_id), Some(&target), Some(&operator), outcome, Some(&detail)).await;
        let job = result?;
        Ok((StatusCode::ACCEPTED, CreatedJob { job_id: job.id.clone(), job }))
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    limit: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<JobSummary>>, AppError> {
    Ok(Json(state.store.recent_jobs(q.limit.unwrap_or(50).clamp(1, 500)).await?))
}

pub async fn get(State(state): State<AppState>, _user: CurrentUser, Path(id): Path<String>) -> Result<Json<CalloutJob>, AppError> {
    Ok(Json(load(&state, &id).await?))
}

async fn load(state: &AppState, id: &str) -> Result<CalloutJob, AppError> {
    state.store.job(id).await?.ok_or_else(|| AppError::NotFound(format!("no callout job {id}")))
}

/// Every row of the job as CSV, for people without a CRM.
pub async fn export(State(state): State<AppState>, _user: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let job = load(&state, &id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let w = |e: csv::Error| AppError::Internal(e.to_string());
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
        "ms_open_id",
        "updated_at_ms",
    ])
    .map_err(w)?;
    for i in &job.items {
        let phase = serde_json::to_value(i.phase).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        out.write_record([
            (i.row + 1).to_string(),
            i.input.clone(),
            i.e164.clone().unwrap_or_default(),
            i.nick_name.clone().unwrap_or_default(),
            i.batch.map(|b| b.to_string()).unwrap_or_default(),
            phase,
            i.status.as_str().to_owned(),
            i.raw_status.clone().unwrap_or_default(),
            i.reason.clone().unwrap_or_default(),
            i.ms_open_id.clone().unwrap_or_default(),
            i.updated_at.to_string(),
        ])
        .map_err(w)?;
    }
    let bytes = out.into_inner().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(csv_response(bytes, &format!("callout-job-{id}.csv")))
}

pub async fn template() -> Response {
    csv_response(CSV_TEMPLATE.as_bytes().to_vec(), "callout-numbers-template.csv")
}

pub fn csv_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct RetryUnknown {
    /// Must be true: re-dialling numbers that may already have been called is a person's decision.
    pub confirm: bool,
}

#[derive(serde::Serialize)]
pub struct RetryResult {
    pub requeued: u32,
    pub job: JobSummary,
}

pub async fn retry_unknown(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RetryUnknown>,
) -> Response {
    let route = format!("POST /callouts/{id}/retry-unknown");
    idempotency::once(&state, &user, &headers, &route, &body, || async {
        user.require(Role::Operator)?;
        if !body.confirm {
            return Err(AppError::invalid("confirm", "set confirm to true: these numbers may already have been called"));
        }
        let job = state.store.job_ref(&id).await?.ok_or_else(|| AppError::NotFound(format!("no callout job {id}")))?;
        let (requeued, summary) = state.dialler.retry_unknown(&id).await?;
        record(
            &state,
            &user,
            "callout_retry_unknown",
            Some(&job.account_id),
            Some(&format!("job {id}")),
            Some(&job.operator_id),
            "ok",
            Some(&format!("{requeued} numbers queued again")),
        )
        .await;
        Ok((StatusCode::OK, RetryResult { requeued, job: summary }))
    })
    .await
}

/// Cancels every call of the job that is still ringing.
pub async fn cancel_ringing(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CancelResult>, AppError> {
    user.require(Role::Operator)?;
    let jref = state.store.job_ref(&id).await?.ok_or_else(|| AppError::NotFound(format!("no callout job {id}")))?;
    let entry = state.accounts.tencent(&jref.account_id)?;
    let numbers: Vec<PhoneNumber> = state
        .store
        .open_items(&jref.account_id, &jref.meeting_id, 0)
        .await?
        .into_iter()
        .filter(|i| i.job_id == id && matches!(i.status, CallStatus::Queued | CallStatus::Ringing))
        .map(|i| PhoneNumber { area: i.area, phone: i.phone, extension: i.extension })
        .collect();
    if numbers.is_empty() {
        return Ok(Json(CancelResult { succeeded: vec![], failed: vec![] }));
    }
    let mut result = CancelResult { succeeded: vec![], failed: vec![] };
    for chunk in numbers.chunks(entry.client.account().callout_batch_cap.max(1)) {
        entry.limiter.acquire().await;
        let r = entry.client.cancel_callout(&jref.meeting_id, &jref.operator_id, chunk).await;
        let outcome = if r.is_ok() { "ok" } else { "failed" };
        record(
            &state,
            &user,
            "callout_cancel",
            Some(&jref.account_id),
            Some(&format!("job {id}")),
            Some(&jref.operator_id),
            outcome,
            Some(&format!("{} numbers", chunk.len())),
        )
        .await;
        let r = r?;
        result.succeeded.extend(r.succeeded);
        result.failed.extend(r.failed);
    }
    state.dialler.follow(&jref.account_id, &jref.meeting_id, &jref.operator_id);
    Ok(Json(result))
}
