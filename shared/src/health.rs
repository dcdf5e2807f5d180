//! `GET /api/v1/health` (liveness): is the backend up, which build is it, and is it dialling for real.
//! `GET /api/v1/ready` (readiness): can it serve, its database reachable and its schema up to date.

use serde::{Deserialize, Serialize};

/// Whether provider calls reach the real cloud services or the built-in emulators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// No provider credentials are configured: every call goes to the built-in emulators.
    Sandbox,
    /// At least one real provider account is configured.
    Live,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HealthResponse {
    /// Always `"ok"` when the backend answers at all.
    pub status: String,
    /// The backend's crate version.
    pub version: String,
    pub mode: Mode,
}

/// `GET /api/v1/ready`: 200 when every check is ready, 503 (same body) otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReadinessResponse {
    /// Whether every check below is ready.
    pub ready: bool,
    /// The database engine behind the store (`sqlite`).
    pub engine: String,
    /// Each check, ready or not.
    pub checks: Vec<ReadinessCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReadinessCheck {
    pub name: ReadinessItem,
    pub ready: bool,
    /// Why it is not ready (absent when it is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What readiness depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReadinessItem {
    /// The database answers a query.
    Database,
    /// Every migration the backend was built with is applied.
    Migrations,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_is_snake_case_on_the_wire() {
        let body = HealthResponse { status: "ok".into(), version: "1.2.3".into(), mode: Mode::Sandbox };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["mode"], "sandbox");
        let back: HealthResponse = serde_json::from_value(json).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn a_not_ready_check_names_itself_and_says_why() {
        let check = ReadinessCheck { name: ReadinessItem::Migrations, ready: false, detail: Some("2 not applied".into()) };
        let json = serde_json::to_value(&check).unwrap();
        assert_eq!(json["name"], "migrations");
        assert_eq!(json["detail"], "2 not applied");
        let ready = serde_json::to_value(ReadinessCheck { name: ReadinessItem::Database, ready: true, detail: None }).unwrap();
        assert!(ready.get("detail").is_none(), "{ready}");
    }
}
