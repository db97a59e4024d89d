//! `date`: a calendar date, `YYYY-MM-DD`.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{KnownFormat, Schema, SchemaFormat};

use super::openapi::{Values, string};
use super::{Capabilities, FieldKind, KindDef, Widget};
use crate::schema::column::ColumnType;
use crate::time::parse_date;

pub static KIND: KindDef = KindDef {
    name: "date",
    aliases: &[],
    label: "Date",
    hint: "A calendar date",
    settings: &[],
    capabilities: Capabilities::PLAIN,
    converts_from: &["date"],
    parse: |_| Some(Arc::new(DateKind)),
};

#[derive(Debug)]
struct DateKind;

impl FieldKind for DateKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Date
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let date = value
            .as_str()
            .and_then(parse_date)
            .ok_or("must be a date (YYYY-MM-DD)")?;
        Ok(Value::String(date.format("%Y-%m-%d").to_string()))
    }

    fn json_schema(&self, _: Values) -> Schema {
        string()
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!("2026-01-31"))
    }

    fn widget(&self) -> Widget {
        Widget::Date
    }
}
