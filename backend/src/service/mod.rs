//! The rules of dialling: jobs (normalise, deduplicate, batch, pace, write ahead, resume), following
//! calls to their final states (polling and webhooks), and the live event stream.

pub mod dialler;
pub mod events;
pub mod follower;
pub mod rate_limit;
