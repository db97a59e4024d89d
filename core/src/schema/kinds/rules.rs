//! Rules several kinds share: lengths and patterns of text, bounds of numbers.

use regex::Regex;
use serde_json::Value;

use crate::schema::column::DEFAULT_STRING_LENGTH;

/// Length and pattern rules of text kinds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextRules {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub regex: Option<Pattern>,
}

/// A compiled `regex` option, compared by its source.
#[derive(Debug, Clone)]
pub struct Pattern(pub Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl TextRules {
    /// The width of a `varchar` that holds every value: at least Strapi's
    /// 255 characters, wider when `maxLength` asks for more.
    pub fn column_width(&self) -> u64 {
        self.max_length.unwrap_or(0).max(DEFAULT_STRING_LENGTH)
    }

    /// A text value checked against the rules. `column_limit` is the width
    /// of the column when `maxLength` does not set one.
    pub fn check(&self, value: &Value, column_limit: Option<u64>) -> Result<Value, String> {
        let s = value.as_str().ok_or("must be a string")?;
        let length = s.chars().count() as u64;
        if let Some(min) = self.min_length
            && length < min
        {
            return Err(format!("must be at least {min} characters"));
        }
        if let Some(max) = self.max_length.or(column_limit)
            && length > max
        {
            return Err(format!("must be at most {max} characters"));
        }
        if let Some(pattern) = &self.regex
            && !pattern.0.is_match(s)
        {
            return Err(format!("must match the pattern {}", pattern.0.as_str()));
        }
        Ok(value.clone())
    }
}

/// Bounds of number kinds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberRules {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl NumberRules {
    pub fn check(&self, n: f64) -> Result<(), String> {
        if let Some(min) = self.min
            && n < min
        {
            return Err(format!("must be at least {min}"));
        }
        if let Some(max) = self.max
            && n > max
        {
            return Err(format!("must be at most {max}"));
        }
        Ok(())
    }
}
