//! What every trainer's command line has: where the training and development data are,
//! where the model goes, and how a failure ends the run.

use std::process::ExitCode;

/// The data a trainer learns from and is tuned on, and where it writes (flattened into
/// each trainer's own arguments).
#[derive(clap::Args, Debug)]
pub struct Data {
    /// Training data, in the format the trainer's documentation names.
    #[arg(long)]
    pub train: String,
    /// Development data: picks the epoch of each model (never trained on).
    #[arg(long)]
    pub dev: String,
    /// Where to write the model: a file, or the folder of a trainer that writes several.
    #[arg(long)]
    pub out: String,
}

/// The exit of a trainer named `name`: success, or the error on stderr and failure.
pub fn exit(name: &str, result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    }
}
