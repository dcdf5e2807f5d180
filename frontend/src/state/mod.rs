//! App-wide reactive state, provided as context once in `App`: language, the global alert, and
//! what the backend told us about itself and the signed-in user, the callout form's draft; and the background requests of a
//! component (`tasks`), which end with it.

pub mod alert;
pub mod drafts;
pub mod locale;
pub mod number_entry;
pub mod session;
pub mod tasks;
