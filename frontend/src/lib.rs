//! Callout Console admin panel: a Leptos CSR app that speaks only to its own backend.
//!
//! `app` (router and shell), `api` (typed client, one function per endpoint), `i18n/` (zh-CN and en
//! strings), `logic/` (browser-free rules, unit-tested natively), `state/` (app-wide reactive state),
//! `components/` (reusable view pieces), `pages/` (one module per area of the product).

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod live;
pub mod logic;
pub mod pages;
pub mod state;
