//! The one path every annotating route takes: `POST /v1/annotate`, the paste form's
//! `POST /` and each line of `POST /v1/annotate/batch`.
//!
//! In order, each document:
//! 1. holds an in-flight slot ([`Annotator::admit`], taken once its body is read, so a
//!    slow upload never holds one; a batch holds one for as long as it streams), or is
//!    refused at once with 503 `overloaded`. Batches may hold half of the slots and half
//!    of the memory budget (a lane of it) at most: a flood of batches whose clients never
//!    read leaves the other half to single documents;
//! 2. waits for the models, for a worker (a large document also for the large
//!    documents' lane, which leaves one worker to the small ones) and for its share of
//!    the [memory budget](super::budget), all within its time limit;
//! 3. runs on the worker pool: a fixed number of threads with a known stack size
//!    ([`WORKER_STACK_BYTES`]), never on the async runtime, inside `catch_unwind`, so a
//!    panic is a 500 for that document and nothing else;
//! 4. is cancelled when its time limit passes, when its client goes away (the future is
//!    dropped) or when the server shuts down: the pipeline stops at its next checkpoint
//!    and the worker is free again, instead of computing an answer nobody will read.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{oneshot, watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::budget::{document_weight, MemoryBudget, Reservation};
use super::error::ServerError;
use crate::pipeline::{CancelToken, Pipeline};

/// Stack of every pipeline thread. The pipeline holds no recursion that grows with its
/// input (the HTML tokenizer's was removed, see `vendor/html5gum/PATCHES.md`); this is
/// the margin for the deepest fixed call chains, and what the fuzz targets run with.
pub const WORKER_STACK_BYTES: usize = 8 << 20;

/// The annotating side of the server: its limits, its worker pool, its budget.
#[derive(Clone)]
pub struct Annotator {
    pipeline: watch::Receiver<Option<Arc<Pipeline>>>,
    in_flight: Arc<Semaphore>,
    in_flight_limit: u32,
    /// In-flight slots batches may hold: half, so that batches (which hold theirs for as
    /// long as they stream, a client that does not read them up to the write timeout)
    /// always leave half to single documents.
    batches: Arc<Semaphore>,
    workers: Arc<Semaphore>,
    /// Workers large documents may take: all but one (when there are two or more), so
    /// that a flood of large documents cannot keep every worker from the small ones.
    large: Arc<Semaphore>,
    pool: Arc<rayon::ThreadPool>,
    budget: MemoryBudget,
    /// The lane of the budget batches take from (bodies and lines): half of it, for the
    /// same reason.
    batch_budget: MemoryBudget,
    timeout: Duration,
    runs: Runs,
    busy: Busy,
}

/// Documents from this size on are large: they take seconds rather than milliseconds
/// (news articles are 2-50 KB), and may not take the last worker.
pub const LARGE_DOCUMENT: usize = 64 << 10;

/// How long past its time limit a job may still run before it counts as overdue: the
/// pipeline checks for cancellation between small steps, so a job that is this late is
/// in a stage that does not check.
pub const OVERDUE_AFTER: Duration = Duration::from_secs(2);

/// How long every worker may be overdue before liveness fails and the replica is
/// restarted.
pub const WEDGED_AFTER: Duration = Duration::from_secs(60);

/// An in-flight slot: held from admission until the answer is sent.
#[derive(Debug)]
pub struct Admission {
    _slot: OwnedSemaphorePermit,
    _batch: Option<OwnedSemaphorePermit>,
}

/// The limits an [`Annotator`] is built with.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_in_flight: u32,
    pub workers: usize,
    pub memory_budget: usize,
    pub timeout: Duration,
}

impl Annotator {
    pub fn new(pipeline: watch::Receiver<Option<Arc<Pipeline>>>, limits: Limits) -> Self {
        let workers = limits.workers.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .stack_size(WORKER_STACK_BYTES)
            .thread_name(|i| format!("annotate-{i}"))
            // Every job catches its own panics; this only logs one that escaped.
            .panic_handler(|p| tracing::error!(panic = %panic_message(&*p), "worker panicked"))
            .build()
            .expect("the worker threads start");
        let budget = MemoryBudget::new(limits.memory_budget);
        Annotator {
            pipeline,
            in_flight: Arc::new(Semaphore::new(limits.max_in_flight as usize)),
            in_flight_limit: limits.max_in_flight,
            batches: Arc::new(Semaphore::new((limits.max_in_flight as usize / 2).max(1))),
            workers: Arc::new(Semaphore::new(workers)),
            large: Arc::new(Semaphore::new(workers.saturating_sub(1).max(1))),
            pool: Arc::new(pool),
            batch_budget: budget.lane(budget.total() / 2),
            budget,
            timeout: limits.timeout,
            runs: Runs::default(),
            busy: Busy::default(),
        }
    }

