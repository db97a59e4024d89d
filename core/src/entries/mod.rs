//! The entries service: create, update, delete and read documents of one
//! content type, with draft & publish, locales, versions and relations.
//!
//! Every write runs in one transaction: the row, its links, the copies of
//! shared (non-localized) values into the other locales, and the version.
//! A failure anywhere writes nothing.

mod counts;
mod draft_publish;
mod links;
mod populate;
mod rows;
mod uid;
mod validate;
mod versions;

use std::collections::BTreeMap;
use std::sync::Arc;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, EntityName};
use serde_json::{Map, Value};

pub use crate::query::{Populate, PopulateField, Status};
pub use counts::CountCache;
pub use populate::Entry;
pub use versions::{Version, VersionSummary};

use self::rows::{EntryWriter, Row, RowReader, SortKeys};
use self::validate::Target;
use self::validate::{Prepared, Validator, is_empty};
use crate::db::entities::version;
use crate::db::errors::unique_violation;
use crate::db::{Backend, Db, scalar_i64};
use crate::error::{Error, Path, Result, ValidationErrors};
use crate::events::{self, Changes};
use crate::locales;
use crate::query::compile::{Compiler, Readable, Scope, SortKey, apply_sort, tie_breaker};
use crate::query::{Filter, Pagination, Sort, cursor};
use crate::schema::TypeKind;
use crate::schema::attribute::Kind;
use crate::schema::codec;
use crate::schema::column::Storage;
use crate::schema::naming::index_name;
use crate::schema::registry::{ContentType, Schema};
use crate::schema::system::{
    CREATED_AT, CREATED_BY_ID, DOCUMENT_ID, ID, LOCALE, PUBLISHED, PUBLISHED_AT, UPDATED_AT,
    UPDATED_BY_ID, new_document_id,
};
use crate::time::now;

/// Options of a write.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// The locale to write; the default locale when absent. Ignored by types
    /// that are not localized.
    pub locale: Option<String>,
    /// The admin user making the change.
    pub actor: Option<i64>,
    /// Publish in the same transaction (draft & publish types).
    pub publish: bool,
}

/// Options of a read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub locale: Option<String>,
    pub status: Status,
    /// Scalar fields to return; all when `None`.
    pub fields: Option<Vec<String>>,
    pub populate: Populate,
    /// Include `private` fields (the admin UI does; the public API does not).
    pub include_private: bool,
    /// The types whose documents the caller may read through relations.
    pub readable: Readable,
}

/// Options of a list.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub read: ReadOptions,
    pub filters: Option<Filter>,
    /// Sort keys in order; ties are broken by id.
    pub sort: Vec<Sort>,
    pub pagination: Pagination,
}

/// A page of entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The entries, as a JSON array.
    pub data: Vec<u8>,
    /// How many entries match, when counting was asked for.
    pub total: Option<u64>,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<String>,
}

impl Page {
    /// The entries as values, read back from `data`.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        serde_json::from_slice(&self.data).map_err(Error::internal)
    }
}

/// Which locales a delete removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocaleScope {
    /// The default locale.
    Default,
    One(String),
    /// Every locale: the whole document.
    All,
}

/// Why a version was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    Create,
    Update,
    Publish,
    Discard,
    Restore,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::Create => "create",
            Reason::Update => "update",
            Reason::Publish => "publish",
            Reason::Discard => "discard",
            Reason::Restore => "restore",
        }
    }
}

/// The entries of one content type.
pub struct Entries {
    db: Db,
    schema: Arc<Schema>,
    content_type: Arc<ContentType>,
    max_versions: u32,
    changes: Arc<Changes>,
    default_locale: Arc<locales::DefaultLocale>,
    counts: Arc<CountCache>,
}

impl Entries {
    pub(crate) fn new(
        db: Db,
        schema: Arc<Schema>,
        content_type: Arc<ContentType>,
        max_versions: u32,
        changes: Arc<Changes>,
        default_locale: Arc<locales::DefaultLocale>,
        counts: Arc<CountCache>,
    ) -> Self {
        Entries {
            db,
            schema,
            content_type,
            max_versions,
            changes,
            default_locale,
            counts,
        }
    }

