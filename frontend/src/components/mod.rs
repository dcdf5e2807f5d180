//! Reusable view pieces: the shell, the global alert, progress, form fields and the number entry.

pub mod alert;
pub mod copy;
pub mod field;
pub mod layout;
pub mod number_entry;