    /// Jobs still running more than [`OVERDUE_AFTER`] past their time limit.
    pub fn overdue(&self) -> usize {
        self.busy.overdue(std::time::Instant::now())
    }

    /// Whether every worker has held overdue work for longer than [`WEDGED_AFTER`].
    pub fn wedged(&self) -> bool {
        self.busy
            .all_overdue_since(std::time::Instant::now(), self.workers())
    }

    /// Documents annotated at the same time.
    pub fn workers(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// The memory budget bodies and answers are counted in.
    pub fn budget(&self) -> &MemoryBudget {
        &self.budget
    }

    /// The lane of the budget a batch's body and lines are counted in.
    pub fn batch_budget(&self) -> &MemoryBudget {
        &self.batch_budget
    }

    /// The pipeline if it is loaded, or 503 (for readiness).
    pub fn pipeline(&self) -> Result<Arc<Pipeline>, ServerError> {
        self.pipeline.borrow().clone().ok_or(ServerError::NotReady)
    }

    /// An in-flight slot now, or 503 `overloaded`.
    pub fn admit(&self) -> Result<Admission, ServerError> {
        Arc::clone(&self.in_flight)
            .try_acquire_owned()
            .map(|slot| Admission {
                _slot: slot,
                _batch: None,
            })
            .map_err(|_| ServerError::Overloaded(self.in_flight_limit))
    }

    /// An in-flight slot for a batch now (one of the batches' half), or 503 `overloaded`.
    pub fn admit_batch(&self) -> Result<Admission, ServerError> {
        let batch = Arc::clone(&self.batches)
            .try_acquire_owned()
            .map_err(|_| ServerError::Overloaded(self.in_flight_limit))?;
        let mut admission = self.admit()?;
        admission._batch = Some(batch);
        Ok(admission)
    }

    /// Runs `job` on a worker for a document of `input_bytes`, within the time limit.
    ///
    /// `held` is what the request already holds of the budget (its body): it is counted
    /// towards the document's share. The answer comes back with the reservation, which
    /// the caller keeps until the answer is written.
    pub async fn run<T, F>(
        &self,
        input_bytes: usize,
        held: Reservation,
        job: F,
    ) -> Result<(T, Reservation), ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&Pipeline, &CancelToken) -> T + Send + 'static,
    {
        self.run_within(&self.budget, input_bytes, held, job).await
    }

    /// [`run`](Annotator::run) with the document's share taken from `budget` (a batch
    /// line's from the [batches' lane](Annotator::batch_budget)).
    pub async fn run_within<T, F>(
        &self,
        budget: &MemoryBudget,
        input_bytes: usize,
        held: Reservation,
        job: F,
    ) -> Result<(T, Reservation), ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&Pipeline, &CancelToken) -> T + Send + 'static,
    {
        let deadline = Instant::now() + self.timeout;
        let limit = self.timeout;
        let timeout = move |_| ServerError::Timeout(limit);

        let pipeline = tokio::time::timeout_at(deadline, self.loaded_pipeline())
            .await
            .map_err(timeout)??;
        // A large document first waits for the large documents' lane.
        let lane = if input_bytes >= LARGE_DOCUMENT {
            let permit = tokio::time::timeout_at(deadline, Arc::clone(&self.large).acquire_owned())
                .await
                .map_err(timeout)?
                .expect("the lane semaphore is never closed");
            Some(permit)
        } else {
            None
        };
        // The worker, then the document's share of the budget: a document waiting for a
        // worker holds only its body, not the memory its annotation will need.
        let worker = tokio::time::timeout_at(deadline, Arc::clone(&self.workers).acquire_owned())
            .await
            .map_err(timeout)?
            .expect("the worker semaphore is never closed");
        let weight = document_weight(input_bytes, pipeline.text_limit());
        let mut reservation = held;
        let more = weight.saturating_sub(reservation.bytes());
        reservation.merge(
            tokio::time::timeout_at(deadline, budget.reserve(more))
                .await
                .map_err(timeout)?,
        );
        let run = self.runs.start(deadline.into_std());
        let token = run.token.clone();
        let (tx, rx) = oneshot::channel();
        let busy = self.busy.clone();
        self.pool.spawn(move || {
            // The worker (and the lane) are busy until the job returns, cancelled or not.
            let _worker = (worker, lane);
            let _job = busy.start(deadline.into_std());
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| job(&pipeline, &token)));
            let _ = tx.send(outcome);
            if weight >= RETURN_MEMORY_AFTER {
                return_free_memory();
            }
        });
        // Dropping `run` (time limit, client gone) cancels the job.
        match tokio::time::timeout_at(deadline, rx).await {
            Ok(Ok(Ok(answer))) => {
                run.finish();
                Ok((answer, reservation))
            }
            Ok(Ok(Err(panic))) => Err(ServerError::Internal(format!(
                "the annotation panicked: {}",
                panic_message(&*panic)
            ))),
            Ok(Err(_)) => Err(ServerError::Internal("the worker dropped its job".into())),
            Err(elapsed) => Err(timeout(elapsed)),
        }
    }

    /// The pipeline, waiting for it while the models load: a request that arrives
    /// during start-up is delayed (within the time limit), not refused. 503 only if
    /// loading failed.
    fn loaded_pipeline(&self) -> impl Future<Output = Result<Arc<Pipeline>, ServerError>> {
        let mut rx = self.pipeline.clone();
        async move {
            let loaded = rx
                .wait_for(Option::is_some)
                .await
                .map_err(|_| ServerError::NotReady)?;
            Ok(loaded.clone().expect("waited for Some"))
        }
    }

    /// Cancels every run in progress (shutdown: their answers will not be sent).
    pub fn cancel_all(&self) -> usize {
        self.runs.cancel_all()
    }
}

