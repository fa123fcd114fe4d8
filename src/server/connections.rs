//! Accepting and serving connections, with the limits a server facing any client needs
//! (axum's `serve` has none of them):
//!
//! - **A connection cap** (`--max-connections`, kept under the file-descriptor limit,
//!   whose soft value is raised to the hard one at start): beyond it a new connection is
//!   closed at once, so the process never runs out of descriptors and the connections it
//!   has keep being served.
//! - **A header timeout** (`--header-timeout`, hyper's header read timeout): a request
//!   head must arrive whole within it, which closes slowloris connections; hyper starts
//!   the same clock when a kept-alive connection waits for its next request, so it is
//!   also the idle timeout.
//! - **A write timeout** (`--write-timeout`): a write that stays blocked that long (a
//!   client that does not read) fails and closes the connection, which drops the
//!   response, which stops a batch that was streaming to it.
//! - **A bounded drain** (`--shutdown-grace`): on shutdown the listener closes, idle
//!   connections close, requests in flight may finish within the grace period; then
//!   every remaining connection is dropped and `on_deadline` cancels their work.
//!
//! Only HTTP/1.1 is served: the service sits behind load balancers that speak it, and
//! HTTP/2's extra surface (stream multiplexing, its own flow control) buys nothing here.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

use super::metrics;

/// What the accept loop enforces.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: u32,
    pub header_timeout: Duration,
    pub write_timeout: Duration,
    pub shutdown_grace: Duration,
}

/// The most a connection buffers: a request head must fit (431 beyond), and a body is
/// read through it in pieces of this size. Small, because every open connection may
/// hold this much outside the memory budget (4,096 connections: 64 MiB).
pub const CONNECTION_BUFFER: usize = 16 << 10;

/// Descriptors kept free of connections: the listener, the runtime's, logs, and room to
/// accept (and at once close) a connection over the cap.
const RESERVED_DESCRIPTORS: u64 = 64;

/// Serves `router` on `listener` until `shutdown` resolves, then drains (see the module
/// docs). `on_shutdown` runs when the drain starts, `on_deadline` if the grace period
/// ends with connections still open.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    on_shutdown: impl FnOnce(),
    on_deadline: impl FnOnce(),
) -> io::Result<()> {
    let cap = effective_cap(limits.max_connections);
    let slots = Arc::new(Semaphore::new(cap));
    let (closing_tx, closing_rx) = tokio::sync::watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
            // Reap finished connection tasks as they end, so the set stays small.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let (stream, _peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of descriptors (or another per-connection error): wait a moment
                // rather than spin; the connections already open are unaffected.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            metrics::connection_refused();
            drop(stream); // over the cap: closed at once, the others go on
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone();
        let mut closing = closing_rx.clone();
        connections.spawn(async move {
            let _slot = slot;
            let _open = metrics::OpenConnection::start();
            let io = TokioIo::new(WriteTimeout::new(stream, limits.write_timeout));
            let service = TowerToHyperService::new(
                service.map_request(|req: Request<Incoming>| req.map(Body::new)),
            );
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(CONNECTION_BUFFER)
                .keep_alive(true);
            let conn = builder.serve_connection(io, service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                    return;
                }
                _ = closing.wait_for(|c| *c) => conn.as_mut().graceful_shutdown(),
            }
            // Draining: the request in progress (if any) finishes, then the connection
            // closes; an idle one closes at once.
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error while draining");
            }
        });
    }
    drop(listener);
    on_shutdown();
    let _ = closing_tx.send(true);
    let open = connections.len();
    tracing::info!(
        connections = open,
        grace_s = limits.shutdown_grace.as_secs_f64(),
        "draining"
    );
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = connections.len(),
            "grace period over: closing the remaining connections"
        );
        on_deadline();
        connections.shutdown().await;
    }
    Ok(())
}

/// The connection cap, lowered to what the descriptor limit allows.
fn effective_cap(configured: u32) -> usize {
    let configured = configured as u64;
    let cap = match raise_descriptor_limit() {
        Some(limit) if limit < configured + RESERVED_DESCRIPTORS => {
            let cap = limit.saturating_sub(RESERVED_DESCRIPTORS).max(1);
            tracing::warn!(
                descriptors = limit,
                max_connections = cap,
                "the descriptor limit is low: connections capped below --max-connections"
            );
            cap
        }
        _ => configured,
    };
    cap as usize
}

/// Raises the soft limit on open files to the hard limit (what servers do: the soft
/// default of 1024 is a shell's, not a server's) and returns the limit in force.
#[cfg(unix)]
#[allow(unsafe_code)] // two libc calls on a local struct
fn raise_descriptor_limit() -> Option<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return None;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim = raised;
            }
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
    Some(lim.rlim_cur as u64)
}

#[cfg(not(unix))]
fn raise_descriptor_limit() -> Option<u64> {
    None
}

/// A stream whose writes fail with `TimedOut` once one has been blocked for `limit`.
///
/// The clock starts when a write (or flush) first returns `Pending` and stops when one
/// makes progress, so a client that reads slowly but steadily is never cut off.
pub struct WriteTimeout<S> {
    inner: S,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> WriteTimeout<S> {
    pub fn new(inner: S, limit: Duration) -> Self {
        WriteTimeout {
            inner,
            limit,
            stalled: None,
        }
    }

    fn on_write<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match polled {
            Poll::Ready(r) => {
                self.stalled = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let limit = self.limit;
                let timer = self.stalled.get_or_insert_with(|| {
                    Box::pin(tokio::time::sleep_until(Instant::now() + limit))
                });
                ready!(timer.as_mut().poll(cx));
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client has not read its answer within the write timeout",
                )))
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteTimeout<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.on_write(cx, polled)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.on_write(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_flush(cx);
        self.on_write(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.on_write(cx, polled)
    }
}
