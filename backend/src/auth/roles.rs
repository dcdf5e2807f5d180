//! Role from groups and emails; no match, no access.

use callout_shared::me::Role;

use super::Identity;
use crate::config::RoleSettings;

/// The highest role any of the user's groups or their email grants.
pub fn role_for(identity: &Identity, settings: &RoleSettings) -> Option<Role> {
    let email = identity.email.as_deref().map(str::to_ascii_lowercase);
    let matches = |groups: &[String], emails: &[String]| {
        identity.groups.iter().any(|g| groups.iter().any(|c| c == g))
            || email.as_deref().is_some_and(|e| emails.iter().any(|c| c.eq_ignore_ascii_case(e)))
    };
    if matches(&settings.admin_groups, &settings.admin_emails) {
        Some(Role::Admin)
    } else if matches(&settings.operator_groups, &settings.operator_emails) {
        Some(Role::Operator)
    } else if matches(&settings.viewer_groups, &settings.viewer_emails) {
        Some(Role::Viewer)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(groups: &[&str], email: Option<&str>) -> Identity {
        Identity {
            subject: "u1".into(),
            email: email.map(Into::into),
            name: None,
            groups: groups.iter().map(|g| g.to_string()).collect(),
            auth_mode: "jwt",
            assertion_id: None,
        }
    }

    #[test]
    fn highest_matching_role_wins_and_nobody_else_gets_in() {
        let settings = RoleSettings { admin_emails: vec!["Boss@Example.com".into()], ..RoleSettings::default() };
        assert_eq!(role_for(&user(&["callout-viewers", "callout-operators"], None), &settings), Some(Role::Operator));
        assert_eq!(role_for(&user(&[], Some("boss@example.com")), &settings), Some(Role::Admin));
        assert_eq!(role_for(&user(&["everyone"], Some("someone@example.com")), &settings), None);
        assert_eq!(role_for(&user(&["Callout-Admins"], None), &settings), None, "group names match exactly");
    }
}
