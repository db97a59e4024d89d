//! How an editor types a value of a kind: the admin draws one control per
//! widget, and reads what was typed back into JSON here.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widget {
    /// One line of text.
    Text,
    /// Paragraphs of plain text.
    TextArea,
    /// Markdown.
    Markdown,
    /// Strapi's blocks, as JSON.
    Blocks,
    Email,
    /// Typed, never shown back.
    Password,
    /// A slug.
    Uid,
    /// A whole number.
    Integer,
    /// A number with decimals.
    Decimal,
    /// Yes or no.
    Toggle,
    Date,
    Time,
    DateTime,
    /// One of these values.
    Select(Vec<String>),
    /// Any JSON.
    Json,
}

impl Widget {
    /// The value an editor typed, as the JSON the kind checks. Text is kept
    /// as typed; numbers, flags and JSON are read from their text.
    pub fn read(&self, text: &str) -> Result<Value, String> {
        let trimmed = text.trim();
        match self {
            Widget::Toggle => match trimmed {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err("Choose true or false.".into()),
            },
            Widget::Integer => trimmed
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| "Enter a whole number.".into()),
            Widget::Decimal => trimmed
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| "Enter a number.".into()),
            Widget::Json | Widget::Blocks => {
                serde_json::from_str(trimmed).map_err(|e| format!("Not JSON: {e}"))
            }
            Widget::Text
            | Widget::TextArea
            | Widget::Markdown
            | Widget::Email
            | Widget::Password
            | Widget::Uid
            | Widget::Date
            | Widget::Time
            | Widget::DateTime
            | Widget::Select(_) => Ok(Value::String(text.to_owned())),
        }
    }
}
