//! Reading documents: one document, a single type's entry, and lists —
//! filtered, sorted and paginated, the count remembered.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};

use super::Entries;
use super::options::{ListOptions, Page, ReadOptions};
use super::populate::{self, Entry};
use super::rows::{EntryWriter, Row, RowReader, SortKeys};
use crate::db::{Backend, scalar_i64};
use crate::error::{Error, Path, Result};
use crate::query::compile::{Compiler, Scope, SortKey, apply_sort, tie_breaker};
use crate::query::{Pagination, cursor};
use crate::schema::system::{ID, LOCALE, PUBLISHED};

impl Entries {
    /// One document in one locale and state.
    pub async fn find_one(
        &self,
        document_id: &str,
        options: &ReadOptions,
    ) -> Result<Option<Entry>> {
        let conn = self.db.conn();
        let locale = self.locale(conn, options.locale.as_deref()).await?;
        let mut resolver = self.resolver(&options.readable, options.include_private);
        resolver.fields(
            &self.content_type,
            options.fields.as_deref(),
            &Path::from("fields"),
        );
        resolver.into_errors().into_result()?;
        let reader = self.selecting(options);
        let published = options.status.reads_published(&self.content_type);
        let row = reader
            .read(&self.db, document_id, &locale, published)
            .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(self
                .entries(conn, vec![row], options, &locale)
                .await?
                .into_iter()
                .next()),
        }
    }

    /// The entry of a single type.
    pub async fn find_single(&self, options: &ReadOptions) -> Result<Option<Entry>> {
        match self.single_document_id().await? {
            Some(document_id) => self.find_one(&document_id, options).await,
            None => Ok(None),
        }
    }

    /// A page of documents in one locale and state: filtered, sorted and
    /// paginated as asked. Every field, operator and path is checked against
    /// the schema; nothing from the request reaches SQL but bound values.
    pub async fn find_many(&self, options: &ListOptions) -> Result<Page> {
        let ct = &self.content_type;
        let conn = self.db.conn();
        let locale = self.locale(conn, options.read.locale.as_deref()).await?;
        let related_locale = self.related_locale(conn, &locale).await?;
        let read = &options.read;
        let published = read.status.reads_published(ct);
        let mut resolver = self.resolver(&read.readable, read.include_private);
        let condition = options
            .filters
            .as_ref()
            .map(|filter| resolver.filter(ct, filter));
        let sorts = resolver.sort(ct, &options.sort, &Path::from("sort"));
        resolver.fields(ct, read.fields.as_deref(), &Path::from("fields"));
        resolver.into_errors().into_result()?;
        let scope = Scope {
            backend: self.db.backend(),
            status: read.status,
            locale: &related_locale,
        };
        let compiler = Compiler::new(&scope);
        let condition = match condition {
            None => None,
            Some(Some(condition)) => Some(compiler.condition(&ct.table, &condition)),
            // A filter that did not resolve has reported why; none runs without one.
            Some(None) => return Err(Error::internal("a filter resolved to nothing")),
        };
        let (mut keys, joins) = compiler.sort(&ct.table, &sorts);
        keys.push(tie_breaker(&ct.table, &keys));

        let table = Alias::new(&ct.table);
        let scoped = |select: &mut SelectStatement| {
            select
                .and_where(Expr::col((table.clone(), Alias::new(PUBLISHED))).eq(published))
                .and_where(Expr::col((table.clone(), Alias::new(LOCALE))).eq(locale.as_str()));
            if let Some(condition) = &condition {
                select.and_where(condition.clone());
            }
        };
        let mut reader = self.selecting(&options.read);
        for key in &keys {
            reader = reader.with_extra(key.expr.clone(), key.column);
        }
        let mut select = reader.select();
        scoped(&mut select);
        apply_sort(&mut select, &ct.table, &keys, &joins);
        let signature = cursor::signature(&options.sort);
        let limit = options.pagination.limit();
        let offset = match &options.pagination {
            Pagination::Page {
                page, page_size, ..
            } => page.saturating_sub(1).saturating_mul(*page_size),
            Pagination::Offset { start, .. } => *start,
            Pagination::Cursor { .. } => 0,
        };
        if let Pagination::Cursor {
            after: Some(text), ..
        } = &options.pagination
        {
            if keys.iter().any(|k| k.json) {
                return Err(Error::field(
                    ["pagination", "cursor"],
                    "cursors cannot follow a sort inside a component",
                ));
            }
            let position = cursor::decode(text, &signature, keys.len())
                .map_err(|message| Error::field(["pagination", "cursor"], message))?;
            let nulls_low = self.db.backend() == Backend::Sqlite;
            let after = cursor::after(&keys, &position, nulls_low)
                .map_err(|message| Error::field(["pagination", "cursor"], message))?;
            select.and_where(after);
        }
        // One row more than asked says whether another page follows.
        let fetch_limit = limit.saturating_add(1);
        let (data, next_cursor) = if options.read.populate.is_empty() {
            let writer = EntryWriter::new(&reader, options.read.fields.as_deref(), limit)?;
            let rows = reader
                .fetch_page(&self.db, &select, fetch_limit, offset, &writer)
                .await?;
            let (rows, next_cursor) = next_page(rows, limit, &keys, &signature);
            (
                json_array(rows.iter().map(|row| row.json.as_slice())),
                next_cursor,
            )
        } else {
            let rows = reader
                .fetch_page(&self.db, &select, fetch_limit, offset, &reader)
                .await?;
            let (rows, next_cursor) = next_page(rows, limit, &keys, &signature);
            let entries = self.entries(conn, rows, &options.read, &locale).await?;
            (
                serde_json::to_vec(&entries).map_err(Error::internal)?,
                next_cursor,
            )
        };
        let total = if options.pagination.with_count() {
            // Built and run only when the count is not remembered.
            let counting = async {
                let mut count = Query::select();
                count
                    .expr(Func::count(Expr::col((table.clone(), Alias::new(ID)))))
                    .from(table.clone());
                scoped(&mut count);
                Ok(scalar_i64(conn, &count)
                    .await?
                    .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
            };
            let generation = self.changes.current();
            let filter = options.filters.as_ref();
            Some(
                self.counts
                    .get_or_count(&ct.uid, published, &locale, filter, generation, counting)
                    .await?,
            )
        } else {
            None
        };
        Ok(Page {
            data,
            total,
            next_cursor,
        })
    }

    /// A row reader for the fields and populated columns `options` ask
    /// for, once the field names are checked.
    pub(super) fn selecting(&self, options: &ReadOptions) -> RowReader<'_> {
        RowReader::selecting(
            &self.content_type,
            self.db.backend(),
            options.fields.as_deref(),
            &populate::structured_columns(&self.content_type, &options.populate),
            options.include_private,
        )
    }

    pub(super) async fn entries(
        &self,
        conn: &impl ConnectionTrait,
        rows: Vec<Row>,
        options: &ReadOptions,
        locale: &str,
    ) -> Result<Vec<Entry>> {
        let reader = populate::Reader {
            db: &self.db,
            schema: &self.schema,
            backend: self.db.backend(),
            status: options.status,
            locale: self.related_locale(conn, locale).await?,
            include_private: options.include_private,
            readable: &options.readable,
        };
        reader
            .entries(
                &self.content_type,
                rows,
                options.fields.as_deref(),
                &options.populate,
                &Path::from("populate"),
            )
            .await
    }
}

/// Drops the row read past `limit` (asked for to learn whether another
/// page follows) and says where that page starts. Sorts inside component
/// JSON have no cursor.
fn next_page<R: SortKeys>(
    mut rows: Vec<R>,
    limit: u64,
    keys: &[SortKey],
    signature: &str,
) -> (Vec<R>, Option<String>) {
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) if !keys.iter().any(|k| k.json) => Some(cursor::encode(
            signature,
            &cursor::Cursor {
                values: last.sort_keys().to_vec(),
            },
        )),
        _ => None,
    };
    (rows, next_cursor)
}

/// `[a,b,…]` of entries already written as JSON.
fn json_array<'a>(entries: impl ExactSizeIterator<Item = &'a [u8]> + Clone) -> Vec<u8> {
    let length = entries.clone().map(<[u8]>::len).sum::<usize>() + entries.len() + 2;
    let mut array = Vec::with_capacity(length);
    array.push(b'[');
    for (i, entry) in entries.enumerate() {
        if i > 0 {
            array.push(b',');
        }
        array.extend_from_slice(entry);
    }
    array.push(b']');
    array
}
