//! Liveness and readiness, for load balancers and Kubernetes probes.
//!
//! `/healthz` answers as long as the process serves HTTP and its workers are not wedged;
//! `/readyz` only once the models are loaded, while the server is not draining and while
//! some worker is free of overdue work, so that no traffic is sent to a replica that
//! would answer 503.
//!
//! Overdue work is work still running more than a grace period past its time limit: the
//! pipeline stops at its checkpoints once cancelled, so it means a stage that does not
//! check. Readiness turns 503 when every worker is overdue (the replica cannot serve;
//! the load balancer sends elsewhere), liveness when that has lasted long enough that
//! only a restart will free them: the replica is shed on purpose, not silently starved.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::server::app::AppState;
use crate::server::error::ServerError;

pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.annotator.wedged() {
        let workers = state.annotator.workers();
        return ServerError::WorkersStuck { workers }.into_response();
    }
    Json(json!({"status": "ok"})).into_response()
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    let workers = state.annotator.workers();
    if state.annotator.overdue() >= workers {
        return ServerError::WorkersStuck { workers }.into_response();
    }
    match state.ready() {
        Ok(_) => Json(json!({"status": "ready"})).into_response(),
        Err(e) => e.into_response(),
    }
}
