//! `callout-bench emulate`: the backend library's provider emulators as `callout-console emulate`
//! runs them, but with Tencent Meeting's per-app limit (300 a minute) lifted. The BFF-versus-direct
//! figures send thousands of requests a second; under the provider's limit both sides would only
//! measure its refusals.

use std::net::SocketAddr;

use callout_console::sandbox::{aliyun_ccc, tencent_meeting};

pub async fn run(tencent_bind: SocketAddr, aliyun_bind: SocketAddr, time_scale: f64) -> Result<(), String> {
    let defaults = tencent_meeting::TencentEmulatorConfig::default();
    let meeting =
        tencent_meeting::TencentEmulatorConfig { delays: defaults.delays.scaled(time_scale), rate_limit_per_minute: u32::MAX, ..defaults };
    let tencent = tencent_meeting::start(tencent_bind, meeting).await.map_err(|e| e.to_string())?;
    let aliyun = aliyun_ccc::start(aliyun_bind, aliyun_ccc::AliyunEmulatorConfig::default()).await.map_err(|e| e.to_string())?;
    // The harness stops this process with SIGTERM.
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).map_err(|e| format!("no SIGTERM handler: {e}"))?;
    tokio::select! {
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tencent.stop().await;
    aliyun.stop().await;
    Ok(())
}
