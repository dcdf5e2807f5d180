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
            Authenticator::Dev(identity) => {
                // A page whose name rebinds to 127.0.0.1 is same-origin to the browser and could send
                // X-CSRF itself; its requests still carry its own Host, so only loopback names pass.
                let host = headers.get(axum::http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
                if !is_loopback_host(host) {
                    return Err(AppError::Unauthenticated(
                        "dev sign-in answers only requests addressed to localhost, 127.0.0.1 or [::1]".into(),
                    ));
                }
                Ok(identity.clone())
            }
            Authenticator::Jwt(verifier) => verifier.verify(headers).await,
            Authenticator::TrustedHeaders(reader) => reader.read(headers, peer),
        }
    }
}

/// `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map(|(v6, _)| v6).unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, port)| if port.bytes().all(|b| b.is_ascii_digit()) { name } else { host }),
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "::1"
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn only_loopback_names_pass_the_dev_host_check() {
        for ok in ["localhost", "localhost:8080", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080"] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in ["", "rebind.attacker.example:8080", "127.0.0.1.nip.io", "localhost.attacker.example", "[::2]:80", "10.0.0.1:8080"] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
