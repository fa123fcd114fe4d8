//! The application: shared state, the router with its layers, and the bound listener.
//!
//! [`Application::build`] binds first and loads the models in the background, so that
//! `/healthz` answers at once and `/readyz` turns 200 when the pipeline is there. Tests
//! bind port 0 and read the port back from [`Application::port`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue, Method, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

use super::body::BodyRules;
use super::config::{Config, ConfigError};
use super::connections::{self, ConnectionLimits};
use super::error::{ProblemKind, ServerError};
use super::middleware::{self, ApiKeys};
use super::work::{Annotator, Limits};
use super::{metrics, routes};
use crate::pipeline::Pipeline;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The one path that annotates: in-flight slots, memory budget, workers, time limit.
    pub annotator: Annotator,
    /// How single documents (`POST /v1/annotate`, `POST /`) are read.
    pub body: BodyRules,
    pub batch: BatchLimits,
    /// Set when the server starts draining: readiness turns 503 so that load balancers
    /// stop sending, and new work is refused.
    pub draining: Arc<AtomicBool>,
}

/// How large a batch may be (`POST /v1/annotate/batch`); over either is a 413.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub body: BodyRules,
    pub max_lines: usize,
}

impl AppState {
    /// The pipeline if it is loaded and the server is not draining, or 503 (readiness).
    pub fn ready(&self) -> Result<Arc<Pipeline>, ServerError> {
        if self.draining.load(Ordering::Relaxed) {
            return Err(ServerError::ShuttingDown);
        }
        self.annotator.pipeline()
    }
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("could not listen: {0}")]
    Bind(#[from] std::io::Error),
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    limits: ConnectionLimits,
    state: AppState,
}

impl Application {
    /// Binds `config.addr` and loads the models on the blocking pool in the background.
    pub async fn build(config: Config) -> Result<Self, StartError> {
        config.validate()?;
        let (loaded, pipeline) = watch::channel(None);
        let max_text = config.max_text;
        tokio::task::spawn_blocking(move || {
            match Pipeline::new().map(|p| p.with_text_limit(max_text)) {
                Ok(p) => {
                    loaded.send_replace(Some(Arc::new(p)));
                    tracing::info!("models loaded, ready");
                }
                // Not ready, ever: /readyz keeps answering 503 and says so in the log.
                Err(e) => tracing::error!(error = %e, "models failed to load"),
            }
        });
        Self::bind(config, pipeline).await
    }

    /// Binds `config.addr` with an already loaded pipeline (ready at once). Its own text
    /// limit (or none) holds, not `config.max_text`.
    pub async fn with_pipeline(
        config: Config,
        pipeline: Arc<Pipeline>,
    ) -> Result<Self, StartError> {
        config.validate()?;
        // The sender can go at once: a receiver still sees the last value it sent.
        let (_, pipeline) = watch::channel(Some(pipeline));
        Self::bind(config, pipeline).await
    }

