//! `datetime`: a moment, stored in UTC with millisecond precision and
//! returned as `YYYY-MM-DDTHH:mm:ss.SSSZ`. Strapi also calls it `timestamp`.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{KnownFormat, Schema, SchemaFormat};

use super::openapi::{Values, string};
use super::{Capabilities, FieldKind, KindDef, Widget};
use crate::schema::column::ColumnType;
use crate::time::{format_datetime, parse_datetime};

pub static KIND: KindDef = KindDef {
    name: "datetime",
    aliases: &["timestamp"],
    label: "Date and time",
    hint: "A moment, stored in UTC",
    settings: &[],
    capabilities: Capabilities::PLAIN,
    converts_from: &["date", "datetime"],
    parse: |_| Some(Arc::new(DateTimeKind)),
};

#[derive(Debug)]
struct DateTimeKind;

impl FieldKind for DateTimeKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::TimestampTz
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let datetime = value
            .as_str()
            .and_then(parse_datetime)
            .ok_or("must be an ISO 8601 date-time")?;
        Ok(Value::String(format_datetime(datetime)))
    }

    fn json_schema(&self, _: Values) -> Schema {
        string()
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!("2026-01-31T09:30:00.000Z"))
    }

    fn widget(&self) -> Widget {
        Widget::DateTime
    }
}
