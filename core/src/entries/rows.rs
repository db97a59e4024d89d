//! Rows of a content-type table: selecting them and decoding them into entries.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde_json::{Map, Value};

use super::Status;
use crate::db::Backend;
use crate::error::Result;
use crate::schema::attribute::Kind;
use crate::schema::codec::{self, format_datetime};
use crate::schema::column::ColumnType;
use crate::schema::registry::{ContentType, Field};
use crate::schema::system::{
    CREATED_AT, CREATED_BY_ID, DOCUMENT_ID, ID, LOCALE, PUBLISHED, PUBLISHED_AT, UPDATED_AT,
    UPDATED_BY_ID,
};

/// One row as the engine works with it: system values plus the stored value
/// of every column field (passwords excluded), keyed by attribute name.
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
    pub values: Map<String, Value>,
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

const SYSTEM: [&str; 9] = [
    ID,
    DOCUMENT_ID,
    LOCALE,
    PUBLISHED,
    PUBLISHED_AT,
    CREATED_AT,
    UPDATED_AT,
    CREATED_BY_ID,
    UPDATED_BY_ID,
];

/// Reads rows of one type: which columns, and how to decode them.
pub struct RowReader<'a> {
    content_type: &'a ContentType,
    backend: Backend,
    columns: Vec<(&'a Field, ColumnType)>,
}

impl<'a> RowReader<'a> {
    pub fn new(content_type: &'a ContentType, backend: Backend) -> Self {
        RowReader {
            content_type,
            backend,
            columns: content_type
                .column_fields()
                .filter(|(field, _)| !matches!(field.attribute.kind, Kind::Password(_)))
                .collect(),
        }
    }

    /// `SELECT <system columns>, <field columns> FROM <table>`.
    pub fn select(&self) -> SelectStatement {
        let mut select = Query::select();
        select.from(Alias::new(&self.content_type.table));
        for column in SYSTEM {
            select.column((Alias::new(&self.content_type.table), Alias::new(column)));
        }
        for (field, _) in &self.columns {
            select.column((
                Alias::new(&self.content_type.table),
                Alias::new(&field.column),
            ));
        }
        select
    }

    pub fn decode(&self, row: &QueryResult) -> Result<Row> {
        let sqlite = self.backend == Backend::Sqlite;
        let mut values = Map::new();
        for (offset, (field, column_type)) in self.columns.iter().enumerate() {
            let value = codec::decode(row, SYSTEM.len() + offset, *column_type, self.backend)?;
            values.insert(field.attribute.name.clone(), value);
        }
        let timestamp = |index: usize| -> Result<Option<String>> {
            Ok(row
                .try_get_by_index::<Option<chrono::DateTime<chrono::Utc>>>(index)?
                .map(format_datetime))
        };
        Ok(Row {
            id: row.try_get_by_index::<i64>(0)?,
            document_id: row.try_get_by_index::<String>(1)?,
            locale: row.try_get_by_index::<String>(2)?,
            published: if sqlite {
                row.try_get_by_index::<i64>(3)? != 0
            } else {
                row.try_get_by_index::<bool>(3)?
            },
            published_at: timestamp(4)?,
            created_at: timestamp(5)?.unwrap_or_default(),
            updated_at: timestamp(6)?.unwrap_or_default(),
            created_by_id: row.try_get_by_index::<Option<i64>>(7)?,
            updated_by_id: row.try_get_by_index::<Option<i64>>(8)?,
            values,
        })
    }

    /// Runs `select` and decodes every row.
    pub async fn fetch(
        &self,
        conn: &impl ConnectionTrait,
        select: &SelectStatement,
    ) -> Result<Vec<Row>> {
        let rows = conn.query_all(select).await?;
        rows.iter().map(|row| self.decode(row)).collect()
    }

    /// The row of a document in one locale and state.
    pub async fn find(
        &self,
        conn: &impl ConnectionTrait,
        document_id: &str,
        locale: &str,
        published: bool,
    ) -> Result<Option<Row>> {
        let mut select = self.select();
        select
            .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
            .and_where(Expr::col(Alias::new(LOCALE)).eq(locale))
            .and_where(Expr::col(Alias::new(PUBLISHED)).eq(published));
        Ok(self.fetch(conn, &select).await?.into_iter().next())
    }

    /// Every row of a document (all locales and states).
    pub async fn find_document(
        &self,
        conn: &impl ConnectionTrait,
        document_id: &str,
    ) -> Result<Vec<Row>> {
        let mut select = self.select();
        select
            .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
            .order_by(Alias::new(ID), sea_orm::sea_query::Order::Asc);
        self.fetch(conn, &select).await
    }
}
