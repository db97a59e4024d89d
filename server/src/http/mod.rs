//! HTTP plumbing shared by every route: the error envelope and extractors.

pub mod error;
pub mod extract;
pub mod principal;
