//! Tencent Meeting PSTN operations on one meeting: the one-batch callout (a one-batch job), the
//! callout status list, cancelling ringing callouts, and the ms_open_id lookup.

use std::sync::Arc;

use callout_shared::{
    call_status::CallStatus,
    me::Role,
    meeting::{
        BatchCalloutResult, CalloutStatusPage, CalloutStatusQuery, CancelResult, MeetingCalloutRequest, MeetingNumbersRequest,
        MsOpenIdResult, PhoneNumber,
    },
    numbers::NumberInput,
};

use super::{
    audit::{outcome_of, service_outcome, Audit},
    follower::{Pages, MAX_PAGES_FOR_A_PERSON},
    jobs::{job_operator, BatchOutcome, Dispatch, Recorded, Rows},
    meeting_id_param,
    pacing::Lane,
    Actor, Calls, ServiceError,
};
use crate::{
    accounts::TencentEntry,
    phone,
    providers::tencent_meeting::MAX_PAGE_SIZE,
    store::jobs::{JobRef, JobTarget},
};

impl Calls {
    /// Up to one provider batch, answered at once: a job of one batch, sent in this request's lane.
    pub async fn callout_batch(
        self: &Arc<Self>,
        actor: &Actor,
        meeting_id: &str,
        request: &MeetingCalloutRequest,
    ) -> Result<BatchCalloutResult, ServiceError> {
        actor.require(Role::Operator)?;
        let account_id = &request.account.account_id;
        let result = self.dial_one_batch(actor, meeting_id, request).await;
        let about = format!("meeting {meeting_id}");
        let (target, operator) = match &result {
            Ok((job, _)) => (format!("{about} job {}", job.id), job_operator(job)),
            Err(_) => (about, request.account.operator_id.as_deref()),
        };
        let (outcome, detail) = service_outcome(&result, |(_, a)| {
            format!("{} accepted, {} refused, {} not dialled", a.accepted.len(), a.invalid.len(), a.not_dialled.len())
        });
        let audit = Audit {
            action: "meeting_callout",
            account_id: Some(account_id),
            target: Some(&target),
            operator,
            outcome,
            detail: Some(&detail),
        };
        self.audit(actor, audit).await;
        result.map(|(_, answer)| answer)
    }

    /// Records the batch as a job of one batch and sends it in the person's lane.
    async fn dial_one_batch(
        self: &Arc<Self>,
        actor: &Actor,
        meeting_id: &str,
        request: &MeetingCalloutRequest,
    ) -> Result<(JobRef, BatchCalloutResult), ServiceError> {
        let account_id = &request.account.account_id;
        let Recorded { job, not_dialled, sending } = self
            .record_meeting_job(actor, account_id, meeting_id, request.account.operator_id.as_deref(), Dispatch::AtOnce, |cap| {
                if request.numbers.is_empty() || request.numbers.len() > cap {
                    return Err(ServiceError::invalid(
                        "numbers",
                        format!("one request takes 1 to {cap} numbers; use a callout job for more"),
                    ));
                }
                // Answered at once, so a bad or repeated row refuses the request before anything is recorded.
                let inputs: Vec<NumberInput> = request.numbers.iter().map(|n| n.number.clone()).collect();
                provider_numbers(&inputs)?;
                Ok(Rows::new(request.numbers.clone()))
            })
            .await?;
        let mut answer = BatchCalloutResult {
            job_id: job.id.clone(),
            meeting_id: meeting_id.to_owned(),
            accepted: vec![],
            invalid: vec![],
            not_dialled,
        };
        // Numbers up to the cap are one batch, recorded as being sent.
        if !sending.is_empty() {
            match self.send_recorded_batch(&job, &sending, Lane::Person).await? {
                BatchOutcome::Answered(result) => {
                    answer.accepted = result.accepted;
                    answer.invalid = result.invalid;
                }
                BatchOutcome::NotSent(err) => {
                    // A person is waiting: say so now rather than dialling later behind their back.
                    self.fail_unsent(&sending, &err).await?;
                    return Err(err.into());
                }
                BatchOutcome::Refused(err) | BatchOutcome::Unknown(err) => return Err(err.into()),
                // Smaller batches (or a batch held by a pause) now wait for the job's own sender.
                BatchOutcome::Split | BatchOutcome::Held => self.clone().spawn_job(job.clone()),
                BatchOutcome::Placed(_) => return Err(ServiceError::Internal("a callout batch answered like a DialEx call".into())),
            }
        }
        self.publish_job(&job.id).await?;
        if let JobTarget::Meeting { meeting_id, operator_id } = &job.target {
            self.follow(account_id, meeting_id, operator_id);
        }
        Ok((job, answer))
    }

