//! The server's configuration: every setting is a flag with an environment variable
//! beside it (the environment is how containers and Kubernetes configure a process).

use std::time::Duration;

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
    /// Largest batch body accepted by `POST /v1/annotate/batch`, in bytes.
    #[arg(long, env = "NEWS_ANNOTATOR_BATCH_BODY_LIMIT", default_value = "64MiB", value_parser = parse_size)]
    pub batch_body_limit: usize,
    /// Most request lines accepted in one batch.
    #[arg(long, env = "NEWS_ANNOTATOR_BATCH_MAX_LINES", default_value_t = 10_000)]
    pub batch_max_lines: usize,
    /// Log format on stderr (the level comes from RUST_LOG, default info).
    #[arg(long, env = "NEWS_ANNOTATOR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Longest a request may take before it is answered 503 (e.g. 10s, 500ms).
    #[arg(long, env = "NEWS_ANNOTATOR_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Annotation requests in flight beyond which new ones are refused at once with 503
    /// and Retry-After, instead of queueing without bound.
    #[arg(long, env = "NEWS_ANNOTATOR_MAX_IN_FLIGHT", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_in_flight: u32,
    /// Documents annotated at the same time (CPU threads of the pipeline); 0 means one per core.
    #[arg(long, env = "NEWS_ANNOTATOR_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Origins allowed by CORS, comma-separated, or `*` for any; none by default.
    #[arg(long, env = "NEWS_ANNOTATOR_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// API keys, comma-separated: when set, /v1/* and POST / (the paste form's target)
    /// need `Authorization: Bearer KEY` (health, readiness, metrics, GET / and
    /// /openapi.yaml stay open).
    #[arg(
        long,
        env = "NEWS_ANNOTATOR_API_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub api_keys: Vec<String>,
}

impl Config {
    /// Pipeline threads: the configured number, or one per core.
    pub fn worker_count(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: "0.0.0.0:8080".to_string(),
            body_limit: 5 << 20,
            batch_body_limit: 64 << 20,
            batch_max_lines: 10_000,
            log_format: LogFormat::Text,
            timeout: Duration::from_secs(10),
            max_in_flight: 256,
            workers: 0,
            cors_origins: Vec::new(),
            api_keys: Vec::new(),
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

/// Parses `10s`, `500ms`, `2m`, or a bare number of seconds (`1.5`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (e.g. 10s, 500ms)"))?;
    if !(value.is_finite() && value > 0.0) {
        return Err(format!("{s:?} must be a positive duration"));
    }
    Ok(Duration::from_secs_f64(value * scale))
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

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
