//! `callout-bench`: the benchmark driver behind `scripts/bench.sh`. It starts the release backend and
//! the emulators on loopback, drives them only through their HTTP APIs, and writes the report.
//!
//! Modules, one concern each: `procs` (processes, configuration, /proc), `load` (BFF-versus-direct
//! cells), `jobs` (bulk jobs and interactive latency), `sse` (live event clients), `report`
//! (aggregation, budgets, output), `stats` (percentiles, medians, paired ratios), `emulate` (the
//! unthrottled emulator process).

mod emulate;
mod jobs;
mod load;
mod procs;
mod report;
mod sse;
mod stats;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    time::{Duration, Instant},
};

use clap::{Args, Parser, Subcommand};

use crate::{
    load::{Operation, Plan, Side, Targets},
    procs::{BackendOptions, EmulatorKind, Harness, Machine, Outcome},
    report::{Bundle, BundleFile, Inputs, ProcessRun, Report, Rounds},
};

#[derive(Parser)]
#[command(name = "callout-bench", about = "Callout Console benchmark driver (run by scripts/bench.sh)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every measurement and write report.md and report.json.
    Run(RunArgs),
    /// The provider emulators with Tencent Meeting's per-app rate limit lifted (started by `run`).
    Emulate {
        #[arg(long)]
        tencent_bind: SocketAddr,
        #[arg(long)]
        aliyun_bind: SocketAddr,
        #[arg(long, default_value_t = 1.0)]
        time_scale: f64,
    },
}

#[derive(Args)]
struct RunArgs {
    /// A smoke run: one round, shorter cells, smaller jobs.
    #[arg(long)]
    quick: bool,
    /// The release `callout-console` binary.
    #[arg(long)]
    console: PathBuf,
    /// The built frontend (`trunk build --release` output) to measure.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Why the bundle was not built, when it was not.
    #[arg(long)]
    bundle_skipped: Option<String>,
    /// Where report.md and report.json go.
    #[arg(long, default_value = "bench")]
    out: PathBuf,
    /// Scratch space for data directories and logs (removed at the end).
    #[arg(long)]
    work: Option<PathBuf>,
}

/// How much of everything one run does.
struct Profile {
    name: &'static str,
    rounds: usize,
    concurrencies: [usize; 3],
    warmup: Duration,
    duration: Duration,
    /// Per concurrency: callouts place real (emulated) calls, so their cells are bounded by count.
    callout_requests: [usize; 3],
    /// After a callout cell: the calls end and the backend's follower goes quiet before the next cell.
    settle: Duration,
    job_sizes: Vec<usize>,
    sse_clients: usize,
    sse_job: usize,
    interactive_job: usize,
}

impl Profile {
    fn full() -> Profile {
        Profile {
            name: "full",
            rounds: 3,
            concurrencies: [1, 8, 64],
            warmup: Duration::from_millis(500),
            duration: Duration::from_secs(3),
            callout_requests: [100, 400, 1280],
            settle: Duration::from_millis(2500),
            job_sizes: vec![1_000, 10_000],
            sse_clients: 200,
            sse_job: 1_000,
            interactive_job: 10_000,
        }
    }

    fn quick() -> Profile {
        Profile {
            name: "quick",
            rounds: 1,
            warmup: Duration::from_millis(200),
            duration: Duration::from_secs(1),
            callout_requests: [30, 120, 320],
            settle: Duration::from_millis(1500),
            job_sizes: vec![500, 2_000],
            sse_job: 500,
            interactive_job: 2_000,
            ..Profile::full()
        }
    }
}