    /// The default locale, for reads.
    async fn default_locale(&self, conn: &impl ConnectionTrait) -> Result<String> {
        self.default_locale.get(conn, self.changes.current()).await
    }

    /// Commits a write and signals the change to caches here and elsewhere.
    async fn commit(&self, txn: DatabaseTransaction) -> Result<()> {
        events::notify(&txn, self.db.backend()).await?;
        txn.commit().await?;
        self.changes.bump();
        Ok(())
    }

    pub fn content_type(&self) -> &ContentType {
        &self.content_type
    }

    /// Creates a document. With draft & publish it starts as a draft (and is
    /// published too when `options.publish`).
    pub async fn create(&self, data: &Map<String, Value>, options: &WriteOptions) -> Result<Entry> {
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        let document_id = self.create_in(&txn, &locale, data, options).await?;
        self.commit(txn).await?;
        self.written(&document_id, &locale, options).await
    }

    /// Creates one document per item of `rows` in a single transaction, as
    /// `create` would, for imports: all of them or, on the first invalid
    /// row, none. Validation errors name the row by its index in `rows`,
    /// as the first step of each field path.
    pub async fn create_many(
        &self,
        rows: &[Map<String, Value>],
        options: &WriteOptions,
    ) -> Result<usize> {
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        for (index, data) in rows.iter().enumerate() {
            self.create_in(&txn, &locale, data, options)
                .await
                .map_err(|error| match error {
                    Error::Validation(errors) => Error::Validation(errors.under(index)),
                    other => other,
                })?;
        }
        self.commit(txn).await?;
        Ok(rows.len())
    }

