//! `news-annotator healthcheck`: asks a running service for `GET /healthz` and exits 0
//! on a 200. Container images built on distroless have no curl, so the binary carries
//! its own tiny HTTP/1.1 client: one request, one status line, no dependencies.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

/// Flags of `news-annotator healthcheck`.
#[derive(Debug, Args)]
pub struct HealthcheckArgs {
    /// Where the service listens. An unspecified host (0.0.0.0 or ::) means this machine.
    #[arg(long, env = "NEWS_ANNOTATOR_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 3.0)]
    pub timeout_secs: f64,
}

pub fn run(args: HealthcheckArgs) -> ExitCode {
    let timeout = Duration::from_secs_f64(args.timeout_secs.max(0.001));
    match check(&args.addr, timeout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("healthcheck: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok` when `GET /healthz` at `addr` answers 200 within `timeout`.
pub fn check(addr: &str, timeout: Duration) -> io::Result<()> {
    let target = resolve(addr)?;
    let mut stream = TcpStream::connect_timeout(&target, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {target}\r\nUser-Agent: news-annotator-healthcheck\r\nConnection: close\r\n\r\n"
    )?;
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line)?;
    // "HTTP/1.1 200 OK"
    let code = status_line.split_whitespace().nth(1);
    if code == Some("200") {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "{target} answered {:?}",
            status_line.trim_end()
        )))
    }
}

/// The address to connect to: a wildcard listen address is reached over loopback.
fn resolve(addr: &str) -> io::Result<SocketAddr> {
    let mut target = addr
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::other(format!("{addr} resolves to no address")))?;
    if target.ip().is_unspecified() {
        target.set_ip(match target {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_addresses_become_loopback() {
        assert_eq!(
            resolve("0.0.0.0:8080").unwrap().to_string(),
            "127.0.0.1:8080"
        );
        assert_eq!(resolve("[::]:9").unwrap().to_string(), "[::1]:9");
        assert_eq!(resolve("10.1.2.3:80").unwrap().to_string(), "10.1.2.3:80");
    }

    #[test]
    fn nothing_listening_is_an_error() {
        // A port that was just free: connecting is refused at once.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        assert!(check(&addr.to_string(), Duration::from_secs(1)).is_err());
    }
}
