//! Posted forms as name/value pairs, and errors kept beside their fields.
//!
//! Forms are read as pairs rather than fixed structs because the builder's
//! field form has different inputs per attribute kind, and checkboxes and
//! multi-selects send a name once per checked value.

use std::collections::BTreeMap;

use actix_web::web;

use crate::error::AdminError;

/// Largest accepted form body; the builder's largest form is a few KiB.
const FORM_LIMIT: usize = 64 * 1024;

pub fn config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(FORM_LIMIT)
        .error_handler(|error, _request| {
            AdminError::BadRequest(format!("the form could not be read: {error}")).into()
        })
}

/// The fields of a posted form, in the order they came.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The first value of `name`, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.raw(name).trim().to_owned()
    }

    /// The first value of `name` as sent.
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// Every non-empty value of `name` (checkbox groups, multi-selects).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, value)| key == name && !value.trim().is_empty())
            .map(|(_, value)| value.trim().to_owned())
            .collect()
    }

    /// Whether a checkbox was checked.
    pub fn flag(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|(key, value)| key == name && value != "false")
    }
}

/// An engine message as a sentence of its own: the engine's messages start
/// in lower case, as parts of longer errors; beside a field they stand alone.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Messages by form field name; `""` holds those that belong to no field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// The messages of one field, joined for display.
    pub fn get(&self, field: &str) -> Option<String> {
        self.0.get(field).map(|messages| messages.join(" "))
    }

    /// Messages that belong to no field.
    pub fn general(&self) -> Vec<String> {
        self.0.get("").cloned().unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