    async fn bind(
        config: Config,
        pipeline: watch::Receiver<Option<Arc<Pipeline>>>,
    ) -> Result<Self, StartError> {
        // Installed before the first request, so that no measurement is lost.
        metrics::handle();
        let listener = TcpListener::bind(&config.addr).await?;
        let addr = listener.local_addr()?;
        let annotator = Annotator::new(
            pipeline,
            Limits {
                max_in_flight: config.max_in_flight,
                workers: config.worker_count(),
                memory_budget: config.memory_budget,
                timeout: config.timeout,
            },
        );
        let state = AppState {
            annotator,
            body: BodyRules {
                limit: config.body_limit,
                timeout: config.body_timeout,
            },
            batch: BatchLimits {
                body: BodyRules {
                    limit: config.batch_body_limit,
                    timeout: config.body_timeout,
                },
                max_lines: config.batch_max_lines,
            },
            draining: Arc::new(AtomicBool::new(false)),
        };
        let keys = ApiKeys(Arc::new(config.checked_api_keys()?.unwrap_or_default()));
        Ok(Application {
            listener,
            router: router(state.clone(), &config, keys),
            addr,
            limits: ConnectionLimits {
                max_connections: config.max_connections,
                header_timeout: config.header_timeout,
                write_timeout: config.write_timeout,
                shutdown_grace: config.shutdown_grace,
            },
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves until `shutdown` resolves, then drains: readiness turns 503, requests in
    /// flight may finish within the grace period, then the rest is cancelled.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Application {
            listener,
            router,
            limits,
            state,
            ..
        } = self;
        let draining = Arc::clone(&state.draining);
        let annotator = state.annotator.clone();
        connections::serve(
            listener,
            router,
            limits,
            shutdown,
            move || draining.store(true, Ordering::Relaxed),
            move || {
                let cancelled = annotator.cancel_all();
                if cancelled > 0 {
                    tracing::warn!(runs = cancelled, "cancelled annotations still running");
                }
            },
        )
        .await
    }
}

/// All routes with their layers.
pub fn router(state: AppState, config: &Config, keys: ApiKeys) -> Router {
    // The key is checked first, then how the body is encoded; the in-flight limit, the
    // memory budget and the time limit are the annotating path's (`work.rs`), taken
    // once the body is read.
    let annotating = ServiceBuilder::new()
        .layer(from_fn_with_state(keys, middleware::require_api_key))
        .layer(from_fn(middleware::check_content_encoding))
        .layer(RequestDecompressionLayer::new());
    let v1 = Router::new()
        .route("/v1/annotate", post(routes::annotate::annotate))
        .route("/v1/annotate/batch", post(routes::batch::annotate_batch))
        // The paste form's target does the same work as the API, so it is held to the
        // same key: an operator who sets keys gets no open back door. A plain browser
        // form cannot send the header, which the README says.
        // The form is URL-encoded: up to three bytes on the wire per byte of text.
        .route(
            "/",
            post(routes::view::submit)
                .layer(DefaultBodyLimit::max(state.body.limit.saturating_mul(3))),
        )
        .route_layer(annotating);
    // The paste form itself is a static page: open, like the health routes.
    let page = Router::new().route("/", get(routes::view::form));
    let routes = Router::new()
        .merge(v1)
        .merge(page)
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/openapi.yaml", get(routes::openapi::openapi_yaml))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    with_layers(routes, config)
}

/// The layers every route (and the fallbacks) get. Each `layer` call wraps the ones
/// before it, so this reads from the innermost to the outermost.
fn with_layers(routes: Router, config: &Config) -> Router {
    let mut router = routes
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(CompressionLayer::new())
        .layer(from_fn(middleware::security_headers));
    if let Some(cors) = cors(config) {
        router = router.layer(cors);
    }
    router
        .layer(from_fn(middleware::track))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response)
                .on_failure(()),
        )
        // Outermost, so that the span and every log line carry the id: a sane id from
        // the client is kept, anything else replaced by a generated one.
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(from_fn(middleware::drop_unsafe_request_id))
}

/// CORS for the configured origins; none configured, no CORS headers at all.
fn cors(config: &Config) -> Option<CorsLayer> {
    let origins: Vec<&str> = config
        .cors_origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .collect();
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| match HeaderValue::from_str(o) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        tracing::warn!(origin = o, "ignoring an invalid CORS origin");
                        None
                    }
                }),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, REQUEST_ID])
            .expose_headers([REQUEST_ID])
            .max_age(Duration::from_secs(3600)),
    )
}

async fn not_found(uri: Uri) -> ServerError {
    ServerError::NotFound(uri.path().to_string())
}

async fn method_not_allowed(method: Method) -> ServerError {
    // A method is any token, up to the header size: the answer names a bounded part.
    let mut name = method.to_string();
    if name.len() > 32 {
        name.truncate(32); // a token: ASCII only
        name.push('…');
    }
    ServerError::MethodNotAllowed(name)
}

/// The span every log line of a request is written in: method and route (the matched
/// pattern, so that logs group by endpoint rather than by URL) and the request id.
fn request_span(request: &Request<Body>) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The method as a label: a client's own method could be 100 KB of anything.
    let method = metrics::method_label(request.method());
    tracing::info_span!("request", request_id = %id, method = %method, route = %route)
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

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_is_a_500_problem_and_leaks_nothing() {
        let routes = Router::new().route(
            "/boom",
            get(|| async {
                panic!("secret internal detail");
                #[allow(unreachable_code)]
                ""
            }),
        );
        let app = with_layers(routes, &Config::default());
        let response = app
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), 500);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        assert!(response.headers().contains_key(&REQUEST_ID));
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["status"], 500);
        assert!(!String::from_utf8_lossy(&body).contains("secret"));
    }
}
