//! Setup and processes: the emulator and backend processes the benchmark drives (each started
//! fresh where state would leak between measurements), their configuration, and what `/proc` says
//! about them and about the machine.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use callout_console::{
    accounts::{SANDBOX_WEBHOOK_AES_KEY, SANDBOX_WEBHOOK_TOKEN},
    sandbox::{aliyun_ccc, tencent_meeting},
};
use serde::Serialize;
use tokio::process::{Child, Command};

/// Harness failures are messages: any of them ends the run with a non-zero exit.
pub type Outcome<T> = Result<T, String>;

/// The Tencent Meeting and CCC account ids of the benchmark's backend configuration.
pub const TENCENT_ACCOUNT: &str = "bench-tencent";
pub const CCC_ACCOUNT: &str = "bench-ccc";
const TENCENT_SECRET_VAR: &str = "BENCH_TENCENT_SECRET_KEY";
const CCC_SECRET_VAR: &str = "BENCH_CCC_ACCESS_KEY_SECRET";
const WEBHOOK_TOKEN_VAR: &str = "BENCH_TENCENT_WEBHOOK_TOKEN";
const WEBHOOK_AES_VAR: &str = "BENCH_TENCENT_WEBHOOK_AES_KEY";
/// Proxy variables would send loopback traffic through a proxy and measure that instead.
const PROXY_VARS: [&str; 6] = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"];

pub fn free_port() -> Outcome<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free loopback port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A plain HTTP client for loopback: no proxy, a pool large enough for the highest concurrency.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a static client configuration")
}

/// Which emulator process to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmulatorKind {
    /// `callout-console emulate`, as shipped: Tencent's own 300-a-minute per-app limit applies.
    Product,
    /// `callout-bench emulate`: the same emulator code with the provider's limit lifted, so that the
    /// BFF-versus-direct figures measure request costs rather than the provider's refusals.
    Unthrottled,
}

pub struct Emulator {
    child: Child,
    pub tencent_url: String,
    pub aliyun_url: String,
}

impl Emulator {
    pub async fn start(kind: EmulatorKind, console: &Path, time_scale: f64, log: &Path) -> Outcome<Emulator> {
        let (tencent_port, aliyun_port) = (free_port()?, free_port()?);
        let program = match kind {
            EmulatorKind::Product => console.to_path_buf(),
            EmulatorKind::Unthrottled => std::env::current_exe().map_err(|e| e.to_string())?,
        };
        let mut command = Command::new(program);
        command
            .arg("emulate")
            .arg(format!("--tencent-bind=127.0.0.1:{tencent_port}"))
            .arg(format!("--aliyun-bind=127.0.0.1:{aliyun_port}"))
            .arg(format!("--time-scale={time_scale}"))
            // The emulator's per-request logs are not what is measured; keep them off the shared CPU.
            .env("RUST_LOG", "warn");
        let child = spawn(command, log)?;
        let emulator = Emulator {
            child,
            tencent_url: format!("http://127.0.0.1:{tencent_port}"),
            aliyun_url: format!("http://127.0.0.1:{aliyun_port}"),
        };
        let client = http_client();
        for url in [&emulator.tencent_url, &emulator.aliyun_url] {
            wait_for_ok(&client, &format!("{url}/__emulator/faults"), Duration::from_secs(20)).await?;
        }
        Ok(emulator)
    }

    /// Subscribes `backend` to the emulator's signed, encrypted events (the URL check runs first).
    pub async fn deliver_webhooks_to(&self, client: &reqwest::Client, backend: &Backend) -> Outcome<()> {
        let target = tencent_meeting::WebhookTarget {
            url: format!("{}/webhooks/tencent/{TENCENT_ACCOUNT}", backend.url),
            token: SANDBOX_WEBHOOK_TOKEN.into(),
            encoding_aes_key: Some(SANDBOX_WEBHOOK_AES_KEY.into()),
        };
        let answer =
            client.put(format!("{}/__emulator/webhook", self.tencent_url)).json(&target).send().await.map_err(|e| e.to_string())?;
        if !answer.status().is_success() {
            return Err(format!("webhook subscription refused: {} {}", answer.status(), answer.text().await.unwrap_or_default()));
        }
        Ok(())
    }

