//! `json`: any JSON value.

use std::sync::Arc;

use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType};

use super::openapi::Values;
use super::{Capabilities, FieldKind, KindDef, Unique, Widget};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "json",
    aliases: &[],
    label: "JSON",
    hint: "Any JSON value",
    settings: &[],
    capabilities: Capabilities {
        unique: Unique::Never,
        comparable: false,
        ..Capabilities::PLAIN
    },
    converts_from: &["json", "blocks"],
    parse: |_| Some(Arc::new(JsonKind)),
};

#[derive(Debug)]
struct JsonKind;

impl FieldKind for JsonKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Json
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        Ok(value.clone())
    }

    fn json_schema(&self, _: Values) -> Schema {
        ObjectBuilder::new()
            .schema_type(SchemaType::AnyValue)
            .description(Some("Any JSON value"))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        None
    }

    fn widget(&self) -> Widget {
        Widget::Json
    }
}
