//! `GET /openapi.yaml`: the repository's API description, embedded at build time so the
//! served contract is always the one the binary was built with.

use axum::http::header;
use axum::response::IntoResponse;

/// The repository's `openapi.yaml`.
pub const OPENAPI_YAML: &str = include_str!("../../../openapi.yaml");

pub async fn openapi_yaml() -> impl IntoResponse {
    // RFC 9512 registers application/yaml.
    ([(header::CONTENT_TYPE, "application/yaml")], OPENAPI_YAML)
}
