//! Rules of the UI that need no browser: parsing, counting, error wording. Unit-tested natively.

pub mod errors;
pub mod numbers;
