//! `integer`: a 32-bit whole number.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

use super::rules::NumberRules;
use super::{Capabilities, FieldKind, KindDef, Widget, settings};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "integer",
    aliases: &[],
    label: "Integer",
    hint: "Whole numbers",
    settings: settings::NUMBER,
    capabilities: Capabilities::PLAIN,
    converts_from: &["integer"],
    parse: |options| {
        Some(Arc::new(IntegerKind {
            rules: options.number_rules(),
        }))
    },
};

#[derive(Debug)]
struct IntegerKind {
    rules: NumberRules,
}

impl FieldKind for IntegerKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Integer
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let n = value
            .as_i64()
            .filter(|n| i32::try_from(*n).is_ok())
            .ok_or_else(|| format!("must be an integer between {} and {}", i32::MIN, i32::MAX))?;
        self.rules.check(n as f64)?;
        Ok(Value::from(n))
    }

    fn json_schema(&self) -> Schema {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!(42))
    }

    fn widget(&self) -> Widget {
        Widget::Integer
    }
}
