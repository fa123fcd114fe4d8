//! The stage contract: what every stage declares, what it is given, how it fails.
//!
//! A stage is a plain synchronous step over one [`Document`]. It names the layers it
//! reads ([`Stage::requires`]) and the layers it adds ([`Stage::assigns`]), as spaCy's
//! pipeline components do; the [`Registry`](super::registry::Registry) uses those
//! declarations to decide which stages a request needs and checks after each run that
//! the stage added what it promised. A stage reads other stages' work only through the
//! document's layers, never through their internals.
//!
//! A run can be cut short: [`RunContext::checkpoint`] is the one call a stage makes in a
//! loop that can be long (per sentence, per cue, per line), and it fails with
//! [`Cancelled`] once the caller's [`CancelToken`] is cancelled or its deadline passed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::document::{Document, Removed};
use super::layer::Layer;
use super::Options;

/// One step of the pipeline: reads some layers of a document and adds others.
///
/// Implementations are `Send + Sync` and read-only after construction: one instance
/// serves every request, on any thread.
pub trait Stage: Send + Sync {
    /// Short name: the key of the stage in `stats.stage_us` and `version.models`.
    fn name(&self) -> &'static str;

    /// The layers the stage reads. The pipeline runs the stages that assign them first.
    fn requires(&self) -> &[Layer];

    /// The layers the stage adds. Exactly one registered stage assigns each layer.
    fn assigns(&self) -> &[Layer];

    /// The version of the stage's model, reported in `version.models`; `None` for a
    /// stage without a model.
    fn version(&self) -> Option<String> {
        None
    }

    /// Adds the [`assigns`](Stage::assigns) layers to `doc`.
    fn run(&self, doc: &mut Document, cx: &RunContext) -> Result<(), StageError>;
}

/// Why a stage did not finish. A stage with errors of its own converts them into one of
/// these (`impl From<MyError> for StageError`), so that `?` works in `run`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    /// The run was cancelled (see [`RunContext::checkpoint`]).
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// A layer the stage reads is absent: the stage did not declare it in `requires`.
    #[error(transparent)]
    MissingLayer(#[from] MissingLayer),
    /// The input cannot be annotated, for a reason that is the client's doing.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The stage failed for a reason of its own (a fault of the service).
    #[error("{0}")]
    Failed(String),
}

/// A layer was read before any stage added it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {0} layer is missing: no stage that ran assigns it")]
pub struct MissingLayer(pub Layer);

/// The run was cancelled: the caller gave up or its deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the run was cancelled")]
pub struct Cancelled;

/// Why an input cannot be annotated (the client's doing, not a fault).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the text is empty or only white space")]
    EmptyText,
    #[error("the input looks like binary data, not text")]
    BinaryInput,
    #[error("no article text found: everything was removed as boilerplate")]
    NoArticleText { removed: Vec<Removed> },
    #[error("the text is in {name} ({code}), a language this service does not annotate")]
    UnsupportedLanguage { code: String, name: String },
}

/// Tells a run when to stop: a flag any clone can set, and an optional deadline.
///
/// The server keeps one clone and cancels it when its time limit fires (or the client
/// goes away); the run on the blocking pool holds another and stops at its next
/// checkpoint. Cancelling is one atomic store, so it may be called from any thread.
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl CancelToken {
    /// A token that is cancelled only by [`cancel`](CancelToken::cancel).
    pub fn new() -> Self {
        Self::default()
    }

    /// The same token, also cancelled once `deadline` has passed.
    #[must_use]
    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(self.deadline.map_or(deadline, |d| d.min(deadline)));
        self
    }

    /// The same token, also cancelled `limit` from now.
    #[must_use]
    pub fn with_time_limit(self, limit: Duration) -> Self {
        match Instant::now().checked_add(limit) {
            Some(deadline) => self.with_deadline(deadline),
            None => self,
        }
    }

    /// Cancels every clone of this token.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether the token was cancelled or its deadline has passed.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// What a run gives each stage besides the document: the request's options and the
/// cancellation check. [`RunContext::default`] is the default options, never cancelled.
#[derive(Debug, Clone, Default)]
pub struct RunContext {
    options: Options,
    cancel: CancelToken,
}

impl RunContext {
    pub fn new(options: Options, cancel: CancelToken) -> Self {
        RunContext { options, cancel }
    }

    /// The request's options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// `Err(Cancelled)` once the run should stop. Call it in every loop whose length
    /// grows with the input (one atomic load and a clock read: cheap per sentence or
    /// per line, too dear per byte) and return the error with `?`.
    pub fn checkpoint(&self) -> Result<(), Cancelled> {
        if self.cancel.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_cancelled_by_any_clone() {
        let token = CancelToken::new();
        let cx = RunContext::new(Options::default(), token.clone());
        assert_eq!(cx.checkpoint(), Ok(()));
        token.cancel();
        assert_eq!(cx.checkpoint(), Err(Cancelled));
    }

    #[test]
    fn a_passed_deadline_cancels() {
        let past = Instant::now();
        let token = CancelToken::new().with_deadline(past);
        assert!(token.is_cancelled());
        let far = CancelToken::new().with_time_limit(Duration::from_secs(3600));
        assert!(!far.is_cancelled());
        // The earlier of two deadlines holds.
        assert!(far.with_deadline(past).is_cancelled());
    }
}
