//! Query strings in the bracket syntax the `qs` package writes, read into a
//! JSON tree of strings, lists and objects.
//!
//! ```text
//! query    = [ param *( "&" param ) ]
//! param    = key [ "=" value ]              ; both percent-decoded, "+" is a space
//! key      = name *( "[" [ segment ] "]" )  ; "a[b][0]", "a[]" appends
//! ```
//!
//! `filters[title][$eq]=Hi&sort[0]=title:asc` becomes
//! `{"filters": {"title": {"$eq": "Hi"}}, "sort": ["title:asc"]}`. Objects
//! whose keys are exactly `0..n` become lists, as in `qs`; a repeated plain
//! key (`a=1&a=2`) becomes a list too. Limits on the number of parameters,
//! the nesting depth and list indexes keep a hostile query string cheap.

use serde_json::{Map, Value};

/// Bounds on what a query string may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_params: usize,
    pub max_depth: usize,
    /// Largest list index accepted (`a[999]`), so that a sparse index cannot
    /// allocate a huge list.
    pub max_index: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_params: 1000,
            max_depth: 12,
            max_index: 1000,
        }
    }
}

/// A query string that could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QsError {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for QsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// Parses a raw query string (without the leading `?`).
pub fn parse(query: &str, limits: Limits) -> Result<Value, QsError> {
    let mut root = Map::new();
    let mut count = 0;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key.is_empty() {
            continue;
        }
        count += 1;
        if count > limits.max_params {
            return Err(QsError {
                key: key.into_owned(),
                message: format!("more than {} parameters", limits.max_params),
            });
        }
        let segments = segments(&key)?;
        if segments.len() > limits.max_depth {
            return Err(QsError {
                key: key.into_owned(),
                message: format!("nested deeper than {} levels", limits.max_depth),
            });
        }
        insert(&mut root, &key, &segments, value.into_owned(), limits)?;
    }
    let mut tree = Value::Object(root);
    listify(&mut tree);
    Ok(tree)
}

/// `a[b][]` -> `["a", "b", ""]`.
fn segments(key: &str) -> Result<Vec<&str>, QsError> {
    let malformed = |message: &str| QsError {
        key: key.to_owned(),
        message: message.to_owned(),
    };
    let (name, mut rest) = match key.find('[') {
        Some(open) => (&key[..open], &key[open..]),
        None => (key, ""),
    };
    if name.is_empty() {
        return Err(malformed("a parameter name cannot start with `[`"));
    }
    let mut segments = vec![name];
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return Err(malformed("expected `[` after `]`"));
        };
        let Some(close) = inner.find(']') else {
            return Err(malformed("a `[` is never closed"));
        };
        let segment = &inner[..close];
        if segment.contains('[') {
            return Err(malformed("brackets cannot nest inside a segment"));
        }
        segments.push(segment);
        rest = &inner[close + 1..];
    }
    Ok(segments)
}

fn insert(
    node: &mut Map<String, Value>,
    key: &str,
    segments: &[&str],
    value: String,
    limits: Limits,
) -> Result<(), QsError> {
    let conflict = || QsError {
        key: key.to_owned(),
        message: "given both as a value and as an object".to_owned(),
    };
    let (first, rest) = segments.split_first().ok_or_else(conflict)?;
    let name = if first.is_empty() {
        // `a[]`: the next free index.
        node.len().to_string()
    } else {
        if let Ok(index) = first.parse::<usize>()
            && index > limits.max_index
        {
            return Err(QsError {
                key: key.to_owned(),
                message: format!("list index {index} is over {}", limits.max_index),
            });
        }
        (*first).to_owned()
    };
    if rest.is_empty() {
        match node.get_mut(&name) {
            None => {
                node.insert(name, Value::String(value));
            }
            Some(Value::String(previous)) => {
                let previous = std::mem::take(previous);
                node.insert(
                    name,
                    Value::Array(vec![Value::String(previous), Value::String(value)]),
                );
            }
            Some(Value::Array(items)) => items.push(Value::String(value)),
            Some(_) => return Err(conflict()),
        }
        return Ok(());
    }
    let child = node
        .entry(name)
        .or_insert_with(|| Value::Object(Map::new()));
    match child {
        Value::Object(map) => insert(map, key, rest, value, limits),
        _ => Err(conflict()),
    }
}

/// Turns objects keyed `0..n` into lists, bottom up.
fn listify(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                listify(child);
            }
            let mut indexes: Vec<usize> = Vec::with_capacity(map.len());
            for key in map.keys() {
                match key.parse::<usize>() {
                    Ok(index) if index.to_string() == *key => indexes.push(index),
                    _ => return,
                }
            }
            if map.is_empty() {
                return;
            }
            let mut entries: Vec<(usize, Value)> = std::mem::take(map)
                .into_iter()
                .filter_map(|(k, v)| k.parse::<usize>().ok().map(|i| (i, v)))
                .collect();
            entries.sort_by_key(|(i, _)| *i);
            *value = Value::Array(entries.into_iter().map(|(_, v)| v).collect());
        }
        Value::Array(items) => items.iter_mut().for_each(listify),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn qs(query: &str) -> Value {
        parse(query, Limits::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn brackets_build_objects_and_lists() {
        assert_eq!(
            qs("filters[title][$eq]=Hello%20World&sort[0]=title:asc&sort[1]=id:desc&populate=*"),
            json!({
                "filters": {"title": {"$eq": "Hello World"}},
                "sort": ["title:asc", "id:desc"],
                "populate": "*"
            })
        );
        assert_eq!(
            qs(
                "filters[$or][0][views][$gt]=5&filters[$or][1][title][$in][]=a&filters[$or][1][title][$in][]=b"
            ),
            json!({"filters": {"$or": [{"views": {"$gt": "5"}}, {"title": {"$in": ["a", "b"]}}]}})
        );
        assert_eq!(qs("a=1&a=2&b=x+y"), json!({"a": ["1", "2"], "b": "x y"}));
        assert_eq!(qs(""), json!({}));
    }

    #[test]
    fn malformed_and_oversized_queries_are_refused_with_the_key() {
        let error = |query: &str| parse(query, Limits::default()).err().map(|e| e.to_string());
        assert_eq!(
            error("a=1&a[b]=2"),
            Some("a[b]: given both as a value and as an object".into())
        );
        assert_eq!(error("a[b=1"), Some("a[b: a `[` is never closed".into()));
        assert_eq!(
            error("[a]=1"),
            Some("[a]: a parameter name cannot start with `[`".into())
        );
        assert_eq!(
            error("a[5000]=1"),
            Some("a[5000]: list index 5000 is over 1000".into())
        );
        let deep = format!("a{}=1", "[b]".repeat(20));
        assert!(error(&deep).is_some_and(|e| e.contains("deeper than 12")));
        let many = (0..1001)
            .map(|i| format!("p{i}=1"))
            .collect::<Vec<_>>()
            .join("&");
        assert!(error(&many).is_some_and(|e| e.contains("more than 1000 parameters")));
    }
}
