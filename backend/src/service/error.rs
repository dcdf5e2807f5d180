//! The service layer's one error type: what a rule refused, or what went wrong below it.

use callout_shared::{error::ErrorCode, numbers::NumberProblem};

use crate::{providers::ProviderError, store::StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    Invalid { field: Option<String>, message: String },
    /// Well-formed, but nothing can be done with it (a job without numbers, or too many): 422.
    #[error("{message}")]
    Unprocessable { field: String, message: String },
    #[error("{field}: {}", .problem.message())]
    InvalidNumber { field: String, problem: NumberProblem },
    /// A number on the do-not-call list: nothing was dialled.
    #[error("{e164} is on the do-not-call list; nothing was dialled")]
    DoNotCall { field: String, e164: String },
    #[error("{0}")]
    NotFound(String),
    /// The request names an account this backend does not have (answered 404, beside `account_id`).
    #[error("no {provider} account `{id}` is configured")]
    UnknownAccount { provider: &'static str, id: String },
    /// A CCC instance the account is not configured with (answered 404, beside `instance_id`).
    #[error("instance `{0}` is not configured for this account")]
    UnknownInstance(String),
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// The meeting pre-check refused the meeting (unknown, ended, cancelled, a webinar): nothing was
    /// recorded or dialled. Answered 422 beside `meeting_id`.
    #[error("{message}; nothing was dialled")]
    MeetingRefused { code: ErrorCode, message: String },
    /// Boxed: provider errors carry whole bodies, and every `Result` pays for its error's size.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    #[error("{}", store_message(.0))]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<ProviderError> for ServiceError {
    fn from(err: ProviderError) -> Self {
        ServiceError::Provider(Box::new(err))
    }
}

/// A database that cannot be written is said plainly (what happened, what was not done, what to do).
fn store_message(err: &StoreError) -> String {
    if err.is_unwritable() {
        format!("the console's database cannot be written ({err}); nothing was dialled. Free disk space or make the data directory writable, then try again")
    } else {
        err.to_string()
    }
}

impl ServiceError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::Invalid { field: Some(field.into()), message: message.into() }
    }
}
