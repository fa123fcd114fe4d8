//! The HTTP service: configuration, routes, problem+json errors, and the process around
//! them (runtime, logging, graceful shutdown). Handlers only parse and answer; the work
//! is the [`Pipeline`](crate::pipeline::Pipeline)'s, on the blocking pool.

pub mod app;
pub mod config;
pub mod error;
pub mod metrics;
pub mod middleware;
pub mod routes;
pub mod telemetry;
pub mod view;

use std::process::ExitCode;

pub use app::Application;
pub use config::{Config, LogFormat};

/// Runs the server until SIGTERM or SIGINT, then lets requests in flight finish.
pub fn serve(config: Config) -> ExitCode {
    telemetry::init(config.log_format);
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
    runtime.block_on(async move {
        let app = match Application::build(config.clone()).await {
            Ok(app) => app,
            Err(e) => {
                tracing::error!(addr = %config.addr, error = %e, "could not listen");
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
    })
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
