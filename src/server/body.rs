//! Reading a request body: bounded in size, in time and in memory.
//!
//! - **Size**: a declared `Content-Length` over the limit is a 413 before anything is
//!   read; a body without one is cut off as soon as it passes the limit. A gzip body is
//!   decoded on the way in (by tower-http's request decompression) and the limit is
//!   applied to the decoded bytes, so a small bomb cannot grow past it.
//! - **Time**: the whole body must arrive within `--body-timeout` of the handler seeing
//!   its head, else 408 and the connection is closed. Reading does not hold an in-flight
//!   slot: a client trickling a byte every few seconds holds a connection, no more.
//! - **Memory**: the bytes are reserved from the [memory budget](super::budget) before
//!   they are buffered (the declared length at once, else chunk by chunk); when the
//!   budget is spent the request is refused with 503 rather than buffered.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use bytes::BytesMut;
use http_body_util::BodyExt;
use tokio::time::Instant;

use super::budget::{MemoryBudget, Reservation};
use super::error::ServerError;

/// How one route reads its bodies.
#[derive(Debug, Clone, Copy)]
pub struct BodyRules {
    pub limit: usize,
    pub timeout: Duration,
}

/// The declared `Content-Length`, if any and well-formed.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// 413 at once when the declared length is over `limit`.
pub fn check_declared_length(headers: &HeaderMap, limit: usize) -> Result<(), ServerError> {
    match declared_length(headers) {
        Some(n) if n > limit as u64 => Err(ServerError::PayloadTooLarge { limit }),
        _ => Ok(()),
    }
}

/// Reads the whole body under `rules`, with its bytes reserved from `budget`.
pub async fn read(
    body: Body,
    headers: &HeaderMap,
    rules: BodyRules,
    budget: &MemoryBudget,
) -> Result<(Bytes, Reservation), ServerError> {
    let deadline = Instant::now() + rules.timeout;
    // A body the whole budget could not hold is as much too large as one over the limit.
    let limit = rules.limit.min(budget.total());
    check_declared_length(headers, limit)?;
    let declared = declared_length(headers).map(|n| n as usize);
    let mut reservation = match declared {
        Some(n) => budget.try_reserve(n).ok_or(ServerError::MemoryFull)?,
        None => Reservation::empty(),
    };
    let mut buf = BytesMut::with_capacity(declared.unwrap_or(0).min(limit));
    let mut body = body;
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return Err(ServerError::BodyTimeout(rules.timeout)),
            Ok(None) => break,
            Ok(Some(Err(e))) => return Err(body_error(e, limit)),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if buf.len() + data.len() > limit {
            return Err(ServerError::PayloadTooLarge { limit });
        }
        let held = reservation.bytes();
        let wanted = buf.len() + data.len();
        if wanted > held {
            // Reserve ahead in steps, so that a body of many small chunks does not
            // take the budget's lock once per chunk.
            let step = (wanted - held).max(64 << 10).min(limit - held.min(limit));
            reservation.merge(budget.try_reserve(step).ok_or(ServerError::MemoryFull)?);
        }
        buf.extend_from_slice(&data);
    }
    Ok((buf.freeze(), reservation))
}

/// A body error: the decoder's or the connection's (or a length limit set elsewhere).
fn body_error(e: axum::Error, limit: usize) -> ServerError {
    let over_limit = std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
    .any(|e| e.is::<http_body_util::LengthLimitError>());
    if over_limit {
        ServerError::PayloadTooLarge { limit }
    } else {
        ServerError::BodyRead(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(limit: usize) -> BodyRules {
        BodyRules {
            limit,
            timeout: Duration::from_secs(5),
        }
    }

    #[tokio::test]
    async fn a_body_is_read_with_its_bytes_reserved() {
        let budget = MemoryBudget::new(1 << 20);
        let (bytes, held) = read(Body::from("hello"), &HeaderMap::new(), rules(10), &budget)
            .await
            .unwrap();
        assert_eq!(&bytes[..], b"hello");
        assert!(held.bytes() >= 5);
        assert!(budget.available() < budget.total());
        drop(held);
        assert_eq!(budget.available(), budget.total());
    }

    #[tokio::test]
    async fn over_the_limit_or_the_budget_is_refused() {
        let budget = MemoryBudget::new(1 << 20);
        let e = read(
            Body::from("x".repeat(11)),
            &HeaderMap::new(),
            rules(10),
            &budget,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServerError::PayloadTooLarge { limit: 10 }));
        // More than the whole budget: too large, whatever the limit says.
        let small = MemoryBudget::new(256 << 10);
        let e = read(
            Body::from("x".repeat(300 << 10)),
            &HeaderMap::new(),
            rules(1 << 20),
            &small,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServerError::PayloadTooLarge { .. }), "{e:?}");
        // Within the budget, but the budget is held by others: 503, and nothing leaks.
        let others = small.try_reserve(200 << 10).unwrap();
        let e = read(
            Body::from("x".repeat(100 << 10)),
            &HeaderMap::new(),
            rules(1 << 20),
            &small,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServerError::MemoryFull), "{e:?}");
        drop(others);
        assert_eq!(small.available(), small.total());
    }
}
