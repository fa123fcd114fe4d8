//! What the fuzz targets share with the service, so that they see what it would: the
//! pipeline as `serve` configures it (its text limit) and the worker threads' stack.
//!
//! libFuzzer calls a target on its own thread, whose stack is whatever `ulimit -s` says
//! (often 8 MiB, unlimited in some containers). A recursion that fits there may still
//! overflow a worker, or the other way round, so every input runs on a thread of exactly
//! [`WORKER_STACK_BYTES`], the stack of the server's worker pool and of `annotate
//! --jsonl`. A panic there is re-raised on libFuzzer's thread (a finding), a stack
//! overflow aborts the process (a finding too).
#![allow(dead_code)] // the alignment target needs only the stack

use std::sync::OnceLock;

use news_annotator::server::work::WORKER_STACK_BYTES;
use news_annotator::server::Config;
use news_annotator::Pipeline;

/// The pipeline with the server's default text limit (`--max-text`).
pub fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        Pipeline::new()
            .expect("models load")
            .with_text_limit(Config::default().max_text)
    })
}

/// Runs `f` on a thread with the service's worker stack and returns what it returns.
pub fn on_worker_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("fuzz-worker".into())
            .stack_size(WORKER_STACK_BYTES)
            .spawn_scoped(scope, f)
            .expect("the worker thread starts")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
