//! Storage keys that cannot escape the store.

use crate::error::{MediaError, Result};

/// A relative, `/`-separated key whose segments are made of ASCII letters,
/// digits, `-`, `_` and `.`, never start with a dot (so no `..`, no hidden
/// files) and are never empty (so no absolute keys). It maps to the same
/// path in a folder and the same name in a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(String);

/// S3's limit on key length.
const MAX_LENGTH: usize = 1024;
const MAX_SEGMENT: usize = 255;

impl Key {
    pub fn new(key: impl Into<String>) -> Result<Key> {
        let key = key.into();
        let refuse = |reason| {
            Err(MediaError::InvalidKey {
                key: key.clone(),
                reason,
            })
        };
        if key.is_empty() || key.len() > MAX_LENGTH {
            return refuse("it must have 1 to 1024 characters");
        }
        for segment in key.split('/') {
            if segment.is_empty() {
                return refuse("it has an empty segment");
            }
            if segment.len() > MAX_SEGMENT {
                return refuse("a segment is longer than 255 characters");
            }
            if segment.starts_with('.') {
                return refuse("a segment starts with a dot");
            }
            if !segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            {
                return refuse("only letters, digits, '-', '_' and '.' are allowed");
            }
        }
        Ok(Key(key))
    }

    /// `self/name`.
    pub fn join(&self, name: &str) -> Result<Key> {
        Key::new(format!("{}/{name}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_escape_the_store() {
        for bad in [
            "",
            "/etc/passwd",
            "../secret",
            "a/../../b",
            "a//b",
            "a/",
            ".hidden",
            "a\\b",
            "a b",
            "caf\u{e9}.jpg",
            "a/./b",
            "x%2e%2e",
        ] {
            assert!(Key::new(bad).is_err(), "{bad:?} was accepted");
        }
        for good in [
            "photo_1a2b3c.jpg",
            "photo_1a2b3c/w800-cover-q80.webp",
            "a-b_c.d",
        ] {
            assert_eq!(
                Key::new(good).map(|k| k.to_string()).ok().as_deref(),
                Some(good)
            );
        }
    }
}
