//! Callout Console backend-for-frontend.
//!
//! The folder tree is the map: `config` (settings), `app` (router and middleware), `api/` (thin HTTP
//! handlers per area), `providers/` (signing clients), `sandbox/` (provider emulators), `static_files` (serving the
//! built admin panel), `telemetry` (logging), `metrics`
//! (Prometheus names and the helpers that record them).

pub mod accounts;
pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod phone;
pub mod providers;
pub mod request_id;
pub mod sandbox;
pub mod secret;
pub mod security;
pub mod service;
pub mod static_files;
pub mod store;
pub mod telemetry;

/// The backend's version, shown in the health endpoint and the UI footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
