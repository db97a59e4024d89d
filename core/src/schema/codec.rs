//! Values of column-stored attributes: checked and put in canonical form on the
//! way in, bound as typed parameters, and decoded back to JSON on the way out.
//!
//! Canonical forms follow Strapi's REST output: dates `YYYY-MM-DD`, times
//! `HH:mm:ss.SSS`, datetimes `YYYY-MM-DDTHH:mm:ss.SSSZ`, big integers as
//! strings, decimals as numbers.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::DbErr;
use sea_orm::sea_query::Value as SqlValue;
use serde_json::{Number, Value};

use super::attribute::{Kind, NumberRules, TextRules};
use super::column::{ColumnType, DECIMAL_PRECISION, DECIMAL_SCALE, DEFAULT_STRING_LENGTH};
use crate::db::Backend;
use crate::db::cells::Cells;
use crate::time::{format_datetime, format_time, parse_date, parse_datetime, parse_time};

/// `local@domain.tld`, without spaces: the shape, not deliverability.
fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
        }
        None => false,
    }
}

/// Strapi's uid alphabet: URL-safe without escaping.
fn is_uid(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
}

/// Checks a non-null value against its kind and rules and returns its
/// canonical JSON. Only for kinds stored in columns (not media, relations,
/// components or dynamic zones, which `entries::validate` handles).
pub fn normalize(kind: &Kind, value: &Value) -> Result<Value, String> {
    match kind {
        Kind::String(rules) | Kind::Password(rules) => {
            text(value, rules, Some(DEFAULT_STRING_LENGTH))
        }
        Kind::Text(rules) | Kind::RichText(rules) => text(value, rules, None),
        Kind::Email(rules) => {
            let value = text(value, rules, Some(DEFAULT_STRING_LENGTH))?;
            match value.as_str() {
                Some(email) if is_email(email) => Ok(value),
                _ => Err("must be a valid email address".into()),
            }
        }
        Kind::Uid { rules, .. } => {
            let value = text(value, rules, Some(DEFAULT_STRING_LENGTH))?;
            match value.as_str() {
                Some(uid) if is_uid(uid) => Ok(value),
                _ => Err("must contain only letters, digits and the characters - _ . ~".into()),
            }
        }
        Kind::Enumeration(values) => match value {
            Value::String(s) if values.contains(s) => Ok(value.clone()),
            _ => Err(format!("must be one of: {}", values.join(", "))),
        },
        Kind::Integer(rules) => {
            let n = value
                .as_i64()
                .filter(|n| i32::try_from(*n).is_ok())
                .ok_or_else(|| {
                    format!("must be an integer between {} and {}", i32::MIN, i32::MAX)
                })?;
            check_range(n as f64, rules)?;
            Ok(Value::from(n))
        }
        Kind::BigInteger(rules) => {
            let n = match value {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            }
            .ok_or("must be a whole number (a number or a string of digits)")?;
            check_range(n as f64, rules)?;
            Ok(Value::String(n.to_string()))
        }
        Kind::Float(rules) => {
            let n = value
                .as_f64()
                .filter(|n| n.is_finite())
                .ok_or("must be a number")?;
            check_range(n, rules)?;
            Ok(Value::from(n))
        }
        Kind::Decimal(rules) => {
            let decimal = match value {
                Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
                Value::String(s) => Decimal::from_str(s.trim()).ok(),
                _ => None,
            }
            .ok_or("must be a decimal number")?;
            if decimal.scale() > DECIMAL_SCALE {
                return Err(format!("must have at most {DECIMAL_SCALE} decimal places"));
            }
            let integral_digits = DECIMAL_PRECISION - DECIMAL_SCALE;
            if decimal.abs() >= Decimal::from(10_i64.pow(integral_digits)) {
                return Err(format!(
                    "must have at most {integral_digits} digits before the decimal point"
                ));
            }
            let n = decimal.to_f64().ok_or("must be a decimal number")?;
            check_range(n, rules)?;
            Ok(Value::from(n))
        }
        Kind::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err("must be true or false".into()),
        },
        Kind::Date => {
            let s = value.as_str().ok_or("must be a date (YYYY-MM-DD)")?;
            let date = parse_date(s).ok_or("must be a date (YYYY-MM-DD)")?;
            Ok(Value::String(date.format("%Y-%m-%d").to_string()))
        }
        Kind::Time => {
            let s = value.as_str().ok_or("must be a time (HH:mm:ss.SSS)")?;
            let time = parse_time(s).ok_or("must be a time (HH:mm:ss.SSS)")?;
            Ok(Value::String(format_time(time)))
        }
        Kind::DateTime => {
            let s = value.as_str().ok_or("must be an ISO 8601 date-time")?;
            let datetime = parse_datetime(s).ok_or("must be an ISO 8601 date-time")?;
            Ok(Value::String(format_datetime(datetime)))
        }
        Kind::Json => Ok(value.clone()),
        Kind::Blocks => match value {
            Value::Array(blocks)
                if blocks
                    .iter()
                    .all(|b| b.get("type").is_some_and(Value::is_string)) =>
            {
                Ok(value.clone())
            }
            _ => Err("must be a list of blocks, each with a `type`".into()),
        },
        Kind::Media(_) | Kind::Relation(_) | Kind::Component(_) | Kind::DynamicZone(_) => {
            Err(format!("{} values are not scalar", kind.type_name()))
        }
    }
}

