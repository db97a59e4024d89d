//! Rows of a content-type table: selecting them and decoding them.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr};
use serde_json::{Map, Value};

use super::Status;
use crate::db::cells::{Cells, Decode};
use crate::db::{Backend, Db};
use crate::error::Result;
use crate::schema::codec;
use crate::schema::column::ColumnType;
use crate::schema::registry::{ContentType, Field};
use crate::schema::system::{
    COLUMNS, CREATED_AT, CREATED_BY_ID, DOCUMENT_ID, ID, LOCALE, PUBLISHED, PUBLISHED_AT,
    UPDATED_AT, UPDATED_BY_ID,
};

/// The largest row count or offset SQL takes: a signed 64-bit integer.
const MAX_ROWS: u64 = i64::MAX as u64;

/// One row as the engine works with it: system values plus the stored value
/// of the selected column fields (never passwords), keyed by attribute name.
/// A row read for a response (`RowReader::selecting`) leaves the timestamps
/// it does not show empty, and the authors `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: i64,
    pub document_id: String,
    pub locale: String,
    pub published: bool,
    pub published_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by_id: Option<i64>,
    pub updated_by_id: Option<i64>,
    pub values: Values,
    /// Values of extra expressions selected after the fields (sort keys).
    pub extra: Vec<Value>,
}

/// A row's field values, read in column order, keyed by attribute name. A
/// list, not a map: a row holds a handful of columns, and a map hashed every
/// name on the way in and again on the way out to an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Values(Vec<(String, Value)>);

impl Values {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Moves the value of `name` out, with its name.
    pub fn remove_entry(&mut self, name: &str) -> Option<(String, Value)> {
        let index = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.swap_remove(index))
    }

    pub fn to_map(&self) -> Map<String, Value> {
        self.0.iter().cloned().collect()
    }
}

impl Row {
    pub fn status(&self) -> Status {
        if self.published {
            Status::Published
        } else {
            Status::Draft
        }
    }
}

/// Reads rows of one type: which columns, and how to decode them.
pub struct RowReader<'a> {
    content_type: &'a ContentType,
    backend: Backend,
    /// Which of the system `COLUMNS` are read; the others are selected as
    /// NULL, which keeps every cell at its position.
    system: [bool; COLUMNS.len()],
    columns: Vec<(&'a Field, ColumnType)>,
    extra: Vec<(SimpleExpr, ColumnType)>,
}

/// Whether a response with the `fields` asked for (all when `None`) shows
/// the field `name`.
pub fn shows(fields: Option<&[String]>, name: &str) -> bool {
    fields.is_none_or(|fields| fields.iter().any(|f| f == name))
}

impl<'a> RowReader<'a> {
    /// Every column field but passwords.
    pub fn new(content_type: &'a ContentType, backend: Backend) -> Self {
        RowReader {
            content_type,
            backend,
            system: [true; COLUMNS.len()],
            columns: content_type
                .column_fields()
                .filter(|(field, _)| !field.attribute.kind.is_secret())
                .collect(),
            extra: Vec::new(),
        }
    }

    /// The scalar `fields` asked for (all when `None`, names already
    /// checked by the resolver) plus the component and dynamic-zone columns
    /// in `populated`. Of the system columns it reads those a response
    /// shows or population needs: decoding the others cost a sixth of a
    /// list's own work.
    pub fn selecting(
        content_type: &'a ContentType,
        backend: Backend,
        fields: Option<&[String]>,
        populated: &[&str],
        include_private: bool,
    ) -> Self {
        let columns = content_type
            .column_fields()
            .filter(|(field, _)| {
                let name = field.name();
                if field.attribute.kind.is_secret() || (field.attribute.private && !include_private)
                {
                    return false;
                }
                if field.attribute.kind.is_structured() {
                    return populated.contains(&name);
                }
                shows(fields, name)
            })
            .collect();
        let system = COLUMNS.map(|column| match column {
            PUBLISHED_AT => shows(fields, "publishedAt"),
            CREATED_AT => shows(fields, "createdAt"),
            UPDATED_AT => shows(fields, "updatedAt"),
            CREATED_BY_ID | UPDATED_BY_ID => false,
            _ => true,
        });
        RowReader {
            content_type,
            backend,
            system,
            columns,
            extra: Vec::new(),
        }
    }

    /// Also selects `expr` after the fields; its value lands in `Row::extra`.
    pub fn with_extra(mut self, expr: SimpleExpr, column: ColumnType) -> Self {
        self.extra.push((expr, column));
        self
    }

