//! Writing documents: create, update, delete, and the one routine that
//! writes a row with its links, its generated uids, the values it shares
//! with the document's other locales, and the checks that need the stored
//! entry (required fields, uniqueness).

use std::collections::BTreeMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, TransactionTrait};
use serde_json::{Map, Value};

use super::Entries;
use super::links;
use super::options::{LocaleScope, WriteOptions};
use super::populate::Entry;
use super::rows::Row;
use super::uid;
use super::validate::{Prepared, Target, is_empty};
use super::versions::{self, Reason};
use crate::db::errors::unique_violation;
use crate::db::scalar_i64;
use crate::error::{Error, Path, Result, ValidationErrors};
use crate::locales;
use crate::query::Status;
use crate::schema::TypeKind;
use crate::schema::attribute::Kind;
use crate::schema::codec;
use crate::schema::column::Storage;
use crate::schema::naming::index_name;
use crate::schema::system::{
    DOCUMENT_ID, ID, INSERTED, LOCALE, PUBLISHED, UPDATED_AT, UPDATED_BY_ID, new_document_id,
};
use crate::time::now;

impl Entries {
    /// Creates a document. With draft & publish it starts as a draft (and is
    /// published too when `options.publish`).
    pub async fn create(&self, data: &Map<String, Value>, options: &WriteOptions) -> Result<Entry> {
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        let document_id = match self.create_in(&txn, &locale, data, options).await {
            Err(Error::Validation(errors))
                if options.publish && self.content_type.draft_and_publish =>
            {
                return Err(Error::Validation(
                    self.with_publish_problems(&txn, errors, data).await?,
                ));
            }
            other => other?,
        };
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

    /// The body of `create`, inside the caller's transaction; the new
    /// document's id.
    pub(super) async fn create_in(
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
        let target = RowTarget {
            document_id: &document_id,
            locale,
            existing: None,
            template: None,
            actor: options.actor,
        };
        let row_id = self.write(txn, target, prepared).await?;
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
        self.check_version(&txn, document_id, &locale, options.expected_version)
            .await?;
        let updated = self
            .update_in(
                &txn,
                document_id,
                &locale,
                data,
                options.actor,
                Reason::Update,
            )
            .await;
        match updated {
            Err(Error::Validation(errors))
                if options.publish && self.content_type.draft_and_publish =>
            {
                let merged = self.merged(&txn, document_id, &locale, data).await?;
                return Err(Error::Validation(
                    self.with_publish_problems(&txn, errors, &merged).await?,
                ));
            }
            other => other?,
        };
        if options.publish && self.content_type.draft_and_publish {
            self.publish_in(&txn, document_id, &locale, options.actor)
                .await?;
        }
        self.commit(txn).await?;
        self.written(document_id, &locale, options).await
    }

    /// Checks `data` as `create` (without `document_id`) or `update` would,
    /// and as publishing would when `options.publish`, and writes nothing:
    /// for forms that found problems of their own and report the engine's
    /// beside them, all at once.
    pub async fn check(
        &self,
        document_id: Option<&str>,
        data: &Map<String, Value>,
        options: &WriteOptions,
    ) -> Result<()> {
        let ct = &self.content_type;
        // Rolled back when dropped: the check writes nothing.
        let txn = self.db.conn().begin().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        let errors = match self.validator(false).prepare(&txn, ct, data).await {
            Ok(_) => ValidationErrors::default(),
            Err(Error::Validation(errors)) => errors,
            Err(other) => return Err(other),
        };
        let errors = if options.publish && ct.draft_and_publish {
            let merged = match document_id {
                Some(document_id) => self.merged(&txn, document_id, &locale, data).await?,
                None => data.clone(),
            };
            self.with_publish_problems(&txn, errors, &merged).await?
        } else {
            errors
        };
        errors.into_result()?;
        Ok(())
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

    pub(super) async fn update_in(
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
        // Edits go to the rows a read of drafts sees.
        let editable = Status::Draft.reads_published(ct);
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
        let target = RowTarget {
            document_id,
            locale,
            existing,
            template,
            actor,
        };
        let row_id = self.write(txn, target, prepared).await?;
        self.record_version(txn, row_id, reason, actor).await?;
        Ok(row_id)
    }

    /// Deletes a document in some locales (all states). Deleting its last
    /// locale removes the document: links pointing at it go too.
    pub async fn delete(&self, document_id: &str, scope: LocaleScope) -> Result<u64> {
        let txn = self.db.begin_write().await?;
        let locale = self.deleted_locale(&txn, &scope).await?;
        let deleted = self.delete_in(&txn, document_id, locale.as_deref()).await?;
        self.commit(txn).await?;
        Ok(deleted)
    }

    /// Deletes several documents in some locales in one transaction, all or
    /// none. Returns how many rows went.
    pub async fn delete_many(&self, document_ids: &[String], scope: LocaleScope) -> Result<u64> {
        let txn = self.db.begin_write().await?;
        let locale = self.deleted_locale(&txn, &scope).await?;
        let mut deleted = 0;
        for document_id in document_ids {
            deleted += self.delete_in(&txn, document_id, locale.as_deref()).await?;
        }
        self.commit(txn).await?;
        Ok(deleted)
    }

    /// The one locale a delete removes; `None` for all of them (and in
    /// types without locales).
    async fn deleted_locale(
        &self,
        conn: &impl ConnectionTrait,
        scope: &LocaleScope,
    ) -> Result<Option<String>> {
        Ok(match (scope, self.content_type.localized) {
            (_, false) | (LocaleScope::All, true) => None,
            (LocaleScope::Default, true) => Some(locales::default_code(conn).await?),
            (LocaleScope::One(code), true) => Some(code.clone()),
        })
    }

    /// The rows of a document in `locale` (all when `None`), its versions
    /// there, and — when it was its last locale — the links to it.
    async fn delete_in(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: Option<&str>,
    ) -> Result<u64> {
        let ct = &self.content_type;
        let table = Alias::new(&ct.table);
        let mut condition = Query::delete();
        condition
            .from_table(table.clone())
            .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id));
        if let Some(locale) = locale {
            condition.and_where(Expr::col(Alias::new(LOCALE)).eq(locale));
        }
        let deleted = txn.execute(&condition).await?.rows_affected();
        if deleted == 0 {
            return Err(self.not_found(document_id, locale.map(str::to_owned)));
        }
        let remaining = scalar_i64(
            txn,
            &Query::select()
                .expr(Func::count(Expr::col(Alias::new(ID))))
                .from(table)
                .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
                .to_owned(),
        )
        .await?
        .unwrap_or(0);
        if remaining == 0 {
            links::forget_document(txn, &self.schema, &ct.uid, document_id).await?;
        }
        versions::forget(txn, &ct.uid, document_id, locale.filter(|_| remaining > 0)).await?;
        Ok(deleted)
    }

