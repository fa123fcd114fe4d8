//! What the HTTP server and the CLI share: the request they parse, the problems they
//! answer with, and the one call that turns a request into a document or a problem.

pub mod problem;
pub mod request;

pub use problem::Problem;
pub use request::{AnnotateRequest, RequestError};

use crate::pipeline::{Annotation, Pipeline};

/// Annotates one parsed request: the document with its `id` echoed, or the problem
/// the pipeline's refusal maps to.
pub fn annotate(pipeline: &Pipeline, request: AnnotateRequest) -> Result<Annotation, Problem> {
    let AnnotateRequest { id, input, options } = request;
    // The pipeline takes the input by value; a refusal is reported in offsets of the
    // input, so a copy is kept for that case (cheap next to the annotation itself).
    let sent = input.as_str().to_owned();
    match pipeline.annotate(input, &options) {
        Ok(mut annotation) => {
            annotation.id = id;
            Ok(annotation)
        }
        Err(e) => Err(Problem::from_pipeline_error(&e, &sent, options.offsets)),
    }
}
