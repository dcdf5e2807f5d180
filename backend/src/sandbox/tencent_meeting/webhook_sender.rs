//! Webhook delivery as Tencent Meeting does it: a signed GET `check_str` handshake when the URL is
//! set, then every event as a signed POST `{"data": base64}` (AES-encrypted when a key is set),
//! acknowledged by the body `successfully received callback`, retried a few times on failure.

use std::sync::Weak;

use rand::Rng as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc;

use super::state::Emulator;
use crate::providers::tencent_meeting::webhook::{WebhookSecrets, ACK_BODY};

/// A webhook subscription: callback URL, Token and optional EncodingAESKey.
#[derive(Clone, Serialize, Deserialize)]
pub struct WebhookTarget {
    pub url: String,
    pub token: String,
    #[serde(default)]
    pub encoding_aes_key: Option<String>,
}

impl std::fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookTarget").field("url", &self.url).finish_non_exhaustive()
    }
}

impl WebhookTarget {
    fn secrets(&self) -> Result<WebhookSecrets, String> {
        WebhookSecrets::new(self.token.clone(), self.encoding_aes_key.as_deref()).map_err(|e| e.to_string())
    }
}

/// Millisecond timestamp and a random nonce, as in the official example.
fn stamp() -> (String, String) {
    (chrono::Utc::now().timestamp_millis().to_string(), rand::thread_rng().gen_range(10_000_000u32..100_000_000).to_string())
}

/// GET `<url>?check_str=…`: the receiver must answer with the plaintext, exactly.
pub async fn handshake(http: &reqwest::Client, target: &WebhookTarget) -> Result<(), String> {
    let secrets = target.secrets()?;
    let plain: String = rand::thread_rng().sample_iter(rand::distributions::Alphanumeric).take(16).map(char::from).collect();
    let check_str = secrets.seal(plain.as_bytes());
    let (timestamp, nonce) = stamp();
    let signature = secrets.sign(&timestamp, &nonce, &check_str);
    let mut url = reqwest::Url::parse(&target.url).map_err(|e| format!("invalid webhook URL: {e}"))?;
    url.query_pairs_mut().append_pair("check_str", &check_str);
    let response = http
        .get(url)
        .header("timestamp", timestamp)
        .header("nonce", nonce)
        .header("signature", signature)
        .send()
        .await
        .map_err(|e| format!("webhook URL check failed: {e}"))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status.is_success() && body == plain {
        Ok(())
    } else {
        Err(format!("webhook URL check answered HTTP {status} with a body other than the check_str plaintext"))
    }
}

/// Delivers queued events one after another (so a receiver sees them in order) until the emulator is gone.
pub async fn deliver_events(emulator: Weak<Emulator>, mut events: mpsc::UnboundedReceiver<Value>) {
    while let Some(event) = events.recv().await {
        let Some(emulator) = emulator.upgrade() else { return };
        let Some(target) = emulator.webhook() else { continue };
        let (attempts, pause) = (emulator.config.webhook_attempts.max(1), emulator.config.webhook_retry_delay);
        for attempt in 1..=attempts {
            match post_event(&emulator.http, &target, &event).await {
                Ok(()) => break,
                Err(err) => {
                    tracing::warn!(emulator = "tencent-meeting", attempt, %err, "webhook delivery failed");
                    if attempt < attempts {
                        tokio::time::sleep(pause).await;
                    }
                }
            }
        }
    }
}

async fn post_event(http: &reqwest::Client, target: &WebhookTarget, event: &Value) -> Result<(), String> {
    let secrets = target.secrets()?;
    let data = secrets.seal(event.to_string().as_bytes());
    // Each attempt is stamped and signed afresh.
    let (timestamp, nonce) = stamp();
    let signature = secrets.sign(&timestamp, &nonce, &data);
    let response = http
        .post(&target.url)
        .header("content-type", "application/json")
        .header("timestamp", timestamp)
        .header("nonce", nonce)
        .header("signature", signature)
        .body(serde_json::json!({ "data": data }).to_string())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status.is_success() && body.trim() == ACK_BODY {
        Ok(())
    } else {
        Err(format!("HTTP {status} without the acknowledgement body"))
    }
}
