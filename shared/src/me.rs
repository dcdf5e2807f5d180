//! `GET /api/v1/me`: who the signed-in admin is, what they may do, which accounts they may use.

use serde::{Deserialize, Serialize};

/// What a user may do. Ordered: each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Read statuses, results and lookups.
    Viewer,
    /// Also dial, cancel and retry.
    Operator,
    /// Also read the audit log, change settings and act on behalf of other operators.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }
}

/// Which cloud service an account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    TencentMeeting,
    AliyunCcc,
}

/// A configured provider account as the UI may see it: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccountSummary {
    /// Stable identifier used in API paths and requests.
    pub id: String,
    /// The name the configuration gives it.
    pub name: String,
    pub provider: ProviderKind,
    /// True for the built-in emulator accounts of sandbox mode.
    pub sandbox: bool,
    /// Contact Center instances of a CCC account (empty for Tencent Meeting).
    #[serde(default)]
    pub instances: Vec<InstanceSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InstanceSummary {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeResponse {
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub groups: Vec<String>,
    pub role: Role,
    /// `dev`, `jwt` or `trusted_headers`.
    pub auth_mode: String,
    /// The Tencent Meeting `operator_id` this user acts as, when one is mapped.
    pub operator_id: Option<String>,
    /// Admins may choose another operator to act for.
    pub may_act_for_others: bool,
    pub accounts: Vec<AccountSummary>,
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_include_the_lower_ones() {
        assert!(Role::Admin > Role::Operator && Role::Operator > Role::Viewer);
    }
}
