//! The content API's query language as a typed tree: what `parse` produces
//! from Strapi's `filters`, `sort`, `pagination`, `fields`, `populate`,
//! `locale` and `status` parameters, before it is checked against a schema.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::Path;
use crate::schema::registry::ContentType;

/// Which state of a document to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    #[default]
    Published,
}

impl Status {
    /// The `published` flag of the rows a read in this state sees in
    /// `content_type`. Types without draft & publish keep one row, marked
    /// published, which is also the row edits go to; with it, edits go to
    /// the draft row.
    pub fn reads_published(self, content_type: &ContentType) -> bool {
        self == Status::Published || !content_type.draft_and_publish
    }
}

/// A whole query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub filters: Option<Filter>,
    pub sort: Vec<Sort>,
    pub pagination: Pagination,
    /// Scalar fields to return; `None` returns them all.
    pub fields: Option<Vec<String>>,
    pub populate: Populate,
    pub locale: Option<String>,
    pub status: Option<Status>,
}

/// A filter tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    /// `path` names a field, then fields of related types or components;
    /// `at` is where the condition's operator was written
    /// (`filters.$or.1.title.$eq`), shared: lists clone their filters.
    Condition {
        path: Vec<String>,
        operator: Operator,
        operand: Operand,
        at: Arc<Path>,
    },
}

impl Filter {
    /// How many conditions the tree holds, for the width limit.
    pub fn conditions(&self) -> usize {
        match self {
            Filter::And(items) | Filter::Or(items) => items.iter().map(Filter::conditions).sum(),
            Filter::Not(inner) => inner.conditions(),
            Filter::Condition { .. } => 1,
        }
    }

    /// How deeply the tree nests, counting relation hops in paths.
    pub fn depth(&self) -> usize {
        match self {
            Filter::And(items) | Filter::Or(items) => {
                1 + items.iter().map(Filter::depth).max().unwrap_or(0)
            }
            Filter::Not(inner) => 1 + inner.depth(),
            Filter::Condition { path, .. } => path.len(),
        }
    }
}

/// Strapi's filter operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    Eq,
    Eqi,
    Ne,
    Nei,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    NotIn,
    Contains,
    NotContains,
    Containsi,
    NotContainsi,
    Null,
    NotNull,
    Between,
    StartsWith,
    StartsWithi,
    EndsWith,
    EndsWithi,
}

impl Operator {
    pub const ALL: [Operator; 21] = [
        Operator::Eq,
        Operator::Eqi,
        Operator::Ne,
        Operator::Nei,
        Operator::Lt,
        Operator::Lte,
        Operator::Gt,
        Operator::Gte,
        Operator::In,
        Operator::NotIn,
        Operator::Contains,
        Operator::NotContains,
        Operator::Containsi,
        Operator::NotContainsi,
        Operator::Null,
        Operator::NotNull,
        Operator::Between,
        Operator::StartsWith,
        Operator::StartsWithi,
        Operator::EndsWith,
        Operator::EndsWithi,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operator::Eq => "$eq",
            Operator::Eqi => "$eqi",
            Operator::Ne => "$ne",
            Operator::Nei => "$nei",
            Operator::Lt => "$lt",
            Operator::Lte => "$lte",
            Operator::Gt => "$gt",
            Operator::Gte => "$gte",
            Operator::In => "$in",
            Operator::NotIn => "$notIn",
            Operator::Contains => "$contains",
            Operator::NotContains => "$notContains",
            Operator::Containsi => "$containsi",
            Operator::NotContainsi => "$notContainsi",
            Operator::Null => "$null",
            Operator::NotNull => "$notNull",
            Operator::Between => "$between",
            Operator::StartsWith => "$startsWith",
            Operator::StartsWithi => "$startsWithi",
            Operator::EndsWith => "$endsWith",
            Operator::EndsWithi => "$endsWithi",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Operator::ALL.into_iter().find(|op| op.name() == name)
    }

    /// Operators that only make sense on text.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            Operator::Eqi
                | Operator::Nei
                | Operator::Contains
                | Operator::NotContains
                | Operator::Containsi
                | Operator::NotContainsi
                | Operator::StartsWith
                | Operator::StartsWithi
                | Operator::EndsWith
                | Operator::EndsWithi
        )
    }
}

/// The value a condition compares with, still as text: the schema gives it
/// a type when the filter is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operand {
    One(String),
    Many(Vec<String>),
    Flag(bool),
}

/// One sort key: a field path (through single relations) and a direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub path: Vec<String>,
    pub descending: bool,
}

/// How a list is cut into pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pagination {
    Page {
        page: u64,
        page_size: u64,
        with_count: bool,
    },
    Offset {
        start: u64,
        limit: u64,
        with_count: bool,
    },
    /// Keyset pagination: after the row the cursor points at.
    Cursor {
        after: Option<String>,
        limit: u64,
        with_count: bool,
    },
}

impl Default for Pagination {
    fn default() -> Self {
        Pagination::Page {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            with_count: true,
        }
    }
}

/// Strapi's default page size.
pub const DEFAULT_PAGE_SIZE: u64 = 25;

impl Pagination {
    pub fn limit(&self) -> u64 {
        match self {
            Pagination::Page { page_size, .. } => *page_size,
            Pagination::Offset { limit, .. } | Pagination::Cursor { limit, .. } => *limit,
        }
    }

    pub fn with_count(&self) -> bool {
        match self {
            Pagination::Page { with_count, .. }
            | Pagination::Offset { with_count, .. }
            | Pagination::Cursor { with_count, .. } => *with_count,
        }
    }
}

/// What to populate: every populatable field (`*`), or named ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Populate {
    pub all: bool,
    pub fields: BTreeMap<String, PopulateField>,
}

impl Populate {
    pub fn is_empty(&self) -> bool {
        !self.all && self.fields.is_empty()
    }

    /// Names one field to populate with nothing nested.
    pub fn with(mut self, name: &str, field: PopulateField) -> Self {
        self.fields.insert(name.to_owned(), field);
        self
    }

    /// Every populatable field, one level.
    pub fn all() -> Self {
        Populate {
            all: true,
            fields: BTreeMap::new(),
        }
    }
}

/// How one populated field is read: its own fields, filters, sort and
/// nested population, and for dynamic zones, per component (`on`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PopulateField {
    pub fields: Option<Vec<String>>,
    pub filters: Option<Filter>,
    pub sort: Vec<Sort>,
    pub populate: Populate,
    pub on: BTreeMap<String, PopulateField>,
}
