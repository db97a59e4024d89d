//! `email`: an address of the form `local@domain.tld`, in a `varchar`.

use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::{KnownFormat, Schema, SchemaFormat};

use super::openapi::{Values, text};
use super::rules::TextRules;
use super::{Capabilities, FieldKind, KindDef, Widget, settings};
use crate::schema::column::{ColumnType, DEFAULT_STRING_LENGTH};

pub static KIND: KindDef = KindDef {
    name: "email",
    aliases: &[],
    label: "Email",
    hint: "An email address, checked on save",
    settings: settings::TEXT,
    capabilities: Capabilities {
        slug_source: true,
        ..Capabilities::PLAIN
    },
    converts_from: &["string", "email", "uid", "enumeration"],
    parse: |options| {
        Some(Arc::new(EmailKind {
            rules: options.text_rules(),
        }))
    },
};

#[derive(Debug)]
struct EmailKind {
    rules: TextRules,
}

/// `local@domain.tld`, without spaces: the shape, not deliverability.
fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
        }
        None => false,
    }
}

impl FieldKind for EmailKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        ColumnType::Varchar(self.rules.column_width())
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        let value = self.rules.check(value, Some(DEFAULT_STRING_LENGTH))?;
        match value.as_str() {
            Some(email) if is_email(email) => Ok(value),
            _ => Err("must be a valid email address".into()),
        }
    }

    fn json_schema(&self, values: Values) -> Schema {
        text(&self.rules, Some(DEFAULT_STRING_LENGTH), values)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
            .into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        Some(json!("someone@example.com"))
    }

    fn widget(&self) -> Widget {
        Widget::Email
    }
}
