use axum::{extract::State, Json};
use callout_shared::me::{MeResponse, Role};

use crate::{app::AppState, security::CurrentUser};

pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Json<MeResponse> {
    let CurrentUser { identity, role, operator_id } = user;
    Json(MeResponse {
        subject: identity.subject,
        email: identity.email,
        name: identity.name,
        groups: identity.groups,
        role,
        auth_mode: identity.auth_mode.to_owned(),
        operator_id,
        may_act_for_others: role == Role::Admin,
        accounts: state.account_summaries(),
    })
}
