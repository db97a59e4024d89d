//! `richtext`: Markdown, in a `text` column.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::Schema;

use super::openapi::{Values, text};
use super::rules::TextRules;
use super::text::LONG_TEXT_FROM;
use super::{Capabilities, FieldKind, KindDef, Unique, Widget, settings};
use crate::schema::column::ColumnType;

pub static KIND: KindDef = KindDef {
    name: "richtext",
    aliases: &[],
    label: "Rich text (Markdown)",
    hint: "Formatted text written as Markdown",
    settings: settings::TEXT,
    capabilities: Capabilities {
        unique: Unique::Never,
        ..Capabilities::PLAIN
    },
    converts_from: LONG_TEXT_FROM,
    parse: |options| {
        Some(Arc::new(RichTextKind {
            rules: options.text_rules(),
        }))
    },
};

#[derive(Debug)]
struct RichTextKind {
    rules: TextRules,
}

impl FieldKind for RichTextKind {
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
        Widget::Markdown
    }
}
