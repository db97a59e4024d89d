//! HTTP plumbing shared by every route: the error envelope and extractors,
//! response bodies, the content API's guard and its response cache.

pub mod conditional;
pub mod content_request;
pub mod envelope;
pub mod error;
pub mod extract;
pub mod guard;
pub mod principal;
pub mod response_cache;