    /// The provider's callout list of a meeting (every caller), with the rows this console placed marked.
    pub async fn callout_status(
        &self,
        actor: &Actor,
        meeting_id: &str,
        query: &CalloutStatusQuery,
    ) -> Result<CalloutStatusPage, ServiceError> {
        let meeting_id = meeting_id_param(meeting_id)?;
        let entry = self.tencent(&query.account_id)?;
        let operator = self.operator_for(actor, entry, query.operator_id.as_deref())?;
        if query.page == 0 {
            return Err(ServiceError::invalid("page", "pages count from 1"));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&query.page_size) {
            return Err(ServiceError::invalid("page_size", format!("page_size is 1 to {MAX_PAGE_SIZE}")));
        }
        let page = if query.all {
            let pages = Pages { first: 1, at_most: Some(MAX_PAGES_FOR_A_PERSON) };
            let mut all = self.callouts_from(entry, meeting_id, &operator, pages, Lane::Person).await?;
            // One page holding everything read.
            all.total_page = 1;
            all
        } else {
            entry.client.call(Lane::Person, |c| c.callout_status(meeting_id, &operator, query.page, query.page_size)).await?
        };
        self.mark_ours(&query.account_id, page).await
    }

    /// Marks the rows this console placed, with their job and submitter.
    async fn mark_ours(&self, account_id: &str, mut page: CalloutStatusPage) -> Result<CalloutStatusPage, ServiceError> {
        let numbers: Vec<(u32, &str, Option<&str>)> =
            page.items.iter().map(|i| (i.callee.area, i.callee.phone.as_str(), i.callee.extension.as_deref())).collect();
        let ours = self.store.console_callouts(account_id, &page.meeting_id, &numbers).await?;
        for item in &mut page.items {
            let c = &item.callee;
            item.console = ours.get(&(c.area, c.phone.clone(), c.extension.clone())).cloned();
        }
        Ok(page)
    }

    /// Cancels ringing callouts of a meeting, in batches of the account's cap.
    pub async fn cancel_callouts(
        self: &Arc<Self>,
        actor: &Actor,
        meeting_id: &str,
        request: &MeetingNumbersRequest,
    ) -> Result<CancelResult, ServiceError> {
        actor.require(Role::Operator)?;
        let meeting_id = meeting_id_param(meeting_id)?;
        let entry = self.tencent(&request.account.account_id)?;
        let operator = self.operator_for(actor, entry, request.account.operator_id.as_deref())?;
        let numbers = provider_numbers(&request.numbers)?;
        let target = format!("meeting {meeting_id}");
        let result = self.cancel_numbers(actor, &request.account.account_id, entry, meeting_id, &operator, &numbers, &target).await;
        self.follow(&request.account.account_id, meeting_id, &operator);
        result
    }

