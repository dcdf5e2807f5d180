//! Who is calling. The SSO in front of the backend vouches for the user; this module checks that
//! vouching in one of three modes (see `docs/security.md` of the team folder) and maps the user to
//! a role, deny by default.

pub mod jwt;
pub mod roles;
pub mod trusted_headers;

use std::net::SocketAddr;

use axum::http::HeaderMap;

use crate::{
    config::{AuthMode, AuthSettings, ConfigError},
    error::AppError,
};

/// A verified user, as the SSO described them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub groups: Vec<String>,
    /// `dev`, `jwt` or `trusted_headers`.
    pub auth_mode: &'static str,
    /// The assertion's `jti`, to correlate with the proxy's logs.
    pub assertion_id: Option<String>,
}

pub enum Authenticator {
    Dev(Identity),
    Jwt(Box<jwt::JwtVerifier>),
    TrustedHeaders(trusted_headers::HeaderIdentity),
}

impl Authenticator {
    pub fn from_settings(settings: &AuthSettings) -> Result<Self, ConfigError> {
        Ok(match settings.mode {
            AuthMode::Dev => {
                tracing::warn!("auth.mode = dev: every request acts as the configured developer user");
                Authenticator::Dev(Identity {
                    subject: settings.dev.subject.clone(),
                    email: Some(settings.dev.email.clone()),
                    name: Some(settings.dev.name.clone()),
                    groups: settings.dev.groups.clone(),
                    auth_mode: "dev",
                    assertion_id: None,
                })
            }
            AuthMode::Jwt => Authenticator::Jwt(Box::new(jwt::JwtVerifier::new(settings.jwt.as_ref().expect("validated"))?)),
            AuthMode::TrustedHeaders => {
                tracing::warn!("auth.mode = trusted-headers: identity headers are trusted from the configured proxies only");
                Authenticator::TrustedHeaders(trusted_headers::HeaderIdentity::new(settings.trusted_headers.as_ref().expect("validated"))?)
            }
        })
    }

    pub fn mode(&self) -> &'static str {
        match self {
            Authenticator::Dev(_) => "dev",
            Authenticator::Jwt(_) => "jwt",
            Authenticator::TrustedHeaders(_) => "trusted_headers",
        }
    }

    /// The caller's identity, or why there is none.
    pub async fn authenticate(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> Result<Identity, AppError> {
        match self {
            Authenticator::Dev(identity) => Ok(identity.clone()),
            Authenticator::Jwt(verifier) => verifier.verify(headers).await,
            Authenticator::TrustedHeaders(reader) => reader.read(headers, peer),
        }
    }
}