    /// The values of the extra expressions, selected after the fields.
    fn decode_extra<C: Cells>(&self, row: &C) -> Result<Vec<Value>> {
        let first = COLUMNS.len() + self.columns.len();
        let extra = self
            .extra
            .iter()
            .enumerate()
            .map(|(i, (_, column))| codec::decode(row, first + i, *column, self.backend))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(extra)
    }

    /// `SELECT <system columns>, <field columns>, <extras> FROM <table>`.
    pub fn select(&self) -> SelectStatement {
        let table = Alias::new(&self.content_type.table);
        let mut select = Query::select();
        select.from(table.clone());
        for (column, read) in COLUMNS.into_iter().zip(self.system) {
            if read {
                select.column((table.clone(), Alias::new(column)));
            } else {
                select.expr(Expr::cust("NULL"));
            }
        }
        for (field, _) in &self.columns {
            select.column((table.clone(), Alias::new(&field.column)));
        }
        for (expr, _) in &self.extra {
            select.expr(expr.clone());
        }
        select
    }

    /// Runs `select` in a transaction (or on the pool) and decodes every row.
    pub async fn fetch(
        &self,
        conn: &impl ConnectionTrait,
        select: &SelectStatement,
    ) -> Result<Vec<Row>> {
        let rows = conn.query_all(select).await?;
        rows.iter()
            .enumerate()
            .map(|(index, row)| self.decode(row, index))
            .collect()
    }

    /// Runs `select` for one page of rows. On SQLite the limit and offset
    /// are written into the SQL: since SQLite 3.47 a bound LIMIT steers the
    /// plan, so the statement was compiled again on every run, which cost
    /// as much as running it. They are integers, never caller text.
    pub async fn fetch_page<D: Decode>(
        &self,
        db: &Db,
        select: &SelectStatement,
        limit: u64,
        offset: u64,
        decoder: &D,
    ) -> Result<Vec<D::Output>> {
        // Both databases count rows in signed 64 bits; further is empty.
        let (limit, offset) = (Ord::min(limit, MAX_ROWS), Ord::min(offset, MAX_ROWS));
        match self.backend {
            Backend::Sqlite => {
                let mut statement = db.backend().db_backend().build(select);
                statement
                    .sql
                    .push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
                db.read(statement, decoder).await
            }
            Backend::Postgres => {
                let mut select = select.clone();
                select.limit(limit).offset(offset);
                db.read_query(&select, decoder).await
            }
        }
    }

    /// The row of a document in one locale and state, read in `conn`.
    pub async fn find(
        &self,
        conn: &impl ConnectionTrait,
        document_id: &str,
        locale: &str,
        published: bool,
    ) -> Result<Option<Row>> {
        let select = self.document_row(document_id, locale, published);
        Ok(self.fetch(conn, &select).await?.into_iter().next())
    }

    /// `find` outside any transaction (see `Db::read`).
    pub async fn read(
        &self,
        db: &Db,
        document_id: &str,
        locale: &str,
        published: bool,
    ) -> Result<Option<Row>> {
        let select = self.document_row(document_id, locale, published);
        Ok(db.read_query(&select, self).await?.into_iter().next())
    }

    fn document_row(&self, document_id: &str, locale: &str, published: bool) -> SelectStatement {
        let table = Alias::new(&self.content_type.table);
        let mut select = self.select();
        select
            .and_where(Expr::col((table.clone(), Alias::new(DOCUMENT_ID))).eq(document_id))
            .and_where(Expr::col((table.clone(), Alias::new(LOCALE))).eq(locale))
            .and_where(Expr::col((table, Alias::new(PUBLISHED))).eq(published));
        select
    }

    /// Every row of a document (all locales and states).
    pub async fn find_document(
        &self,
        conn: &impl ConnectionTrait,
        document_id: &str,
    ) -> Result<Vec<Row>> {
        let table = Alias::new(&self.content_type.table);
        let mut select = self.select();
        select
            .and_where(Expr::col((table.clone(), Alias::new(DOCUMENT_ID))).eq(document_id))
            .order_by((table, Alias::new(ID)), Order::Asc);
        self.fetch(conn, &select).await
    }
}

/// The sort keys a row was read with (`RowReader::with_extra`), which say
/// where the next page starts after it.
pub trait SortKeys {
    fn sort_keys(&self) -> &[Value];
}

impl SortKeys for Row {
    fn sort_keys(&self) -> &[Value] {
        &self.extra
    }
}

