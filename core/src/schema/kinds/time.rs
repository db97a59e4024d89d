//! `time`: a time of day, `HH:mm:ss.SSS`.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::Schema;

use super::openapi::{Values, string};
use super::{Capabilities, FieldKind, KindDef, Widget};
use crate::schema::column::ColumnType;
use crate::time::{format_time, parse_time};

pub static KIND: KindDef = KindDef {
    name: "time",
    aliases: &[],
    label: "Time",
    hint: "A time of day",
    settings: &[],
    capabilities: Capabilities::PLAIN,
    converts_from: &["time"],
    parse: |_| Some(Arc::new(TimeKind)),
};

#[derive(Debug)]
struct TimeKind;

impl FieldKind for TimeKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Time
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let time = value
            .as_str()
            .and_then(parse_time)
            .ok_or("must be a time (HH:mm:ss.SSS)")?;
        Ok(Value::String(format_time(time)))
    }

    fn json_schema(&self, values: Values) -> Schema {
        let time = string().examples([json!("09:30:00.000")]);
        match values {
            Values::Returned => time.pattern(Some("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}$")),
            Values::Accepted => time.pattern(Some(
                "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?$",
            )),
        }
        .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!("09:30:00.000"))
    }

    fn widget(&self) -> Widget {
        Widget::Time
    }
}
