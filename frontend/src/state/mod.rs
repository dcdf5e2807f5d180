//! App-wide reactive state, provided as context once in `App`: language, the global alert, and
//! what the backend told us about itself and the signed-in user, the callout form's draft; how a
//! page loads its data (`load`), and data the event stream then keeps current (`followed`); and
//! the requests a user's action starts (`tasks`), which end with the component.

pub mod alert;
pub mod drafts;
pub mod followed;
pub mod load;
pub mod locale;
pub mod number_entry;
pub mod session;
pub mod tasks;
