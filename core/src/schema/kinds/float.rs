//! `float`: a double-precision number.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{Schema, Type};

use super::openapi::{Values, number};
use super::rules::NumberRules;
use super::{Capabilities, FieldKind, KindDef, Widget, settings};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "float",
    aliases: &[],
    label: "Float",
    hint: "Numbers with decimals",
    settings: settings::NUMBER,
    capabilities: Capabilities::PLAIN,
    converts_from: &["integer", "float"],
    parse: |options| {
        Some(Arc::new(FloatKind {
            rules: options.number_rules(),
        }))
    },
};

#[derive(Debug)]
struct FloatKind {
    rules: NumberRules,
}

impl FieldKind for FloatKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Double
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let n = value
            .as_f64()
            .filter(|n| n.is_finite())
            .ok_or("must be a number")?;
        self.rules.check(n)?;
        Ok(Value::from(n))
    }

    fn json_schema(&self, values: Values) -> Schema {
        number(Type::Number, &self.rules, values).into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!(42))
    }

    fn widget(&self) -> Widget {
        Widget::Decimal
    }
}
