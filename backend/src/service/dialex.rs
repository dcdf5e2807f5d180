//! Alibaba Cloud CCC DialEx: one back-office call or a list of them, each one a job item recorded
//! before it is sent, paced under the account's rate, with the callee checked against the
//! do-not-call list like every other number.

use std::sync::Arc;

use callout_shared::{
    dialex::{validate_rout_point, DialExRequest, DialExResult, DialExRoute, StartDialEx},
    jobs::{CreateDialExJob, ItemPhase, ItemReason, JobChanged, JobCreated, LiveEvent, NotDialled, ReasonCode, NO_EXTENSIONS},
    me::Role,
    meeting::CalloutNumberInput,
    numbers::{NormalizedNumber, NumberInput},
};

use super::{
    audit::{audit_row, service_outcome, Audit},
    idempotency::{Answered, Answering, Claim, RequestKey},
    jobs::{classify, item_outcomes, plan_job, unsent_outcomes, BatchOutcome, Dispatch, JobSpec, PlannedJob, Recorded, Rows},
    pacing::Lane,
    Actor, Calls, ServiceError,
};
use crate::{
    phone,
    store::{
        dials::DialAnswer,
        jobs::{DialItem, ItemOutcome, JobRef, JobTarget, NewItem},
    },
};

impl Calls {
    /// Records a DialEx list, then dials it in the background, one paced request per number.
    pub async fn create_dialex_job(self: &Arc<Self>, actor: &Actor, request: &CreateDialExJob) -> Result<JobCreated, ServiceError> {
        actor.require(Role::Operator)?;
        let recorded = match self
            .plan_dialex_job(actor, &request.account_id, &request.route, Dispatch::Later, || {
                Ok(Rows::collect(&request.numbers, request.text.as_deref(), request.csv.as_deref())?
                    .named(request.name.as_deref())?
                    .with_campaign(self.check_plan(&request.campaign)?))
            })
            .await
        {
            Ok(planned) => self.insert_planned(planned).await,
            Err(err) => Err(err),
        };
        self.start_recorded_job(actor, "dialex_job", &request.account_id, None, &describe_route(&request.route), recorded).await
    }

    /// One call, answered at once: a one-row job whose row is sent right away, in this request's lane.
    /// Two commits: before the request the key's claim with the job and its row (`sending`), after it
    /// the row's outcome, the job's state, the audit row and the key's answer.
    pub async fn dialex(
        self: &Arc<Self>,
        actor: &Actor,
        key: &RequestKey,
        answering: Answering,
        request: &StartDialEx,
    ) -> Result<Answered, ServiceError> {
        let ttl = self.key_ttl_ms();
        let target = format!("{} via {}", request.call.callee, describe_route(&request.call.route()));
        // A person who may not dial is refused without an audit row; every other refusal is audited.
        let (planned, audited) = match actor.require(Role::Operator) {
            Ok(()) => (self.plan_dial_one(actor, request).await, true),
            Err(err) => (Err(err), false),
        };
        let (planned, callee) = match planned {
            Ok(planned) => planned,
            Err(err) => {
                // Refused before anything was recorded: the key's claim, the audit row and the answer in one commit.
                let detail = err.to_string();
                let answer = answering.answer::<DialExResult>(Err(err));
                let entry = DialAnswer {
                    key,
                    job_id: None,
                    outcomes: &[],
                    audit: audited.then(|| audit_row(actor, dialex_audit(request, &target, "refused", &detail))),
                    status: answer.status,
                    body: &answer.body,
                };
                let claim = self.store.claim_and_record_refusal(ttl, &entry).await?;
                return match claim {
                    Claim::Fresh(()) => {
                        if audited {
                            crate::metrics::audited(AUDIT_ACTION, "refused");
                        }
                        Ok(Answered::Fresh(answer))
                    }
                    Claim::Seen(seen) => seen.answered(),
                };
            }
        };
        let Recorded { job, not_dialled, sending } = match self.store.claim_and_insert_job(key, ttl, &planned.job, &planned.items).await? {
            Claim::Fresh(sending) => planned.recorded(sending),
            Claim::Seen(seen) => return seen.answered(),
        };
        let (outcomes, result) = self.send_one(&job, not_dialled, &sending, callee).await;
        let (outcome, detail) = service_outcome(&result, |r| format!("job {} task {}", r.job_id.as_deref().unwrap_or_default(), r.task_id));
        let answer = answering.answer(result);
        let entry = DialAnswer {
            key,
            job_id: Some(&job.id),
            outcomes: &outcomes,
            audit: Some(audit_row(actor, dialex_audit(request, &target, outcome, &detail))),
            status: answer.status,
            body: &answer.body,
        };
        let recorded = self.store.record_dial_answer(&entry).await?;
        crate::metrics::audited(AUDIT_ACTION, outcome);
        if recorded.items.iter().any(|(_, item)| item.status == callout_shared::call_status::CallStatus::Placed) {
            // The contact center took it: its outcome comes from the call records.
            self.follow_dialex(&job.account_id);
        }
        self.publish_items(recorded.items);
        if let Some(summary) = recorded.job {
            self.events.publish(LiveEvent::Job(JobChanged { job: summary }));
        }
        Ok(Answered::Fresh(answer))
    }

