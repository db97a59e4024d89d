//! The content manager's logic apart from its handlers: a list view's
//! state and what it shows, and an entry's form.

pub mod blocks;
pub mod columns;
pub mod entry_form;
pub mod filters;
pub mod list_state;
pub mod markdown;

use serde_json::Value;

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
