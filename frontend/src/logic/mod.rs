//! Rules of the UI that need no browser: parsing, counting, error wording. Unit-tested natively.

pub mod campaign;
pub mod dates;
pub mod do_not_call;
pub mod errors;
#[cfg(test)]
pub mod fixtures;
pub mod job_table;
pub mod job_view;
pub mod numbers;
pub mod recent_jobs;
pub mod report;
