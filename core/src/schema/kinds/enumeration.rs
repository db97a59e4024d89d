//! `enumeration`: one value of a fixed list, in a `varchar` as wide as the
//! longest.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use utoipa::openapi::schema::Schema;

use super::openapi::{Values, string};
use super::settings::{Input, Setting};
use super::{Capabilities, FieldKind, KindDef, Options, Widget};
use crate::schema::column::{ColumnType, DEFAULT_STRING_LENGTH};

pub static KIND: KindDef = KindDef {
    name: "enumeration",
    aliases: &[],
    label: "Enumeration",
    hint: "One value from a list",
    settings: &[Setting {
        key: "enum",
        field: "values",
        label: "Values",
        hint: "One value per line; entries hold exactly one of them.",
        input: Input::Lines,
    }],
    capabilities: Capabilities {
        slug_source: true,
        ..Capabilities::PLAIN
    },
    converts_from: &["string", "email", "uid", "enumeration"],
    parse,
};

fn parse(options: &mut Options<'_>) -> Option<Arc<dyn super::FieldKind>> {
    let values = options.string_list("enum");
    if values.is_empty() {
        options.fail("enum", "`enum` must list at least one value");
        return None;
    }
    let mut seen = BTreeSet::new();
    for value in &values {
        if value.is_empty() {
            options.fail("enum", "`enum` values cannot be empty");
        } else if !seen.insert(value) {
            options.fail("enum", format!("`enum` lists `{value}` more than once"));
        }
    }
    Some(Arc::new(EnumerationKind { values }))
}

#[derive(Debug)]
struct EnumerationKind {
    values: Vec<String>,
}

impl FieldKind for EnumerationKind {
    fn def(&self) -> &'static KindDef {
        &KIND
    }

    fn column(&self) -> ColumnType {
        let longest = self.values.iter().map(|v| v.len() as u64).max();
        ColumnType::Varchar(longest.unwrap_or(0).max(DEFAULT_STRING_LENGTH))
    }

    fn normalize(&self, value: &Value) -> Result<Value, String> {
        match value {
            Value::String(s) if self.values.contains(s) => Ok(value.clone()),
            _ => Err(format!("must be one of: {}", self.values.join(", "))),
        }
    }

    fn json_schema(&self, _: Values) -> Schema {
        string().enum_values(Some(self.values.clone())).into()
    }

    fn example(&self, _field: &str) -> Option<Value> {
        self.values.first().map(|v| json!(v))
    }

    fn widget(&self) -> Widget {
        Widget::Select(self.values.clone())
    }
}
