//! Keyset pagination: an opaque cursor holds the sort values and id of the
//! last row of a page; the next page starts after it with a condition the
//! sort's index can serve, so its cost does not grow with depth and rows
//! inserted meanwhile neither repeat nor vanish.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::compile::SortKey;
use crate::schema::codec;

/// The position after which a page starts: the last row's sort values, its
/// id (the final key) included.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub values: Vec<Value>,
}

/// A short fingerprint of the sort, so that a cursor from another sort is
/// refused instead of silently skipping rows.
pub fn signature(sort: &[super::ast::Sort]) -> String {
    let text: Vec<String> = sort
        .iter()
        .map(|s| {
            format!(
                "{}:{}",
                s.path.join("."),
                if s.descending { "desc" } else { "asc" }
            )
        })
        .collect();
    hex::encode(&Sha256::digest(text.join(",").as_bytes())[..4])
}

pub fn encode(signature: &str, cursor: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(json!([signature, cursor.values]).to_string())
}

/// Reads a cursor given back by a client; `Err` says why it is unusable.
pub fn decode(text: &str, signature: &str, keys: usize) -> Result<Cursor, String> {
    let invalid = || "is not a cursor this API issued".to_owned();
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let (Some(issued_for), Some(Value::Array(values))) =
        (value.get(0).and_then(Value::as_str), value.get(1))
    else {
        return Err(invalid());
    };
    if issued_for != signature || values.len() != keys {
        return Err("belongs to a query with another sort".to_owned());
    }
    Ok(Cursor {
        values: values.clone(),
    })
}

/// Rows after `cursor` in the order of `keys` (the last one the row id):
/// `k1 beyond v1 OR (k1 = v1 AND (k2 beyond v2 OR (… OR id beyond last)))`.
/// `nulls_low` says where the database puts nulls: lowest (SQLite) or
/// highest (PostgreSQL).
pub fn after(keys: &[SortKey], cursor: &Cursor, nulls_low: bool) -> Result<SimpleExpr, String> {
    let mut condition: Option<SimpleExpr> = None;
    for (key, value) in keys.iter().zip(&cursor.values).rev() {
        let expr = key.expr.clone();
        // Whether nulls come before the values in this key's direction.
        let nulls_first = nulls_low != key.descending;
        let (beyond, equal): (SimpleExpr, SimpleExpr) = if value.is_null() {
            let beyond = if nulls_first {
                expr.clone().is_not_null()
            } else {
                Expr::val(false)
            };
            (beyond, expr.is_null())
        } else {
            let bound: SimpleExpr = if key.json {
                match value {
                    Value::Number(n) => Expr::val(n.as_f64().unwrap_or_default()),
                    Value::Bool(b) => Expr::val(*b),
                    other => Expr::val(other.as_str().unwrap_or_default().to_owned()),
                }
            } else {
                Expr::val(codec::bind(key.column, value)?)
            };
            let past = if key.descending {
                expr.clone().lt(bound.clone())
            } else {
                expr.clone().gt(bound.clone())
            };
            let beyond = if nulls_first {
                past
            } else {
                past.or(expr.clone().is_null())
            };
            (beyond, expr.eq(bound))
        };
        condition = Some(match condition {
            None => beyond,
            Some(rest) => beyond.or(equal.and(rest)),
        });
    }
    condition.ok_or_else(|| "has no sort values".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::ast::Sort;

    #[test]
    fn cursors_round_trip_and_stay_with_their_sort() {
        let sort = vec![Sort {
            path: vec!["title".into()],
            descending: true,
        }];
        let signature = signature(&sort);
        let cursor = Cursor {
            values: vec![json!("Hello"), json!(42)],
        };
        let text = encode(&signature, &cursor);
        assert_eq!(decode(&text, &signature, 2), Ok(cursor));
        let other = super::signature(&[]);
        assert_eq!(
            decode(&text, &other, 2),
            Err("belongs to a query with another sort".to_owned())
        );
        assert_eq!(
            decode("not-a-cursor", &signature, 2),
            Err("is not a cursor this API issued".to_owned())
        );
    }
}
