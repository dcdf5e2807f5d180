//! Alibaba Cloud Contact Center (CCC 2017-07-05) RPC API with HMAC-SHA1 (SignatureVersion 1.0) signing.
//!
//! `signer` holds the pure signature functions (also used by the emulator and the CLI), `client`
//! places DialEx calls through the shared transport, `call_records` reads how calls ended
//! (`ListCallDetailRecords`), `wire` keeps the provider's JSON private.

mod call_records;
mod client;
pub mod signer;
mod wire;

pub use call_records::{CallRecord, CallRecordPage, CallRecordQuery, MAX_QUERY_SPAN_MS, MAX_RECORDS_PAGE_SIZE};
pub use client::{AliyunAccount, AliyunCccClient, API_VERSION};
