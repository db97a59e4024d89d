//! `blocks`: Strapi's structured rich text, a list of blocks kept as JSON.

use std::sync::Arc;

use serde_json::Value;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};

use super::openapi::{Values, string};
use super::{Capabilities, FieldKind, KindDef, Unique, Widget};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "blocks",
    aliases: &[],
    label: "Rich text (blocks)",
    hint: "Structured rich text as JSON blocks",
    settings: &[],
    capabilities: Capabilities {
        unique: Unique::Never,
        comparable: false,
        ..Capabilities::PLAIN
    },
    converts_from: &["blocks"],
    parse: |_| Some(Arc::new(BlocksKind)),
};

#[derive(Debug)]
struct BlocksKind;

impl FieldKind for BlocksKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Json
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        match value {
            Value::Array(blocks)
                if blocks
                    .iter()
                    .all(|b| b.get("type").is_some_and(Value::is_string)) =>
            {
                Ok(value.clone())
            }
            _ => Err("must be a list of blocks, each with a `type`".into()),
        }
    }

    fn json_schema(&self, _: Values) -> Schema {
        ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("type", string())
                    .required("type"),
            )
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        None
    }

    fn widget(&self) -> Widget {
        Widget::Blocks
    }
}
