//! The content API's query language, in layers kept apart from SQL: `qs`
//! (query string -> JSON tree), `parse` (tree -> typed `ast::Query`, with
//! error paths and limits), `resolve` (every path checked against the schema
//! and the caller's access, filter values typed), `compile` (SeaQuery
//! expressions with bound values). `cursor` adds keyset pagination; `memo`
//! remembers parsed query strings.

pub mod ast;
pub mod compile;
pub mod cursor;
mod memo;
pub mod parse;
pub mod qs;
pub mod resolve;

pub use ast::{
    Filter, Operand, Operator, Pagination, Populate, PopulateField, Query, Sort, Status,
};
pub use memo::QueryMemo;
pub use resolve::{Readable, Resolver};

use crate::config::QueryLimits;
use crate::error::{Error, Result};

/// Reads a raw query string (without `?`) into a query.
pub fn from_query_string(raw: &str, limits: &QueryLimits) -> Result<Query> {
    let tree = qs::parse(raw, qs::Limits::default())
        .map_err(|e| Error::field(e.key.as_str(), e.message))?;
    parse::parse(&tree, limits)
}
