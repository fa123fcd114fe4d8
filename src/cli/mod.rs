//! The command line: `annotate` (one file, or the JSON-lines batch protocol).

pub mod annotate;
