//! `GET /api/v1/health`: is the backend up, which build is it, and is it dialling for real.

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
}
