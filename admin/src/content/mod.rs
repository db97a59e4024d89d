//! The content manager's logic apart from its handlers: a list view's
//! state and what it shows, and an entry's form.

pub mod blocks;
pub mod columns;
pub mod entry_form;
pub mod filters;
pub mod list_state;
pub mod markdown;

use std::sync::Arc;

use cairn_core::entries::{Entries, Entry, ListOptions, ReadOptions, Status};
use cairn_core::error::Result;
use cairn_core::query::{Filter, Operand, Operator, Pagination, Readable};
use serde_json::Value;

/// How the content manager reads: drafts (what editors work on), private
/// fields included, every type readable through relations.
pub fn editor_read(locale: Option<String>) -> ReadOptions {
    ReadOptions {
        locale,
        status: Status::Draft,
        include_private: true,
        readable: Readable::All,
        ..ReadOptions::default()
    }
}

/// What names an entry in lists and pickers: its main field, or its
/// documentId when that is empty or the type has none.
pub fn title(entry: &Entry, main_field: Option<&str>) -> String {
    main_field
        .and_then(|name| entry.get(name))
        .filter(|v| !v.is_null())
        .or_else(|| entry.get("documentId"))
        .map_or_else(String::new, |v| display(Some(v)))
}

/// Up to `limit` drafts whose `field` satisfies `operator` with `operand`;
/// any drafts without a condition.
pub async fn drafts_where(
    entries: &Entries,
    condition: Option<(&str, Operator, Operand)>,
    limit: u64,
) -> Result<Vec<Entry>> {
    let filters = condition.map(|(field, operator, operand)| Filter::Condition {
        path: vec![field.to_owned()],
        operator,
        operand,
        at: Arc::new(field.into()),
    });
    entries
        .find_many(&ListOptions {
            read: editor_read(None),
            filters,
            sort: Vec::new(),
            pagination: Pagination::Offset {
                start: 0,
                limit,
                with_count: false,
            },
        })
        .await?
        .entries()
}

/// A stored value as a list cell or a picker's label shows it: short, one
/// line, `—` for nothing.
pub fn display(value: Option<&Value>) -> String {
    const LIMIT: usize = 80;
    let text = match value {
        None | Some(Value::Null) => return "—".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Bool(true)) => "Yes".to_owned(),
        Some(Value::Bool(false)) => "No".to_owned(),
        Some(other) => other.to_string(),
    };
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > LIMIT {
        let cut: String = line.chars().take(LIMIT - 1).collect();
        format!("{cut}…")
    } else {
        line
    }
}