    /// Numbers the Tencent emulator dialled, with how often (its own counter, not the backend's word).
    pub async fn dials(&self, client: &reqwest::Client) -> Outcome<std::collections::BTreeMap<String, u64>> {
        let answer = client.get(format!("{}/__emulator/dials", self.tencent_url)).send().await.map_err(|e| e.to_string())?;
        answer.json().await.map_err(|e| format!("emulator dial counter: {e}"))
    }

    pub async fn stop(mut self) {
        stop(&mut self.child).await;
    }
}

/// What differs between the benchmark's backend configurations.
#[derive(Debug, Clone, Default)]
pub struct BackendOptions {
    /// `rate_limit_per_minute` of both accounts; `None` keeps the shipped defaults (300 and 60).
    pub rate_limit_per_minute: Option<u32>,
}

pub struct Backend {
    child: Child,
    pub pid: u32,
    pub url: String,
    pub data_dir: PathBuf,
    /// From spawning the process to the first `200` of `/api/v1/health`.
    pub cold_start: Duration,
}

impl Backend {
    /// A backend in dev sign-in whose two accounts point at `emulator`, on a fresh data directory.
    pub async fn start(console: &Path, emulator: &Emulator, options: &BackendOptions, dir: &Path) -> Outcome<Backend> {
        let port = free_port()?;
        let data_dir = dir.join("data");
        std::fs::create_dir_all(&data_dir).map_err(|e| format!("cannot create the data directory: {e}"))?;
        let config_path = dir.join("callout-console.toml");
        std::fs::write(&config_path, backend_config(port, &data_dir, emulator, options)).map_err(|e| e.to_string())?;
        let mut command = Command::new(console);
        command
            .arg("serve")
            .arg("--config")
            .arg(&config_path)
            .env(TENCENT_SECRET_VAR, tencent_meeting::SANDBOX_SECRET_KEY)
            .env(CCC_SECRET_VAR, aliyun_ccc::SANDBOX_ACCESS_KEY_SECRET)
            .env(WEBHOOK_TOKEN_VAR, SANDBOX_WEBHOOK_TOKEN)
            .env(WEBHOOK_AES_VAR, SANDBOX_WEBHOOK_AES_KEY)
            // Shipped logging, whatever the caller's shell has set.
            .env_remove("RUST_LOG")
            .env_remove("CALLOUT_CONFIG");
        let started = Instant::now();
        let child = spawn(command, &dir.join("backend.log"))?;
        let pid = child.id().ok_or("the backend exited at once")?;
        let url = format!("http://127.0.0.1:{port}");
        wait_for_ok(&http_client(), &format!("{url}/api/v1/health"), Duration::from_secs(30)).await?;
        Ok(Backend { child, pid, url, data_dir, cold_start: started.elapsed() })
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    pub fn cpu_seconds(&self) -> Outcome<f64> {
        cpu_seconds(self.pid)
    }

    /// `VmRSS` (now) or `VmHWM` (peak) in bytes.
    pub fn memory(&self, field: &str) -> Outcome<u64> {
        status_bytes(self.pid, field)
    }

    /// Bytes of every file in the data directory: the database, its WAL and shared memory.
    pub fn database_bytes(&self) -> u64 {
        dir_bytes(&self.data_dir)
    }

    pub async fn stop(mut self) {
        stop(&mut self.child).await;
    }
}

fn backend_config(port: u16, data_dir: &Path, emulator: &Emulator, options: &BackendOptions) -> String {
    let rate = options.rate_limit_per_minute.map(|r| format!("rate_limit_per_minute = {r}\n")).unwrap_or_default();
    let data_dir = toml_string(&data_dir.display().to_string());
    format!(
        r#"[server]
bind = "127.0.0.1:{port}"
data_dir = {data_dir}

[auth]
mode = "dev"

[auth.dev]
# The accounts below are "live" to the backend, although they point at the local emulator.
allow_live_accounts = true

[operator_ids]
"dev@localhost" = "{operator}"

[[tencent_meeting]]
id = "{TENCENT_ACCOUNT}"
name = "Benchmark Tencent Meeting"
base_url = "{tencent_url}"
app_id = "{app_id}"
secret_id = "{secret_id}"
secret_key_env = "{TENCENT_SECRET_VAR}"
webhook_token_env = "{WEBHOOK_TOKEN_VAR}"
webhook_aes_key_env = "{WEBHOOK_AES_VAR}"
{rate}
[[aliyun_ccc]]
id = "{CCC_ACCOUNT}"
name = "Benchmark contact center"
region_id = "{region}"
endpoint = "{aliyun_url}"
access_key_id = "{access_key_id}"
access_key_secret_env = "{CCC_SECRET_VAR}"
instances = [{{ id = "{instance}", name = "Benchmark instance" }}]
{rate}"#,
        operator = tencent_meeting::SANDBOX_OPERATOR_ID,
        tencent_url = emulator.tencent_url,
        app_id = tencent_meeting::SANDBOX_APP_ID,
        secret_id = tencent_meeting::SANDBOX_SECRET_ID,
        region = aliyun_ccc::SANDBOX_REGION_ID,
        aliyun_url = emulator.aliyun_url,
        access_key_id = aliyun_ccc::SANDBOX_ACCESS_KEY_ID,
        instance = aliyun_ccc::SANDBOX_INSTANCE_ID,
    )
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn spawn(mut command: Command, log: &Path) -> Outcome<Child> {
    let out = std::fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    for var in PROXY_VARS {
        command.env_remove(var);
    }
    command.stdin(Stdio::null()).stdout(out).stderr(err).kill_on_drop(true);
    command.spawn().map_err(|e| format!("cannot start {:?}: {e}", command.as_std().get_program()))
}

async fn wait_for_ok(client: &reqwest::Client, url: &str, limit: Duration) -> Outcome<()> {
    let started = Instant::now();
    loop {
        if let Ok(answer) = client.get(url).send().await {
            if answer.status().is_success() {
                return Ok(());
            }
        }
        if started.elapsed() > limit {
            return Err(format!("{url} did not answer 200 within {limit:?}"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// SIGTERM (the backend finishes in-flight work and exits), then SIGKILL after a grace period.
async fn stop(child: &mut Child) {
    if let Some(pid) = child.id() {
        // SAFETY: kill(2) with a pid this process spawned and has not reaped yet.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGTERM);
        }
    }
    if tokio::time::timeout(Duration::from_secs(10), child.wait()).await.is_err() {
        let _ = child.kill().await;
    }
}

/// User plus system CPU time of a process, from `/proc/<pid>/stat`.
pub fn cpu_seconds(pid: u32) -> Outcome<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|e| format!("/proc/{pid}/stat: {e}"))?;
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).ok_or("malformed /proc stat")?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat(5); `after` starts at field 3.
    let ticks = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<f64>().ok()).ok_or("malformed /proc stat");
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Ok((ticks(14)? + ticks(15)?) / per_second)
}

/// A `kB` field of `/proc/<pid>/status`, in bytes.
pub fn status_bytes(pid: u32, field: &str) -> Outcome<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .ok_or_else(|| format!("no {field} in /proc/{pid}/status"))
}

pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpu_model: String,
    pub cores: usize,
    pub memory_bytes: u64,
    pub kernel: String,
    pub rustc: String,
}

