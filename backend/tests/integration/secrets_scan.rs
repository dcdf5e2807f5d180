//! After the whole test run: the built frontend, every recorded response and every log line hold no
//! configured secret, in any form it could leak in. `scripts/test.sh` runs the scan as its last step
//! (`cargo test -p callout-console --test integration secrets_scan -- --ignored`) over `dist/` and
//! `TEST_OUTPUT`: the run's own log, the browser tests' backend logs (debug level) and every API answer
//! the browser received, the API fuzzer's recorded requests and answers, and the fuzzers' logs.

use std::path::{Path, PathBuf};

use base64::Engine;
use callout_console::{
    accounts::{SANDBOX_WEBHOOK_AES_KEY, SANDBOX_WEBHOOK_TOKEN},
    providers::tencent_meeting::webhook::decode_base64,
    sandbox::{aliyun_ccc::SANDBOX_ACCESS_KEY_SECRET, tencent_meeting::SANDBOX_SECRET_KEY},
};

/// A secret and the name the scan reports it by (never the value).
struct Needle {
    name: String,
    bytes: Vec<u8>,
}

/// Every form a secret could take in an output: as configured, and for the EncodingAESKey the AES key
/// derived from it (raw, hex, base64, and as Rust prints a byte vector).
fn needles() -> Vec<Needle> {
    let mut needles = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| needles.push(Needle { name: name.to_owned(), bytes });
    add("Tencent Meeting SecretKey", SANDBOX_SECRET_KEY.into());
    add("Tencent Meeting webhook token", SANDBOX_WEBHOOK_TOKEN.into());
    add("Tencent Meeting EncodingAESKey", SANDBOX_WEBHOOK_AES_KEY.into());
    add("Alibaba Cloud AccessKey secret", SANDBOX_ACCESS_KEY_SECRET.into());
    // AESKey = Base64-decode(EncodingAESKey + "="), decoded as the console decodes it.
    let aes = decode_base64(&format!("{SANDBOX_WEBHOOK_AES_KEY}=")).expect("a 43-character key");
    assert_eq!(aes.len(), 32);
    add("derived AES key (raw)", aes.clone());
    add("derived AES key (hex)", hex(&aes).into_bytes());
    add("derived AES key (HEX)", hex(&aes).to_uppercase().into_bytes());
    add("derived AES key (base64)", base64::engine::general_purpose::STANDARD.encode(&aes).into_bytes());
    add("derived AES key (base64url)", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&aes).into_bytes());
    add("derived AES key (byte list)", format!("{aes:?}").into_bytes());
    needles
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn files_under(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, into);
        } else {
            into.push(path);
        }
    }
}

/// Each (file, secret name) where a secret appears.
fn findings(files: &[PathBuf], needles: &[Needle]) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for file in files {
        let content = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for needle in needles {
            if content.windows(needle.bytes.len()).any(|w| w == needle.bytes) {
                found.push((file.clone(), needle.name.clone()));
            }
        }
    }
    found
}

#[test]
#[ignore = "run by scripts/test.sh after every other step, over what the run left behind"]
fn no_configured_secret_appears_in_any_output_of_the_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let output = std::env::var("TEST_OUTPUT").map(PathBuf::from).unwrap_or_else(|_| root.join("test-output"));
    let mut files = Vec::new();
    for dir in [root.join("dist"), output.clone()] {
        files_under(&dir, &mut files);
    }
    // The scan means something only if the run left what it is meant to read.
    let has = |what: &str, test: &dyn Fn(&Path) -> bool| assert!(files.iter().any(|f| test(f)), "nothing to scan: {what}");
    has("the frontend build", &|f| f.extension().is_some_and(|e| e == "wasm"));
    has("the run's log", &|f| f == output.join("test.log"));
    has("the browser's recorded answers", &|f| f.ends_with("e2e/responses.ndjson"));
    has("the browser tests' backend logs", &|f| f.parent().is_some_and(|p| p.ends_with("e2e")) && f.to_string_lossy().ends_with(".log"));
    has("the API fuzzer's recorded exchanges", &|f| {
        f.parent().is_some_and(|p| p.ends_with("api-fuzz")) && f.to_string_lossy().contains("vcr")
    });
    let found = findings(&files, &needles());
    let bytes: u64 = files.iter().map(|f| f.metadata().unwrap().len()).sum();
    println!("secrets scan: {} files, {bytes} bytes, {} secret forms", files.len(), needles().len());
    assert!(found.is_empty(), "secrets found: {found:?}");
}

#[test]
fn the_scan_finds_each_form_of_a_planted_secret() {
    let dir = tempfile::tempdir().unwrap();
    let needles = needles();
    let files: Vec<PathBuf> = needles
        .iter()
        .enumerate()
        .map(|(i, needle)| {
            let path = dir.path().join(format!("{i}.log"));
            let mut content = b"2026-12-02T03:00:00Z DEBUG request ".to_vec();
            content.extend_from_slice(&needle.bytes);
            content.extend_from_slice(b" done\n");
            std::fs::write(&path, content).unwrap();
            path
        })
        .collect();
    let found = findings(&files, &needles);
    for (i, needle) in needles.iter().enumerate() {
        assert!(found.contains(&(files[i].clone(), needle.name.clone())), "{} not found", needle.name);
    }
    let clean = dir.path().join("clean.log");
    std::fs::write(&clean, "sandbox-tencent-secret-id signed a request\n").unwrap();
    assert!(findings(&[clean], &needles).is_empty(), "an identifier is not a secret");
}