    /// Refreshes PostgreSQL's statistics of the tables a create writes (this
    /// type's rows, the links it owns, the versions), so that the planner
    /// knows their size during and after a bulk load. It also drops the
    /// plans connections keep for them: a plan made while a table was
    /// nearly empty scans it, and without this would be kept as it grows.
    /// SQLite is left alone: its ANALYZE keeps value samples (STAT4) that
    /// make SQLite compile a statement again on every run whose bound values
    /// they could steer, and the indexes Cairn creates serve its queries
    /// without statistics.
    pub async fn analyze(&self) -> Result<()> {
        if self.db.backend() == Backend::Postgres {
            let ct = &self.content_type;
            let owned_links = ct.owned_links().map(|(_, link)| link.table.as_str());
            let tables: Vec<String> = [ct.table.as_str(), version::Entity.table_name()]
                .into_iter()
                .chain(owned_links)
                .map(|table| format!("\"{table}\""))
                .collect();
            let sql = format!("ANALYZE {}", tables.join(", "));
            self.db.conn().execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    /// The body of `create`, inside the caller's transaction; the new
    /// document's id.
    async fn create_in(
        &self,
        txn: &DatabaseTransaction,
        locale: &str,
        data: &Map<String, Value>,
        options: &WriteOptions,
    ) -> Result<String> {
        let ct = &self.content_type;
        if ct.kind == TypeKind::Single && self.any_document(txn).await?.is_some() {
            return Err(Error::InvalidState(format!(
                "{} is a single type and already has its entry; update it instead",
                ct.display_name()
            )));
        }
        let prepared = self.validator(false).prepare(txn, ct, data).await?;
        let document_id = new_document_id();
        let row_id = self
            .write(
                txn,
                &document_id,
                locale,
                None,
                None,
                prepared,
                options.actor,
            )
            .await?;
        self.record_version(txn, row_id, Reason::Create, options.actor)
            .await?;
        if options.publish && ct.draft_and_publish {
            self.publish_in(txn, &document_id, locale, options.actor)
                .await?;
        }
        Ok(document_id)
    }

    /// Updates the editable state of a document (its draft, or its only row)
    /// in one locale. Fields absent from `data` keep their values. Writing a
    /// locale the document does not have yet creates it.
    pub async fn update(
        &self,
        document_id: &str,
        data: &Map<String, Value>,
        options: &WriteOptions,
    ) -> Result<Entry> {
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        self.update_in(
            &txn,
            document_id,
            &locale,
            data,
            options.actor,
            Reason::Update,
        )
        .await?;
        if options.publish && self.content_type.draft_and_publish {
            self.publish_in(&txn, document_id, &locale, options.actor)
                .await?;
        }
        self.commit(txn).await?;
        self.written(document_id, &locale, options).await
    }

    /// Creates or updates the entry of a single type.
    pub async fn upsert_single(
        &self,
        data: &Map<String, Value>,
        options: &WriteOptions,
    ) -> Result<Entry> {
        let existing = self.any_document(self.db.conn()).await?;
        match existing {
            Some(document_id) => self.update(&document_id, data, options).await,
            None => self.create(data, options).await,
        }
    }

    /// The document id of a single type's entry, if it has one.
    pub async fn single_document_id(&self) -> Result<Option<String>> {
        self.any_document(self.db.conn()).await
    }

    async fn update_in(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
        data: &Map<String, Value>,
        actor: Option<i64>,
        reason: Reason,
    ) -> Result<i64> {
        let ct = &self.content_type;
        let rows = self.reader().find_document(txn, document_id).await?;
        if rows.is_empty() {
            return Err(self.not_found(document_id, None));
        }
        let editable = self.editable_published();
        let existing = rows
            .iter()
            .find(|r| r.locale == locale && r.published == editable);
        let template = rows
            .iter()
            .find(|r| r.published == editable)
            .or_else(|| rows.first());
        if existing.is_none() && !ct.localized {
            return Err(self.not_found(document_id, None));
        }
        let prepared = self.validator(false).prepare(txn, ct, data).await?;
        let row_id = self
            .write(
                txn,
                document_id,
                locale,
                existing,
                template,
                prepared,
                actor,
            )
            .await?;
        self.record_version(txn, row_id, reason, actor).await?;
        Ok(row_id)
    }

    /// Deletes a document in some locales (all states). Deleting its last
    /// locale removes the document: links pointing at it go too.
    pub async fn delete(&self, document_id: &str, scope: LocaleScope) -> Result<u64> {
        let ct = &self.content_type;
        let txn = self.db.begin_write().await?;
        let locale = match (&scope, ct.localized) {
            (_, false) | (LocaleScope::All, true) => None,
            (LocaleScope::Default, true) => Some(locales::default_code(&txn).await?),
            (LocaleScope::One(code), true) => Some(code.clone()),
        };
        let table = Alias::new(&ct.table);
        let mut condition = Query::delete();
        condition
            .from_table(table.clone())
            .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id));
        if let Some(locale) = &locale {
            condition.and_where(Expr::col(Alias::new(LOCALE)).eq(locale.as_str()));
        }
        let deleted = txn.execute(&condition).await?.rows_affected();
        if deleted == 0 {
            return Err(self.not_found(document_id, locale));
        }
        let remaining = scalar_i64(
            &txn,
            &Query::select()
                .expr(Func::count(Expr::col(Alias::new(ID))))
                .from(table)
                .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
                .to_owned(),
        )
        .await?
        .unwrap_or(0);
        if remaining == 0 {
            links::forget_document(&txn, &self.schema, &ct.uid, document_id).await?;
        }
        versions::forget(
            &txn,
            &ct.uid,
            document_id,
            locale.as_deref().filter(|_| remaining > 0),
        )
        .await?;
        self.commit(txn).await?;
        Ok(deleted)
    }

