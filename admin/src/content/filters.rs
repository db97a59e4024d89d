//! Filters built from the schema: which fields a list can be filtered on,
//! the control each gets, and the conditions a filled-in control adds.

use cairn_core::query::Operator;
use cairn_core::schema::attribute::Kind;
use cairn_core::schema::kinds::Widget;
use cairn_core::schema::registry::{ContentType, Schema};

use super::list_state::Condition;
use crate::form::FormData;

/// How a field is filtered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// An operator on text and a value.
    Text,
    /// From and to, with the HTML input type of the bounds.
    Range(&'static str),
    /// Yes or no.
    Flag,
    /// One of these values.
    Choice(Vec<String>),
    /// Text in the main field of related entries (`path` goes through it).
    Related { main_field: String },
}

/// The operators offered on text, with their labels.
pub const TEXT_OPERATORS: [(Operator, &str); 7] = [
    (Operator::Containsi, "contains"),
    (Operator::Eq, "is"),
    (Operator::Ne, "is not"),
    (Operator::StartsWithi, "starts with"),
    (Operator::EndsWithi, "ends with"),
    (Operator::Null, "is empty"),
    (Operator::NotNull, "is set"),
];

/// A field a list can be filtered on.
pub struct FilterField {
    pub name: String,
    pub control: Control,
}

/// Every field of `content_type` a list can be filtered on, in schema
/// order, then the system timestamps.
pub fn fields(schema: &Schema, content_type: &ContentType) -> Vec<FilterField> {
    let mut fields: Vec<FilterField> = content_type
        .fields
        .iter()
        .filter_map(|field| {
            let control = match &field.attribute.kind {
                Kind::Scalar(scalar) if scalar.capabilities().comparable => match scalar.widget() {
                    Widget::Toggle => Control::Flag,
                    Widget::Select(values) => Control::Choice(values),
                    Widget::Integer | Widget::Decimal => Control::Range("number"),
                    Widget::Date => Control::Range("date"),
                    Widget::Time => Control::Range("time"),
                    Widget::DateTime => Control::Range("datetime-local"),
                    _ => Control::Text,
                },
                Kind::Relation(relation) => Control::Related {
                    main_field: schema
                        .content_type(&relation.target)?
                        .main_field()?
                        .name()
                        .to_owned(),
                },
                _ => return None,
            };
            Some(FilterField {
                name: field.name().to_owned(),
                control,
            })
        })
        .collect();
    for name in ["createdAt", "updatedAt"] {
        fields.push(FilterField {
            name: name.to_owned(),
            control: Control::Range("datetime-local"),
        });
    }
    fields
}

/// The conditions a submitted filter form adds for `field`: the form's
/// `operator`, `value`, `from` and `to`. `Err` says what is missing.
pub fn conditions(field: &FilterField, form: &FormData) -> Result<Vec<Condition>, String> {
    let condition = |path: String, operator: Operator, value: String| Condition {
        path,
        operator,
        value,
    };
    let value = form.text("value");
    match &field.control {
        Control::Text | Control::Related { .. } => {
            let operator = match &field.control {
                Control::Related { .. } => Operator::Containsi,
                _ => Operator::parse(form.raw("operator")).unwrap_or(Operator::Containsi),
            };
            let path = match &field.control {
                Control::Related { main_field } => format!("{}.{main_field}", field.name),
                _ => field.name.clone(),
            };
            if matches!(operator, Operator::Null | Operator::NotNull) {
                return Ok(vec![condition(path, operator, String::new())]);
            }
            if value.is_empty() {
                return Err("Type the text to filter by.".to_owned());
            }
            Ok(vec![condition(path, operator, value)])
        }
        Control::Flag | Control::Choice(_) => {
            if value.is_empty() {
                return Err("Choose a value to filter by.".to_owned());
            }
            Ok(vec![condition(field.name.clone(), Operator::Eq, value)])
        }
        Control::Range(_) => {
            let bounds = [
                (Operator::Gte, form.text("from")),
                (Operator::Lte, form.text("to")),
            ];
            let found: Vec<Condition> = bounds
                .into_iter()
                .filter(|(_, bound)| !bound.is_empty())
                .map(|(operator, bound)| condition(field.name.clone(), operator, bound))
                .collect();
            if found.is_empty() {
                Err("Give a lower bound, an upper bound or both.".to_owned())
            } else {
                Ok(found)
            }
        }
    }
}
