pub mod dashboard;
pub mod placeholder;