/// The runs in progress, so that shutdown can cancel them all.
#[derive(Clone, Default)]
struct Runs {
    next: Arc<AtomicU64>,
    active: Arc<Mutex<HashMap<u64, CancelToken>>>,
}

/// One run in progress: cancelled when dropped unless [`finish`](Run::finish)ed.
struct Run {
    id: u64,
    token: CancelToken,
    runs: Runs,
    finished: bool,
}

impl Runs {
    fn start(&self, deadline: std::time::Instant) -> Run {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let token = CancelToken::new().with_deadline(deadline);
        self.lock().insert(id, token.clone());
        Run {
            id,
            token,
            runs: self.clone(),
            finished: false,
        }
    }

    fn cancel_all(&self) -> usize {
        let active = self.lock();
        for token in active.values() {
            token.cancel();
        }
        active.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, CancelToken>> {
        // A panic while holding this lock cannot leave the map inconsistent.
        self.active.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Run {
    fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        if !self.finished {
            self.token.cancel();
        }
        self.runs.lock().remove(&self.id);
    }
}

/// The deadlines of the jobs running on the workers, for readiness and liveness.
#[derive(Clone, Default)]
struct Busy {
    next: Arc<AtomicU64>,
    jobs: Arc<Mutex<BusyJobs>>,
}

#[derive(Default)]
struct BusyJobs {
    deadlines: HashMap<u64, std::time::Instant>,
    /// Since when every worker has been overdue, if they are.
    all_overdue_since: Option<std::time::Instant>,
}

/// One job on a worker; removes itself when the job returns.
struct BusyJob {
    id: u64,
    busy: Busy,
}

impl Busy {
    fn start(&self, deadline: std::time::Instant) -> BusyJob {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().deadlines.insert(id, deadline);
        BusyJob {
            id,
            busy: self.clone(),
        }
    }

    fn overdue(&self, now: std::time::Instant) -> usize {
        self.lock()
            .deadlines
            .values()
            .filter(|&&d| now > d + OVERDUE_AFTER)
            .count()
    }

    fn all_overdue_since(&self, now: std::time::Instant, workers: usize) -> bool {
        let mut jobs = self.lock();
        let overdue = jobs
            .deadlines
            .values()
            .filter(|&&d| now > d + OVERDUE_AFTER)
            .count();
        if overdue < workers {
            jobs.all_overdue_since = None;
            return false;
        }
        let since = *jobs.all_overdue_since.get_or_insert(now);
        now.duration_since(since) > WEDGED_AFTER
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BusyJobs> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for BusyJob {
    fn drop(&mut self) {
        self.busy.lock().deadlines.remove(&self.id);
    }
}

/// Documents whose share of the budget is at least this large give their freed memory
/// back to the system when they are done.
const RETURN_MEMORY_AFTER: usize = 32 << 20;

/// Returns the allocator's free memory to the system. glibc's malloc keeps what a large
/// document freed in the worker thread's arena, so without this the process would sit at
/// the peak of its largest document for good, outside the budget's count.
#[allow(unsafe_code)] // one libc call
fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions; it only releases free pages.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The text of a panic's payload (for the log only).
pub fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotator(workers: usize, timeout: Duration) -> Annotator {
        let pipeline = Arc::new(Pipeline::new().unwrap());
        let (_, rx) = watch::channel(Some(pipeline));
        Annotator::new(
            rx,
            Limits {
                max_in_flight: 4,
                workers,
                memory_budget: 64 << 20,
                timeout,
            },
        )
    }

    #[tokio::test]
    async fn a_panicking_job_is_a_500_and_the_worker_lives_on() {
        let a = annotator(1, Duration::from_secs(60));
        let e = a
            .run(10, Reservation::empty(), |_, _| -> u32 {
                panic!("a bug in a stage")
            })
            .await
            .unwrap_err();
        assert!(
            matches!(e, ServerError::Internal(ref m) if m.contains("a bug")),
            "{e:?}"
        );
        assert_eq!(e.problem().status, 500);
        // The same (only) worker takes the next job.
        let (n, _) = a.run(10, Reservation::empty(), |_, _| 7).await.unwrap();
        assert_eq!(n, 7);
        assert_eq!(a.budget().available(), a.budget().total());
    }

    #[tokio::test]
    async fn work_past_the_time_limit_is_cancelled() {
        let a = annotator(1, Duration::from_millis(50));
        let (seen_tx, seen_rx) = std::sync::mpsc::channel();
        let outcome = a
            .run(10, Reservation::empty(), move |_, cancel| {
                // A job that checks, as the stages do, until it is told to stop.
                while !cancel.is_cancelled() {
                    std::thread::yield_now();
                }
                seen_tx.send(()).unwrap();
            })
            .await;
        // The job stops at the deadline; whether its (cancelled) result or the time limit
        // is seen first is a race, and both are the end of the job.
        assert!(
            matches!(outcome, Ok(_) | Err(ServerError::Timeout(_))),
            "{outcome:?}"
        );
        seen_rx.recv().expect("the job saw its cancellation");
    }

    #[tokio::test]
    async fn a_dropped_request_cancels_its_job() {
        let a = annotator(1, Duration::from_secs(3600));
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let (seen_tx, seen_rx) = std::sync::mpsc::channel();
        let run = a.run(10, Reservation::empty(), move |_, cancel| {
            let _ = started_tx.send(());
            while !cancel.is_cancelled() {
                std::thread::yield_now();
            }
            seen_tx.send(()).unwrap();
        });
        tokio::select! {
            _ = run => panic!("the job cannot finish uncancelled"),
            _ = started_rx => {} // the client goes away once the job runs
        }
        tokio::task::spawn_blocking(move || seen_rx.recv())
            .await
            .unwrap()
            .expect("the job saw its cancellation");
    }

    #[tokio::test]
    async fn large_documents_leave_a_worker_to_small_ones() {
        let a = annotator(2, Duration::from_secs(3600));
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        // One large document holds a worker until released...
        let b = a.clone();
        let large = tokio::spawn(async move {
            b.run(LARGE_DOCUMENT, Reservation::empty(), move |_, _| {
                let _ = started_tx.send(());
                let _ = release_rx.recv();
            })
            .await
        });
        started_rx.await.unwrap();
        // ...a second large one waits for the lane, not for the last worker...
        let c = a.clone();
        let second =
            tokio::spawn(
                async move { c.run(LARGE_DOCUMENT, Reservation::empty(), |_, _| ()).await },
            );
        tokio::task::yield_now().await;
        // ...which a small document gets at once.
        let (n, _) = a.run(100, Reservation::empty(), |_, _| 1).await.unwrap();
        assert_eq!(n, 1);
        assert!(
            !second.is_finished(),
            "a second large document ran beside the first"
        );
        release_tx.send(()).unwrap();
        large.await.unwrap().unwrap();
        second.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn shutdown_cancels_every_run() {
        let a = annotator(2, Duration::from_secs(3600));
        let b = a.clone();
        let job = tokio::spawn(async move {
            b.run(10, Reservation::empty(), |_, cancel| {
                while !cancel.is_cancelled() {
                    std::thread::yield_now();
                }
            })
            .await
        });
        while a.cancel_all() == 0 {
            tokio::task::yield_now().await;
        }
        job.await.unwrap().expect("the cancelled job returns");
    }
}
