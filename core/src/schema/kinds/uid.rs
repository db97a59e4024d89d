//! `uid`: a unique, URL-safe identifier, generated as a slug of
//! `targetField` when left empty.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{AllOfBuilder, Schema};

use super::openapi::{Values, string, text};
use super::rules::TextRules;
use super::settings::{Input, MAX_LENGTH, MIN_LENGTH, REGEX, Setting};
use super::{Capabilities, FieldKind, KindDef, Unique, Widget};
use crate::schema::column::{ColumnType, DEFAULT_STRING_LENGTH};

pub static KIND: KindDef = KindDef {
    name: "uid",
    aliases: &[],
    label: "UID",
    hint: "A unique slug, generated from another field",
    settings: &[TARGET_FIELD, MIN_LENGTH, MAX_LENGTH, REGEX],
    capabilities: Capabilities {
        unique: Unique::Always,
        default: false,
        slug_source: true,
        ..Capabilities::PLAIN
    },
    converts_from: &["string", "email", "uid", "enumeration"],
    parse: |options| {
        Some(Arc::new(UidKind {
            target_field: options.string("targetField"),
            rules: options.text_rules(),
        }))
    },
};

const TARGET_FIELD: Setting = Setting {
    key: "targetField",
    field: "target_field",
    label: "Generated from",
    hint: "Left empty on an entry, the UID is made from this field as a slug.",
    input: Input::TextField,
};

#[derive(Debug)]
struct UidKind {
    target_field: Option<String>,
    rules: TextRules,
}

/// Strapi's uid alphabet: URL-safe without escaping.
fn is_uid(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
}

impl FieldKind for UidKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Varchar(self.rules.column_width())
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let value = self.rules.check(value, Some(DEFAULT_STRING_LENGTH))?;
        match value.as_str() {
            Some(uid) if is_uid(uid) => Ok(value),
            _ => Err("must contain only letters, digits and the characters - _ . ~".into()),
        }
    }

    fn json_schema(&self, values: Values) -> Schema {
        let uid = text(&self.rules, Some(DEFAULT_STRING_LENGTH), values)
            .description(Some("Letters, digits and - _ . ~"));
        let alphabet = "^[A-Za-z0-9._~-]*$";
        match (values, self.rules.regex.is_some()) {
            (Values::Returned, _) => uid.into(),
            (Values::Accepted, false) => uid.pattern(Some(alphabet)).into(),
            // Both patterns hold, and one schema has room for one.
            (Values::Accepted, true) => AllOfBuilder::new()
                .item(uid)
                .item(string().pattern(Some(alphabet)))
                .into(),
        }
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!("an-example-slug"))
    }

    fn widget(&self) -> Widget {
        Widget::Uid
    }

    fn source_field(&self) -> Option<&str> {
        self.target_field.as_deref()
    }
}
