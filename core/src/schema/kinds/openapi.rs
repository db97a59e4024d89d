//! Pieces of the kinds' OpenAPI schemas.

use utoipa::openapi::schema::{ObjectBuilder, Type};

/// A string schema, to add a format or constraints to.
pub fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}
