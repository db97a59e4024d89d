//! Pieces of the kinds' OpenAPI schemas. A kind describes its values two
//! ways: as reads return them (stored values may predate a rule, so only
//! their form), and as writes must give them (every rule the kind checks).

use utoipa::openapi::schema::{ObjectBuilder, Type};

use super::rules::{NumberRules, TextRules};

/// Which values an OpenAPI schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// Values as reads return them.
    Returned,
    /// Values a write must give.
    Accepted,
}

/// A string schema, to add a format or constraints to.
pub fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// Text held to `rules` when written; `column_limit` is the length a
/// column allows when `maxLength` sets none.
pub fn text(rules: &TextRules, column_limit: Option<u64>, values: Values) -> ObjectBuilder {
    let schema = string();
    if values == Values::Returned {
        return schema;
    }
    let length = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    schema
        .min_length(rules.min_length.map(length))
        .max_length(rules.max_length.or(column_limit).map(length))
        .pattern(rules.regex.as_ref().map(|regex| regex.0.as_str()))
}

/// A number of `kind` held to `rules` when written.
pub fn number(kind: Type, rules: &NumberRules, values: Values) -> ObjectBuilder {
    let schema = ObjectBuilder::new().schema_type(kind);
    if values == Values::Returned {
        return schema;
    }
    schema.minimum(rules.min).maximum(rules.max)
}
