//! The entries service: create, update, delete and read documents of one
//! content type, with draft & publish, locales, versions and relations.
//!
//! Every write runs in one transaction: the row, its links, the copies of
//! shared (non-localized) values into the other locales, and the version.
//! A failure anywhere writes nothing.

mod counts;
mod draft_publish;
mod links;
mod options;
mod populate;
mod read;
mod rows;
mod service;
mod uid;
mod validate;
mod versions;
mod write;

pub use crate::query::{Populate, PopulateField, Status};
pub use counts::CountCache;
pub use draft_publish::Publication;
pub use options::{ListOptions, LocaleScope, Page, ReadOptions, WriteOptions};
pub use populate::Entry;
pub use service::Entries;
pub use versions::{Version, VersionSummary};
