//! `callout-console`: the backend binary. `serve` (the default) runs the BFF; `check` validates a
//! configuration without starting.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use callout_console::{
    app::{self, Application},
    cli::{self, SignCommand},
    config::{LogFormat, Settings},
    telemetry,
};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "callout-console", version, about = "Callout Console backend-for-frontend")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Print the string to sign and the signature of a provider request (signature debugger).
    #[command(subcommand)]
    Sign(SignCommand),
    /// Run the provider emulators alone (for SDK tests and demos), until Ctrl-C.
    Emulate(EmulateArgs),
    /// Validate a configuration as `serve` would, without binding a port or opening the database (exit 2 if invalid).
    Check(CheckArgs),
}

#[derive(Args)]
struct CheckArgs {
    /// The TOML configuration file to check; `CALLOUT__*` environment overrides apply as for `serve`.
    #[arg(long, env = "CALLOUT_CONFIG")]
    config: PathBuf,
}

#[derive(Args)]
struct EmulateArgs {
    #[arg(long, default_value = "127.0.0.1:9101")]
    tencent_bind: SocketAddr,
    #[arg(long, default_value = "127.0.0.1:9102")]
    aliyun_bind: SocketAddr,
    /// Multiplies every emulated call delay (0.05: twenty times faster).
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
}

#[derive(Args)]
struct ServeArgs {
    /// TOML configuration file (see callout-console.example.toml). Without one: sandbox mode, dev sign-in.
    #[arg(long, env = "CALLOUT_CONFIG")]
    config: Option<PathBuf>,
    /// Overrides server.bind.
    #[arg(long)]
    bind: Option<SocketAddr>,
    /// Overrides server.static_dir: the built admin panel (dist/) to serve.
    #[arg(long)]
    static_dir: Option<PathBuf>,
    /// Overrides server.data_dir.
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

impl ServeArgs {
    /// Flags are the last overrides, after the environment's `CALLOUT__*` ones.
    fn overrides(&self) -> Vec<(String, String)> {
        let mut o = Vec::new();
        if let Some(bind) = self.bind {
            o.push(("CALLOUT__SERVER__BIND".into(), format!("\"{bind}\"")));
        }
        for (key, path) in [("STATIC_DIR", &self.static_dir), ("DATA_DIR", &self.data_dir)] {
            if let Some(path) = path {
                o.push((format!("CALLOUT__SERVER__{key}"), toml::Value::String(path.display().to_string()).to_string()));
            }
        }
        o
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Serve(args)) => args,
        None => cli.serve,
        Some(Command::Sign(command)) => {
            return match cli::sign(&command) {
                Ok(lines) => {
                    println!("{lines}");
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("callout-console sign: {err}");
                    ExitCode::from(2)
                }
            };
        }
        Some(Command::Emulate(args)) => {
            telemetry::init(LogFormat::Text);
            return emulate(&args).await;
        }
        Some(Command::Check(args)) => return check(&args).await,
    };
    let env = std::env::vars().chain(args.overrides());
    let settings = match Settings::load(args.config.as_deref(), env) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("callout-console: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log.format);
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(err) => {
            eprintln!("callout-console: {err}");
            return ExitCode::from(2);
        }
    };
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("callout-console: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn check(args: &CheckArgs) -> ExitCode {
    let checked = match Settings::load(Some(&args.config), std::env::vars()) {
        Ok(settings) => app::check(&settings).await,
        Err(err) => Err(err.into()),
    };
    match checked {
        Ok(summary) => {
            println!("configuration OK\n{summary}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("callout-console check: {err}");
            ExitCode::from(2)
        }
    }
}

async fn emulate(args: &EmulateArgs) -> ExitCode {
    use callout_console::sandbox::{aliyun_ccc, tencent_meeting};
    let mut meeting = tencent_meeting::TencentEmulatorConfig::default();
    meeting.delays = meeting.delays.scaled(args.time_scale);
    let started = async {
        let t = tencent_meeting::start(args.tencent_bind, meeting).await?;
        let a = aliyun_ccc::start(args.aliyun_bind, aliyun_ccc::AliyunEmulatorConfig::default()).await?;
        Ok::<_, std::io::Error>((t, a))
    };
    let (tencent, aliyun) = match started.await {
        Ok(both) => both,
        Err(err) => {
            eprintln!("callout-console emulate: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Tencent Meeting emulator: {} (AppId {}, SecretId {}, SecretKey {}, operator {}, meeting {})",
        tencent.base_url(),
        tencent_meeting::SANDBOX_APP_ID,
        tencent_meeting::SANDBOX_SECRET_ID,
        tencent_meeting::SANDBOX_SECRET_KEY,
        tencent_meeting::SANDBOX_OPERATOR_ID,
        tencent_meeting::SANDBOX_MEETING_ID
    );
    println!(
        "Alibaba CCC emulator:     {} (AccessKeyId {}, secret {}, instance {})",
        aliyun.base_url(),
        aliyun_ccc::SANDBOX_ACCESS_KEY_ID,
        aliyun_ccc::SANDBOX_ACCESS_KEY_SECRET,
        aliyun_ccc::SANDBOX_INSTANCE_ID
    );
    println!("Fault knobs: PUT <emulator>/__emulator/faults; dial counts: GET <emulator>/__emulator/dials");
    shutdown_signal().await;
    tencent.stop().await;
    aliyun.stop().await;
    ExitCode::SUCCESS
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