    /// One document in one locale and state.
    pub async fn find_one(
        &self,
        document_id: &str,
        options: &ReadOptions,
    ) -> Result<Option<Entry>> {
        let conn = self.db.conn();
        let locale = self.locale(conn, options.locale.as_deref()).await?;
        let reader = self.selecting(options)?;
        let row = reader
            .read(
                &self.db,
                document_id,
                &locale,
                self.read_published(options.status),
            )
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
        let default_locale = self.related_locale(conn, &locale).await?;
        let published = self.read_published(options.read.status);
        let scope = Scope {
            schema: &self.schema,
            backend: self.db.backend(),
            status: options.read.status,
            locale: &default_locale,
            readable: &options.read.readable,
        };
        let mut compiler = Compiler::new(&scope);
        let condition = options
            .filters
            .as_ref()
            .and_then(|filter| compiler.filter(ct, &ct.table, filter, &Path::from("filters")));
        let (mut keys, joins) = compiler.sort(ct, &ct.table, &options.sort, &Path::from("sort"));
        compiler.into_errors().into_result()?;
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
        let mut reader = self.selecting(&options.read)?;
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

    /// A row reader for the fields and populated columns `options` ask for.
    fn selecting(&self, options: &ReadOptions) -> Result<RowReader<'_>> {
        RowReader::selecting(
            &self.content_type,
            self.db.backend(),
            options.fields.as_deref(),
            &populate::structured_columns(&self.content_type, &options.populate),
            options.include_private,
            &Path::from("fields"),
        )
    }

    /// The locale related documents are read in from this type's rows.
    async fn related_locale(&self, conn: &impl ConnectionTrait, locale: &str) -> Result<String> {
        if locale.is_empty() {
            self.default_locale(conn).await
        } else {
            Ok(locale.to_owned())
        }
    }

