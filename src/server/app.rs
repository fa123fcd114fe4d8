//! The application: shared state, the router with its layers, and the bound listener.
//!
//! [`Application::build`] binds first and loads the models in the background, so that
//! `/healthz` answers at once and `/readyz` turns 200 when the pipeline is there. Tests
//! bind port 0 and read the port back from [`Application::port`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use tracing::Span;

use super::config::Config;
use super::error::{ProblemKind, ServerError};
use super::routes;
use crate::pipeline::Pipeline;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Empty until the models are loaded.
    pipeline: Arc<OnceLock<Arc<Pipeline>>>,
    pub body_limit: usize,
}

impl AppState {
    /// The pipeline, or 503 while it is still loading.
    pub fn pipeline(&self) -> Result<Arc<Pipeline>, ServerError> {
        self.pipeline.get().cloned().ok_or(ServerError::NotReady)
    }
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
}

impl Application {
    /// Binds `config.addr` and loads the models on the blocking pool in the background.
    pub async fn build(config: Config) -> std::io::Result<Self> {
        let cell = Arc::new(OnceLock::new());
        let loading = Arc::clone(&cell);
        tokio::task::spawn_blocking(move || match Pipeline::new() {
            Ok(p) => {
                let _ = loading.set(Arc::new(p));
                tracing::info!("models loaded, ready");
            }
            // Not ready, ever: /readyz keeps answering 503 and says so in the log.
            Err(e) => tracing::error!(error = %e, "models failed to load"),
        });
        Self::bind(config, cell).await
    }

    /// Binds `config.addr` with an already loaded pipeline (ready at once).
    pub async fn with_pipeline(config: Config, pipeline: Arc<Pipeline>) -> std::io::Result<Self> {
        Self::bind(config, Arc::new(OnceLock::from(pipeline))).await
    }

    async fn bind(config: Config, pipeline: Arc<OnceLock<Arc<Pipeline>>>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(&config.addr).await?;
        let addr = listener.local_addr()?;
        let state = AppState {
            pipeline,
            body_limit: config.body_limit,
        };
        Ok(Application {
            listener,
            router: router(state),
            addr,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves until `shutdown` resolves, then lets requests in flight finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// All routes, the problem+json fallbacks and the request log.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/annotate", post(routes::annotate::annotate))
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/openapi.yaml", get(routes::openapi::openapi_yaml))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response)
                .on_failure(()),
        )
        .with_state(state)
}

async fn not_found(uri: Uri) -> ServerError {
    ServerError::NotFound(uri.path().to_string())
}

async fn method_not_allowed(method: Method) -> ServerError {
    ServerError::MethodNotAllowed(method.to_string())
}

/// The span every log line of a request is written in: method and route (the matched
/// pattern, so that logs group by endpoint rather than by URL).
fn request_span(request: &Request<Body>) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    tracing::info_span!("request", method = %request.method(), route = %route)
}

/// The one line per request: status, latency and, for errors, the problem kind.
fn log_response(response: &Response, latency: Duration, _span: &Span) {
    let status = response.status().as_u16();
    let latency_us = latency.as_micros() as u64;
    match response.extensions().get::<ProblemKind>() {
        Some(kind) => tracing::info!(status, latency_us, problem = %kind.0, "answered"),
        None => tracing::info!(status, latency_us, "answered"),
    }
}
