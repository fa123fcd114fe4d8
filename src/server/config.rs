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
///
/// The defaults are sized for the Deployment in `deploy/k8s` (2 CPUs, 512 MiB): see the
/// README's sizing note for how the body limit, the workers and the memory budget add up.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on (HOST:PORT); port 0 picks a free port.
    #[arg(long, env = "NEWS_ANNOTATOR_ADDR", default_value = "0.0.0.0:8080")]
    pub addr: String,
    /// Largest request body accepted, in bytes (suffixes KiB, MiB allowed).
    #[arg(long, env = "NEWS_ANNOTATOR_BODY_LIMIT", default_value = "1536KiB", value_parser = parse_size)]
    pub body_limit: usize,
    /// Largest article text, after cleaning, that is annotated (the later stages use
    /// memory in proportion to it); 413 `text-too-large` beyond. An HTML page's text is
    /// a small part of its bytes, so this can be lower than the body limit.
    #[arg(long, env = "NEWS_ANNOTATOR_MAX_TEXT", default_value = "1MiB", value_parser = parse_size)]
    pub max_text: usize,
    /// Largest batch body accepted by `POST /v1/annotate/batch`, in bytes.
    #[arg(long, env = "NEWS_ANNOTATOR_BATCH_BODY_LIMIT", default_value = "64MiB", value_parser = parse_size)]
    pub batch_body_limit: usize,
    /// Most request lines accepted in one batch.
    #[arg(long, env = "NEWS_ANNOTATOR_BATCH_MAX_LINES", default_value_t = 10_000)]
    pub batch_max_lines: usize,
    /// Log format on stderr (the level comes from RUST_LOG, default info).
    #[arg(long, env = "NEWS_ANNOTATOR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Longest the annotation of one document may take, from the end of its body to its
    /// answer (waiting for a worker included), before it is answered 503 and its work is
    /// cancelled (e.g. 10s, 500ms). Each line of a batch has the same limit.
    #[arg(long, env = "NEWS_ANNOTATOR_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Annotation requests in flight (batches included, for as long as they stream)
    /// beyond which new ones are refused at once with 503 and Retry-After, instead of
    /// queueing without bound.
    #[arg(long, env = "NEWS_ANNOTATOR_MAX_IN_FLIGHT", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_in_flight: u32,
    /// Documents annotated at the same time (CPU threads of the pipeline); 0 means one per core.
    #[arg(long, env = "NEWS_ANNOTATOR_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Memory that request bodies, documents being annotated and answers being sent may
    /// hold together; a request that would pass it waits (within its time limit) or is
    /// refused with 503. Keep it under the container's memory limit (see the README).
    #[arg(long, env = "NEWS_ANNOTATOR_MEMORY_BUDGET", default_value = "320MiB", value_parser = parse_size)]
    pub memory_budget: usize,
    /// Open connections beyond which new ones are closed at once (also kept under the
    /// process's file-descriptor limit).
    #[arg(long, env = "NEWS_ANNOTATOR_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Longest a client may take to send a request's head (request line and headers);
    /// also the longest an idle keep-alive connection is kept open.
    #[arg(long, env = "NEWS_ANNOTATOR_HEADER_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub header_timeout: Duration,
    /// Longest a client may take to send a request body, from the end of its head;
    /// 408 beyond, and the connection is closed.
    #[arg(long, env = "NEWS_ANNOTATOR_BODY_TIMEOUT", default_value = "60s", value_parser = parse_duration)]
    pub body_timeout: Duration,
    /// Longest a write to a client may stay blocked (a client that does not read its
    /// answer); the connection is closed beyond, and a batch it was reading is stopped.
    #[arg(long, env = "NEWS_ANNOTATOR_WRITE_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub write_timeout: Duration,
    /// On SIGTERM, how long requests in flight may take to finish before the remaining
    /// connections are closed and their work cancelled (Kubernetes waits 30 s by default).
    #[arg(long, env = "NEWS_ANNOTATOR_SHUTDOWN_GRACE", default_value = "20s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,
    /// Origins allowed by CORS, comma-separated, or `*` for any; none by default.
    #[arg(long, env = "NEWS_ANNOTATOR_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// API keys, comma-separated: when set, /v1/* and POST / (the paste form's target)
    /// need `Authorization: Bearer KEY` (health, readiness, metrics, GET / and
    /// /openapi.yaml stay open). A setting that holds no key (empty, blank, only
    /// commas) is a start-up error, never "no authentication".
    #[arg(
        long,
        env = "NEWS_ANNOTATOR_API_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub api_keys: Vec<String>,
}

