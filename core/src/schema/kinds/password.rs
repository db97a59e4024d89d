//! `password`: kept as an argon2id hash, never returned, selected, filtered
//! or sorted on. The rules apply to the password as typed.

use std::sync::Arc;

use serde_json::Value;
use utoipa::openapi::schema::{KnownFormat, Schema, SchemaFormat};

use super::openapi::{Values, text};
use super::rules::TextRules;
use super::settings::{MAX_LENGTH, MIN_LENGTH};
use super::{Capabilities, FieldKind, KindDef, Unique, Widget};
use crate::schema::column::{ColumnType, DEFAULT_STRING_LENGTH};

pub static KIND: KindDef = KindDef {
    name: "password",
    aliases: &[],
    label: "Password",
    hint: "Stored as an argon2id hash, never returned",
    settings: &[MIN_LENGTH, MAX_LENGTH],
    capabilities: Capabilities {
        unique: Unique::Never,
        default: false,
        secret: true,
        ..Capabilities::PLAIN
    },
    converts_from: &["password"],
    parse: |options| {
        Some(Arc::new(PasswordKind {
            rules: options.text_rules(),
        }))
    },
};

#[derive(Debug)]
struct PasswordKind {
    rules: TextRules,
}

impl FieldKind for PasswordKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    /// Argon2id hashes are short and of fixed length.
    fn column(&self) -> ColumnType {
        ColumnType::Varchar(DEFAULT_STRING_LENGTH)
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        self.rules.check(value, Some(DEFAULT_STRING_LENGTH))
    }

    fn json_schema(&self, values: Values) -> Schema {
        text(&self.rules, Some(DEFAULT_STRING_LENGTH), values)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        None
    }

    fn widget(&self) -> Widget {
        Widget::Password
    }
}
