//! What a caller asks of the entries service: how to write, read and list,
//! and what a list answers.

use super::populate::Entry;
use crate::error::{Error, Result};
use crate::query::{Filter, Pagination, Populate, Readable, Sort, Status};

#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// The locale to write; the default locale when absent. Ignored by types
    /// that are not localized.
    pub locale: Option<String>,
    /// The admin user making the change.
    pub actor: Option<i64>,
    /// Publish in the same transaction (draft & publish types).
    pub publish: bool,
    /// The version the writer started from (`Entries::current_version`): a
    /// write to a document saved again since is refused with
    /// `Error::Conflict`, never applied over the newer save. `None` writes
    /// over whatever is there.
    pub expected_version: Option<i64>,
}

/// Options of a read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub locale: Option<String>,
    pub status: Status,
    /// Scalar fields to return; all when `None`.
    pub fields: Option<Vec<String>>,
    pub populate: Populate,
    /// Include `private` fields (the admin UI does; the public API does not).
    pub include_private: bool,
    /// The types whose documents the caller may read through relations.
    pub readable: Readable,
}

/// Options of a list.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub read: ReadOptions,
    pub filters: Option<Filter>,
    /// Sort keys in order; ties are broken by id.
    pub sort: Vec<Sort>,
    pub pagination: Pagination,
}

/// A page of entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The entries, as a JSON array.
    pub data: Vec<u8>,
    /// How many entries match, when counting was asked for.
    pub total: Option<u64>,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<String>,
}

impl Page {
    /// The entries as values, read back from `data`.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        serde_json::from_slice(&self.data).map_err(Error::internal)
    }
}

/// Which locales a delete removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocaleScope {
    /// The default locale.
    Default,
    One(String),
    /// Every locale: the whole document.
    All,
}
