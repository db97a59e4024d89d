//! An attribute's options as a kind reads them: typed, every problem kept
//! under the option it is about, and what was read remembered.

use regex::RegexBuilder;
use serde_json::{Map, Value};

use super::rules::{NumberRules, Pattern, TextRules};
use crate::error::ValidationErrors;

/// Largest compiled size of a `regex` option, so a schema cannot make every
/// save expensive.
const REGEX_SIZE_LIMIT: usize = 256 * 1024;

/// The options of one attribute (its JSON object in the schema file).
pub struct Options<'a> {
    object: &'a Map<String, Value>,
    errors: ValidationErrors,
    declared: Map<String, Value>,
}

impl<'a> Options<'a> {
    pub fn new(object: &'a Map<String, Value>) -> Self {
        Options {
            object,
            errors: ValidationErrors::default(),
            declared: Map::new(),
        }
    }

    /// A problem with option `key`.
    pub fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.errors.push(key, message);
    }

    /// Every problem found, each under the option it is about.
    pub fn into_errors(self) -> ValidationErrors {
        self.errors
    }

    /// The options read so far, as declared.
    pub fn declared(&self) -> Map<String, Value> {
        self.declared.clone()
    }

    /// The value of `key`, remembered as read; absent when missing or null.
    fn get(&mut self, key: &str) -> Option<&'a Value> {
        let value = self.object.get(key).filter(|v| !v.is_null())?;
        self.declared.insert(key.to_owned(), value.clone());
        Some(value)
    }

    pub fn bool(&mut self, key: &str) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::Bool(value)) => *value,
            Some(_) => {
                self.fail(key, format!("`{key}` must be true or false"));
                false
            }
        }
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key) {
            None => None,
            Some(Value::String(value)) => Some(value.clone()),
            Some(_) => {
                self.fail(key, format!("`{key}` must be a string"));
                None
            }
        }
    }

    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let items = match self.get(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.fail(key, format!("`{key}` must be a list of strings"));
                return Vec::new();
            }
        };
        let strings: Vec<String> = items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect();
        if strings.len() != items.len() {
            self.fail(key, format!("`{key}` must be a list of strings"));
        }
        strings
    }

    /// A whole number of 0 or more.
    pub fn count(&mut self, key: &str) -> Option<u64> {
        match self.get(key) {
            None => None,
            Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
            Some(_) => {
                self.fail(key, format!("`{key}` must be a whole number of 0 or more"));
                None
            }
        }
    }

    pub fn number(&mut self, key: &str) -> Option<f64> {
        match self.get(key) {
            None => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(_) => {
                self.fail(key, format!("`{key}` must be a number"));
                None
            }
        }
    }

    pub fn object(&mut self, key: &str) -> Option<&'a Map<String, Value>> {
        match self.get(key) {
            None => None,
            Some(Value::Object(object)) => Some(object),
            Some(_) => {
                self.fail(key, format!("`{key}` must be an object"));
                None
            }
        }
    }

    /// A regular expression, compiled with a size limit.
    pub fn pattern(&mut self, key: &str) -> Option<Pattern> {
        let source = self.string(key)?;
        match RegexBuilder::new(&source)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(regex) => Some(Pattern(regex)),
            Err(error) => {
                self.fail(key, format!("`{key}` is invalid: {error}"));
                None
            }
        }
    }

    /// `minLength`, `maxLength` and `regex`.
    pub fn text_rules(&mut self) -> TextRules {
        let min_length = self.count("minLength");
        let max_length = self.count("maxLength");
        if let (Some(min), Some(max)) = (min_length, max_length)
            && min > max
        {
            self.fail(
                "minLength",
                format!("`minLength` ({min}) is greater than `maxLength` ({max})"),
            );
        }
        TextRules {
            min_length,
            max_length,
            regex: self.pattern("regex"),
        }
    }

    /// `min` and `max`.
    pub fn number_rules(&mut self) -> NumberRules {
        let min = self.number("min");
        let max = self.number("max");
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            self.fail(
                "min",
                format!("`min` ({min}) is greater than `max` ({max})"),
            );
        }
        NumberRules { min, max }
    }
}
