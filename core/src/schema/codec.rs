//! Values of columns: bound as typed parameters, decoded back to JSON, and
//! filter values read from text. Each kind checks its own values and puts
//! them in canonical form (`kinds`); this works on what columns hold.
//!
//! Canonical forms follow Strapi's REST output: dates `YYYY-MM-DD`, times
//! `HH:mm:ss.SSS`, datetimes `YYYY-MM-DDTHH:mm:ss.SSSZ`, big integers as
//! strings, decimals as numbers.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use sea_orm::DbErr;
use sea_orm::sea_query::Value as SqlValue;
use serde_json::{Number, Value};

use super::column::ColumnType;
use crate::db::Backend;
use crate::db::cells::Cells;
use crate::time::{format_datetime, format_time, parse_date, parse_datetime, parse_time};

/// The text of a filter value as the canonical JSON of a column's values.
pub fn operand(column: ColumnType, text: &str) -> Result<Value, String> {
    Ok(match column {
        ColumnType::Integer | ColumnType::BigInteger => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not a whole number"))?,
        ColumnType::Double | ColumnType::Decimal => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`{text}` is not a number"))?,
        ColumnType::Boolean => match text {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => return Err(format!("`{text}` is not true or false")),
        },
        ColumnType::Date => parse_date(text)
            .map(|date| Value::String(date.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| format!("`{text}` must be a date (YYYY-MM-DD)"))?,
        ColumnType::Time => parse_time(text)
            .map(|time| Value::String(format_time(time)))
            .ok_or_else(|| format!("`{text}` must be a time (HH:mm:ss.SSS)"))?,
        ColumnType::TimestampTz => parse_datetime(text)
            .map(|datetime| Value::String(format_datetime(datetime)))
            .ok_or_else(|| format!("`{text}` must be an ISO 8601 date-time"))?,
        ColumnType::Varchar(_) | ColumnType::Text | ColumnType::Json => {
            Value::String(text.to_owned())
        }
    })
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
    use serde_json::json;

    #[test]
    fn filter_values_take_the_canonical_form_of_their_column() {
        assert_eq!(
            operand(ColumnType::TimestampTz, "2024-03-01T10:20:30.123456+02:00"),
            Ok(json!("2024-03-01T08:20:30.123Z"))
        );
        assert_eq!(
            operand(ColumnType::Time, "09:30"),
            Ok(json!("09:30:00.000"))
        );
        assert_eq!(operand(ColumnType::Integer, " 42 "), Ok(json!(42)));
        assert!(operand(ColumnType::Integer, "4.2").is_err());
        assert!(operand(ColumnType::Double, "NaN").is_err());
        assert!(operand(ColumnType::Date, "2024-02-30").is_err());
    }
}