/// A configuration the server refuses to start with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}: the API key setting holds no key (empty, blank or only commas); leave it unset to run without keys")]
    NoApiKey(&'static str),
    #[error("API key {position} of {setting}: {reason}")]
    BadApiKey {
        setting: &'static str,
        position: usize,
        reason: &'static str,
    },
    #[error("--memory-budget of {budget} bytes cannot hold one document at the body limit ({needed} bytes needed); raise the budget or lower --body-limit")]
    BudgetTooSmall { budget: usize, needed: usize },
}

/// The environment variable that carries API keys.
pub const API_KEYS_ENV: &str = "NEWS_ANNOTATOR_API_KEYS";

impl Config {
    /// Pipeline threads: the configured number, or one per core.
    pub fn worker_count(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }

    /// The API keys, checked: `Ok(None)` when none are configured, an error when the
    /// setting is present but holds no usable key (which would otherwise have switched
    /// authentication off without a word).
    ///
    /// The environment variable is read again here because clap treats a variable set
    /// to the empty string as unset, and `NEWS_ANNOTATOR_API_KEYS=` is a setting too.
    pub fn checked_api_keys(&self) -> Result<Option<Vec<Vec<u8>>>, ConfigError> {
        let from_env = std::env::var_os(API_KEYS_ENV);
        let source = if self.api_keys.is_empty() && from_env.is_some() {
            API_KEYS_ENV
        } else {
            "--api-keys"
        };
        if self.api_keys.is_empty() {
            return match from_env {
                // Set, to nothing or to blanks clap dropped.
                Some(_) => Err(ConfigError::NoApiKey(source)),
                None => Ok(None),
            };
        }
        let keys: Vec<&str> = self.api_keys.iter().map(|k| k.trim()).collect();
        if keys.iter().all(|k| k.is_empty()) {
            return Err(ConfigError::NoApiKey(source));
        }
        let mut out = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let bad = |reason| ConfigError::BadApiKey {
                setting: source,
                position: i + 1,
                reason,
            };
            if key.is_empty() {
                return Err(bad(
                    "it is empty (two commas in a row, or a trailing comma?)",
                ));
            }
            // What a client can send after `Bearer ` (RFC 6750's token68 and then some):
            // a key no header can carry would lock everyone out.
            if !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(bad(
                    "it holds a space or a character other than printable ASCII",
                ));
            }
            out.push(key.as_bytes().to_vec());
        }
        Ok(Some(out))
    }

    /// Every check of the configuration the server runs before it binds.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.checked_api_keys()?;
        let needed = super::budget::document_weight(self.body_limit, Some(self.max_text));
        if needed > self.memory_budget {
            return Err(ConfigError::BudgetTooSmall {
                budget: self.memory_budget,
                needed,
            });
        }
        Ok(())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: "0.0.0.0:8080".to_string(),
            body_limit: 1536 << 10,
            max_text: 1 << 20,
            batch_body_limit: 64 << 20,
            batch_max_lines: 10_000,
            log_format: LogFormat::Text,
            timeout: Duration::from_secs(10),
            max_in_flight: 256,
            workers: 0,
            memory_budget: 320 << 20,
            max_connections: 4096,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(20),
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
