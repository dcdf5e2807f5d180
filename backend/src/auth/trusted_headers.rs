//! Identity from headers a forward-auth proxy sets (oauth2-proxy, Authelia, authentik).
//!
//! Plain headers prove nothing by themselves, so they are read only from the configured proxy
//! addresses (the TCP peer, never `X-Forwarded-For`), and a request that carries two copies of an
//! identity header or an underscore look-alike (`X_Forwarded_Email`) is refused.

use std::net::SocketAddr;

use axum::http::{HeaderMap, HeaderName};
use ipnet::IpNet;

use super::Identity;
use crate::{
    config::{ConfigError, HeaderPreset, TrustedHeaderSettings},
    error::AppError,
};

pub struct HeaderIdentity {
    proxies: Vec<IpNet>,
    user: Option<HeaderName>,
    email: Option<HeaderName>,
    groups: Option<HeaderName>,
    name: Option<HeaderName>,
    separator: String,
}

/// (user, email, groups, name, separator) for each preset.
fn preset_headers(preset: HeaderPreset) -> [&'static str; 5] {
    match preset {
        HeaderPreset::Oauth2Proxy => ["x-forwarded-user", "x-forwarded-email", "x-forwarded-groups", "x-forwarded-preferred-username", ","],
        HeaderPreset::Authelia => ["remote-user", "remote-email", "remote-groups", "remote-name", ","],
        HeaderPreset::Authentik => ["x-authentik-username", "x-authentik-email", "x-authentik-groups", "x-authentik-name", "|"],
    }
}

impl HeaderIdentity {
    pub fn new(settings: &TrustedHeaderSettings) -> Result<Self, ConfigError> {
        let preset = settings.preset.map(preset_headers);
        let pick = |configured: &Option<String>, index: usize, key: &str| -> Result<Option<HeaderName>, ConfigError> {
            let name = configured.as_deref().or(preset.map(|p| p[index]));
            name.map(|n| {
                HeaderName::try_from(n.to_ascii_lowercase())
                    .map_err(|_| ConfigError { key: format!("auth.trusted_headers.{key}"), message: format!("`{n}` is not a header name") })
            })
            .transpose()
        };
        Ok(Self {
            proxies: settings.trusted_proxies.clone(),
            user: pick(&settings.user_header, 0, "user_header")?,
            email: pick(&settings.email_header, 1, "email_header")?,
            groups: pick(&settings.groups_header, 2, "groups_header")?,
            name: pick(&settings.name_header, 3, "name_header")?,
            separator: settings.groups_separator.clone().or(preset.map(|p| p[4].to_owned())).unwrap_or_else(|| ",".into()),
        })
    }

    pub fn read(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> Result<Identity, AppError> {
        let deny = |why: &str| AppError::Unauthenticated(why.to_owned());
        let peer = peer.ok_or_else(|| deny("the connection's source address is unknown"))?;
        let ip = peer.ip().to_canonical();
        if !self.proxies.iter().any(|net| net.contains(&ip)) {
            return Err(deny("identity headers are accepted only from the configured proxies"));
        }
        let ours: Vec<&HeaderName> = [&self.user, &self.email, &self.groups, &self.name].into_iter().flatten().collect();
        for present in headers.keys() {
            let folded = present.as_str().replace('_', "-");
            if folded != present.as_str() && ours.iter().any(|h| h.as_str() == folded) {
                return Err(deny("an identity header arrived under an underscore spelling"));
            }
        }
        let single = |name: &Option<HeaderName>| -> Result<Option<String>, AppError> {
            let Some(name) = name else { return Ok(None) };
            let mut values = headers.get_all(name).iter();
            let Some(first) = values.next() else { return Ok(None) };
            if values.next().is_some() {
                return Err(deny("an identity header arrived twice"));
            }
            let text = first.to_str().map_err(|_| deny("an identity header is not text"))?.trim().to_owned();
            Ok((!text.is_empty()).then_some(text))
        };
        let user = single(&self.user)?;
        let email = single(&self.email)?;
        let name = single(&self.name)?;
        let subject = user.clone().or_else(|| email.clone()).ok_or_else(|| deny("no identity headers on the request"))?;
        // oauth2-proxy repeats the groups header once per group; others join them with a separator.
        let groups = match &self.groups {
            Some(h) => headers
                .get_all(h)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(self.separator.as_str()))
                .map(|g| g.trim().to_owned())
                .filter(|g| !g.is_empty())
                .collect(),
            None => Vec::new(),
        };
        Ok(Identity { subject, email, name, groups, auth_mode: "trusted_headers", assertion_id: None })
    }
}
