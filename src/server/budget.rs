//! The memory budget: one count of the bytes that requests hold, so that the process
//! stays inside its container's limit whatever clients send.
//!
//! Memory is held by request bodies while they are read, by documents while the pipeline
//! works on them, and by answers until they are written. Each of these reserves its
//! share of [`Config::memory_budget`](super::Config::memory_budget) before it holds the
//! memory, and gives it back when it is done (the reservation is a guard, released on
//! drop, so an error or a client that goes away cannot leak it). When the budget is
//! spent, a body being read is refused at once (503 `overloaded`), and a document waits
//! for room within its time limit.
//!
//! The share of a document is [`document_weight`]: a bound on what annotating `n` bytes
//! can take at its peak, measured on the worst shapes (`scripts/sizing.sh`), answer
//! included. The bound is linear because every stage is linear in its input.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Reservations are counted in KiB: a semaphore holds at most `u32::MAX >> 3` permits.
const UNIT: usize = 1024;

/// Peak memory per byte of input that cleaning removes (HTML parsing, the `removed`
/// list of a page of tiny paragraphs, in its answer too): 120 measured at worst by
/// `scripts/sizing.py`.
pub const BYTES_PER_INPUT_BYTE: usize = 130;

/// What a byte of the document's text costs beyond [`BYTES_PER_INPUT_BYTE`]: the later
/// stages and the answer (one sentence of "he said, " repeated, whose overlapping
/// quotes make an answer of 80 bytes per byte, peaks at 198 a byte): 78 measured.
pub const EXTRA_BYTES_PER_TEXT_BYTE: usize = 80;

/// What any document holds besides its size-dependent part (buffers, the rendered
/// answer's fixed fields).
const DOCUMENT_BASE: usize = 256 * 1024;

/// The reservation a document of `input_bytes` takes while it is annotated and until
/// its answer is written, when the pipeline refuses texts over `text_limit`.
///
/// Every byte of input costs at most [`BYTES_PER_INPUT_BYTE`] if cleaning removes it,
/// and that plus [`EXTRA_BYTES_PER_TEXT_BYTE`] if it stays in the text; the text is never
/// longer than the input (cleaning only removes and shortens) nor than the limit. So
/// the worst document of a size is the one with as much text as allowed.
pub fn document_weight(input_bytes: usize, text_limit: Option<usize>) -> usize {
    let text = text_limit.map_or(input_bytes, |t| t.min(input_bytes));
    input_bytes
        .saturating_mul(BYTES_PER_INPUT_BYTE)
        .saturating_add(text.saturating_mul(EXTRA_BYTES_PER_TEXT_BYTE))
        .saturating_add(DOCUMENT_BASE)
}

/// The process's memory budget (cheap to clone: clones share it).
#[derive(Debug, Clone)]
pub struct MemoryBudget {
    permits: Arc<Semaphore>,
    total_units: u32,
}

/// Bytes reserved from the budget, given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    permit: Option<OwnedSemaphorePermit>,
}

impl MemoryBudget {
    pub fn new(bytes: usize) -> Self {
        let units = (bytes / UNIT).clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
        MemoryBudget {
            permits: Arc::new(Semaphore::new(units)),
            total_units: units as u32,
        }
    }

    /// The whole budget, in bytes.
    pub fn total(&self) -> usize {
        self.total_units as usize * UNIT
    }

    /// Bytes not reserved right now.
    pub fn available(&self) -> usize {
        self.permits.available_permits() * UNIT
    }

    fn units(&self, bytes: usize) -> u32 {
        bytes.div_ceil(UNIT).min(self.total_units as usize) as u32
    }

    /// Reserves `bytes` if they are free now; `None` if the budget is spent (or
    /// smaller than `bytes`).
    pub fn try_reserve(&self, bytes: usize) -> Option<Reservation> {
        if bytes == 0 {
            return Some(Reservation::empty());
        }
        if bytes > self.total() {
            return None;
        }
        Arc::clone(&self.permits)
            .try_acquire_many_owned(self.units(bytes))
            .ok()
            .map(|p| Reservation { permit: Some(p) })
    }

    /// Reserves `bytes`, waiting (first come, first served) until they are free. More
    /// than the whole budget is reserved as the whole budget: the caller checks sizes
    /// against [`document_weight`] of the body limit at start-up.
    pub async fn reserve(&self, bytes: usize) -> Reservation {
        if bytes == 0 {
            return Reservation::empty();
        }
        let permit = Arc::clone(&self.permits)
            .acquire_many_owned(self.units(bytes))
            .await
            .expect("the budget's semaphore is never closed");
        Reservation {
            permit: Some(permit),
        }
    }
}

impl Reservation {
    /// A reservation of nothing (to merge others into).
    pub fn empty() -> Self {
        Reservation { permit: None }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.permit.as_ref().map_or(0, |p| p.num_permits() * UNIT)
    }

    /// Gives back what is held beyond `bytes` (rounded up to the unit).
    pub fn shrink_to(&mut self, bytes: usize) {
        let keep = bytes.div_ceil(UNIT);
        if let Some(permit) = &mut self.permit {
            let held = permit.num_permits();
            if held > keep {
                drop(permit.split(held - keep));
            }
        }
    }

    /// Takes `other`'s bytes into this reservation.
    pub fn merge(&mut self, mut other: Reservation) {
        match (&mut self.permit, other.permit.take()) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (None, theirs) => self.permit = theirs,
            (Some(_), None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_come_back_when_dropped() {
        let budget = MemoryBudget::new(10 * UNIT);
        let a = budget.try_reserve(4 * UNIT).expect("free");
        let mut b = budget.try_reserve(5 * UNIT + 1).expect("free"); // rounds up to 6
        assert_eq!(budget.available(), 0);
        assert!(budget.try_reserve(1).is_none());
        drop(a);
        assert_eq!(budget.available(), 4 * UNIT);
        b.merge(budget.try_reserve(UNIT).unwrap());
        assert_eq!(b.bytes(), 7 * UNIT);
        b.shrink_to(2 * UNIT + 1);
        assert_eq!(b.bytes(), 3 * UNIT);
        assert_eq!(budget.available(), budget.total() - 3 * UNIT);
        drop(b);
        assert_eq!(budget.available(), budget.total());
    }

    #[test]
    fn the_weight_of_a_document_grows_with_its_size() {
        assert!(document_weight(0, None) > 0);
        assert_eq!(
            document_weight(2000, None) - document_weight(1000, None),
            1000 * (BYTES_PER_INPUT_BYTE + EXTRA_BYTES_PER_TEXT_BYTE)
        );
        // Past the text limit only the input's own cost grows.
        assert_eq!(
            document_weight(3000, Some(1000)) - document_weight(2000, Some(1000)),
            1000 * BYTES_PER_INPUT_BYTE
        );
        assert_eq!(document_weight(usize::MAX, None), usize::MAX);
    }
}
