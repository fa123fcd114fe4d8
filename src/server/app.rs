//! The application: shared state, the router with its layers, and the bound listener.
//!
//! [`Application::build`] binds first and loads the models in the background, so that
//! `/healthz` answers at once and `/readyz` turns 200 when the pipeline is there. Tests
//! bind port 0 and read the port back from [`Application::port`].

use std::future::Future;
use std::net::SocketAddr;
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
use tokio::sync::{watch, Semaphore};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

use super::config::Config;
use super::error::{ProblemKind, ServerError};
use super::middleware::{self, ApiKeys, Shedder};
use super::{metrics, routes};
use crate::pipeline::Pipeline;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// `None` until the models are loaded; closed while still `None` if loading failed.
    pipeline: watch::Receiver<Option<Arc<Pipeline>>>,
    pub body_limit: usize,
    /// One permit per pipeline thread: documents beyond that wait here, on the async
    /// side, instead of piling threads onto the blocking pool.
    pub workers: Arc<Semaphore>,
    pub batch: BatchLimits,
}

/// How large a batch may be (`POST /v1/annotate/batch`); over either is a 413.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub max_bytes: usize,
    pub max_lines: usize,
}

impl AppState {
    /// The pipeline if it is loaded, or 503 (for readiness).
    pub fn pipeline(&self) -> Result<Arc<Pipeline>, ServerError> {
        self.pipeline.borrow().clone().ok_or(ServerError::NotReady)
    }

    /// The pipeline, waiting for it while the models load: a request that arrives
    /// during start-up is delayed (within the time limit), not refused. 503 only if
    /// loading failed.
    pub async fn loaded_pipeline(&self) -> Result<Arc<Pipeline>, ServerError> {
        let mut rx = self.pipeline.clone();
        let loaded = rx
            .wait_for(Option::is_some)
            .await
            .map_err(|_| ServerError::NotReady)?;
        Ok(loaded.clone().expect("waited for Some"))
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
        let (loaded, pipeline) = watch::channel(None);
        tokio::task::spawn_blocking(move || match Pipeline::new() {
            Ok(p) => {
                loaded.send_replace(Some(Arc::new(p)));
                tracing::info!("models loaded, ready");
            }
            // Not ready, ever: /readyz keeps answering 503 and says so in the log.
            Err(e) => tracing::error!(error = %e, "models failed to load"),
        });
        Self::bind(config, pipeline).await
    }

    /// Binds `config.addr` with an already loaded pipeline (ready at once).
    pub async fn with_pipeline(config: Config, pipeline: Arc<Pipeline>) -> std::io::Result<Self> {
        // The sender can go at once: a receiver still sees the last value it sent.
        let (_, pipeline) = watch::channel(Some(pipeline));
        Self::bind(config, pipeline).await
    }

    async fn bind(
        config: Config,
        pipeline: watch::Receiver<Option<Arc<Pipeline>>>,
    ) -> std::io::Result<Self> {
        // Installed before the first request, so that no measurement is lost.
        metrics::handle();
        let listener = TcpListener::bind(&config.addr).await?;
        let addr = listener.local_addr()?;
        let state = AppState {
            pipeline,
            body_limit: config.body_limit,
            workers: Arc::new(Semaphore::new(config.worker_count())),
            batch: BatchLimits {
                max_bytes: config.batch_body_limit,
                max_lines: config.batch_max_lines,
            },
        };
        Ok(Application {
            listener,
            router: router(state, &config),
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

/// All routes with their layers.
pub fn router(state: AppState, config: &Config) -> Router {
    let shedder = Shedder::new(config.max_in_flight);
    // Checked outermost first: the key, then the in-flight limit, then the clock.
    let v1 = Router::new()
        .route("/v1/annotate", post(routes::annotate::annotate))
        // The paste form's target does the same work as the API, so it is held to the
        // same key: an operator who sets keys gets no open back door. A plain browser
        // form cannot send the header, which the README says.
        // The form is URL-encoded: up to three bytes on the wire per byte of text.
        .route(
            "/",
            post(routes::view::submit)
                .layer(DefaultBodyLimit::max(state.body_limit.saturating_mul(3))),
        )
        .route_layer(
            ServiceBuilder::new()
                .layer(from_fn_with_state(
                    api_keys(config),
                    middleware::require_api_key,
                ))
                .layer(from_fn_with_state(shedder.clone(), middleware::shed_load))
                .layer(from_fn_with_state(config.timeout, middleware::time_limit)),
        );
    // A batch streams for as long as its documents take: no time limit, but the key and
    // the in-flight limit hold.
    let batch = Router::new()
        .route("/v1/annotate/batch", post(routes::batch::annotate_batch))
        .route_layer(
            ServiceBuilder::new()
                .layer(from_fn_with_state(
                    api_keys(config),
                    middleware::require_api_key,
                ))
                .layer(from_fn_with_state(shedder, middleware::shed_load)),
        );
    // The paste form itself is a static page: open, like the health routes.
    let page = Router::new().route("/", get(routes::view::form));
    let routes = Router::new()
        .merge(v1)
        .merge(batch)
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
        .layer(CompressionLayer::new());
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
        // Outermost, so that the span and every log line carry the id.
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

fn api_keys(config: &Config) -> ApiKeys {
    let keys = config
        .api_keys
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
        .map(|k| k.as_bytes().to_vec())
        .collect();
    ApiKeys(Arc::new(keys))
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
    ServerError::MethodNotAllowed(method.to_string())
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
    tracing::info_span!("request", request_id = %id, method = %request.method(), route = %route)
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