/// Pacing out of the way for the BFF-versus-direct cells: 100,000 requests a second per account.
const UNPACED_RATE_PER_MINUTE: u32 = 6_000_000;
/// Calls ring and end a hundred times faster (the longest, 120 s connected, takes 1.2 s).
const TIME_SCALE: f64 = 0.01;
/// Rows of the status meeting's first page that the console placed.
const SEED_ROWS: usize = 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let result = match cli.command {
        Command::Emulate { tencent_bind, aliyun_bind, time_scale } => runtime.block_on(emulate::run(tencent_bind, aliyun_bind, time_scale)),
        Command::Run(args) => runtime.block_on(run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("callout-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

fn say(text: impl AsRef<str>) {
    eprintln!("[bench] {}", text.as_ref());
}

async fn run(args: RunArgs) -> Outcome<()> {
    let started = Instant::now();
    let profile = if args.quick { Profile::quick() } else { Profile::full() };
    let work = args.work.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("callout-bench-{}", std::process::id())));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create the scratch directory: {e}"))?;
    let console = std::fs::canonicalize(&args.console).map_err(|e| format!("{}: {e}", args.console.display()))?;
    let h = Harness { console, work: work.clone(), http: procs::http_client(), time_scale: TIME_SCALE };
    let machine = Machine::describe();
    say(format!("{} run on {} × {}", profile.name, machine.cores, machine.cpu_model));

    let mut rounds = Rounds::default();
    for round in 0..profile.rounds {
        say(format!("round {}/{}: BFF vs emulator-direct", round + 1, profile.rounds));
        let (cells, process) = bff_vs_direct(&h, &profile, round).await?;
        rounds.cells.push(cells);
        rounds.processes.push(process);
    }
    for round in 0..profile.rounds {
        for &numbers in &profile.job_sizes {
            say(format!("round {}/{}: {numbers}-number job", round + 1, profile.rounds));
            let run = jobs::measure_job(&h, numbers, &format!("job-{numbers}-r{round}")).await?;
            say(format!("  accepted in {:.0} ms, all sent {:?} s, all final {:?} s", run.accept_ms, run.all_sent_s, run.all_final_s));
            rounds.jobs.push(run);
        }
    }
    for round in 0..profile.rounds {
        say(format!(
            "round {}/{}: {} event clients during a {}-number job",
            round + 1,
            profile.rounds,
            profile.sse_clients,
            profile.sse_job
        ));
        let run = sse::clients_during_job(&h, profile.sse_clients, profile.sse_job, &format!("sse-r{round}")).await?;
        say(format!("  p99 {:?} ms, {} of {} final states missed", run.latency_p99_ms, run.finals_missed, run.finals_expected));
        rounds.sse.push(run);
    }
    for round in 0..profile.rounds {
        say(format!("round {}/{}: status page while a {}-number job dials", round + 1, profile.rounds, profile.interactive_job));
        let run = jobs::interactive_during_job(&h, profile.interactive_job, &format!("interactive-r{round}")).await?;
        say(format!("  status page p50 {:?} ms over {} samples", run.status_page_p50_ms, run.status_page_samples));
        rounds.interactive.push(run);
    }
    let bundle = measure_bundle(args.dist.as_deref(), args.bundle_skipped.clone());

    let inputs = Inputs {
        mode: profile.name.into(),
        rounds: profile.rounds,
        concurrencies: profile.concurrencies.to_vec(),
        cell_warmup_s: profile.warmup.as_secs_f64(),
        cell_duration_s: profile.duration.as_secs_f64(),
        callout_requests: profile.callout_requests.to_vec(),
        bff_vs_direct_rate_limit_per_minute: UNPACED_RATE_PER_MINUTE,
        status_page_size: load::STATUS_PAGE_SIZE,
        status_meeting_seed_rows: SEED_ROWS,
        job_sizes: profile.job_sizes.clone(),
        job_rate_limit_per_minute: jobs::SHIPPED_RATE_PER_MINUTE,
        sse_clients: profile.sse_clients,
        sse_job_numbers: profile.sse_job,
        interactive_job_numbers: profile.interactive_job,
        emulator_time_scale: TIME_SCALE,
    };
    let report = Report::build(machine, inputs, rounds, bundle, started.elapsed().as_secs_f64());
    report.write(&args.out)?;
    say(format!(
        "wrote {}/report.md and report.json in {:.0} s: {} of {} budgets FAIL",
        args.out.display(),
        started.elapsed().as_secs_f64(),
        report.failed_budgets(),
        report.budgets.len()
    ));
    if args.work.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    Ok(())
}

/// One round of every operation × concurrency × side, on a fresh unthrottled emulator and a fresh
/// backend with pacing out of the way. The side that goes first alternates by round, so drift
/// during a round does not always favour the same side.
async fn bff_vs_direct(h: &Harness, profile: &Profile, round: usize) -> Outcome<(Vec<load::CellResult>, ProcessRun)> {
    let options = BackendOptions { rate_limit_per_minute: Some(UNPACED_RATE_PER_MINUTE) };
    let (emulator, backend) = h.fresh_stack(EmulatorKind::Unthrottled, &options, &format!("direct-r{round}")).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_rss_bytes = backend.memory("VmRSS")?;
    let targets = Arc::new(Targets::new(h.http.clone(), &backend, &emulator));
    targets.seed_status_meeting(SEED_ROWS).await.map_err(|e| format!("seeding the status meeting: {e}"))?;
    let sides = if round.is_multiple_of(2) { [Side::Direct, Side::Bff] } else { [Side::Bff, Side::Direct] };
    let mut cells = Vec::new();
    for operation in Operation::ALL {
        for (i, &concurrency) in profile.concurrencies.iter().enumerate() {
            for side in sides {
                let max_requests = (operation == Operation::Callout).then_some(profile.callout_requests[i]);
                let plan = Plan { warmup: profile.warmup, duration: profile.duration, max_requests };
                let cell = load::run_cell(targets.clone(), operation, side, concurrency, plan).await;
                say(format!(
                    "  {:?} {:?} c={concurrency}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
                    operation,
                    side,
                    cell.throughput,
                    cell.p50_ms.unwrap_or(f64::NAN),
                    cell.p99_ms.unwrap_or(f64::NAN),
                    cell.errors
                ));
                cells.push(cell);
                if operation == Operation::Callout {
                    tokio::time::sleep(profile.settle).await;
                }
            }
        }
    }
    let process =
        ProcessRun { cold_start_ms: backend.cold_start.as_secs_f64() * 1000.0, idle_rss_bytes, loaded_rss_bytes: backend.memory("VmHWM")? };
    backend.stop().await;
    emulator.stop().await;
    Ok((cells, process))
}

/// Raw, `gzip -9` and `brotli -q 11` sizes of the wasm, js and css of the built frontend.
fn measure_bundle(dist: Option<&Path>, skipped: Option<String>) -> Bundle {
    let skip = |why: String| Bundle { skipped: Some(why), files: vec![] };
    if let Some(why) = skipped {
        return skip(why);
    }
    let Some(dist) = dist else { return skip("no built frontend given (--dist)".into()) };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dist)
        .map(|entries| entries.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "wasm" || x == "js" || x == "css"))
        .collect();
    paths.sort();
    if !paths.iter().any(|p| p.extension().is_some_and(|x| x == "wasm")) {
        return skip("no .wasm in the built frontend".into());
    }
    let compressed = |program: &str, args: &[&str], path: &Path| -> Option<u64> {
        let output = std::process::Command::new(program).args(args).arg(path).output().ok()?;
        output.status.success().then_some(output.stdout.len() as u64)
    };
    let files = paths
        .iter()
        .map(|p| BundleFile {
            name: p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            raw: std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            gzip: compressed("gzip", &["-9", "-c"], p).unwrap_or(0),
            brotli: compressed("brotli", &["-q", "11", "-c"], p),
        })
        .collect();
    Bundle { skipped: None, files }
}
