//! The report: every round's raw figures, their medians and ranges, ratios paired per round, the
//! budgets judged PASS or FAIL, written as `report.json` (everything) and `report.md` (for people).
//! A budget is judged on the median over rounds; a figure that could not be measured is a FAIL.

use std::{fmt::Write as _, path::Path};

use serde::Serialize;

use crate::{
    jobs::{InteractiveRun, JobRun},
    load::{CellResult, Operation, Side},
    procs::Machine,
    sse::SseRun,
    stats::{paired_differences, paired_ratios, Summary},
};

#[derive(Debug, Clone, Serialize)]
pub struct Inputs {
    pub mode: String,
    pub rounds: usize,
    pub concurrencies: Vec<usize>,
    pub cell_warmup_s: f64,
    pub cell_duration_s: f64,
    /// Callout cells stop after this many requests per concurrency (each one places a call).
    pub callout_requests: Vec<usize>,
    pub bff_vs_direct_rate_limit_per_minute: u32,
    pub status_page_size: u32,
    pub status_meeting_seed_rows: usize,
    pub job_sizes: Vec<usize>,
    pub job_rate_limit_per_minute: u32,
    pub sse_clients: usize,
    pub sse_job_numbers: usize,
    pub interactive_job_numbers: usize,
    pub emulator_time_scale: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcessRun {
    pub cold_start_ms: f64,
    pub idle_rss_bytes: u64,
    /// `VmHWM` after the BFF-versus-direct cells of the round (up to 64 concurrent requests).
    pub loaded_rss_bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BundleFile {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bundle {
    /// `None` when measured; otherwise why not.
    pub skipped: Option<String>,
    pub files: Vec<BundleFile>,
}

/// Every round's raw figures, as measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rounds {
    /// `cells[round]`: every cell of that round.
    pub cells: Vec<Vec<CellResult>>,
    pub processes: Vec<ProcessRun>,
    pub jobs: Vec<JobRun>,
    pub sse: Vec<SseRun>,
    pub interactive: Vec<InteractiveRun>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellSummary {
    pub operation: Operation,
    pub label: &'static str,
    pub concurrency: usize,
    pub bff_throughput: Option<Summary>,
    pub direct_throughput: Option<Summary>,
    /// BFF ÷ direct, paired per round.
    pub throughput_ratio: Option<Summary>,
    pub bff_p50_ms: Option<Summary>,
    pub direct_p50_ms: Option<Summary>,
    pub bff_p99_ms: Option<Summary>,
    pub direct_p99_ms: Option<Summary>,
    /// BFF p50 − direct p50, paired per round.
    pub bff_added_p50_ms: Option<Summary>,
    /// BFF p50 ÷ direct p50, paired per round.
    pub p50_ratio: Option<Summary>,
    pub errors: usize,
    pub first_error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobSummaryRow {
    pub numbers: usize,
    pub sent_bound_s: f64,
    pub accept_ms: Option<Summary>,
    pub all_sent_s: Option<Summary>,
    /// All sent ÷ the rate-limit bound, paired per round.
    pub sent_vs_bound: Option<Summary>,
    pub all_final_s: Option<Summary>,
    pub final_after_sent_s: Option<Summary>,
    pub backend_cpu_s: Option<Summary>,
    pub peak_rss_bytes: Option<Summary>,
    pub database_growth_bytes: Option<Summary>,
    pub database_retained_bytes: Option<Summary>,
    pub unfinished_rounds: usize,
    pub dialled_twice: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    pub name: String,
    pub limit: String,
    pub measured: Option<Summary>,
    pub unit: &'static str,
    pub pass: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub generated_at: String,
    pub harness_seconds: f64,
    pub machine: Machine,
    pub inputs: Inputs,
    pub budgets: Vec<Budget>,
    pub bff_vs_direct: Vec<CellSummary>,
    pub jobs: Vec<JobSummaryRow>,
    pub sse: SseSummary,
    pub interactive: InteractiveSummary,
    pub processes: ProcessSummary,
    pub bundle: Bundle,
    pub rounds: Rounds,
}

#[derive(Debug, Clone, Serialize)]
pub struct SseSummary {
    pub latency_p50_ms: Option<Summary>,
    pub latency_p99_ms: Option<Summary>,
    pub finals_expected: usize,
    pub finals_missed: usize,
    pub resyncs: usize,
    pub client_errors: usize,
    pub backend_cpu_s: Option<Summary>,
    pub driver_cpu_s: Option<Summary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InteractiveSummary {
    pub status_page_p50_ms: Option<Summary>,
    pub status_page_p99_ms: Option<Summary>,
    pub job_view_p50_ms: Option<Summary>,
    pub job_view_p99_ms: Option<Summary>,
    pub samples: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcessSummary {
    pub cold_start_ms: Option<Summary>,
    pub idle_rss_bytes: Option<Summary>,
    pub loaded_rss_bytes: Option<Summary>,
}

/// A figure of one kind of run, over rounds.
fn over<T>(runs: &[&T], figure: impl Fn(&T) -> Option<f64>) -> Option<Summary> {
    let values: Vec<f64> = runs.iter().filter_map(|r| figure(r)).collect();
    Summary::of(&values)
}

fn summarise_cells(rounds: &[Vec<CellResult>], concurrencies: &[usize]) -> Vec<CellSummary> {
    let mut out = Vec::new();
    for operation in Operation::ALL {
        for &concurrency in concurrencies {
            // Per round, both sides or nothing: ratios and differences pair within a round.
            let side = |round: &Vec<CellResult>, side: Side| {
                round.iter().find(|c| c.operation == operation && c.side == side && c.concurrency == concurrency).cloned()
            };
            let pairs: Vec<(CellResult, CellResult)> =
                rounds.iter().filter_map(|r| side(r, Side::Bff).zip(side(r, Side::Direct))).collect();
            let figure = |pick: &dyn Fn(&(CellResult, CellResult)) -> Option<f64>| -> Vec<f64> {
                pairs.iter().map(|p| pick(p).unwrap_or(f64::NAN)).collect()
            };
            let bff_tp = figure(&|(b, _)| Some(b.throughput));
            let direct_tp = figure(&|(_, d)| Some(d.throughput));
            let bff_p50 = figure(&|(b, _)| b.p50_ms);
            let direct_p50 = figure(&|(_, d)| d.p50_ms);
            out.push(CellSummary {
                operation,
                label: operation.label(),
                concurrency,
                bff_throughput: Summary::of(&bff_tp),
                direct_throughput: Summary::of(&direct_tp),
                throughput_ratio: Summary::of(&paired_ratios(&bff_tp, &direct_tp)),
                bff_p50_ms: Summary::of(&bff_p50),
                direct_p50_ms: Summary::of(&direct_p50),
                bff_p99_ms: Summary::of(&figure(&|(b, _)| b.p99_ms)),
                direct_p99_ms: Summary::of(&figure(&|(_, d)| d.p99_ms)),
                bff_added_p50_ms: Summary::of(&paired_differences(&bff_p50, &direct_p50)),
                p50_ratio: Summary::of(&paired_ratios(&bff_p50, &direct_p50)),
                errors: pairs.iter().map(|(b, d)| b.errors + d.errors).sum(),
                first_error: pairs.iter().find_map(|(b, d)| b.first_error.clone().or_else(|| d.first_error.clone())),
            });
        }
    }
    out
}

fn summarise_jobs(runs: &[JobRun], sizes: &[usize]) -> Vec<JobSummaryRow> {
    sizes
        .iter()
        .map(|&numbers| {
            let of_size: Vec<&JobRun> = runs.iter().filter(|r| r.numbers == numbers).collect();
            let sent: Vec<f64> = of_size.iter().map(|r| r.all_sent_s.unwrap_or(f64::NAN)).collect();
            let bound: Vec<f64> = of_size.iter().map(|r| r.sent_bound_s).collect();
            JobSummaryRow {
                numbers,
                sent_bound_s: crate::jobs::sent_bound_seconds(numbers),
                accept_ms: over(&of_size, |r| Some(r.accept_ms)),
                all_sent_s: over(&of_size, |r| r.all_sent_s),
                sent_vs_bound: Summary::of(&paired_ratios(&sent, &bound)),
                all_final_s: over(&of_size, |r| r.all_final_s),
                final_after_sent_s: over(&of_size, |r| r.final_after_sent_s),
                backend_cpu_s: over(&of_size, |r| Some(r.backend_cpu_s)),
                peak_rss_bytes: over(&of_size, |r| Some(r.peak_rss_bytes as f64)),
                database_growth_bytes: over(&of_size, |r| Some(r.database_growth_bytes as f64)),
                database_retained_bytes: over(&of_size, |r| Some(r.database_retained_bytes as f64)),
                unfinished_rounds: of_size.iter().filter(|r| r.all_final_s.is_none()).count(),
                dialled_twice: of_size.iter().map(|r| r.emulator_dialled_twice).sum(),
            }
        })
        .collect()
}

fn budget(name: String, limit: f64, unit: &'static str, measured: Option<Summary>, note: Option<String>) -> Budget {
    let pass = measured.as_ref().is_some_and(|m| m.median <= limit);
    let note = note.or_else(|| measured.is_none().then(|| "not measured".to_owned()));
    Budget { name, limit: format!("≤ {} {unit}", trim(limit)), measured, unit, pass, note }
}

impl Report {
    pub fn build(machine: Machine, inputs: Inputs, rounds: Rounds, bundle: Bundle, harness_seconds: f64) -> Report {
        let bff_vs_direct = summarise_cells(&rounds.cells, &inputs.concurrencies);
        let jobs = summarise_jobs(&rounds.jobs, &inputs.job_sizes);
        let sse_runs: Vec<&SseRun> = rounds.sse.iter().collect();
        let sse = SseSummary {
            latency_p50_ms: over(&sse_runs, |r| r.latency_p50_ms),
            latency_p99_ms: over(&sse_runs, |r| r.latency_p99_ms),
            finals_expected: sse_runs.iter().map(|r| r.finals_expected).sum(),
            finals_missed: sse_runs.iter().map(|r| r.finals_missed).sum(),
            resyncs: sse_runs.iter().map(|r| r.resyncs).sum(),
            client_errors: sse_runs.iter().map(|r| r.client_errors).sum(),
            backend_cpu_s: over(&sse_runs, |r| Some(r.backend_cpu_s)),
            driver_cpu_s: over(&sse_runs, |r| Some(r.driver_cpu_s)),
        };
        let interactive_runs: Vec<&InteractiveRun> = rounds.interactive.iter().collect();
        let interactive = InteractiveSummary {
            status_page_p50_ms: over(&interactive_runs, |r| r.status_page_p50_ms),
            status_page_p99_ms: over(&interactive_runs, |r| r.status_page_p99_ms),
            job_view_p50_ms: over(&interactive_runs, |r| r.job_view_p50_ms),
            job_view_p99_ms: over(&interactive_runs, |r| r.job_view_p99_ms),
            samples: interactive_runs.iter().map(|r| r.status_page_samples).sum(),
            errors: interactive_runs.iter().map(|r| r.status_page_errors).sum(),
        };
        let process_runs: Vec<&ProcessRun> = rounds.processes.iter().collect();
        let processes = ProcessSummary {
            // Every backend the run started: the BFF-versus-direct ones and one per job.
            cold_start_ms: Summary::of(
                &process_runs.iter().map(|r| r.cold_start_ms).chain(rounds.jobs.iter().map(|j| j.cold_start_ms)).collect::<Vec<_>>(),
            ),
            idle_rss_bytes: over(&process_runs, |r| Some(r.idle_rss_bytes as f64)),
            loaded_rss_bytes: over(&process_runs, |r| Some(r.loaded_rss_bytes as f64)),
        };

        let mut budgets = Vec::new();
        for (operation, concurrency, limit) in
            [(Operation::StatusPage, 1, 0.5), (Operation::DialEx, 1, 0.5), (Operation::StatusPage, 64, 2.0), (Operation::DialEx, 64, 2.0)]
        {
            let cell = bff_vs_direct.iter().find(|c| c.operation == operation && c.concurrency == concurrency);
            let errors = cell.map(|c| c.errors).unwrap_or(0);
            let note = (errors > 0).then(|| format!("{errors} failed requests"));
            budgets.push(budget(
                format!("BFF added p50, {}, concurrency {concurrency}", operation.label()),
                limit,
                "ms",
                cell.and_then(|c| c.bff_added_p50_ms.clone()),
                note,
            ));
        }
        budgets.push(budget(
            format!("Status page p50 while a {}-number job dials", inputs.interactive_job_numbers),
            50.0,
            "ms",
            interactive.status_page_p50_ms.clone(),
            None,
        ));
        for row in &jobs {
            let note = (row.unfinished_rounds > 0).then(|| format!("{} round(s) never finished", row.unfinished_rounds));
            let mut b = budget(
                format!("All final − all sent, {}-number job (webhooks on)", row.numbers),
                5.0,
                "s",
                row.final_after_sent_s.clone(),
                note,
            );
            b.pass &= row.unfinished_rounds == 0;
            budgets.push(b);
        }
        if let Some(largest) = jobs.iter().max_by_key(|r| r.numbers) {
            // What the job keeps after the de-duplication window (webhook keys pruned, WAL checkpointed):
            // proportional to the job, unlike the WAL, whose size follows the checkpoint cadence.
            let scaled = largest.database_retained_bytes.as_ref().and_then(|s| {
                let per_10k = |v: f64| v / 1e6 * 10_000.0 / largest.numbers as f64;
                Summary::of(&s.rounds.iter().map(|v| per_10k(*v)).collect::<Vec<_>>())
            });
            let note = (largest.numbers != 10_000).then(|| format!("scaled from {}-number jobs", largest.numbers));
            budgets.push(budget("Database kept per 10,000-number job after the dedupe window".into(), 10.0, "MB", scaled, note));
        }
        budgets.push(budget(
            format!("{} SSE clients, store → client p99", inputs.sse_clients),
            50.0,
            "ms",
            sse.latency_p99_ms.clone(),
            None,
        ));
        let loss = if sse_runs.is_empty() { None } else { Summary::of(&[sse.finals_missed as f64]) };
        let mut no_loss = budget(
            format!("{} SSE clients, final item states missed (every client sees every final state)", inputs.sse_clients),
            0.0,
            "",
            loss,
            (sse.resyncs > 0).then(|| format!("{} resync events", sse.resyncs)),
        );
        no_loss.limit = "0".into();
        budgets.push(no_loss);

        Report {
            generated_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            harness_seconds,
            machine,
            inputs,
            budgets,
            bff_vs_direct,
            jobs,
            sse,
            interactive,
            processes,
            bundle,
            rounds,
        }
    }

    pub fn write(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("report.json"), json + "\n").map_err(|e| e.to_string())?;
        std::fs::write(dir.join("report.md"), self.markdown()).map_err(|e| e.to_string())
    }

    pub fn failed_budgets(&self) -> usize {
        self.budgets.iter().filter(|b| !b.pass).count()
    }

    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let i = &self.inputs;
        let m = &self.machine;
        let _ = writeln!(md, "# Callout Console benchmark report\n");
        let _ = writeln!(
            md,
            "Generated {} by `scripts/bench.sh{}` in {:.0} s. Figures are medians of {} round(s), with the range (min–max) \
             in brackets; ratios and differences are paired within each round.\n",
            self.generated_at,
            if i.mode == "quick" { " --quick" } else { "" },
            self.harness_seconds,
            i.rounds
        );
        let _ = writeln!(md, "## Machine\n");
        let _ = writeln!(md, "| | |\n|---|---|");
        let _ = writeln!(md, "| CPU | {} |", m.cpu_model);
        let _ = writeln!(md, "| cores | {} |", m.cores);
        let _ = writeln!(md, "| memory | {:.1} GiB |", m.memory_bytes as f64 / (1u64 << 30) as f64);
        let _ = writeln!(md, "| kernel | {} |", m.kernel);
        let _ = writeln!(md, "| rustc | {} |\n", m.rustc);

        let _ = writeln!(md, "## Budgets\n");
        let _ = writeln!(md, "| budget | limit | measured | result |\n|---|---|---|---|");
        for b in &self.budgets {
            let measured = b.measured.as_ref().map(|s| format!("{} {}", range(s, 2), b.unit)).unwrap_or_else(|| "—".into());
            let note = b.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
            let _ =
                writeln!(md, "| {} | {} | {} | **{}**{note} |", b.name, b.limit, measured.trim_end(), if b.pass { "PASS" } else { "FAIL" });
        }

        let _ = writeln!(md, "\n## 1. BFF vs emulator-direct\n");
        let _ = writeln!(
            md,
            "Closed loop of *c* workers for {} s per cell after {} s of warm-up (callouts: at most {:?} requests at c = {:?}); both sides \
             hit the same emulator process; the direct side signs with the backend library's own clients. Account rate limits: \
             {} a minute (pacing out of the way). BFF added p50 = BFF p50 − direct p50.\n",
            trim(i.cell_duration_s),
            trim(i.cell_warmup_s),
            i.callout_requests,
            i.concurrencies,
            i.bff_vs_direct_rate_limit_per_minute
        );
        let _ = writeln!(
            md,
            "| operation | c | BFF req/s | direct req/s | BFF ÷ direct | BFF p50 ms | direct p50 ms | BFF p99 ms | direct p99 ms | BFF added p50 ms | errors |"
        );
        let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|---|");
        for c in &self.bff_vs_direct {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                c.label,
                c.concurrency,
                opt(&c.bff_throughput, 0),
                opt(&c.direct_throughput, 0),
                opt(&c.throughput_ratio, 2),
                opt(&c.bff_p50_ms, 2),
                opt(&c.direct_p50_ms, 2),
                opt(&c.bff_p99_ms, 2),
                opt(&c.direct_p99_ms, 2),
                opt(&c.bff_added_p50_ms, 2),
                c.errors
            );
        }
        if let Some(e) = self.bff_vs_direct.iter().find_map(|c| c.first_error.as_ref()) {
            let _ = writeln!(md, "\nFirst failed request: `{}`", e.replace('`', "'"));
        }

        let _ = writeln!(md, "\n## 2. Callout jobs\n");
        let _ = writeln!(
            md,
            "Each job on a fresh `callout-console emulate --time-scale {}` and a fresh backend with the shipped rate limit ({} a minute) \
             and webhooks delivered. Times from the POST; the bound is numbers/50 batches at that rate. CPU = backend user+system time \
             from the POST to all final; peak RSS = VmHWM; database = data directory files (WAL included) after − before; kept = the \
             stopped backend's database once its webhook keys are pruned, as after the de-duplication window (pages in use, less \
             an empty database's).\n",
            i.emulator_time_scale, i.job_rate_limit_per_minute
        );
        let _ = writeln!(
            md,
            "| numbers | accept ms | all sent s | bound s | sent ÷ bound | all final s | final − sent s | backend CPU s | peak RSS MB | database MB | kept MB | unfinished | dialled twice |"
        );
        let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for j in &self.jobs {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                j.numbers,
                opt(&j.accept_ms, 0),
                opt(&j.all_sent_s, 1),
                trim(j.sent_bound_s),
                opt(&j.sent_vs_bound, 2),
                opt(&j.all_final_s, 1),
                opt(&j.final_after_sent_s, 1),
                opt(&j.backend_cpu_s, 1),
                opt_scaled(&j.peak_rss_bytes, 1e6, 0),
                opt_scaled(&j.database_growth_bytes, 1e6, 1),
                opt_scaled(&j.database_retained_bytes, 1e6, 1),
                j.unfinished_rounds,
                j.dialled_twice
            );
        }

        let _ = writeln!(md, "\n## 3. Live events: {} SSE clients during a {}-number job\n", i.sse_clients, i.sse_job_numbers);
        let _ = writeln!(
            md,
            "Latency = arrival at the client − the item's `updated_at` (the backend's store time, ms; same clock), over every item event \
             of the job. Loss = final item states (per the job view at the end) a client never received.\n"
        );
        let s = &self.sse;
        let _ = writeln!(
            md,
            "| p50 ms | p99 ms | final states expected | missed | resyncs | client errors | backend CPU s | driver CPU s |\n|---|---|---|---|---|---|---|---|"
        );
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            opt(&s.latency_p50_ms, 1),
            opt(&s.latency_p99_ms, 1),
            s.finals_expected,
            s.finals_missed,
            s.resyncs,
            s.client_errors,
            opt(&s.backend_cpu_s, 1),
            opt(&s.driver_cpu_s, 1)
        );

        let _ = writeln!(md, "\n## 4. Interactive latency while a {}-number job dials\n", i.interactive_job_numbers);
        let _ = writeln!(
            md,
            "One person: the status page's first page (`GET /meetings/{{id}}/callouts`, {} rows) every 200 ms and the job view \
             (`GET /callouts/{{id}}`, every item) once a second, from the POST until every batch was sent.\n",
            i.status_page_size
        );
        let t = &self.interactive;
        let _ = writeln!(
            md,
            "| status page p50 ms | status page p99 ms | job view p50 ms | job view p99 ms | samples | errors |\n|---|---|---|---|---|---|"
        );
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            opt(&t.status_page_p50_ms, 1),
            opt(&t.status_page_p99_ms, 1),
            opt(&t.job_view_p50_ms, 1),
            opt(&t.job_view_p99_ms, 1),
            t.samples,
            t.errors
        );

        let _ = writeln!(md, "\n## 5. Frontend bundle\n");
        match &self.bundle.skipped {
            Some(why) => {
                let _ = writeln!(md, "skipped: {why}");
            }
            None => {
                let _ = writeln!(md, "| file | raw bytes | gzip -9 | brotli -q 11 |\n|---|---|---|---|");
                let (mut raw, mut gz, mut br) = (0, 0, Some(0));
                for f in &self.bundle.files {
                    let _ =
                        writeln!(md, "| {} | {} | {} | {} |", f.name, f.raw, f.gzip, f.brotli.map_or("skipped".into(), |b| b.to_string()));
                    raw += f.raw;
                    gz += f.gzip;
                    br = br.zip(f.brotli).map(|(a, b)| a + b);
                }
                let _ = writeln!(md, "| **total** | {raw} | {gz} | {} |", br.map_or("skipped".into(), |b| b.to_string()));
            }
        }

        let _ = writeln!(md, "\n## 6. Backend process\n");
        let p = &self.processes;
        let _ = writeln!(md, "| cold start ms (spawn → /health 200) | idle RSS MB | loaded RSS MB (VmHWM after c = 64) |\n|---|---|---|");
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            opt(&p.cold_start_ms, 0),
            opt_scaled(&p.idle_rss_bytes, 1e6, 1),
            opt_scaled(&p.loaded_rss_bytes, 1e6, 1)
        );
        let _ = writeln!(
            md,
            "\nCold start is measured on every backend the run starts (fresh data directory, migrations included). The driver, the \
             emulator and the backend share the machine's cores, so every latency includes that contention on both sides alike."
        );
        md
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn range(s: &Summary, decimals: usize) -> String {
    if s.rounds.len() <= 1 || s.min == s.max {
        format!("{:.*}", decimals, s.median)
    } else {
        format!("{:.*} ({:.*}–{:.*})", decimals, s.median, decimals, s.min, decimals, s.max)
    }
}

fn opt(s: &Option<Summary>, decimals: usize) -> String {
    s.as_ref().map(|s| range(s, decimals)).unwrap_or_else(|| "—".into())
}

fn opt_scaled(s: &Option<Summary>, divisor: f64, decimals: usize) -> String {
    s.as_ref()
        .map(|s| Summary { median: s.median / divisor, min: s.min / divisor, max: s.max / divisor, rounds: s.rounds.clone() })
        .map(|s| range(&s, decimals))
        .unwrap_or_else(|| "—".into())
}
