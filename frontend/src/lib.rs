//! Callout Console admin panel: a Leptos CSR app that speaks only to its own backend.
//!
//! `app` (router and shell), `api` (typed client, one function per endpoint), `components/`
//! (layout pieces), `pages/` (one module per area of the product).

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
