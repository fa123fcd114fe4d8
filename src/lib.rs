//! news-annotator: cleans news articles and finds their named entities and quotations.
//!
//! The library is the [`Pipeline`]; the binary's HTTP server and CLI are thin shells
//! over it that share the request parsing and problem rendering in [`api`].

pub mod pipeline;

pub use pipeline::{
    output, Annotation, CancelToken, Input, ModelError, OffsetUnit, Options, Pipeline,
    PipelineError,
};
pub mod api;
pub mod cli;
pub mod learn;
pub mod server;
pub mod text;
