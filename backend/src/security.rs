//! Browser-facing rules: who may call `/api` (identity, role, CSRF) and the security headers on
//! every response.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use callout_shared::me::Role;

use crate::{
    app::AppState,
    auth::{roles::role_for, Identity},
    error::AppError,
    service::Actor,
};

/// The signed-in user of this request, put there by [`guard_api`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub identity: Identity,
    pub role: Role,
    /// The Tencent Meeting `operator_id` this user acts as.
    pub operator_id: Option<String>,
}

impl CurrentUser {
    /// Who the service layer acts for.
    pub fn actor(&self) -> Actor {
        Actor {
            subject: self.identity.subject.clone(),
            email: self.identity.email.clone(),
            auth_mode: self.identity.auth_mode,
            role: self.role,
            operator_id: self.operator_id.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts.extensions.get::<CurrentUser>().cloned().ok_or_else(|| AppError::Unauthenticated("no signed-in user".into()))
    }
}

/// Paths under `/api/v1` that answer without a user (load-balancer health checks carry no SSO).
const PUBLIC_PATHS: [&str; 3] = ["/health", "/ready", "/openapi.json"];

/// Every `/api` request: same-site only, `X-CSRF: 1` on anything that changes state, then a
/// verified identity with a role.
pub async fn guard_api(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let result = async {
        if request.headers().get("sec-fetch-site").is_some_and(|v| v == "cross-site") {
            return Err(AppError::CrossSite);
        }
        let safe = matches!(*request.method(), Method::GET | Method::HEAD);
        if !safe && request.headers().get("x-csrf").is_none_or(|v| v != "1") {
            return Err(AppError::CsrfHeaderMissing);
        }
        if PUBLIC_PATHS.contains(&request.uri().path()) {
            return Ok(());
        }
        let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        let identity = match state.auth.authenticate(request.headers(), peer).await {
            Ok(identity) => identity,
            Err(err) => {
                tracing::warn!(target: "audit", event = "auth_denied", path = %request.uri().path(), ?peer, reason = %err);
                return Err(err);
            }
        };
        let role = role_for(&identity, &state.settings.roles).ok_or_else(|| {
            tracing::warn!(target: "audit", event = "no_role", subject = %identity.subject, "signed in but no role");
            AppError::Forbidden(format!(
                "{} is signed in but has no role in Callout Console",
                identity.email.as_deref().unwrap_or(&identity.subject)
            ))
        })?;
        let operator_id = operator_for(&state, &identity);
        request.extensions_mut().insert(CurrentUser { identity, role, operator_id });
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            let mut response = next.run(request).await;
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(err) => {
            let mut response = err.into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
    }
}

/// The configured `operator_id` for this user, by email then subject.
fn operator_for(state: &AppState, identity: &Identity) -> Option<String> {
    let ids = &state.settings.operator_ids;
    identity
        .email
        .as_deref()
        .and_then(|e| ids.iter().find(|(k, _)| k.eq_ignore_ascii_case(e)).map(|(_, v)| v.clone()))
        .or_else(|| ids.get(&identity.subject).cloned())
}

/// The CSP: the WASM app (`'wasm-unsafe-eval'`), trunk's inline bootstrap by hash, nothing else.
pub fn content_security_policy(inline_script_hashes: Vec<String>) -> HeaderValue {
    let scripts: String = inline_script_hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    HeaderValue::from_str(&policy).expect("the policy is ASCII")
}

/// Security headers on every response.
pub async fn headers(State(csp): State<Arc<HeaderValue>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, (*csp).clone());
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    response
}
