//! Reusable view pieces: the shell, the global alert, progress, form fields, the number entry and
//! the confirmation step of list dialling, the pager.

pub mod alert;
pub mod campaign_fields;
pub mod confirm;
pub mod copy;
pub mod date_input;
pub mod field;
pub mod layout;
pub mod number_entry;
pub mod pager;
