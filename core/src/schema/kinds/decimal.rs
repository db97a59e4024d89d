//! `decimal`: an exact decimal (prices), stored with a fixed precision and
//! scale, returned as a number.

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use utoipa::openapi::schema::{Schema, Type};

use super::openapi::{Values, number};
use super::rules::NumberRules;
use super::{Capabilities, FieldKind, KindDef, Widget, settings};
use crate::schema::column::{ColumnType, DECIMAL_PRECISION, DECIMAL_SCALE};

pub static KIND: KindDef = KindDef {
    name: "decimal",
    aliases: &[],
    label: "Decimal",
    hint: "Exact decimals such as prices",
    settings: settings::NUMBER,
    capabilities: Capabilities::PLAIN,
    converts_from: &["integer", "decimal"],
    parse: |options| {
        Some(Arc::new(DecimalKind {
            rules: options.number_rules(),
        }))
    },
};

#[derive(Debug)]
struct DecimalKind {
    rules: NumberRules,
}

impl FieldKind for DecimalKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Decimal
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let decimal = match value {
            Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
            Value::String(s) => Decimal::from_str(s.trim()).ok(),
            _ => None,
        }
        .ok_or("must be a decimal number")?;
        if decimal.scale() > DECIMAL_SCALE {
            return Err(format!("must have at most {DECIMAL_SCALE} decimal places"));
        }
        let integral_digits = DECIMAL_PRECISION - DECIMAL_SCALE;
        if decimal.abs() >= Decimal::from(10_i64.pow(integral_digits)) {
            return Err(format!(
                "must have at most {integral_digits} digits before the decimal point"
            ));
        }
        let n = decimal.to_f64().ok_or("must be a decimal number")?;
        self.rules.check(n)?;
        Ok(Value::from(n))
    }

    fn json_schema(&self, values: Values) -> Schema {
        let integral_digits = DECIMAL_PRECISION - DECIMAL_SCALE;
        let decimal = number(Type::Number, &self.rules, values).description(Some(format!(
            "At most {integral_digits} digits before the point and {DECIMAL_SCALE} after it"
        )));
        if values == Values::Returned {
            return decimal.into();
        }
        let integral = 10_f64.powf(f64::from(integral_digits));
        decimal
            .exclusive_minimum(Some(-integral))
            .exclusive_maximum(Some(integral))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!(42))
    }

    fn widget(&self) -> Widget {
        Widget::Decimal
    }
}
