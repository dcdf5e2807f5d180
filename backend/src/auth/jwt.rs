//! Verifying the signed assertion (JWT) an identity-aware proxy adds to each request.
//!
//! Pinned from configuration, never from the token: the header, the algorithm, the issuer, the
//! audience and the JWKS URL. `exp`, `iss` and `aud` are required, `nbf` is checked, 30 s leeway.
//! Keys are cached by `kid`; an unknown `kid` triggers at most one JWKS fetch per cooldown, shared
//! by all requests waiting for it, and a failed fetch keeps the keys already known. A key set older
//! than its maximum age is refreshed in the background while the cached keys keep answering.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use axum::http::{header::AUTHORIZATION, HeaderMap, HeaderName};
use jsonwebtoken::{
    decode, decode_header,
    jwk::{AlgorithmParameters, JwkSet, PublicKeyUse},
    Algorithm, DecodingKey, Validation,
};
use serde_json::{Map, Value};

use super::Identity;
use crate::{
    config::{ConfigError, JwtAlgorithm, JwtPreset, JwtSettings},
    error::AppError,
};

/// Assertions longer than this are refused unread.
const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// A JWKS document larger than this is refused.
const MAX_JWKS_BYTES: usize = 256 * 1024;

pub struct JwtVerifier {
    header: HeaderName,
    /// The assertion comes as `Authorization: Bearer <token>` (oidc-bearer preset).
    bearer: bool,
    algorithm: Algorithm,
    validation: Validation,
    email_claim: String,
    groups_claim: String,
    name_claim: String,
    keys: Arc<JwksCache>,
}

/// Header and algorithm of each preset, from the proxies' documentation.
fn preset_defaults(preset: JwtPreset) -> (&'static str, JwtAlgorithm) {
    match preset {
        JwtPreset::Pomerium => ("x-pomerium-jwt-assertion", JwtAlgorithm::ES256),
        JwtPreset::Cloudflare => ("cf-access-jwt-assertion", JwtAlgorithm::RS256),
        JwtPreset::Iap => ("x-goog-iap-jwt-assertion", JwtAlgorithm::ES256),
        JwtPreset::OidcBearer => ("authorization", JwtAlgorithm::RS256),
    }
}

fn algorithm(alg: JwtAlgorithm) -> Algorithm {
    match alg {
        JwtAlgorithm::ES256 => Algorithm::ES256,
        JwtAlgorithm::ES384 => Algorithm::ES384,
        JwtAlgorithm::RS256 => Algorithm::RS256,
        JwtAlgorithm::RS384 => Algorithm::RS384,
        JwtAlgorithm::RS512 => Algorithm::RS512,
        JwtAlgorithm::PS256 => Algorithm::PS256,
        JwtAlgorithm::EdDSA => Algorithm::EdDSA,
    }
}

impl JwtVerifier {
    pub fn new(settings: &JwtSettings) -> Result<Self, ConfigError> {
        let (preset_header, preset_alg) = match settings.preset {
            Some(preset) => {
                let (h, a) = preset_defaults(preset);
                (Some(h), Some(a))
            }
            None => (None, None),
        };
        let header_name = settings.header.as_deref().or(preset_header).expect("validated: header or preset");
        let header = HeaderName::try_from(header_name.to_ascii_lowercase())
            .map_err(|_| ConfigError { key: "auth.jwt.header".into(), message: format!("`{header_name}` is not a header name") })?;
        let algorithm = algorithm(settings.algorithm.or(preset_alg).expect("validated: algorithm or preset"));

        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[settings.issuer.as_str()]);
        validation.set_audience(&[settings.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = settings.leeway_secs;

        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(crate::config::JWKS_FETCH_TIMEOUT_SECS))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("static client configuration");
        Ok(Self {
            bearer: header == AUTHORIZATION,
            header,
            algorithm,
            validation,
            email_claim: settings.email_claim.clone(),
            groups_claim: settings.groups_claim.clone(),
            name_claim: settings.name_claim.clone(),
            keys: Arc::new(JwksCache {
                url: settings.jwks_url.clone(),
                http,
                cooldown: Duration::from_secs(settings.jwks_cooldown_secs),
                max_age: Duration::from_secs(settings.jwks_max_age_secs),
                state: RwLock::new(KeySet::default()),
                refresh: tokio::sync::Mutex::new(None),
            }),
        })
    }