fn text(value: &Value, rules: &TextRules, column_limit: Option<u64>) -> Result<Value, String> {
    let s = value.as_str().ok_or("must be a string")?;
    let length = s.chars().count() as u64;
    if let Some(min) = rules.min_length
        && length < min
    {
        return Err(format!("must be at least {min} characters"));
    }
    // A string column is at least as wide as `maxLength`; without it, the
    // column's own width is the limit.
    let max = rules.max_length.or(column_limit);
    if let Some(max) = max
        && length > max
    {
        return Err(format!("must be at most {max} characters"));
    }
    if let Some(pattern) = &rules.regex
        && !pattern.0.is_match(s)
    {
        return Err(format!("must match the pattern {}", pattern.0.as_str()));
    }
    Ok(value.clone())
}

fn check_range(n: f64, rules: &NumberRules) -> Result<(), String> {
    if let Some(min) = rules.min
        && n < min
    {
        return Err(format!("must be at least {min}"));
    }
    if let Some(max) = rules.max
        && n > max
    {
        return Err(format!("must be at most {max}"));
    }
    Ok(())
}

/// A typed SQL NULL for a column.
pub fn null_of(column: ColumnType) -> SqlValue {
    match column {
        ColumnType::Varchar(_) | ColumnType::Text => SqlValue::String(None),
        ColumnType::Integer => SqlValue::Int(None),
        ColumnType::BigInteger => SqlValue::BigInt(None),
        ColumnType::Double => SqlValue::Double(None),
        ColumnType::Decimal => SqlValue::Decimal(None),
        ColumnType::Boolean => SqlValue::Bool(None),
        ColumnType::Date => SqlValue::ChronoDate(None),
        ColumnType::Time => SqlValue::ChronoTime(None),
        ColumnType::TimestampTz => SqlValue::ChronoDateTimeUtc(None),
        ColumnType::Json => SqlValue::Json(None),
    }
}

/// Binds a canonical value (from `normalize`, or null) to a column.
pub fn bind(column: ColumnType, value: &Value) -> Result<SqlValue, String> {
    if value.is_null() {
        return Ok(null_of(column));
    }
    let mismatch = || format!("cannot store {value} in a {column:?} column");
    Ok(match column {
        ColumnType::Varchar(_) | ColumnType::Text => match value {
            Value::String(s) => SqlValue::String(Some(s.clone())),
            other => SqlValue::String(Some(other.to_string())),
        },
        ColumnType::Integer => SqlValue::Int(Some(
            value
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(mismatch)?,
        )),
        ColumnType::BigInteger => SqlValue::BigInt(Some(match value {
            Value::String(s) => s.parse::<i64>().map_err(|_| mismatch())?,
            other => other.as_i64().ok_or_else(mismatch)?,
        })),
        ColumnType::Double => SqlValue::Double(Some(value.as_f64().ok_or_else(mismatch)?)),
        ColumnType::Decimal => SqlValue::Decimal(Some(
            match value {
                Value::Number(n) => Decimal::from_str(&n.to_string()),
                Value::String(s) => Decimal::from_str(s),
                _ => return Err(mismatch()),
            }
            .map_err(|_| mismatch())?,
        )),
        ColumnType::Boolean => SqlValue::Bool(Some(value.as_bool().ok_or_else(mismatch)?)),
        ColumnType::Date => SqlValue::ChronoDate(Some(
            value.as_str().and_then(parse_date).ok_or_else(mismatch)?,
        )),
        ColumnType::Time => SqlValue::ChronoTime(Some(
            value.as_str().and_then(parse_time).ok_or_else(mismatch)?,
        )),
        ColumnType::TimestampTz => SqlValue::ChronoDateTimeUtc(Some(
            value
                .as_str()
                .and_then(parse_datetime)
                .ok_or_else(mismatch)?,
        )),
        ColumnType::Json => SqlValue::Json(Some(Box::new(value.clone()))),
    })
}

