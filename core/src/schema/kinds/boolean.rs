//! `boolean`: yes or no.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use super::openapi::Values;
use super::{Capabilities, FieldKind, KindDef, Unique, Widget};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "boolean",
    aliases: &[],
    label: "Boolean",
    hint: "Yes or no",
    settings: &[],
    capabilities: Capabilities {
        unique: Unique::Never,
        ..Capabilities::PLAIN
    },
    converts_from: &["boolean"],
    parse: |_| Some(Arc::new(BooleanKind)),
};

#[derive(Debug)]
struct BooleanKind;

impl FieldKind for BooleanKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Boolean
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err("must be true or false".into()),
        }
    }

    fn json_schema(&self, _: Values) -> Schema {
        ObjectBuilder::new().schema_type(Type::Boolean).into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!(true))
    }

    fn widget(&self) -> Widget {
        Widget::Toggle
    }
}