    /// Everything a single call is checked for before anything is recorded, its callee normalised
    /// once: the job to record, and the callee as CCC dials it.
    async fn plan_dial_one(&self, actor: &Actor, request: &StartDialEx) -> Result<(PlannedJob, String), ServiceError> {
        // Answered at once: an unknown account, then a callee that cannot be dialled, are errors before anything is recorded.
        self.aliyun(&request.account_id)?;
        let input = NumberInput { number: request.call.callee.clone(), ..NumberInput::default() };
        let number = normalise(&input, "callee")?;
        let callee = ccc_dial_string(&number, "callee")?;
        let planned = self
            .plan_dialex_job(actor, &request.account_id, &request.call.route(), Dispatch::AtOnce, || {
                Ok(Rows { normalised: vec![number], ..Rows::new(vec![CalloutNumberInput { number: input, nick_name: None }]) })
            })
            .await?;
        Ok((planned, callee))
    }

    /// Sends the recorded call; returns its row's outcome to record and the person's answer.
    async fn send_one(
        &self,
        job: &JobRef,
        not_dialled: Vec<NotDialled>,
        sending: &[DialItem],
        callee: String,
    ) -> (Vec<ItemOutcome>, Result<DialExResult, ServiceError>) {
        if let Some(skipped) = not_dialled.into_iter().next() {
            // The only row was not dialled (the do-not-call list): say why, on the field.
            return (
                Vec::new(),
                Err(match (skipped.phase, skipped.e164) {
                    (ItemPhase::Blocked, Some(e164)) => ServiceError::DoNotCall { field: "callee".into(), e164 },
                    _ => ServiceError::invalid("callee", skipped.reason),
                }),
            );
        }
        let [item] = sending else {
            return (Vec::new(), Err(ServiceError::Internal("the recorded call is not being sent".into())));
        };
        let JobTarget::DialEx(route) = &job.target else {
            return (Vec::new(), Err(ServiceError::Internal("a DialEx call recorded as a meeting callout".into())));
        };
        // Recorded a moment ago by this request, which nobody else can pause: no need to ask again.
        let outcome = match self.dial_ex(job, &route.call(callee), Lane::Person, std::future::ready(true)).await {
            Ok(outcome) => outcome,
            Err(err) => return (Vec::new(), Err(err)),
        };
        super::audit::count_dials(&job.target, &outcome, 1);
        match outcome {
            BatchOutcome::NotSent(err) => {
                // A person is waiting: say so now rather than dialling later behind their back.
                (unsent_outcomes(sending, &err), Err(err.into()))
            }
            outcome => {
                let outcomes = item_outcomes(sending, &outcome).unwrap_or_default();
                let result = match outcome {
                    BatchOutcome::Placed(result) => Ok(DialExResult { job_id: Some(item.job_id.clone()), ..result }),
                    BatchOutcome::Refused(err) | BatchOutcome::Unknown(err) | BatchOutcome::NotSent(err) => Err(err.into()),
                    // A one-call job is never paused before its call goes.
                    BatchOutcome::Answered(_) | BatchOutcome::Split | BatchOutcome::Held => {
                        Err(ServiceError::Internal("a DialEx call answered like a batch".into()))
                    }
                };
                (outcomes, result)
            }
        }
    }