/// Decodes column `index` of a row into canonical JSON.
pub fn decode<C: Cells>(
    row: &C,
    index: usize,
    column: ColumnType,
    backend: Backend,
) -> Result<Value, DbErr> {
    let sqlite = backend == Backend::Sqlite;
    Ok(match column {
        ColumnType::Varchar(_) | ColumnType::Text => row
            .cell::<Option<String>>(index)?
            .map(Value::String)
            .unwrap_or(Value::Null),
        ColumnType::Integer if sqlite => row
            .cell::<Option<i64>>(index)?
            .map(Value::from)
            .unwrap_or(Value::Null),
        ColumnType::Integer => row
            .cell::<Option<i32>>(index)?
            .map(Value::from)
            .unwrap_or(Value::Null),
        ColumnType::BigInteger => row
            .cell::<Option<i64>>(index)?
            .map(|n| Value::String(n.to_string()))
            .unwrap_or(Value::Null),
        ColumnType::Double => number(row.cell::<Option<f64>>(index)?),
        ColumnType::Decimal if sqlite => number(row.cell::<Option<f64>>(index)?),
        ColumnType::Decimal => number(row.decimal(index)?),
        ColumnType::Boolean => row
            .cell::<Option<bool>>(index)?
            .map(Value::Bool)
            .unwrap_or(Value::Null),
        ColumnType::Date => row
            .cell::<Option<NaiveDate>>(index)?
            .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
            .unwrap_or(Value::Null),
        ColumnType::Time => row
            .cell::<Option<NaiveTime>>(index)?
            .map(|t| Value::String(format_time(t)))
            .unwrap_or(Value::Null),
        ColumnType::TimestampTz => row
            .timestamp(index)?
            .map(Value::String)
            .unwrap_or(Value::Null),
        ColumnType::Json => row.cell::<Option<Value>>(index)?.unwrap_or(Value::Null),
    })
}

/// Writes column `index` of a row as the JSON `decode` makes of it. Text,
/// integers and timestamps go straight from the row to `out`, with no value
/// built and dropped between.
pub fn write_json<C: Cells>(
    row: &C,
    index: usize,
    column: ColumnType,
    backend: Backend,
    out: &mut Vec<u8>,
) -> Result<(), DbErr> {
    match column {
        ColumnType::Varchar(_) | ColumnType::Text => row.text(index, |text| write(out, &text))?,
        ColumnType::Integer if backend == Backend::Sqlite => {
            write(out, &row.cell::<Option<i64>>(index)?)
        }
        ColumnType::Integer => write(out, &row.cell::<Option<i32>>(index)?),
        ColumnType::TimestampTz => write(out, &row.timestamp(index)?),
        _ => write(out, &decode(row, index, column, backend)?),
    }
}

/// Serialises `value` onto `out`; writing to memory fails only for values
/// JSON cannot hold, which decoded cells never are.
pub fn write(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) -> Result<(), DbErr> {
    serde_json::to_writer(out, value).map_err(|e| DbErr::Type(e.to_string()))
}

fn number(n: Option<f64>) -> Value {
    n.and_then(Number::from_f64)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::attribute::{NumberRules, TextRules};
    use serde_json::json;

    #[test]
    fn temporal_values_take_strapi_canonical_forms() {
        assert_eq!(
            normalize(&Kind::DateTime, &json!("2024-03-01T10:20:30.123456+02:00")),
            Ok(json!("2024-03-01T08:20:30.123Z"))
        );
        assert_eq!(
            normalize(&Kind::Time, &json!("09:30")),
            Ok(json!("09:30:00.000"))
        );
        assert!(normalize(&Kind::Date, &json!("2024-02-30")).is_err());
    }

    #[test]
    fn numbers_respect_their_type_and_bounds() {
        let rules = NumberRules {
            min: Some(0.0),
            max: Some(10.0),
        };
        assert!(normalize(&Kind::Integer(rules.clone()), &json!(3.5)).is_err());
        assert!(normalize(&Kind::Integer(rules.clone()), &json!(11)).is_err());
        assert_eq!(
            normalize(
                &Kind::BigInteger(NumberRules::default()),
                &json!("9007199254740993")
            ),
            Ok(json!("9007199254740993"))
        );
        assert!(normalize(&Kind::Decimal(NumberRules::default()), &json!(1.1234567)).is_err());
    }

    #[test]
    fn strings_fit_their_column() {
        let long = "x".repeat(256);
        assert!(normalize(&Kind::String(TextRules::default()), &json!(long)).is_err());
        assert!(normalize(&Kind::Text(TextRules::default()), &json!(long)).is_ok());
    }
}
