//! Alibaba Cloud Contact Center DialEx: a back-office call routed to an IVR flow, an agent or a skill group.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where an answered DialEx call goes. The provider speaks integers; the product speaks names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerMode {
    /// A published contact flow (IVR); `rout_point` is the contact-flow id.
    Ivr,
    /// One agent; `rout_point` is `ram_id@domain`.
    Agent,
    /// A skill group (queue); `rout_point` is the skill-group id.
    SkillGroup,
}

crate::wire_words!(AnswerMode, "answer mode", {
    AnswerMode::Ivr => "ivr",
    AnswerMode::Agent => "agent",
    AnswerMode::SkillGroup => "skill_group",
});

impl AnswerMode {
    /// The provider's `AnswerMode` integer.
    pub fn provider_code(self) -> u8 {
        match self {
            AnswerMode::Ivr => 0,
            AnswerMode::Agent => 1,
            AnswerMode::SkillGroup => 2,
        }
    }

    pub fn from_provider_code(code: u8) -> Option<AnswerMode> {
        AnswerMode::ALL.iter().copied().find(|mode| mode.provider_code() == code)
    }
}

/// One DialEx call as the product asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DialExRequest {
    pub instance_id: String,
    /// The calling (display) number.
    pub caller: String,
    /// The number dialled.
    pub callee: String,
    pub answer_mode: AnswerMode,
    /// Contact-flow id, `ram_id@domain` or skill-group id, depending on `answer_mode`.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^\S+$")))]
    pub rout_point: String,
    /// The provider's optional "outbound method"; no values are documented, so it is passed through as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

/// Where answered DialEx calls of a job go: everything of a [`DialExRequest`] but the callee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DialExRoute {
    pub instance_id: String,
    pub caller: String,
    pub answer_mode: AnswerMode,
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^\S+$")))]
    pub rout_point: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

impl DialExRoute {
    pub fn call(&self, callee: String) -> DialExRequest {
        DialExRequest {
            instance_id: self.instance_id.clone(),
            caller: self.caller.clone(),
            callee,
            answer_mode: self.answer_mode,
            rout_point: self.rout_point.clone(),
            provider: self.provider.clone(),
        }
    }
}

impl DialExRequest {
    pub fn route(&self) -> DialExRoute {
        DialExRoute {
            instance_id: self.instance_id.clone(),
            caller: self.caller.clone(),
            answer_mode: self.answer_mode,
            rout_point: self.rout_point.clone(),
            provider: self.provider.clone(),
        }
    }
}

/// `POST /api/v1/dialex`: one DialEx call through a configured account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StartDialEx {
    pub account_id: String,
    #[serde(flatten)]
    pub call: DialExRequest,
}

/// What the provider said when it accepted a DialEx call; the answer of `POST /api/v1/dialex`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DialExResult {
    /// The one-row job that recorded the call (set by the console, not the provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    pub task_id: String,
    pub status_code: Option<String>,
    pub status_desc: Option<String>,
    pub request_id: Option<String>,
    /// The provider's own clock, epoch milliseconds as text.
    pub provider_timestamp: Option<String>,
}

/// Why a route point does not fit its answer mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoutPointError {
    Empty,
    ContainsWhitespace,
    /// Agent mode needs exactly one `@`.
    AgentNotRamIdAtDomain,
    AgentMissingRamId,
    AgentMissingDomain,
}

impl RoutPointError {
    pub fn message(self) -> &'static str {
        match self {
            RoutPointError::Empty => "the route point is empty",
            RoutPointError::ContainsWhitespace => "the route point must not contain spaces",
            RoutPointError::AgentNotRamIdAtDomain => "an agent route point is written ram_id@domain, with exactly one @",
            RoutPointError::AgentMissingRamId => "an agent route point needs the agent's RAM id before the @",
            RoutPointError::AgentMissingDomain => "an agent route point needs the instance's domain after the @",
        }
    }
}

impl fmt::Display for RoutPointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for RoutPointError {}