    /// The entry just written, in the state the write left it in.
    pub(super) async fn written(
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

    /// Writes the editable row of a document in one locale: the row itself,
    /// its links, the shared values of the other locales and inverse links.
    pub(super) async fn write(
        &self,
        txn: &DatabaseTransaction,
        target: RowTarget<'_>,
        prepared: Prepared,
    ) -> Result<i64> {
        let ct = &self.content_type;
        let RowTarget {
            document_id,
            locale,
            existing,
            template,
            actor,
        } = target;
        let published = Status::Draft.reads_published(ct);
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
        self.generate_uids(txn, &target, &mut values, &mut changed)
            .await?;

        // Owned links: what each field will hold.
        let mut link_lists = LinkLists::new();
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

        let row = RowValues {
            values,
            changed,
            links: link_lists,
        };
        if !ct.draft_and_publish {
            self.check_required(&row, &mut errors);
        }
        self.check_unique(txn, &target, &row, &mut errors).await?;
        errors.into_result()?;

        let timestamp = now();
        let row_id = match existing {
            Some(existing) => {
                let mut update = Query::update();
                update
                    .table(Alias::new(&ct.table))
                    .value(Alias::new(UPDATED_AT), timestamp)
                    .value(Alias::new(UPDATED_BY_ID), actor)
                    .and_where(Expr::col(Alias::new(ID)).eq(existing.id));
                for name in &row.changed {
                    self.set_column(&mut update, name, &row.values)?;
                }
                txn.execute(&update).await.map_err(|e| self.classify(e))?;
                existing.id
            }
            None => {
                let mut columns: Vec<Alias> = INSERTED.iter().map(|c| Alias::new(*c)).collect();
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
                    let value = match row.values.get(field.name()) {
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
                txn.query_one(&insert)
                    .await
                    .map_err(|e| self.classify(e))?
                    .ok_or_else(|| Error::internal("insert returned no id"))?
                    .try_get_by_index::<i64>(0)?
            }
        };

        for (field, link) in ct.owned_links() {
            let Some((list, touched)) = row.links.get(field.name()) else {
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
            self.share_across_locales(txn, &target, row_id, &row)
                .await?;
        }
        for (name, input) in &prepared.links {
            if let Some(field) = ct.field(name).filter(|f| f.storage == Storage::Inverse) {
                links::write_inverse(txn, &self.schema, field, document_id, locale, input).await?;
            }
        }
        Ok(row_id)
    }

    pub(super) fn set_column(
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
    pub(super) async fn share_across_locales(
        &self,
        txn: &DatabaseTransaction,
        target: &RowTarget<'_>,
        row_id: i64,
        row: &RowValues,
    ) -> Result<()> {
        let ct = &self.content_type;
        let shared_columns: Vec<&String> = row
            .changed
            .iter()
            .filter(|name| ct.field(name).is_some_and(|f| !f.attribute.localized))
            .collect();
        let shared_links: Vec<(&crate::schema::registry::Link, &Vec<Target>)> = ct
            .owned_links()
            .filter(|(field, _)| !field.attribute.localized)
            .filter_map(|(field, link)| match row.links.get(field.name()) {
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
            .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(target.document_id))
            .and_where(Expr::col(Alias::new(PUBLISHED)).eq(Status::Draft.reads_published(ct)))
            .and_where(Expr::col(Alias::new(LOCALE)).ne(target.locale))
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
                self.set_column(&mut update, name, &row.values)?;
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
    pub(super) async fn generate_uids(
        &self,
        txn: &DatabaseTransaction,
        target: &RowTarget<'_>,
        values: &mut Map<String, Value>,
        changed: &mut Vec<String>,
    ) -> Result<()> {
        for field in &self.content_type.fields {
            let Some(source_field) = field.attribute.kind.source_field() else {
                continue;
            };
            if !is_empty(values.get(field.name())) {
                continue;
            }
            let Some(source) = values
                .get(source_field)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            let scope = uid::Scope {
                content_type: &self.content_type,
                field,
                locale: target.locale,
                published: Status::Draft.reads_published(&self.content_type),
                document_id: target.document_id,
            };
            if let Some(slug) = uid::available(txn, &scope, source).await? {
                values.insert(field.name().to_owned(), Value::String(slug));
                changed.push(field.name().to_owned());
            }
        }
        Ok(())
    }

    pub(super) fn check_required(&self, row: &RowValues, errors: &mut ValidationErrors) {
        for field in &self.content_type.fields {
            if !field.attribute.required {
                continue;
            }
            let missing = match field.storage {
                Storage::Column(_) if field.attribute.kind.is_secret() => false,
                Storage::Column(_) => is_empty(row.values.get(field.name())),
                Storage::Links => row
                    .links
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
    pub(super) async fn check_unique(
        &self,
        txn: &DatabaseTransaction,
        target: &RowTarget<'_>,
        row: &RowValues,
        errors: &mut ValidationErrors,
    ) -> Result<()> {
        let published = Status::Draft.reads_published(&self.content_type);
        for name in &row.changed {
            let Some(field) = self.content_type.field(name) else {
                continue;
            };
            let (true, Some(column_type)) = (field.attribute.unique, field.column_type()) else {
                continue;
            };
            let Some(value) = row.values.get(name).filter(|v| !v.is_null()) else {
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
                        .and_where(Expr::col(Alias::new(LOCALE)).eq(target.locale))
                        .and_where(Expr::col(Alias::new(PUBLISHED)).eq(published))
                        .and_where(Expr::col(Alias::new(DOCUMENT_ID)).ne(target.document_id))
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
    pub(super) fn classify(&self, error: DbErr) -> Error {
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
}

/// Where a write lands: the editable row of a document in one locale.
#[derive(Debug, Clone, Copy)]
pub(super) struct RowTarget<'a> {
    pub document_id: &'a str,
    pub locale: &'a str,
    /// The row it changes; `None` writes a new one (a new document, or a
    /// locale the document lacks).
    pub existing: Option<&'a Row>,
    /// The row a new locale starts from, for the values all locales share.
    pub template: Option<&'a Row>,
    /// The admin user making the change.
    pub actor: Option<i64>,
}

/// What each owned link field will hold, and whether the write changes it.
type LinkLists = BTreeMap<String, (Vec<Target>, bool)>;

/// A row about to be written: its column values by attribute name, the
/// names whose values change, and its links.
pub(super) struct RowValues {
    values: Map<String, Value>,
    changed: Vec<String>,
    links: LinkLists,
}
