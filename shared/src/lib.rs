//! Types that cross the wire between the Callout Console browser app and its backend.
//!
//! This crate is serde-only on purpose: it compiles for `wasm32-unknown-unknown` and for the host,
//! carries no secrets and no provider wire formats (those stay inside the backend's `providers/`).

pub mod audit;
pub mod call_status;
pub mod dialex;
pub mod dnc;
pub mod error;
pub mod health;
pub mod jobs;
pub mod me;
pub mod meeting;
pub mod number_list;
pub mod numbers;

/// The prefix every JSON endpoint of the backend lives under.
pub const API_PREFIX: &str = "/api/v1";
