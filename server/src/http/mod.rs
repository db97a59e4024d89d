//! HTTP plumbing shared by every route: the error envelope and extractors.

pub mod conditional;
pub mod error;
pub mod extract;
pub mod principal;
pub mod response_cache;
