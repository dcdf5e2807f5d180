//! Alibaba Cloud CCC DialEx: one back-office call or a list of them, each one a job item recorded
//! before it is sent, paced under the account's rate, with the callee checked against the
//! do-not-call list like every other number.

use std::sync::Arc;

use callout_shared::{
    dialex::{validate_rout_point, DialExResult, DialExRoute, StartDialEx},
    jobs::{CreateDialExJob, ItemPhase, JobCreated},
    me::Role,
    meeting::CalloutNumberInput,
    numbers::{NormalizedNumber, NumberInput},
};

use super::{
    audit::{service_outcome, Audit},
    jobs::{classify, BatchOutcome, Dispatch, JobSpec, Recorded, Rows},
    pacing::Lane,
    Actor, Calls, ServiceError,
};
use crate::{
    phone,
    store::jobs::{DialItem, JobTarget, NewItem},
};

impl Calls {
    /// Records a DialEx list, then dials it in the background, one paced request per number.
    pub async fn create_dialex_job(self: &Arc<Self>, actor: &Actor, request: &CreateDialExJob) -> Result<JobCreated, ServiceError> {
        actor.require(Role::Operator)?;
        let recorded = self
            .record_dialex_job(actor, &request.account_id, &request.route, Dispatch::Later, || {
                Rows::collect(&request.numbers, request.text.as_deref(), request.csv.as_deref())?.named(request.name.as_deref())
            })
            .await;
        self.start_recorded_job(actor, "dialex_job", &request.account_id, None, &describe_route(&request.route), recorded).await
    }

    /// One call, answered at once: a one-row job whose row is sent right away, in this request's lane.
    pub async fn dialex(self: &Arc<Self>, actor: &Actor, request: &StartDialEx) -> Result<DialExResult, ServiceError> {
        actor.require(Role::Operator)?;
        let result = self.dial_one(actor, request).await;
        let target = format!("{} via {}", request.call.callee, describe_route(&request.call.route()));
        let (outcome, detail) = service_outcome(&result, |r| format!("job {} task {}", r.job_id.as_deref().unwrap_or_default(), r.task_id));
        let audit = Audit {
            action: "dialex",
            account_id: Some(&request.account_id),
            target: Some(&target),
            operator: None,
            outcome,
            detail: Some(&detail),
        };
        self.audit(actor, audit).await;
        result
    }

    async fn dial_one(self: &Arc<Self>, actor: &Actor, request: &StartDialEx) -> Result<DialExResult, ServiceError> {
        // Answered at once: an unknown account, then a callee that cannot be dialled, are errors before anything is recorded.
        self.aliyun(&request.account_id)?;
        ccc_number(&request.call.callee, "callee")?;
        let Recorded { job, not_dialled, sending } = self
            .record_dialex_job(actor, &request.account_id, &request.call.route(), Dispatch::AtOnce, || {
                let number = NumberInput { number: request.call.callee.clone(), ..NumberInput::default() };
                Ok(Rows { rows: vec![CalloutNumberInput { number, nick_name: None }], name: None })
            })
            .await?;
        if let Some(skipped) = not_dialled.into_iter().next() {
            // The only row was not dialled (the do-not-call list): say why, on the field.
            self.publish_job(&job.id).await?;
            return Err(match (skipped.phase, skipped.e164) {
                (ItemPhase::Blocked, Some(e164)) => ServiceError::DoNotCall { field: "callee".into(), e164 },
                _ => ServiceError::invalid("callee", skipped.reason),
            });
        }
        if sending.len() != 1 {
            return Err(ServiceError::Internal("the recorded call is not being sent".into()));
        }
        match self.send_recorded_batch(&job, &sending, Lane::Person).await? {
            BatchOutcome::Placed(result) => Ok(DialExResult { job_id: Some(job.id), ..result }),
            BatchOutcome::Refused(err) | BatchOutcome::Unknown(err) => Err(err.into()),
            BatchOutcome::NotSent(err) => {
                // A person is waiting: say so now rather than dialling later behind their back.
                self.fail_unsent(&sending, &format!("not sent: {err}")).await?;
                Err(err.into())
            }
            BatchOutcome::Answered(_) | BatchOutcome::Split => Err(ServiceError::Internal("a DialEx call answered like a batch".into())),
        }
    }

    /// Checks the route, then records the rows.
    async fn record_dialex_job(
        &self,
        actor: &Actor,
        account_id: &str,
        route: &DialExRoute,
        dispatch: Dispatch,
        rows: impl FnOnce() -> Result<Rows, ServiceError>,
    ) -> Result<Recorded, ServiceError> {
        let entry = self.aliyun(account_id)?;
        if !entry.summary.instances.is_empty() && !entry.summary.instances.iter().any(|i| i.id == route.instance_id) {
            return Err(ServiceError::UnknownInstance(route.instance_id.clone()));
        }
        validate_rout_point(route.answer_mode, &route.rout_point).map_err(|e| ServiceError::invalid("rout_point", e.message()))?;
        let route = DialExRoute { caller: ccc_number(&route.caller, "caller")?, ..route.clone() };
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
                NO_EXTENSIONS.into(),
            );
        }
        let job = JobSpec { account_id, target: JobTarget::DialEx(route), cap: 1, name: rows.name };
        self.record_job(actor, job, items, dispatch).await
    }

    /// One DialEx request for the item.
    pub(super) async fn send_dialex_call(
        &self,
        account_id: &str,
        route: &DialExRoute,
        item: &DialItem,
        lane: Lane,
    ) -> Result<BatchOutcome, ServiceError> {
        let entry = self.aliyun(account_id)?;
        let call = route.call(ccc_number(&item.e164, "callee")?);
        tracing::info!(job = %item.job_id, "sending DialEx call");
        Ok(match entry.client.call(lane, |c| c.dial_ex(&call)).await {
            Ok(result) => BatchOutcome::Placed(result),
            Err(err) => classify(err),
        })
    }
}

fn describe_route(route: &DialExRoute) -> String {
    format!("{} {} on instance {}", route.answer_mode.as_str(), route.rout_point, route.instance_id)
}

/// DialEx has no way to dial an extension after the call connects.
const NO_EXTENSIONS: &str = "a Contact Center call cannot dial an extension; give the number without it";

/// A number the way CCC dials it: national digits inside China, `00` + country code abroad.
fn ccc_number(raw: &str, field: &str) -> Result<String, ServiceError> {
    let input = NumberInput { number: raw.to_owned(), ..NumberInput::default() };
    let number: NormalizedNumber =
        phone::normalize(&input, phone::DEFAULT_REGION).map_err(|problem| ServiceError::InvalidNumber { field: field.into(), problem })?;
    if number.extension.is_some() {
        return Err(ServiceError::invalid(field, NO_EXTENSIONS));
    }
    Ok(if number.country_code == 86 { number.national_format } else { format!("00{}{}", number.country_code, number.national_number) })
}
