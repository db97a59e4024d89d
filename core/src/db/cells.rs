//! Reading a row's cells by position, whichever driver returned the row:
//! sea-orm's `QueryResult` (both databases, through the pool) or a rusqlite
//! row (SQLite reads on the calling thread, see `inline`).

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{DbErr, QueryResult, TryGetable};

use crate::error::Result;
use crate::time::{format_datetime, parse_datetime};

/// A type a cell decodes to with either driver.
pub trait Cell: TryGetable + rusqlite::types::FromSql {}

impl<T: TryGetable + rusqlite::types::FromSql> Cell for T {}

/// A row whose cells are read by position.
pub trait Cells {
    fn cell<T: Cell>(&self, index: usize) -> std::result::Result<T, DbErr>;

    /// A PostgreSQL NUMERIC column as a float (SQLite stores decimals as REAL).
    fn decimal(&self, index: usize) -> std::result::Result<Option<f64>, DbErr>;

    /// A timestamp column in its canonical text form (`format_datetime`).
    fn timestamp(&self, index: usize) -> std::result::Result<Option<String>, DbErr>;

    /// A text cell handed to `read`, borrowed where the driver allows.
    fn text<R>(
        &self,
        index: usize,
        read: impl FnOnce(Option<&str>) -> R,
    ) -> std::result::Result<R, DbErr> {
        Ok(read(self.cell::<Option<String>>(index)?.as_deref()))
    }
}

impl Cells for QueryResult {
    fn cell<T: Cell>(&self, index: usize) -> std::result::Result<T, DbErr> {
        self.try_get_by_index::<T>(index)
    }

    fn decimal(&self, index: usize) -> std::result::Result<Option<f64>, DbErr> {
        Ok(self
            .try_get_by_index::<Option<Decimal>>(index)?
            .and_then(|d| d.to_f64()))
    }

    fn timestamp(&self, index: usize) -> std::result::Result<Option<String>, DbErr> {
        Ok(self
            .try_get_by_index::<Option<DateTime<Utc>>>(index)?
            .map(format_datetime))
    }
}

impl Cells for rusqlite::Row<'_> {
    fn cell<T: Cell>(&self, index: usize) -> std::result::Result<T, DbErr> {
        self.get::<_, T>(index)
            .map_err(|e| DbErr::Type(format!("column {index}: {e}")))
    }

    fn decimal(&self, index: usize) -> std::result::Result<Option<f64>, DbErr> {
        self.cell::<Option<f64>>(index)
    }

    fn text<R>(
        &self,
        index: usize,
        read: impl FnOnce(Option<&str>) -> R,
    ) -> std::result::Result<R, DbErr> {
        match self.get_ref(index) {
            Ok(ValueRef::Null) => Ok(read(None)),
            Ok(ValueRef::Text(bytes)) => match std::str::from_utf8(bytes) {
                Ok(text) => Ok(read(Some(text))),
                Err(e) => Err(DbErr::Type(format!("column {index}: {e}"))),
            },
            // Anything else fails or converts exactly as an owned read does.
            _ => Ok(read(self.cell::<Option<String>>(index)?.as_deref())),
        }
    }

    /// SQLite keeps timestamps as the text Cairn wrote; in the stored form
    /// of a canonical value only the offset differs, so most are rewritten
    /// rather than parsed and formatted again.
    fn timestamp(&self, index: usize) -> std::result::Result<Option<String>, DbErr> {
        let text = match self.get_ref(index) {
            Ok(ValueRef::Null) => return Ok(None),
            Ok(ValueRef::Text(text)) => std::str::from_utf8(text).ok(),
            _ => None,
        };
        let text = text.ok_or_else(|| DbErr::Type(format!("column {index}: not a timestamp")))?;
        if let Some(utc) = stored_utc_millis(text) {
            let mut canonical = String::with_capacity(utc.len() + 1);
            canonical.push_str(utc);
            canonical.push('Z');
            return Ok(Some(canonical));
        }

        parse_datetime(text)
            .map(|datetime| Some(format_datetime(datetime)))
            .ok_or_else(|| DbErr::Type(format!("column {index}: `{text}` is not a timestamp")))
    }
}

/// The `YYYY-MM-DDTHH:MM:SS.mmm` of a stored `...+00:00` timestamp.
fn stored_utc_millis(text: &str) -> Option<&str> {
    let (head, offset) = text.split_at_checked(23)?;
    let shape = head.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        10 => b == b'T',
        13 | 16 => b == b':',
        19 => b == b'.',
        _ => b.is_ascii_digit(),
    });
    (shape && offset == "+00:00").then_some(head)
}

/// Turns rows into values of one type, whichever driver read them.
pub trait Decode {
    type Output;

    /// Decodes `row`, the result's row number `index` (from 0).
    fn decode<C: Cells>(&self, row: &C, index: usize) -> Result<Self::Output>;
}

/// Decodes rows of the columns `T` into tuples, for queries that read a few
/// known columns (links, ids).
pub struct Columns<T>(std::marker::PhantomData<T>);

impl<T> Columns<T> {
    pub fn new() -> Self {
        Columns(std::marker::PhantomData)
    }
}

impl<T> Default for Columns<T> {
    fn default() -> Self {
        Columns::new()
    }
}

impl<A: Cell> Decode for Columns<(A,)> {
    type Output = (A,);

    fn decode<C: Cells>(&self, row: &C, _index: usize) -> Result<(A,)> {
        Ok((row.cell(0)?,))
    }
}

impl<A: Cell, B: Cell> Decode for Columns<(A, B)> {
    type Output = (A, B);

    fn decode<C: Cells>(&self, row: &C, _index: usize) -> Result<(A, B)> {
        Ok((row.cell(0)?, row.cell(1)?))
    }
}

impl<A: Cell, B: Cell, C2: Cell, D: Cell> Decode for Columns<(A, B, C2, D)> {
    type Output = (A, B, C2, D);

    fn decode<C: Cells>(&self, row: &C, _index: usize) -> Result<(A, B, C2, D)> {
        Ok((row.cell(0)?, row.cell(1)?, row.cell(2)?, row.cell(3)?))
    }
}
