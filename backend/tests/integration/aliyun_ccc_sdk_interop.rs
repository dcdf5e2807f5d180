//! The official Alibaba Cloud Python SDK (`alibabacloud-ccc20170705`) against the in-process CCC
//! emulator: its DialEx is accepted in every answer mode, signed with HMAC-SHA1 (`dial_ex`) and with
//! ACS3-HMAC-SHA256 (`call_api`), and wrong secrets and a request tampered after signing are refused.

use std::{path::PathBuf, process::Command};

use callout_console::sandbox::aliyun_ccc::{self, AliyunEmulatorConfig, *};

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("the backend lives in the workspace").to_path_buf()
}

/// `CALLOUT_SDK_PYTHON`, or the project's tool folder.
fn sdk_python() -> PathBuf {
    let python = std::env::var_os("CALLOUT_SDK_PYTHON").map(PathBuf::from).unwrap_or_else(|| workspace_root().join(".tools/py/bin/python"));
    assert!(
        python.exists(),
        "the Python with the official SDKs is missing at {}: run scripts/setup.sh (or set CALLOUT_SDK_PYTHON)",
        python.display()
    );
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_dials_through_the_emulator_and_tampering_is_refused() {
    let python = sdk_python();
    let emulator = aliyun_ccc::start("127.0.0.1:0".parse().unwrap(), AliyunEmulatorConfig::default()).await.unwrap();
    let mut command = Command::new(python);
    command
        .arg(workspace_root().join("interop/aliyun_sdk.py"))
        .args(["--endpoint", &emulator.addr().to_string()])
        .args(["--access-key-id", SANDBOX_ACCESS_KEY_ID, "--access-key-secret", SANDBOX_ACCESS_KEY_SECRET])
        .args(["--instance-id", SANDBOX_INSTANCE_ID, "--caller", SANDBOX_CALLER])
        .args(["--ivr", SANDBOX_CONTACT_FLOWS[0], "--skill-group", SANDBOX_SKILL_GROUPS[0]])
        .args(["--agent", &format!("{}@{SANDBOX_DOMAIN}", SANDBOX_AGENTS[0])]);
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("the SDK script starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "SDK interop failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}");

    // The emulator saw the SDK's three `dial_ex` calls, its V3 `call_api` and the hand-signed V3 call, with the `+` and spaces of the agent-mode callee intact.
    let dials = emulator.faults().dials();
    for callee in ["15700001000", "+86 157 0000 1001", "15700001002", "15700001005", "15700001007"] {
        assert_eq!(dials.get(callee), Some(&1), "{dials:?}");
    }
    assert_eq!(dials.len(), 5, "neither the wrong secrets nor the tampered request dialled: {dials:?}");
}
