//! The HTTP server.

pub mod view;
