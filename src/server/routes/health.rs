//! Liveness and readiness, for load balancers and Kubernetes probes.
//!
//! `/healthz` answers as long as the process serves HTTP at all; `/readyz` only once
//! the models are loaded, so that no traffic is sent to a replica that would answer 503.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::server::app::AppState;

pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.pipeline() {
        Ok(_) => Json(json!({"status": "ready"})).into_response(),
        Err(e) => e.into_response(),
    }
}
