//! The command line besides serving: `annotate` (one file, or the JSON-lines batch
//! protocol the scorers use) and `healthcheck` (for containers without curl).

pub mod annotate;
pub mod healthcheck;
