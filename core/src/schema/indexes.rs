//! Indexes a content type declares (`"indexes": [{ "fields": [...] }]`), so
//! that a site's common filters and sorts read an index instead of the table.
//!
//! Every declared index starts with the state and locale columns, which every
//! read of the content API filters on by equality, and ends with the row id,
//! which breaks ties in every sort: `{ "fields": ["publishedAt", "id",
//! "views"] }` serves "newest published first, filtered on views" from the
//! index, passing over rows that fail the filter without reading the table.

use serde_json::Value;

use super::column::ColumnType;
use super::registry::Field;
use super::system::{ID, PUBLISHED_AT, system_field};
use crate::error::{Path, ValidationErrors};

/// Fields an index may hold beyond the prefix Cairn adds.
const MAX_FIELDS: usize = 6;

/// A declared index, resolved to columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredIndex {
    /// The fields as declared (API names).
    pub fields: Vec<String>,
    /// Their columns, in the same order.
    pub columns: Vec<String>,
}

impl DeclaredIndex {
    /// What the index's name is made of: `ix_<table>_<name>`.
    pub fn name(&self) -> String {
        format!("by_{}", self.columns.join("_"))
    }
}

/// Parses the `indexes` of a type whose fields are `fields`; problems are
/// reported under `origin › indexes › <n>`.
pub fn parse(
    raw: &[Value],
    fields: &[Field],
    origin: &Path,
    errors: &mut ValidationErrors,
) -> Vec<DeclaredIndex> {
    let mut declared: Vec<DeclaredIndex> = Vec::new();
    for (n, value) in raw.iter().enumerate() {
        let path = origin.child("indexes").child(n.to_string());
        match parse_one(value, fields, &path, errors) {
            Some(index) if declared.iter().any(|d| d.columns == index.columns) => errors.push(
                path,
                format!(
                    "an index on ({}) is declared twice",
                    index.fields.join(", ")
                ),
            ),
            // Names join the columns with underscores: (a_b, c) and (a, b_c) would clash.
            Some(index) if declared.iter().any(|d| d.name() == index.name()) => errors.push(
                path,
                format!(
                    "an index on ({}) would take the name of another one; list its fields otherwise",
                    index.fields.join(", ")
                ),
            ),
            Some(index) if is_kept(&index.columns) => errors.push(
                path,
                format!(
                    "Cairn always keeps an index on ({}): declare another",
                    index.fields.join(", ")
                ),
            ),
            Some(index) => declared.push(index),
            None => {}
        }
    }
    declared
}

fn parse_one(
    value: &Value,
    fields: &[Field],
    path: &Path,
    errors: &mut ValidationErrors,
) -> Option<DeclaredIndex> {
    let Some(object) = value.as_object() else {
        errors.push(
            path.clone(),
            "an index is an object such as { \"fields\": [\"publishedAt\", \"views\"] }",
        );
        return None;
    };
    let mut valid = true;
    for key in object.keys().filter(|k| *k != "fields") {
        let message = if key == "unique" {
            "declared indexes cannot be unique; mark an attribute `unique` instead".to_owned()
        } else {
            format!("unknown key `{key}`: an index lists its `fields`")
        };
        errors.push(path.child(key), message);
        valid = false;
    }
    let names = match object.get("fields").and_then(Value::as_array) {
        Some(names) if !names.is_empty() && names.len() <= MAX_FIELDS => names,
        Some(_) => {
            errors.push(
                path.child("fields"),
                format!("an index lists 1 to {MAX_FIELDS} fields"),
            );
            return None;
        }
        None => {
            errors.push(path.child("fields"), "an index needs a list of `fields`");
            return None;
        }
    };
    let mut index = DeclaredIndex {
        fields: Vec::with_capacity(names.len()),
        columns: Vec::with_capacity(names.len()),
    };
    for (n, name) in names.iter().enumerate() {
        let at = path.child("fields").child(n.to_string());
        let Some(name) = name.as_str() else {
            errors.push(at, "a field name is a string");
            valid = false;
            continue;
        };
        match column_of(name, fields) {
            Ok(column) if index.columns.contains(&column) => {
                errors.push(at, format!("`{name}` is listed twice"));
                valid = false;
            }
            Ok(column) => {
                index.fields.push(name.to_owned());
                index.columns.push(column);
            }
            Err(message) => {
                errors.push(at, message);
                valid = false;
            }
        }
    }
    valid.then_some(index)
}

/// Whether every table already has this index: the orders by id and by
/// publication date (see `ddl::tables::indexes`).
fn is_kept(columns: &[String]) -> bool {
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    matches!(
        columns.as_slice(),
        [ID] | [PUBLISHED_AT] | [PUBLISHED_AT, ID]
    )
}

/// The column of a field an index can hold: a system field other than the
/// locale, or an attribute stored in a column of bounded width.
fn column_of(name: &str, fields: &[Field]) -> Result<String, String> {
    if let Some((column, _)) = system_field(name).filter(|_| name != "locale") {
        return Ok(column.to_owned());
    }
    let Some(field) = fields.iter().find(|f| f.name() == name) else {
        return Err(format!("`{name}` is not a field of this type"));
    };
    if field.attribute.is_hidden() {
        return Err(format!("`{name}` is private: nothing reads it by value"));
    }
    match field.column_type() {
        Some(ColumnType::Text | ColumnType::Json) => Err(format!(
            "`{name}` is a {} field: its values are too long to index",
            field.attribute.kind.type_name()
        )),
        Some(_) => Ok(field.column.clone()),
        None => Err(format!(
            "`{name}` is a {} field: its values live in another table",
            field.attribute.kind.type_name()
        )),
    }
}
