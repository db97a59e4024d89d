//! `integer`: a 32-bit whole number.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{KnownFormat, Schema, SchemaFormat, Type};

use super::openapi::{Values, number};
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

    fn json_schema(&self, values: Values) -> Schema {
        // A 32-bit column: the rules narrow its range, never widen it.
        let bounded = NumberRules {
            min: Some(
                self.rules
                    .min
                    .map_or(f64::from(i32::MIN), |min| min.max(f64::from(i32::MIN))),
            ),
            max: Some(
                self.rules
                    .max
                    .map_or(f64::from(i32::MAX), |max| max.min(f64::from(i32::MAX))),
            ),
        };
        number(Type::Integer, &bounded, values)
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
