//! One module per group of routes; [`super::app`] puts them together.

pub mod annotate;
pub mod health;
pub mod openapi;
