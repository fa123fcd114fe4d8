//! What the HTTP server and the CLI share: the request they parse, the problems they
//! answer with, and the one call that turns a request into a document or a problem.

pub mod batch;
pub mod problem;
pub mod request;

pub use problem::Problem;
pub use request::{AnnotateRequest, RequestError};

use crate::pipeline::{Annotation, Pipeline, PipelineError};

/// Annotates one parsed request: the document with its `id` echoed, or the problem
/// the pipeline's refusal maps to.
pub fn annotate(pipeline: &Pipeline, request: AnnotateRequest) -> Result<Annotation, Problem> {
    let AnnotateRequest { id, input, options } = request;
    match pipeline.annotate(input, &options) {
        Ok(mut annotation) => {
            annotation.id = id;
            Ok(annotation)
        }
        Err(e) => {
            if let PipelineError::Internal { stage, reason } = &e {
                tracing::error!(stage, reason, "annotation failed");
            }
            Err(Problem::from_pipeline_error(&e))
        }
    }
}
