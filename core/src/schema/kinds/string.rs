//! `string`: a line of text, in a `varchar` as wide as `maxLength` asks.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::Schema;

use super::openapi::{Values, text};
use super::rules::TextRules;
use super::{Capabilities, FieldKind, KindDef, Widget, settings};
use crate::schema::column::{ColumnType, DEFAULT_STRING_LENGTH};

pub static KIND: KindDef = KindDef {
    name: "string",
    aliases: &[],
    label: "Text (short)",
    hint: "Titles, names, labels",
    settings: settings::TEXT,
    capabilities: Capabilities {
        slug_source: true,
        ..Capabilities::PLAIN
    },
    converts_from: &[
        "string",
        "email",
        "uid",
        "enumeration",
        "integer",
        "biginteger",
        "float",
        "decimal",
        "date",
        "time",
        "datetime",
    ],
    parse: |options| {
        Some(Arc::new(StringKind {
            rules: options.text_rules(),
        }))
    },
};

#[derive(Debug)]
struct StringKind {
    rules: TextRules,
}

impl FieldKind for StringKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Varchar(self.rules.column_width())
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        self.rules.check(value, Some(DEFAULT_STRING_LENGTH))
    }

    fn json_schema(&self, values: Values) -> Schema {
        text(&self.rules, Some(DEFAULT_STRING_LENGTH), values).into()
    }

    fn example(&self, field: &str) -> Option<Value> {
        Some(json!(format!("{field} text")))
    }

    fn widget(&self) -> Widget {
        Widget::Text
    }
}
