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

/// The process's memory budget (cheap to clone: clones share it), or a lane of it.
///
/// A [lane](MemoryBudget::lane) caps what one kind of request may hold together: each of
/// its reservations takes its bytes from the lane and from the whole budget alike, so
/// the whole count stays exact, and what the lane's requests hold never passes the
/// lane's size. Batches have one (half the budget), so that clients who send batches
/// and never read the answers cannot leave single documents without room.
#[derive(Debug, Clone)]
pub struct MemoryBudget {
    whole: Share,
    lane: Option<Share>,
}

#[derive(Debug, Clone)]
struct Share {
    permits: Arc<Semaphore>,
    total_units: u32,
}

impl Share {
    fn new(bytes: usize) -> Self {
        let units = (bytes / UNIT).clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
        Share {
            permits: Arc::new(Semaphore::new(units)),
            total_units: units as u32,
        }
    }

    /// `bytes` in units, at most the whole share (see [`MemoryBudget::reserve`]).
    fn units(&self, bytes: usize) -> u32 {
        bytes.div_ceil(UNIT).min(self.total_units as usize) as u32
    }

    fn try_take(&self, bytes: usize) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.permits)
            .try_acquire_many_owned(self.units(bytes))
            .ok()
    }

    async fn take(&self, bytes: usize) -> OwnedSemaphorePermit {
        Arc::clone(&self.permits)
            .acquire_many_owned(self.units(bytes))
            .await
            .expect("the budget's semaphore is never closed")
    }
}

/// Bytes reserved from the budget (and from its lane, for a lane's), given back when
/// dropped.
#[derive(Debug)]
pub struct Reservation {
    permit: Option<OwnedSemaphorePermit>,
    lane: Option<OwnedSemaphorePermit>,
}

impl MemoryBudget {
    pub fn new(bytes: usize) -> Self {
        MemoryBudget {
            whole: Share::new(bytes),
            lane: None,
        }
    }

    /// A lane of at most `bytes` of this budget (a lane of a lane is a lane of the whole).
    pub fn lane(&self, bytes: usize) -> MemoryBudget {
        MemoryBudget {
            whole: self.whole.clone(),
            lane: Some(Share::new(
                bytes.min(self.whole.total_units as usize * UNIT),
            )),
        }
    }

    /// The most one reservation can hold: the whole budget, or the lane.
    pub fn total(&self) -> usize {
        self.lane.as_ref().unwrap_or(&self.whole).total_units as usize * UNIT
    }

    /// Bytes that could be reserved right now.
    pub fn available(&self) -> usize {
        let whole = self.whole.permits.available_permits();
        let lane = self
            .lane
            .as_ref()
            .map_or(whole, |l| l.permits.available_permits());
        whole.min(lane) * UNIT
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
        let lane = match &self.lane {
            Some(lane) => Some(lane.try_take(bytes)?),
            None => None,
        };
        let permit = self.whole.try_take(bytes)?;
        Some(Reservation {
            permit: Some(permit),
            lane,
        })
    }

    /// Reserves `bytes`, waiting (first come, first served) until they are free. More
    /// than the whole budget is reserved as the whole budget: the caller checks sizes
    /// against [`document_weight`] of the body limit at start-up. In a lane, more than
    /// the lane takes the whole lane (and its full size of the whole budget).
    pub async fn reserve(&self, bytes: usize) -> Reservation {
        if bytes == 0 {
            return Reservation::empty();
        }
        // The lane first: a request waiting for its lane holds nothing of the whole.
        let lane = match &self.lane {
            Some(lane) => Some(lane.take(bytes).await),
            None => None,
        };
        Reservation {
            permit: Some(self.whole.take(bytes).await),
            lane,
        }
    }
}

impl Reservation {
    /// A reservation of nothing (to merge others into).
    pub fn empty() -> Self {
        Reservation {
            permit: None,
            lane: None,
        }
    }

    /// Bytes held (of the whole budget).
    pub fn bytes(&self) -> usize {
        self.permit.as_ref().map_or(0, |p| p.num_permits() * UNIT)
    }

    /// Gives back what is held beyond `bytes` (rounded up to the unit).
    pub fn shrink_to(&mut self, bytes: usize) {
        let keep = bytes.div_ceil(UNIT);
        for permit in [&mut self.permit, &mut self.lane].into_iter().flatten() {
            let held = permit.num_permits();
            if held > keep {
                drop(permit.split(held - keep));
            }
        }
    }

    /// Takes `other`'s bytes into this reservation (both of one budget, or one lane).
    pub fn merge(&mut self, mut other: Reservation) {
        merge_permit(&mut self.permit, other.permit.take());
        merge_permit(&mut self.lane, other.lane.take());
    }
}

fn merge_permit(mine: &mut Option<OwnedSemaphorePermit>, theirs: Option<OwnedSemaphorePermit>) {
    let Some(theirs) = theirs else { return };
    match mine {
        Some(mine) => mine.merge(theirs),
        None => *mine = Some(theirs),
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
    fn a_lane_caps_what_its_reservations_hold_together() {
        let budget = MemoryBudget::new(10 * UNIT);
        let lane = budget.lane(4 * UNIT);
        assert_eq!(lane.total(), 4 * UNIT);
        let a = lane.try_reserve(3 * UNIT).expect("free");
        // Counted in the whole budget too...
        assert_eq!(budget.available(), 7 * UNIT);
        // ...and the lane is full at its size, while the rest of the budget is free.
        assert!(lane.try_reserve(2 * UNIT).is_none());
        assert!(lane.try_reserve(5 * UNIT).is_none(), "more than the lane");
        let b = budget
            .try_reserve(7 * UNIT)
            .expect("the rest is the others'");
        // A lane reservation needs room in both.
        drop(a);
        let c = budget.try_reserve(3 * UNIT).unwrap();
        assert_eq!(lane.available(), 0);
        assert!(
            lane.try_reserve(UNIT).is_none(),
            "the whole budget is spent"
        );
        drop((b, c));
        let mut c = lane.try_reserve(UNIT).unwrap();
        c.merge(lane.try_reserve(2 * UNIT).unwrap());
        c.shrink_to(UNIT);
        assert_eq!((c.bytes(), lane.available()), (UNIT, 3 * UNIT));
        drop(c);
        assert_eq!(budget.available(), budget.total());
    }

    #[tokio::test]
    async fn waiting_in_a_lane_takes_the_whole_size_of_the_budget() {
        let budget = MemoryBudget::new(10 * UNIT);
        let lane = budget.lane(4 * UNIT);
        // More than the lane: all of the lane, all of its size in the whole.
        let r = lane.reserve(6 * UNIT).await;
        assert_eq!(r.bytes(), 6 * UNIT);
        assert_eq!((lane.available(), budget.available()), (0, 4 * UNIT));
        drop(r);
        assert_eq!(lane.available(), 4 * UNIT);
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
