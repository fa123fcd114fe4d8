//! The HTTP service: configuration, routes, problem+json errors, and the process around
//! them (runtime, logging, connections, graceful shutdown). Handlers only parse and
//! answer; the work is the [`Pipeline`](crate::pipeline::Pipeline)'s, on the worker
//! pool of [`work`], which every annotating route goes through.

pub mod app;
pub mod body;
pub mod budget;
pub mod config;
pub mod connections;
pub mod error;
pub mod metrics;
pub mod middleware;
pub mod respond;
pub mod routes;
pub mod telemetry;
pub mod view;
pub mod work;

use std::process::ExitCode;
use std::time::Duration;

pub use app::Application;
pub use config::{Config, LogFormat};

/// Runs the server until SIGTERM or SIGINT, then lets requests in flight finish within
/// the grace period, cancels what is left and exits.
pub fn serve(config: Config) -> ExitCode {
    telemetry::init(config.log_format);
    if let Err(e) = config.validate() {
        tracing::error!(error = %e, "invalid configuration");
        eprintln!("news-annotator: {e}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "could not start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async move {
        let app = match Application::build(config.clone()).await {
            Ok(app) => app,
            Err(e) => {
                tracing::error!(addr = %config.addr, error = %e, "could not start");
                return ExitCode::FAILURE;
            }
        };
        tracing::info!(addr = %app.local_addr(), "listening");
        match app.run_until(shutdown_signal()).await {
            Ok(()) => {
                tracing::info!("stopped");
                ExitCode::SUCCESS
            }
            Err(e) => {
                tracing::error!(error = %e, "server failed");
                ExitCode::FAILURE
            }
        }
    });
    // Model loading is the only work on tokio's blocking pool; whatever still runs
    // there (a shutdown during start-up) is not waited for. The worker pool's threads
    // end with the process.
    runtime.shutdown_timeout(Duration::from_secs(1));
    code
}

/// Resolves on the first SIGINT (Ctrl-C) or SIGTERM (what orchestrators send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