/// Writes each row straight to its entry's JSON, as `populate` builds a
/// base entry: for lists that populate nothing, building, serialising and
/// dropping a map per entry cost more than reading the rows.
pub struct EntryWriter<'a> {
    reader: &'a RowReader<'a>,
    /// `,"<name>":` of each field column, escaped once for the page.
    field_keys: Vec<Vec<u8>>,
    /// `locale` is shown: the type is localized and the fields allow it.
    locale: bool,
    /// The one row whose sort keys are decoded: the last of a full page,
    /// which the next page's cursor starts after.
    cursor_row: Option<usize>,
}

/// An entry as JSON, with the sort keys of its row where they are needed.
pub struct WrittenEntry {
    pub json: Vec<u8>,
    pub extra: Vec<Value>,
}

impl SortKeys for WrittenEntry {
    fn sort_keys(&self) -> &[Value] {
        &self.extra
    }
}

impl<'a> EntryWriter<'a> {
    /// Writes the rows `reader` selects for a page of `limit` entries
    /// showing `fields`.
    pub fn new(reader: &'a RowReader<'a>, fields: Option<&[String]>, limit: u64) -> Result<Self> {
        let field_keys = reader
            .columns
            .iter()
            .map(|(field, _)| {
                let mut key = vec![b','];
                codec::write(&mut key, field.name())?;
                key.push(b':');
                Ok(key)
            })
            .collect::<Result<_>>()?;
        Ok(EntryWriter {
            reader,
            field_keys,
            locale: reader.content_type.localized && shows(fields, "locale"),
            cursor_row: limit
                .checked_sub(1)
                .and_then(|last| usize::try_from(last).ok()),
        })
    }
}

/// Room for an entry of a few short fields, so most never grow.
const ENTRY_CAPACITY: usize = 256;

impl Decode for EntryWriter<'_> {
    type Output = WrittenEntry;

    /// The members in `base_entry`'s order: `id`, `documentId`, the fields,
    /// the shown timestamps, `locale`. Cells are at their `COLUMNS` index.
    fn decode<C: Cells>(&self, row: &C, index: usize) -> Result<WrittenEntry> {
        let reader = self.reader;
        let backend = reader.backend;
        let mut json = Vec::with_capacity(ENTRY_CAPACITY);
        json.extend_from_slice(b"{\"id\":");
        codec::write(&mut json, &row.cell::<i64>(0)?)?;
        json.extend_from_slice(b",\"documentId\":");
        codec::write_json(row, 1, ColumnType::Text, backend, &mut json)?;
        let fields = self.field_keys.iter().zip(&reader.columns);
        for (offset, (key, (_, column_type))) in fields.enumerate() {
            json.extend_from_slice(key);
            codec::write_json(
                row,
                COLUMNS.len() + offset,
                *column_type,
                backend,
                &mut json,
            )?;
        }
        for (cell, key) in [(5, b",\"createdAt\":"), (6, b",\"updatedAt\":")] {
            if reader.system[cell] {
                json.extend_from_slice(key);
                codec::write(&mut json, &row.timestamp(cell)?.unwrap_or_default())?;
            }
        }
        if reader.system[4] {
            json.extend_from_slice(b",\"publishedAt\":");
            codec::write_json(row, 4, ColumnType::TimestampTz, backend, &mut json)?;
        }
        if self.locale {
            json.extend_from_slice(b",\"locale\":");
            codec::write_json(row, 2, ColumnType::Text, backend, &mut json)?;
        }
        json.push(b'}');
        let extra = if Some(index) == self.cursor_row {
            reader.decode_extra(row)?
        } else {
            Vec::new()
        };
        Ok(WrittenEntry { json, extra })
    }
}

impl Decode for RowReader<'_> {
    type Output = Row;

    fn decode<C: Cells>(&self, row: &C, _index: usize) -> Result<Row> {
        let mut values = Vec::with_capacity(self.columns.len());
        for (offset, (field, column_type)) in self.columns.iter().enumerate() {
            let value = codec::decode(row, COLUMNS.len() + offset, *column_type, self.backend)?;
            values.push((field.attribute.name.clone(), value));
        }
        let extra = self.decode_extra(row)?;
        let timestamp = |index: usize| row.timestamp(index);
        Ok(Row {
            id: row.cell::<i64>(0)?,
            document_id: row.cell::<String>(1)?,
            locale: row.cell::<String>(2)?,
            published: row.cell::<bool>(3)?,
            published_at: timestamp(4)?,
            created_at: timestamp(5)?.unwrap_or_default(),
            updated_at: timestamp(6)?.unwrap_or_default(),
            created_by_id: row.cell::<Option<i64>>(7)?,
            updated_by_id: row.cell::<Option<i64>>(8)?,
            values: Values(values),
            extra,
        })
    }
}
