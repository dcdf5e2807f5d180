//! What the backend says about itself (`/health`) and about the signed-in user (`/me`), loaded
//! once and shared by the shell and every page.

use callout_shared::{
    health::HealthResponse,
    me::{AccountSummary, MeResponse, ProviderKind, Role},
};
use leptos::prelude::*;

use crate::{
    api::{self, ApiError},
    state::load::{load, Load},
};

#[derive(Clone, Copy)]
pub struct Health(pub Load<Result<HealthResponse, ApiError>>);

#[derive(Clone, Copy)]
pub struct Me(pub Load<Result<MeResponse, ApiError>>);

impl Me {
    /// The accounts of one provider; empty until `/me` answers.
    pub fn accounts(self, provider: ProviderKind) -> Vec<AccountSummary> {
        match self.0.get() {
            Some(Ok(me)) => me.accounts.into_iter().filter(|a| a.provider == provider).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the user has at least `role`. Unknown (still loading, or `/me` failed) counts as no,
    /// except for the viewer's areas, which every signed-in user sees.
    pub fn has_role(self, role: Role) -> bool {
        role == Role::Viewer || matches!(self.0.get(), Some(Ok(me)) if me.role >= role)
    }

    /// Whether the user may dial.
    pub fn may_dial(self) -> bool {
        self.has_role(Role::Operator)
    }

    /// Admin-only areas (the audit log) stay hidden until `/me` says admin.
    pub fn is_admin(self) -> bool {
        self.has_role(Role::Admin)
    }

    /// Whether `/me` answered and says viewer: the pages explain why their buttons are off.
    pub fn is_viewer(self) -> bool {
        matches!(self.0.get(), Some(Ok(me)) if me.role == Role::Viewer)
    }
}

pub fn provide_session() {
    provide_context(Health(load(api::health)));
    provide_context(Me(load(api::me)));
}