    /// The locales a document exists in, and in which states.
    pub async fn document_locales(&self, document_id: &str) -> Result<Vec<(String, Status)>> {
        let rows = self
            .reader()
            .find_document(self.db.conn(), document_id)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let status = if self.content_type.draft_and_publish {
                    row.status()
                } else {
                    Status::Published
                };
                (row.locale, status)
            })
            .collect())
    }

    fn reader(&self) -> RowReader<'_> {
        RowReader::new(&self.content_type, self.db.backend())
    }

    fn validator(&self, enforce_required: bool) -> Validator<'_> {
        Validator::new(&self.schema, enforce_required)
    }

    async fn entries(
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

    /// The entry just written, in the state the write left it in.
    async fn written(
        &self,
        document_id: &str,
        locale: &str,
        options: &WriteOptions,
    ) -> Result<Entry> {
        let status = if self.content_type.draft_and_publish && !options.publish {
            Status::Draft
        } else {
            Status::Published
        };
        self.read_state(document_id, locale, status).await
    }

    /// The published flag of the rows edits go to.
    fn editable_published(&self) -> bool {
        !self.content_type.draft_and_publish
    }

    /// The published flag of the rows a read in `status` sees.
    fn read_published(&self, status: Status) -> bool {
        status == Status::Published || !self.content_type.draft_and_publish
    }

    /// The locale a request works in: the given one (which must exist) or
    /// the default; empty for types that are not localized.
    async fn locale(&self, conn: &impl ConnectionTrait, requested: Option<&str>) -> Result<String> {
        if !self.content_type.localized {
            return Ok(String::new());
        }
        match requested {
            None | Some("") => self.default_locale(conn).await,
            Some(code) => {
                if locales::exists(conn, code).await? {
                    Ok(code.to_owned())
                } else {
                    Err(Error::field(
                        "locale",
                        format!("locale `{code}` is not configured"),
                    ))
                }
            }
        }
    }

    async fn any_document(&self, conn: &impl ConnectionTrait) -> Result<Option<String>> {
        let row = conn
            .query_one(
                &Query::select()
                    .column(Alias::new(DOCUMENT_ID))
                    .from(Alias::new(&self.content_type.table))
                    .order_by(Alias::new(ID), Order::Asc)
                    .limit(1)
                    .to_owned(),
            )
            .await?;
        Ok(match row {
            Some(row) => Some(row.try_get_by_index::<String>(0)?),
            None => None,
        })
    }

    fn not_found(&self, document_id: &str, locale: Option<String>) -> Error {
        Error::EntryNotFound {
            type_name: self.content_type.display_name().to_owned(),
            document_id: document_id.to_owned(),
            locale: locale.filter(|l| !l.is_empty()),
        }
    }

    /// Writes the editable row of a document in `locale`: the row itself,
    /// its links, the shared values of the other locales and inverse links.
    #[allow(clippy::too_many_arguments)]
    async fn write(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
        existing: Option<&Row>,
        template: Option<&Row>,
        prepared: Prepared,
        actor: Option<i64>,
    ) -> Result<i64> {
        let ct = &self.content_type;
        let published = self.editable_published();
        let mut values: Map<String, Value> = match (existing, template) {
            (Some(row), _) => row.values.to_map(),
            (None, template) => {
                let mut values = Map::new();
                for field in &ct.fields {
                    if field.column_type().is_none() || field.attribute.kind.is_secret() {
                        continue;
                    }
                    let shared = template
                        .filter(|_| !field.attribute.localized)
                        .and_then(|row| row.values.get(field.name()).cloned());
                    let default = field
                        .attribute
                        .default
                        .as_ref()
                        .zip(field.attribute.kind.scalar())
                        .and_then(|(default, scalar)| scalar.normalize(default).ok());
                    values.insert(
                        field.name().to_owned(),
                        shared.or(default).unwrap_or(Value::Null),
                    );
                }
                values
            }
        };
        let mut changed: Vec<String> = Vec::new();
        for (name, value) in prepared.columns {
            if values.get(&name) != Some(&value) || existing.is_none() {
                changed.push(name.clone());
            }
            values.insert(name, value);
        }
        let mut errors = ValidationErrors::default();
        self.generate_uids(
            txn,
            &mut values,
            &mut changed,
            locale,
            published,
            document_id,
        )
        .await?;

        // Owned links: what each field will hold.
        let mut link_lists: BTreeMap<String, (Vec<Target>, bool)> = BTreeMap::new();
        for (field, link) in ct.owned_links() {
            let source = existing.or(template.filter(|_| !field.attribute.localized));
            let current = match source {
                Some(row) => links::targets(txn, link, row.id).await?,
                None => Vec::new(),
            };
            let (list, touched) = match prepared.links.get(field.name()) {
                Some(input) => (links::resolve(current.clone(), input), true),
                None => (current.clone(), existing.is_none() && !current.is_empty()),
            };
            link_lists.insert(field.name().to_owned(), (list, touched));
        }

        if !ct.draft_and_publish {
            self.check_required(&values, &link_lists, &mut errors);
        }
        self.check_unique(
            txn,
            &values,
            &changed,
            locale,
            published,
            document_id,
            &mut errors,
        )
        .await?;
        errors.into_result()?;

        let timestamp = now();
        let row_id = match existing {
            Some(row) => {
                let mut update = Query::update();
                update
                    .table(Alias::new(&ct.table))
                    .value(Alias::new(UPDATED_AT), timestamp)
                    .value(Alias::new(UPDATED_BY_ID), actor)
                    .and_where(Expr::col(Alias::new(ID)).eq(row.id));
                for name in &changed {
                    self.set_column(&mut update, name, &values)?;
                }
                txn.execute(&update).await.map_err(|e| self.classify(e))?;
                row.id
            }
            None => {
                let mut columns = vec![
                    Alias::new(DOCUMENT_ID),
                    Alias::new(LOCALE),
                    Alias::new(PUBLISHED),
                    Alias::new(PUBLISHED_AT),
                    Alias::new(CREATED_AT),
                    Alias::new(UPDATED_AT),
                    Alias::new(CREATED_BY_ID),
                    Alias::new(UPDATED_BY_ID),
                ];
                let mut row_values: Vec<Expr> = vec![
                    document_id.into(),
                    locale.into(),
                    published.into(),
                    Expr::value(if published { Some(timestamp) } else { None }),
                    timestamp.into(),
                    timestamp.into(),
                    actor.into(),
                    actor.into(),
                ];
                for (field, column_type) in ct.column_fields() {
                    let value = match values.get(field.name()) {
                        Some(value) => value.clone(),
                        None if field.attribute.kind.is_secret() => {
                            // A new locale shares the secret of the template.
                            continue;
                        }
                        None => Value::Null,
                    };
                    columns.push(Alias::new(&field.column));
                    row_values.push(Expr::value(
                        codec::bind(column_type, &value).map_err(Error::internal)?,
                    ));
                }
                let insert = Query::insert()
                    .into_table(Alias::new(&ct.table))
                    .columns(columns)
                    .values(row_values)
                    .map_err(|e| Error::internal(e.to_string()))?
                    .returning_col(Alias::new(ID))
                    .to_owned();
                let row = txn
                    .query_one(&insert)
                    .await
                    .map_err(|e| self.classify(e))?
                    .ok_or_else(|| Error::internal("insert returned no id"))?;
                row.try_get_by_index::<i64>(0)?
            }
        };

        for (field, link) in ct.owned_links() {
            let Some((list, touched)) = link_lists.get(field.name()) else {
                continue;
            };
            if !touched {
                continue;
            }
            if let Kind::Relation(relation) = &field.attribute.kind
                && relation.kind.target_is_exclusive()
            {
                links::release_targets(txn, ct, link, list, row_id, (published, locale)).await?;
            }
            links::replace(txn, link, row_id, list).await?;
        }

        if ct.localized {
            self.share_across_locales(
                txn,
                document_id,
                locale,
                row_id,
                &values,
                &changed,
                &link_lists,
            )
            .await?;
        }
        for (name, input) in &prepared.links {
            if let Some(field) = ct.field(name).filter(|f| f.storage == Storage::Inverse) {
                links::write_inverse(txn, &self.schema, field, document_id, locale, input).await?;
            }
        }
        Ok(row_id)
    }

    fn set_column(
        &self,
        update: &mut sea_orm::sea_query::UpdateStatement,
        name: &str,
        values: &Map<String, Value>,
    ) -> Result<()> {
        let Some(field) = self.content_type.field(name) else {
            return Ok(());
        };
        if let Some(column_type) = field.column_type() {
            let value = values.get(name).cloned().unwrap_or(Value::Null);
            update.value(
                Alias::new(&field.column),
                codec::bind(column_type, &value).map_err(Error::internal)?,
            );
        }
        Ok(())
    }

    /// Copies values that are the same in every locale (attributes with
    /// `localized: false`) to the document's other rows in the same state.
    #[allow(clippy::too_many_arguments)]
    async fn share_across_locales(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
        row_id: i64,
        values: &Map<String, Value>,
        changed: &[String],
        link_lists: &BTreeMap<String, (Vec<Target>, bool)>,
    ) -> Result<()> {
        let ct = &self.content_type;
        let shared_columns: Vec<&String> = changed
            .iter()
            .filter(|name| ct.field(name).is_some_and(|f| !f.attribute.localized))
            .collect();
        let shared_links: Vec<(&crate::schema::registry::Link, &Vec<Target>)> = ct
            .owned_links()
            .filter(|(field, _)| !field.attribute.localized)
            .filter_map(|(field, link)| match link_lists.get(field.name()) {
                Some((list, true)) => Some((link, list)),
                _ => None,
            })
            .collect();
        if shared_columns.is_empty() && shared_links.is_empty() {
            return Ok(());
        }
        let siblings = Query::select()
            .column(Alias::new(ID))
            .from(Alias::new(&ct.table))
            .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
            .and_where(Expr::col(Alias::new(PUBLISHED)).eq(self.editable_published()))
            .and_where(Expr::col(Alias::new(LOCALE)).ne(locale))
            .and_where(Expr::col(Alias::new(ID)).ne(row_id))
            .to_owned();
        let sibling_ids: Vec<i64> = txn
            .query_all(&siblings)
            .await?
            .iter()
            .map(|row| row.try_get_by_index::<i64>(0))
            .collect::<std::result::Result<_, _>>()?;
        if !shared_columns.is_empty() && !sibling_ids.is_empty() {
            let mut update = Query::update();
            update
                .table(Alias::new(&ct.table))
                .and_where(Expr::col(Alias::new(ID)).is_in(sibling_ids.clone()));
            for name in shared_columns {
                self.set_column(&mut update, name, values)?;
            }
            txn.execute(&update).await.map_err(|e| self.classify(e))?;
        }
        for sibling in sibling_ids {
            for (link, list) in &shared_links {
                links::replace(txn, link, sibling, list).await?;
            }
        }
        Ok(())
    }

    /// Fills empty uid fields from their target field, kept unique.
    async fn generate_uids(
        &self,
        txn: &DatabaseTransaction,
        values: &mut Map<String, Value>,
        changed: &mut Vec<String>,
        locale: &str,
        published: bool,
        document_id: &str,
    ) -> Result<()> {
        for field in &self.content_type.fields {
            let Some(target) = field
                .attribute
                .kind
                .scalar()
                .and_then(|scalar| scalar.source_field())
            else {
                continue;
            };
            if !is_empty(values.get(field.name())) {
                continue;
            }
            let Some(source) = values
                .get(target)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            let scope = uid::Scope {
                content_type: &self.content_type,
                field,
                locale,
                published,
                document_id,
            };
            if let Some(slug) = uid::available(txn, &scope, source).await? {
                values.insert(field.name().to_owned(), Value::String(slug));
                changed.push(field.name().to_owned());
            }
        }
        Ok(())
    }

    fn check_required(
        &self,
        values: &Map<String, Value>,
        link_lists: &BTreeMap<String, (Vec<Target>, bool)>,
        errors: &mut ValidationErrors,
    ) {
        for field in &self.content_type.fields {
            if !field.attribute.required {
                continue;
            }
            let missing = match field.storage {
                Storage::Column(_) if field.attribute.kind.is_secret() => false,
                Storage::Column(_) => is_empty(values.get(field.name())),
                Storage::Links => link_lists
                    .get(field.name())
                    .is_none_or(|(list, _)| list.is_empty()),
                Storage::Inverse => false,
            };
            if missing {
                errors.push(Path::from(field.name()), "this field is required");
            }
        }
    }

    /// Unique fields whose value another document already uses in the same
    /// locale and state.
    #[allow(clippy::too_many_arguments)]
    async fn check_unique(
        &self,
        txn: &DatabaseTransaction,
        values: &Map<String, Value>,
        changed: &[String],
        locale: &str,
        published: bool,
        document_id: &str,
        errors: &mut ValidationErrors,
    ) -> Result<()> {
        for name in changed {
            let Some(field) = self.content_type.field(name) else {
                continue;
            };
            let (true, Some(column_type)) = (field.attribute.unique, field.column_type()) else {
                continue;
            };
            let Some(value) = values.get(name).filter(|v| !v.is_null()) else {
                continue;
            };
            let taken = txn
                .query_one(
                    &Query::select()
                        .expr(Expr::val(1))
                        .from(Alias::new(&self.content_type.table))
                        .and_where(
                            Expr::col(Alias::new(&field.column)).eq(codec::bind(
                                column_type,
                                value,
                            )
                            .map_err(Error::internal)?),
                        )
                        .and_where(Expr::col(Alias::new(LOCALE)).eq(locale))
                        .and_where(Expr::col(Alias::new(PUBLISHED)).eq(published))
                        .and_where(Expr::col(Alias::new(DOCUMENT_ID)).ne(document_id))
                        .limit(1)
                        .to_owned(),
                )
                .await?;
            if taken.is_some() {
                errors.push(
                    Path::from(name.as_str()),
                    "this value is already used by another entry",
                );
            }
        }
        Ok(())
    }

    /// A unique violation that got past the checks (a concurrent write)
    /// becomes the same validation error; other database errors pass.
    fn classify(&self, error: DbErr) -> Error {
        if let Some(message) = unique_violation(&error) {
            let ct = &self.content_type;
            for field in &ct.fields {
                let index = index_name("uq", &ct.table, &field.column);
                let sqlite_form = format!("{}.{}", ct.table, field.column);
                if field.attribute.unique
                    && (message.contains(&index) || message.contains(&sqlite_form))
                {
                    return Error::field(
                        field.name(),
                        "this value is already used by another entry",
                    );
                }
            }
        }
        Error::Database(error)
    }

    fn max_versions(&self) -> u32 {
        self.max_versions
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
