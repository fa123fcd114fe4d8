//! What several stages need of text, in one place: word lists loaded from data files
//! ([`words`], and the one titles list in [`titles`]), hashing ([`hash`]) and lines
//! ([`lines`]).
//!
//! Nothing here knows about documents or stages; stages use it, never the reverse.

pub mod hash;
pub mod lines;
pub mod titles;
pub mod words;