    pub async fn verify(&self, headers: &HeaderMap) -> Result<Identity, AppError> {
        let deny = |why: &str| AppError::Unauthenticated(why.to_owned());
        let mut values = headers.get_all(&self.header).iter();
        let value = values.next().ok_or_else(|| deny("no identity assertion on the request"))?;
        if values.next().is_some() {
            return Err(deny("more than one identity assertion on the request"));
        }
        let value = value.to_str().map_err(|_| deny("the identity assertion is not text"))?.trim();
        let token = if self.bearer {
            match value.split_once(' ') {
                Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
                _ => return Err(deny("the Authorization header is not a Bearer token")),
            }
        } else {
            value
        };
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES || token.split('.').count() != 3 {
            return Err(deny("the identity assertion is not a JWT"));
        }
        let header = decode_header(token).map_err(|_| deny("the identity assertion has an unreadable header"))?;
        if header.alg != self.algorithm {
            return Err(deny("the identity assertion uses an algorithm that is not accepted"));
        }
        let kid = header.kid.ok_or_else(|| deny("the identity assertion names no key (kid)"))?;
        let key = self.keys.key(&kid, self.algorithm).await.ok_or_else(|| deny("the identity assertion is signed with an unknown key"))?;
        let claims = decode::<Map<String, Value>>(token, &key, &self.validation)
            .map_err(|e| AppError::Unauthenticated(format!("the identity assertion is not valid: {e}")))?
            .claims;

        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned).filter(|s| !s.is_empty());
        let subject = text("sub").or_else(|| text(&self.email_claim)).ok_or_else(|| deny("the identity assertion names no subject"))?;
        let groups = match claims.get(&self.groups_claim) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            Some(Value::String(s)) => s.split(',').map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()).collect(),
            _ => Vec::new(),
        };
        Ok(Identity {
            subject,
            email: text(&self.email_claim),
            name: text(&self.name_claim),
            groups,
            auth_mode: "jwt",
            assertion_id: text("jti"),
        })
    }
}

#[derive(Default)]
struct KeySet {
    by_kid: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

struct JwksCache {
    url: String,
    http: reqwest::Client,
    cooldown: Duration,
    max_age: Duration,
    state: RwLock<KeySet>,
    /// Held while fetching (single flight); remembers when the last fetch started.
    refresh: tokio::sync::Mutex<Option<Instant>>,
}

impl JwksCache {
    async fn key(self: &Arc<Self>, kid: &str, alg: Algorithm) -> Option<DecodingKey> {
        let (cached, fresh) = self.cached(kid);
        if let Some(key) = cached {
            // A known key answers at once; an old key set is refreshed beside the requests, never in front of them.
            if !fresh {
                self.refresh_in_background(alg);
            }
            return Some(key);
        }
        // An unknown kid: one fetch per cooldown, shared by everyone waiting for it.
        let mut last_fetch = self.refresh.lock().await;
        let (after_wait, _) = self.cached(kid);
        if after_wait.is_some() || last_fetch.is_some_and(|at| at.elapsed() < self.cooldown) {
            return after_wait;
        }
        *last_fetch = Some(Instant::now());
        self.refetch(alg).await;
        self.cached(kid).0
    }

    /// Starts one refresh unless one is running or started too recently.
    fn refresh_in_background(self: &Arc<Self>, alg: Algorithm) {
        let this = self.clone();
        tokio::spawn(async move {
            let Ok(mut last_fetch) = this.refresh.try_lock() else { return };
            // A set past its age is due now; a failed refresh is tried again after the cooldown at most.
            if last_fetch.is_some_and(|at| at.elapsed() < this.cooldown.min(this.max_age)) {
                return;
            }
            *last_fetch = Some(Instant::now());
            this.refetch(alg).await;
        });
    }

    async fn refetch(&self, alg: Algorithm) {
        match self.fetch(alg).await {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), "JWKS refreshed");
                *self.state.write().unwrap() = KeySet { by_kid: keys, fetched_at: Some(Instant::now()) };
            }
            // Fail closed for unknown keys, keep serving the known ones.
            Err(why) => tracing::warn!(%why, "JWKS fetch failed; keeping the keys already known"),
        }
    }

    /// The cached key for `kid`, and whether the set is younger than `max_age`.
    fn cached(&self, kid: &str) -> (Option<DecodingKey>, bool) {
        let state = self.state.read().unwrap();
        let fresh = state.fetched_at.is_some_and(|at| at.elapsed() < self.max_age);
        (state.by_kid.get(kid).cloned(), fresh)
    }

    async fn fetch(&self, alg: Algorithm) -> Result<HashMap<String, DecodingKey>, String> {
        let mut response = self.http.get(&self.url).send().await.map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_JWKS_BYTES {
                return Err("the JWKS document is too large".into());
            }
        }
        let set: JwkSet = serde_json::from_slice(&body).map_err(|e| format!("not a JWKS document: {e}"))?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = &jwk.common.key_id else { continue };
            if matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
                continue;
            }
            // A symmetric key in a JWKS would turn verification into a shared-secret check: never.
            if matches!(jwk.algorithm, AlgorithmParameters::OctetKey(_)) {
                continue;
            }
            if let Some(key_alg) = jwk.common.key_algorithm {
                if format!("{key_alg:?}") != format!("{alg:?}") {
                    continue;
                }
            }
            if let Ok(key) = DecodingKey::from_jwk(jwk) {
                keys.insert(kid.clone(), key);
            }
        }
        Ok(keys)
    }
}