/// Checks the shape of `rout_point` for `mode`: a contact-flow id (IVR), `ram_id@domain` (agent) or a
/// skill-group id. Whether the flow, agent or group exists is for the provider to say. The agent's
/// domain is case-sensitive at the provider, so nothing here changes case.
pub fn validate_rout_point(mode: AnswerMode, rout_point: &str) -> Result<(), RoutPointError> {
    if rout_point.is_empty() {
        return Err(RoutPointError::Empty);
    }
    if rout_point.chars().any(char::is_whitespace) {
        return Err(RoutPointError::ContainsWhitespace);
    }
    if mode == AnswerMode::Agent {
        let (ram_id, domain) = rout_point.split_once('@').ok_or(RoutPointError::AgentNotRamIdAtDomain)?;
        if domain.contains('@') {
            return Err(RoutPointError::AgentNotRamIdAtDomain);
        }
        if ram_id.is_empty() {
            return Err(RoutPointError::AgentMissingRamId);
        }
        if domain.is_empty() {
            return Err(RoutPointError::AgentMissingDomain);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{validate_rout_point, AnswerMode::*, RoutPointError::*, *};

    #[test]
    fn answer_modes_map_to_the_provider_integers_and_back() {
        assert_eq!([Ivr.provider_code(), Agent.provider_code(), SkillGroup.provider_code()], [0, 1, 2]);
        for &mode in AnswerMode::ALL {
            assert_eq!(AnswerMode::from_provider_code(mode.provider_code()), Some(mode));
        }
        assert_eq!(AnswerMode::from_provider_code(3), None);
    }

    #[test]
    fn answer_modes_travel_as_snake_case_names() {
        assert_eq!(serde_json::to_value(SkillGroup).unwrap(), "skill_group");
        assert_eq!(serde_json::from_str::<AnswerMode>("\"ivr\"").unwrap(), Ivr);
        assert!(serde_json::from_str::<AnswerMode>("1").is_err(), "the product API speaks names, not provider integers");
    }

    #[test]
    fn agent_route_point_is_ram_id_at_domain() {
        assert_eq!(validate_rout_point(Agent, "agent001@CalloutDemo"), Ok(()));
        assert_eq!(validate_rout_point(Agent, "agent001"), Err(AgentNotRamIdAtDomain));
        assert_eq!(validate_rout_point(Agent, "a@b@c"), Err(AgentNotRamIdAtDomain));
        assert_eq!(validate_rout_point(Agent, "@CalloutDemo"), Err(AgentMissingRamId));
        assert_eq!(validate_rout_point(Agent, "agent001@"), Err(AgentMissingDomain));
        assert_eq!(validate_rout_point(Agent, "agent001@Callout Demo"), Err(ContainsWhitespace));
    }

    #[test]
    fn ivr_and_skill_group_route_points_are_plain_ids() {
        for mode in [Ivr, SkillGroup] {
            assert_eq!(validate_rout_point(mode, "paEF_1GAQXXJ"), Ok(()));
            assert_eq!(validate_rout_point(mode, ""), Err(Empty));
            assert_eq!(validate_rout_point(mode, "pa EF"), Err(ContainsWhitespace));
            assert_eq!(validate_rout_point(mode, "queue\t1"), Err(ContainsWhitespace));
        }
        // An `@` means nothing outside agent mode.
        assert_eq!(validate_rout_point(SkillGroup, "sg@x"), Ok(()));
    }

    #[test]
    fn every_mode_rejects_an_empty_route_point() {
        for &mode in AnswerMode::ALL {
            assert_eq!(validate_rout_point(mode, ""), Err(Empty));
        }
    }

    #[test]
    fn errors_explain_themselves() {
        assert_eq!(AgentMissingDomain.to_string(), AgentMissingDomain.message());
        assert!(AgentNotRamIdAtDomain.message().contains("ram_id@domain"));
    }

    #[test]
    fn request_omits_absent_provider_and_round_trips() {
        let request = DialExRequest {
            instance_id: "i".into(),
            caller: "02285196281".into(),
            callee: "15732036617".into(),
            answer_mode: Agent,
            rout_point: "a@D".into(),
            provider: None,
        };
        let json = serde_json::to_value(&request).unwrap();
        assert!(json.get("provider").is_none());
        assert_eq!(json["answer_mode"], "agent");
        assert_eq!(serde_json::from_value::<DialExRequest>(json).unwrap(), request);
    }
}
