//! The official Tencent Meeting Python SDK talks to the emulator: its signed requests are accepted
//! and a request tampered with after signing is refused (interop/tencent_sdk.py does the checks).

use crate::tencent_meeting_common;

use std::path::PathBuf;

use callout_console::sandbox::tencent_meeting as emu;
use tencent_meeting_common::*;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("backend lives in the workspace").to_path_buf()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_requests_are_accepted_and_tampering_is_refused() {
    let python = std::env::var_os("CALLOUT_SDK_PYTHON").map(PathBuf::from).unwrap_or_else(|| workspace_root().join(".tools/py/bin/python"));
    assert!(python.exists(), "no Python with the provider SDKs at {}: run scripts/setup.sh (or set CALLOUT_SDK_PYTHON)", python.display());

    let emulator = start(fast_config()).await;
    let mut command = std::process::Command::new(&python);
    command
        .arg(workspace_root().join("interop/tencent_sdk.py"))
        .args(["--base-url", &emulator.base_url()])
        .args(["--app-id", emu::SANDBOX_APP_ID, "--secret-id", emu::SANDBOX_SECRET_ID, "--secret-key", emu::SANDBOX_SECRET_KEY])
        .args(["--meeting-id", emu::SANDBOX_MEETING_ID, "--operator-id", emu::SANDBOX_OPERATOR_ID])
        .args(["--meeting-room-id", emu::SANDBOX_MEETING_ROOM_IDS[0]]);
    for proxy in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
        command.env_remove(proxy);
    }
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("the SDK script runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "SDK interop failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    assert!(stdout.contains("tampered request rejected with 200003"), "{stdout}");
    assert_eq!(dials(&emulator).await.get("+8613800138001"), Some(&1));
}
