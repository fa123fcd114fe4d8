//! The server's configuration: every setting is a flag with an environment variable
//! beside it (the environment is how containers and Kubernetes configure a process).

use clap::{Args, ValueEnum};

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// Flags of `news-annotator serve` (and of `news-annotator` with no subcommand).
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on (HOST:PORT); port 0 picks a free port.
    #[arg(long, env = "NEWS_ANNOTATOR_ADDR", default_value = "0.0.0.0:8080")]
    pub addr: String,
    /// Largest request body accepted, in bytes (suffixes KiB, MiB allowed).
    #[arg(long, env = "NEWS_ANNOTATOR_BODY_LIMIT", default_value = "5MiB", value_parser = parse_size)]
    pub body_limit: usize,
    /// Log format on stderr (the level comes from RUST_LOG, default info).
    #[arg(long, env = "NEWS_ANNOTATOR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: "0.0.0.0:8080".to_string(),
            body_limit: 5 << 20,
            log_format: LogFormat::Text,
        }
    }
}

/// Parses `5242880`, `5MiB`, `512KiB`, `1GiB` (also `MB`/`KB`, read as binary units).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: usize = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 5MiB, 512KiB, 1048576)"))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit {other:?} (use KiB, MiB or GiB)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("{s:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("5MiB"), Ok(5 << 20));
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert!(parse_size("5 parsecs").is_err());
        assert!(parse_size("MiB").is_err());
    }
}
