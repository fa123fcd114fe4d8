//! The `news-annotator` binary: parses the command line and hands over to the server
//! or the CLI. With no subcommand it serves (so `cargo run --release` starts the API).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use news_annotator::cli::{annotate::AnnotateArgs, healthcheck::HealthcheckArgs};
use news_annotator::server::Config;

#[derive(Debug, Parser)]
#[command(name = "news-annotator", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Serving options, for `news-annotator` without a subcommand.
    #[command(flatten)]
    serve: Config,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API (the default).
    Serve(Config),
    /// Annotate one file (or stdin) and print the document, or run the JSON-lines batch protocol.
    Annotate(AnnotateArgs),
    /// Exit 0 if a running service answers GET /healthz with 200 (for container health checks).
    Healthcheck(HealthcheckArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => news_annotator::server::serve(cli.serve),
        Some(Command::Serve(config)) => news_annotator::server::serve(config),
        Some(Command::Annotate(args)) => news_annotator::cli::annotate::run(args),
        Some(Command::Healthcheck(args)) => news_annotator::cli::healthcheck::run(args),
    }
}
