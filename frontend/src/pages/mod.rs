//! One module per area of the product.

pub mod callout;
pub mod dashboard;
pub mod dialex;
pub mod placeholder;
