//! One module per area of the product.

pub mod audit;
pub mod callout;
pub mod dashboard;
pub mod dialex;
pub mod do_not_call;
pub mod job;
pub mod job_report;
pub mod jobs;
pub mod ms_open_id;
pub mod not_found;
pub mod room_call;
pub mod status;