    /// Checks the route and the rows: the job to record.
    async fn plan_dialex_job(
        &self,
        actor: &Actor,
        account_id: &str,
        route: &DialExRoute,
        dispatch: Dispatch,
        rows: impl FnOnce() -> Result<Rows, ServiceError>,
    ) -> Result<PlannedJob, ServiceError> {
        let entry = self.aliyun(account_id)?;
        if !entry.summary.instances.is_empty() && !entry.summary.instances.iter().any(|i| i.id == route.instance_id) {
            return Err(ServiceError::UnknownInstance(route.instance_id.clone()));
        }
        validate_rout_point(route.answer_mode, &route.rout_point).map_err(|e| ServiceError::invalid("rout_point", e.message()))?;
        let caller = normalise(&NumberInput { number: route.caller.clone(), ..NumberInput::default() }, "caller")?;
        let route = DialExRoute { caller: ccc_dial_string(&caller, "caller")?, ..route.clone() };
        let rows = rows()?;
        // One number per request: DialEx calls one callee.
        let mut items = self.plan_items(&rows, 1, &|_| None).await?;
        for item in items.iter_mut().filter(|i| i.phase == ItemPhase::Pending && i.extension.is_some()) {
            // Its stored `;ext=` form cannot be dialled: say so now, not when its turn comes.
            *item = NewItem::not_dialled(
                item.row,
                item.input.clone(),
                item.e164.clone(),
                item.nick_name.clone(),
                ItemPhase::Invalid,
                ItemReason::bare(ReasonCode::NoExtensions),
            );
        }
        let job = JobSpec { account_id, target: JobTarget::DialEx(route), cap: 1, name: rows.name, campaign: rows.campaign };
        Ok(plan_job(actor, job, items, dispatch))
    }

    /// One DialEx request for an item of a job (its number made the CCC way).
    pub(super) async fn send_dialex_call(
        &self,
        job: &JobRef,
        route: &DialExRoute,
        item: &DialItem,
        lane: Lane,
    ) -> Result<BatchOutcome, ServiceError> {
        let number = normalise(&NumberInput { number: item.e164.clone(), ..NumberInput::default() }, "callee")?;
        self.dial_ex(job, &route.call(ccc_dial_string(&number, "callee")?), lane, self.still_sending(job)).await
    }

    /// One DialEx request, paced in `lane`, sent if `still_wanted` once its turn came.
    async fn dial_ex(
        &self,
        job: &JobRef,
        call: &DialExRequest,
        lane: Lane,
        still_wanted: impl std::future::Future<Output = bool>,
    ) -> Result<BatchOutcome, ServiceError> {
        let entry = self.aliyun(&job.account_id)?;
        tracing::info!(job = %job.id, "sending DialEx call");
        Ok(match entry.client.call_if(lane, still_wanted, |c| c.dial_ex(call)).await {
            Some(Ok(result)) => BatchOutcome::Placed(result),
            Some(Err(err)) => classify(err),
            None => BatchOutcome::Held,
        })
    }
}

/// The audit action of a single call.
const AUDIT_ACTION: &str = "dialex";

/// The audit row of a single call.
fn dialex_audit<'a>(request: &'a StartDialEx, target: &'a str, outcome: &'a str, detail: &'a str) -> Audit<'a> {
    Audit {
        action: AUDIT_ACTION,
        account_id: Some(&request.account_id),
        target: Some(target),
        operator: None,
        outcome,
        detail: Some(detail),
    }
}

fn describe_route(route: &DialExRoute) -> String {
    format!("{} {} on instance {}", route.answer_mode.as_str(), route.rout_point, route.instance_id)
}

/// DialEx has no way to dial an extension after the call connects.
/// The one normaliser, its problem answered on `field`.
pub(super) fn normalise(input: &NumberInput, field: &str) -> Result<NormalizedNumber, ServiceError> {
    phone::normalize(input, phone::DEFAULT_REGION).map_err(|problem| ServiceError::InvalidNumber { field: field.into(), problem })
}

/// A number the way CCC dials it: national digits inside China, `00` + country code abroad.
pub(super) fn ccc_dial_string(number: &NormalizedNumber, field: &str) -> Result<String, ServiceError> {
    if number.extension.is_some() {
        return Err(ServiceError::invalid(field, NO_EXTENSIONS));
    }
    Ok(if number.country_code == 86 {
        number.national_format.clone()
    } else {
        format!("00{}{}", number.country_code, number.national_number)
    })
}
