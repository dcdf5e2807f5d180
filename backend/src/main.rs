//! `callout-console`: the backend binary. `serve` (the default) runs the BFF.

use callout_console::{app::Application, config::Settings, telemetry};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "callout-console", version, about = "Callout Console backend-for-frontend")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: Settings,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default when no subcommand is given).
    Serve(Settings),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    let settings = match cli.command {
        Some(Command::Serve(settings)) => settings,
        None => cli.serve,
    };
    match serve(settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("callout-console: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> std::io::Result<()> {
    let app = Application::build(settings).await?;
    app.run_until(shutdown_signal()).await
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
