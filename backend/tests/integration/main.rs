//! The backend's integration tests, one binary: each module starts the real backend and/or the
//! provider emulators on loopback ports of their own and talks to them over HTTP.
//!
//! One binary rather than one per file: each test binary links the whole backend, so 32 of them
//! cost minutes of linking and gigabytes of disk on every cold build. `no_secret_leaks.rs` stays
//! apart because it installs a process-wide trace-level log subscriber.
//!
//! Run one module with `cargo test -p callout-console --test integration -- dialex_api::`.

mod common;
mod tencent_meeting_common;

mod aliyun_ccc_dialex;
mod aliyun_ccc_faults;
mod aliyun_ccc_sdk_interop;
mod auth_jwt;
mod auth_trusted_headers;
mod callout_jobs;
mod campaigns;
mod configuration;
mod crash_recovery;
mod dialex_api;
mod dialex_outcomes;
mod example_config;
mod fault_matrix;
mod following_at_scale;
mod health;
mod job_control;
mod job_list;
mod load;
mod meeting_check;
mod meetings_api;
mod numbers;
mod one_call_path;
mod openapi;
mod operations;
mod provider_echo;
mod secrets_scan;
mod security_headers;
mod shutdown;
mod sign_cli;
mod static_files;
mod storage_faults;
mod tencent_meeting_client;
mod tencent_meeting_errors;
mod tencent_meeting_faults;
mod tencent_meeting_sdk_interop;
mod tencent_meeting_webhook;
mod webhook_endpoint;
