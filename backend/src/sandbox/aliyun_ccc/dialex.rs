//! CCC's DialEx behind the gateway: instance and route-point checks, task creation.

use callout_shared::dialex::{validate_rout_point, AnswerMode};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{
    config::{AliyunEmulatorConfig, CccInstance},
    gateway::{GatewayError, Params},
};

/// A call the emulator accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmulatedTask {
    pub task_id: String,
    pub instance_id: String,
    pub caller: String,
    pub callee: String,
    pub answer_mode: AnswerMode,
    pub rout_point: String,
    pub provider: Option<String>,
    /// RFC 3339, on the emulator's clock.
    pub created_at: String,
}

/// Validates DialEx's parameters against the configured instances. `task_id` names the task if accepted.
pub(super) fn accept(
    config: &AliyunEmulatorConfig,
    params: &Params,
    task_id: String,
    now: DateTime<Utc>,
) -> Result<EmulatedTask, GatewayError> {
    let instance_id = params.require("InstanceId")?;
    let caller = params.require("Caller")?;
    let callee = params.require("Callee")?;
    let answer_mode = params.require("AnswerMode")?;
    let rout_point = params.require("RoutPoint")?;
    let answer_mode = answer_mode.parse::<u8>().ok().and_then(AnswerMode::from_provider_code).ok_or_else(|| {
        GatewayError::new(
            400,
            "InvalidParameter",
            "The specified parameter AnswerMode is not valid: use 0 (IVR), 1 (agent) or 2 (skill group).",
        )
    })?;
    let instance = config.instances.iter().find(|instance| instance.instance_id == instance_id).ok_or_else(|| {
        GatewayError::new(
            config.statuses.instance_not_found,
            "InvalidInstanceId.NotFound",
            format!("Specified instance {instance_id} is not found."),
        )
    })?;
    check_rout_point(instance, answer_mode, rout_point)?;
    Ok(EmulatedTask {
        task_id,
        instance_id: instance_id.to_owned(),
        caller: caller.to_owned(),
        callee: callee.to_owned(),
        answer_mode,
        rout_point: rout_point.to_owned(),
        provider: params.get("Provider").filter(|value| !value.is_empty()).map(str::to_owned),
        created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

/// The route point must fit its mode (the product's one rule) and name something the instance has.
fn check_rout_point(instance: &CccInstance, mode: AnswerMode, rout_point: &str) -> Result<(), GatewayError> {
    let invalid =
        |why: String| GatewayError::new(400, "InvalidParameter.RoutPoint", format!("The specified RoutPoint is not valid: {why}."));
    validate_rout_point(mode, rout_point).map_err(|err| invalid(err.message().to_owned()))?;
    let known = match mode {
        AnswerMode::Ivr => instance.contact_flows.iter().any(|flow| flow == rout_point),
        AnswerMode::SkillGroup => instance.skill_groups.iter().any(|group| group == rout_point),
        AnswerMode::Agent => {
            let (ram_id, domain) = rout_point.split_once('@').expect("validated as ram_id@domain");
            if domain != instance.domain {
                return Err(invalid(format!("domain {domain} is not this instance's domain (domains are case-sensitive)")));
            }
            instance.agents.iter().any(|agent| agent == ram_id)
        }
    };
    if !known {
        let what = match mode {
            AnswerMode::Ivr => "contact flow",
            AnswerMode::Agent => "agent",
            AnswerMode::SkillGroup => "skill group",
        };
        return Err(invalid(format!("no {what} {rout_point} in instance {}", instance.instance_id)));
    }
    Ok(())
}
