//! `text`: paragraphs of plain text, in a `text` column.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::Schema;

use super::openapi::{Values, text};
use super::rules::TextRules;
use super::{Capabilities, FieldKind, KindDef, Unique, Widget, settings};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "text",
    aliases: &[],
    label: "Text (long)",
    hint: "Descriptions, plain paragraphs",
    settings: settings::TEXT,
    capabilities: Capabilities {
        unique: Unique::Never,
        slug_source: true,
        ..Capabilities::PLAIN
    },
    converts_from: LONG_TEXT_FROM,
    parse: |options| {
        Some(Arc::new(TextKind {
            rules: options.text_rules(),
        }))
    },
};

/// What long text (`text`, `richtext`) takes in place: any text, numbers
/// and dates as they read.
pub(super) const LONG_TEXT_FROM: &[&str] = &[
    "string",
    "email",
    "uid",
    "enumeration",
    "text",
    "richtext",
    "integer",
    "biginteger",
    "float",
    "decimal",
    "date",
    "time",
    "datetime",
];

#[derive(Debug)]
struct TextKind {
    rules: TextRules,
}

impl FieldKind for TextKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Text
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        self.rules.check(value, None)
    }

    fn json_schema(&self, values: Values) -> Schema {
        text(&self.rules, None, values).into()
    }

    fn example(&self, field: &str) -> Option<Value> {
        Some(json!(format!("{field} text")))
    }

    fn widget(&self) -> Widget {
        Widget::TextArea
    }
}