    /// Cancels every call of the job that is still ringing (or queued).
    pub async fn cancel_ringing(self: &Arc<Self>, actor: &Actor, job_id: &str) -> Result<CancelResult, ServiceError> {
        actor.require(Role::Operator)?;
        let job = self.store.job_ref(job_id).await?.ok_or_else(|| ServiceError::NotFound(format!("no job {job_id}")))?;
        let JobTarget::Meeting { meeting_id, operator_id } = &job.target else {
            return Err(ServiceError::invalid("id", "only meeting callout jobs have ringing calls to cancel"));
        };
        let entry = self.tencent(&job.account_id)?;
        let numbers: Vec<PhoneNumber> = self
            .store
            .open_items(&job.account_id, meeting_id, 0)
            .await?
            .into_iter()
            .filter(|i| i.job_id == job_id && matches!(i.status, CallStatus::Queued | CallStatus::Ringing))
            .map(|i| PhoneNumber { area: i.area, phone: i.phone, extension: i.extension })
            .collect();
        let target = format!("job {job_id}");
        let result = self.cancel_numbers(actor, &job.account_id, entry, meeting_id, operator_id, &numbers, &target).await;
        self.follow(&job.account_id, meeting_id, operator_id);
        result
    }

    #[allow(clippy::too_many_arguments)] // one audit row per provider request needs all of them
    async fn cancel_numbers(
        &self,
        actor: &Actor,
        account_id: &str,
        entry: &TencentEntry,
        meeting_id: &str,
        operator: &str,
        numbers: &[PhoneNumber],
        target: &str,
    ) -> Result<CancelResult, ServiceError> {
        let mut result = CancelResult { succeeded: vec![], failed: vec![] };
        for chunk in numbers.chunks(self.batch_cap(account_id, entry)) {
            let r = entry.client.call(Lane::Person, |c| c.cancel_callout(meeting_id, operator, chunk)).await;
            let (outcome, detail) =
                outcome_of(&r, |r| format!("{} numbers: {} cancelled, {} not", chunk.len(), r.succeeded.len(), r.failed.len()));
            let audit = Audit {
                action: "callout_cancel",
                account_id: Some(account_id),
                target: Some(target),
                operator: Some(operator),
                outcome,
                detail: Some(&detail),
            };
            self.audit(actor, audit).await;
            let r = r?;
            result.succeeded.extend(r.succeeded);
            result.failed.extend(r.failed);
        }
        Ok(result)
    }

    /// In-meeting ids of connected phone numbers (one number may have several).
    pub async fn ms_open_ids(
        &self,
        actor: &Actor,
        meeting_id: &str,
        request: &MeetingNumbersRequest,
    ) -> Result<MsOpenIdResult, ServiceError> {
        let meeting_id = meeting_id_param(meeting_id)?;
        let entry = self.tencent(&request.account.account_id)?;
        let operator = self.operator_for(actor, entry, request.account.operator_id.as_deref())?;
        let numbers = provider_numbers(&request.numbers)?;
        let cap = self.batch_cap(&request.account.account_id, entry);
        if numbers.len() > cap {
            return Err(ServiceError::invalid("numbers", format!("one lookup takes 1 to {cap} numbers")));
        }
        Ok(entry.client.call(Lane::Person, |c| c.pstn_ms_open_ids(meeting_id, &operator, &numbers)).await?)
    }
}

/// Normalises every row with the one normaliser; the first bad or repeated row is the error.
fn provider_numbers(inputs: &[NumberInput]) -> Result<Vec<PhoneNumber>, ServiceError> {
    if inputs.is_empty() {
        return Err(ServiceError::invalid("numbers", "give at least one number"));
    }
    let mut seen = std::collections::HashMap::new();
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let n = phone::normalize(input, phone::DEFAULT_REGION)
                .map_err(|problem| ServiceError::InvalidNumber { field: format!("numbers[{i}]"), problem })?;
            if let Some(first) = seen.insert(n.e164.clone(), i) {
                return Err(ServiceError::invalid(format!("numbers[{i}]"), format!("{} repeats row {first}", n.e164)));
            }
            Ok(PhoneNumber { area: u32::from(n.country_code), phone: n.national_number, extension: n.extension })
        })
        .collect()
}