impl Machine {
    pub fn describe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name")?.split_once(':').map(|(_, v)| v.trim().to_owned()))
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_bytes =
            meminfo.lines().find_map(|l| l.strip_prefix("MemTotal:")?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()).unwrap_or(0)
                * 1024;
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim().to_owned();
        let rustc = std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_else(|| "unknown".into());
        Machine { cpu_model, cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), memory_bytes, kernel, rustc }
    }
}

/// What every part of the run shares: the backend binary, a scratch directory, one HTTP client.
pub struct Harness {
    pub console: PathBuf,
    pub work: PathBuf,
    pub http: reqwest::Client,
    /// `--time-scale` of the emulators: calls ring and end this much faster.
    pub time_scale: f64,
}

impl Harness {
    /// A fresh emulator and a backend on an empty data directory, under `work/<name>`.
    pub async fn fresh_stack(&self, kind: EmulatorKind, options: &BackendOptions, name: &str) -> Outcome<(Emulator, Backend)> {
        let dir = self.work.join(name);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let emulator = Emulator::start(kind, &self.console, self.time_scale, &dir.join("emulator.log")).await?;
        let backend = Backend::start(&self.console, &emulator, options, &dir).await?;
        Ok((emulator, backend))
    }

    /// The shipped configuration against the shipped emulator: what the job figures are about.
    pub async fn shipped_stack(&self, name: &str) -> Outcome<(Emulator, Backend)> {
        self.fresh_stack(EmulatorKind::Product, &BackendOptions::default(), name).await
    }
}
