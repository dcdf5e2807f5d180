//! The database's disk full: dialling is refused with a clear error before anything
//! is sent, and the backend goes on by itself once the storage is writable again.
//!
//! The data directory is a small tmpfs of its own, mounted by the test (the test command runs as
//! root, as CI does). Without the privilege to mount, the test fails and says so.

use crate::common;

use std::{process::Command, time::Duration};

use callout_console::sandbox::tencent_meeting::SANDBOX_MEETING_ID;
use serde_json::{json, Value};

/// A 16 MiB tmpfs (room for SQLite's write-ahead log, checkpointed at about 4 MiB) on a fresh directory, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount").args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"]).arg(dir.path()).status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "this test mounts a small tmpfs to fill it up and needs root (the test command runs as root)"
        );
        SmallDisk { dir }
    }

    /// Fills what is left of the disk with one file.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let path = self.dir.path().join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

fn job_body(first: u32, count: u32) -> Value {
    let text: Vec<String> = (first..first + count).map(|n| format!("139{n:08}")).collect();
    json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": text.join("\n") })
}

async fn refused_clearly(response: reqwest::Response) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!((status.as_u16(), &body["code"]), (503, &json!("storage_unavailable")), "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("nothing was dialled"), "{message}");
}

async fn nothing_dialled(app: &common::TestApp) {
    assert!(app.dial_counts().await.is_empty(), "nothing may be dialled while nothing can be recorded");
}

fn data_in(disk: &SmallDisk) -> tempfile::TempDir {
    tempfile::tempdir_in(disk.dir.path()).unwrap()
}

#[tokio::test]
async fn a_full_disk_refuses_dialling_before_anything_is_sent_and_recovers() {
    let disk = SmallDisk::mount();
    // One batch a second, so a job is still dialling when the disk fills up.
    let app = common::spawn_in("[sandbox]\ntime_scale = 0.01\nrate_limit_per_minute = 60\n", &[], data_in(&disk)).await;

    // Full.
    let filler = disk.fill();
    refused_clearly(app.post_json("/api/v1/callouts", &job_body(0, 500)).await).await;
    let batch = json!({ "account_id": "sandbox-tencent", "numbers": [{ "number": "13900000001" }] });
    refused_clearly(app.post_json(&format!("/api/v1/meetings/{SANDBOX_MEETING_ID}/callout"), &batch).await).await;
    nothing_dialled(&app).await;
    // Reading still works.
    assert_eq!(app.get("/api/v1/callouts").await.status(), 200);

    // Space returns: the next job is accepted and dialled.
    std::fs::remove_file(filler).unwrap();
    let response = app.post_json("/api/v1/callouts", &job_body(0, 20)).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    assert_eq!(wait_dialled(&app, 20).await, 20);
    // The job refused while the disk was full was never recorded: nothing of it waits to be dialled.
    let jobs: Value = app.get("/api/v1/callouts").await.json().await.unwrap();
    assert_eq!(jobs["total"], 1, "{jobs}");

    // The disk fills up while a job dials: it stops sending, then goes on by itself once space returns.
    let response = app.post_json("/api/v1/callouts", &job_body(1000, 400)).await;
    assert_eq!(response.status(), 202);
    let job_id = response.json::<Value>().await.unwrap()["job_id"].as_str().unwrap().to_owned();
    wait_dialled(&app, 20 + 100).await;
    let filler = disk.fill();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let while_full = app.dial_counts().await.len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(app.dial_counts().await.len(), while_full, "nothing is sent while its record cannot be written");
    assert!(while_full < 20 + 400, "the disk filled up mid-job");
    std::fs::remove_file(filler).unwrap();
    let job = app.wait_for_job(&job_id, |j| j["state"] == "finished").await;
    let c = &job["counters"];
    assert_eq!(c["finished"].as_u64().unwrap() + c["unknown"].as_u64().unwrap(), 400, "{c}");
    let dialled = app.dial_counts().await;
    assert!(dialled.values().all(|&n| n == 1), "nothing dialled twice");
}

async fn wait_dialled(app: &common::TestApp, count: usize) -> usize {
    for _ in 0..200 {
        let dialled = app.dial_counts().await;
        if dialled.len() >= count {
            assert!(dialled.values().all(|&n| n == 1), "nothing dialled twice: {dialled:?}");
            return dialled.len();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.dial_counts().await.len()
}
