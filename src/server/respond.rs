//! Answers that keep what they hold until they are sent.
//!
//! A handler returns its response before hyper writes it; whatever the answer still
//! holds (its in-flight slot, its share of the memory budget) must stay held until the
//! last byte is written or the connection is dropped, not until the handler returns,
//! or a client that never reads would hold the memory without it being counted.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, IntoResponseParts, Response};
use http_body::{Frame, SizeHint};

/// A response of `body` that holds `guard` until the body is sent or dropped.
pub fn held<G: Send + Unpin + 'static>(
    parts: impl IntoResponseParts,
    body: Bytes,
    guard: G,
) -> Response {
    (parts, Body::new(HeldBody::new(body, guard))).into_response()
}

/// Size of the pieces the body is handed to hyper in. Hyper asks for the next piece
/// only when it has written (most of) the last, so the guard is held until nearly all
/// of the answer is out, not merely until hyper has it.
const PIECE: usize = 64 << 10;

/// One buffer, handed over in pieces, and a guard dropped once the last piece is out.
pub struct HeldBody<G> {
    data: Bytes,
    guard: Option<G>,
}

impl<G> HeldBody<G> {
    pub fn new(data: Bytes, guard: G) -> Self {
        HeldBody {
            data,
            guard: Some(guard),
        }
    }
}

impl<G: Unpin> http_body::Body for HeldBody<G> {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.data.is_empty() {
            self.guard = None;
            return Poll::Ready(None);
        }
        let n = self.data.len().min(PIECE);
        let piece = self.data.split_to(n);
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.len() as u64)
    }
}
