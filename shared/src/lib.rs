//! Types that cross the wire between the Callout Console browser app and its backend.
//!
//! This crate is serde-only on purpose: it compiles for `wasm32-unknown-unknown` and for the host,
//! carries no secrets and no provider wire formats (those stay inside the backend's `providers/`).

pub mod audit;
pub mod call_status;
pub mod campaign;
pub mod dialex;
pub mod dnc;
pub mod error;
pub mod health;
pub mod jobs;
pub mod me;
pub mod meeting;
pub mod number_list;
pub mod numbers;

/// A stored or sent word that names no variant of an enum: an error, never a silent default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl UnknownValue {
    pub fn new(kind: &'static str, value: &str) -> Self {
        Self { kind, value: value.to_owned() }
    }
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} `{}`", self.kind, self.value)
    }
}

impl std::error::Error for UnknownValue {}

/// `as_str` and `FromStr` for a unit enum, from one table of wire names, so storing and reading
/// use the same words as serde.
#[macro_export]
macro_rules! wire_words {
    ($ty:ty, $kind:literal, { $($variant:path => $word:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($variant => $word),+ }
            }
        }
        impl TryFrom<String> for $ty {
            type Error = $crate::UnknownValue;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }
        impl std::str::FromStr for $ty {
            type Err = $crate::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($word => Ok($variant),)+ _ => Err($crate::UnknownValue::new($kind, s)) }
            }
        }
    };
}

/// The prefix every JSON endpoint of the backend lives under.
pub const API_PREFIX: &str = "/api/v1";
