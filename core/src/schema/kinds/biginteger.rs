//! `biginteger`: a 64-bit whole number, returned as a string (JavaScript
//! numbers lose precision past 2^53), as Strapi returns it.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::Schema;

use super::openapi::{Values, string};
use super::rules::NumberRules;
use super::{Capabilities, FieldKind, KindDef, Widget, settings};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "biginteger",
    aliases: &[],
    label: "Big integer",
    hint: "Whole numbers beyond 2^31",
    settings: settings::NUMBER,
    capabilities: Capabilities::PLAIN,
    converts_from: &["integer", "biginteger"],
    parse: |options| {
        Some(Arc::new(BigIntegerKind {
            rules: options.number_rules(),
        }))
    },
};

#[derive(Debug)]
struct BigIntegerKind {
    rules: NumberRules,
}

impl FieldKind for BigIntegerKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::BigInteger
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let n = match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        }
        .ok_or("must be a whole number (a number or a string of digits)")?;
        self.rules.check(n as f64)?;
        Ok(Value::String(n.to_string()))
    }

    fn json_schema(&self, _: Values) -> Schema {
        string()
            .pattern(Some("^-?[0-9]+$"))
            .description(Some("A 64-bit integer, as a string"))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!("9007199254740993"))
    }

    fn widget(&self) -> Widget {
        Widget::Integer
    }
}
