//! Draft & publish: a document's draft row is what editors change; publishing
//! copies it (values and links) to the published row the delivery API reads.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::{Map, Value};

use super::links;
use super::rows::Row;
use super::validate::is_empty;
use super::versions::Reason;
use super::versions::snapshot;
use super::{Entries, Entry, Status, WriteOptions};
use crate::db::entities::version;
use crate::error::{Error, Path, Result, ValidationErrors};
use crate::schema::column::Storage;
use crate::schema::system::{
    CREATED_AT, CREATED_BY_ID, DOCUMENT_ID, ID, INSERTED, LOCALE, PUBLISHED, UPDATED_AT,
};
use crate::time::now;

/// Where a document stands with its readers, in one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// Not published (never, or unpublished since).
    Draft,
    /// Published as its draft is.
    Published,
    /// Published, and its draft changed since.
    Modified,
}

impl Entries {
    /// Publishes the draft of a document in one locale. The draft must pass
    /// full validation, required fields included.
    pub async fn publish(&self, document_id: &str, options: &WriteOptions) -> Result<Entry> {
        self.require_draft_and_publish()?;
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        self.check_version(&txn, document_id, &locale, options.expected_version)
            .await?;
        self.publish_in(&txn, document_id, &locale, options.actor)
            .await?;
        self.commit(txn).await?;
        self.read_state(document_id, &locale, Status::Published)
            .await
    }

    /// Where each of these documents stands in `locale` (the default when
    /// `None`). A published document is modified when its newest version is
    /// an edit of its draft rather than the publication itself (or a discard
    /// back to it): versions, not clocks, so two saves in one millisecond
    /// still tell. Documents not found are left out; types without draft &
    /// publish are always published.
    pub async fn publication(
        &self,
        document_ids: &[String],
        locale: Option<&str>,
    ) -> Result<HashMap<String, Publication>> {
        let conn = self.db.conn();
        let locale = self.locale(conn, locale).await?;
        let ct = &self.content_type;
        let ids = || document_ids.iter().map(String::as_str);
        let rows = conn
            .query_all(
                &Query::select()
                    .column(Alias::new(DOCUMENT_ID))
                    .column(Alias::new(PUBLISHED))
                    .from(Alias::new(&ct.table))
                    .and_where(Expr::col(Alias::new(LOCALE)).eq(locale.as_str()))
                    .and_where(Expr::col(Alias::new(DOCUMENT_ID)).is_in(ids()))
                    .to_owned(),
            )
            .await?;
        let mut states = HashMap::new();
        for row in rows {
            let document_id: String = row.try_get_by_index(0)?;
            let published: bool = row.try_get_by_index(1)?;
            let state = states.entry(document_id).or_insert(Publication::Draft);
            if published || !ct.draft_and_publish {
                *state = Publication::Published;
            }
        }
        if !ct.draft_and_publish {
            return Ok(states);
        }
        let newest: Vec<i64> = version::Entity::find()
            .select_only()
            .column_as(version::Column::Id.max(), "id")
            .filter(version::Column::TypeUid.eq(ct.uid.as_str()))
            .filter(version::Column::Locale.eq(locale.as_str()))
            .filter(version::Column::DocumentId.is_in(ids()))
            .group_by(version::Column::DocumentId)
            .into_tuple()
            .all(conn)
            .await?;
        let reasons: Vec<(String, String)> = version::Entity::find()
            .select_only()
            .columns([version::Column::DocumentId, version::Column::Reason])
            .filter(version::Column::Id.is_in(newest))
            .into_tuple()
            .all(conn)
            .await?;
        for (document_id, reason) in reasons {
            let edited = reason != Reason::Publish.as_str() && reason != Reason::Discard.as_str();
            if let Some(state) = states.get_mut(&document_id)
                && *state == Publication::Published
                && edited
            {
                *state = Publication::Modified;
            }
        }
        Ok(states)
    }

    /// Removes the published row; the draft stays.
    pub async fn unpublish(&self, document_id: &str, options: &WriteOptions) -> Result<Entry> {
        self.require_draft_and_publish()?;
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        self.check_version(&txn, document_id, &locale, options.expected_version)
            .await?;
        // Says why when there is nothing to unpublish: no such document, or
        // one that is not published.
        self.row(&txn, document_id, &locale, true).await?;
        self.unpublish_in(&txn, document_id, &locale).await?;
        self.commit(txn).await?;
        self.read_state(document_id, &locale, Status::Draft).await
    }

    /// Publishes the drafts of several documents in one locale, all or
    /// none: the validation errors of every document are reported, each
    /// under its documentId. Returns how many were published.
    pub async fn publish_many(
        &self,
        document_ids: &[String],
        options: &WriteOptions,
    ) -> Result<u64> {
        self.require_draft_and_publish()?;
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        let mut errors = ValidationErrors::default();
        for document_id in document_ids {
            match self
                .publish_in(&txn, document_id, &locale, options.actor)
                .await
            {
                Ok(()) => {}
                Err(Error::Validation(invalid)) => errors.extend(invalid.under(document_id)),
                Err(other) => return Err(other),
            }
        }
        errors.into_result()?;
        self.commit(txn).await?;
        Ok(document_ids.len() as u64)
    }

    /// Unpublishes several documents in one locale in one transaction;
    /// those not published are left as they are. Returns how many were.
    pub async fn unpublish_many(
        &self,
        document_ids: &[String],
        options: &WriteOptions,
    ) -> Result<u64> {
        self.require_draft_and_publish()?;
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        let mut unpublished = 0;
        for document_id in document_ids {
            if self.unpublish_in(&txn, document_id, &locale).await? {
                unpublished += 1;
            }
        }
        self.commit(txn).await?;
        Ok(unpublished)
    }

    /// Deletes a document's published row in `locale`; false when it has none.
    async fn unpublish_in(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
    ) -> Result<bool> {
        let deleted = txn
            .execute(
                &Query::delete()
                    .from_table(Alias::new(&self.content_type.table))
                    .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
                    .and_where(Expr::col(Alias::new(LOCALE)).eq(locale))
                    .and_where(Expr::col(Alias::new(PUBLISHED)).eq(true))
                    .to_owned(),
            )
            .await?;
        Ok(deleted.rows_affected() > 0)
    }

    /// Resets the draft to the published version.
    pub async fn discard_draft(&self, document_id: &str, options: &WriteOptions) -> Result<Entry> {
        self.require_draft_and_publish()?;
        let txn = self.db.begin_write().await?;
        let locale = self.locale(&txn, options.locale.as_deref()).await?;
        self.check_version(&txn, document_id, &locale, options.expected_version)
            .await?;
        let published = self.row(&txn, document_id, &locale, true).await?;
        let draft = self.row(&txn, document_id, &locale, false).await?;
        self.delete_row(&txn, draft.id).await?;
        let new_draft = self
            .copy_row(&txn, &published, false, options.actor)
            .await?;
        self.record_version(&txn, new_draft, Reason::Discard, options.actor)
            .await?;
        self.commit(txn).await?;
        self.read_state(document_id, &locale, Status::Draft).await
    }

    pub(super) async fn publish_in(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
        actor: Option<i64>,
    ) -> Result<()> {
        let draft = self.row(txn, document_id, locale, false).await?;
        self.check_publishable(txn, &draft).await?;
        if let Some(previous) = self.reader().find(txn, document_id, locale, true).await? {
            self.delete_row(txn, previous.id).await?;
        }
        let published = self.copy_row(txn, &draft, true, actor).await?;
        self.record_version(txn, published, Reason::Publish, actor)
            .await
    }

    /// Full validation of a stored draft: its snapshot is valid input, checked
    /// with required fields enforced.
    async fn check_publishable(&self, txn: &DatabaseTransaction, draft: &Row) -> Result<()> {
        let data = snapshot(txn, &self.content_type, draft).await?;
        self.publish_problems(txn, &data).await?.into_result()?;
        Ok(())
    }

    /// Everything that keeps `data`, a whole document, from being
    /// published: required fields left empty, anywhere, and invalid values.
    async fn publish_problems(
        &self,
        txn: &DatabaseTransaction,
        data: &Map<String, Value>,
    ) -> Result<ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for field in &self.content_type.fields {
            if field.attribute.required
                && field.storage != Storage::Inverse
                && !field.attribute.kind.is_secret()
                && is_empty(data.get(field.name()))
            {
                errors.push(Path::from(field.name()), "this field is required");
            }
        }
        match self
            .validator(true)
            .prepare(txn, &self.content_type, data)
            .await
        {
            Ok(_) => {}
            Err(Error::Validation(nested)) => errors.extend(nested),
            Err(other) => return Err(other),
        }
        Ok(errors)
    }

    /// The errors of a write that was to publish too and whose values were
    /// refused, with what publishing would refuse as well (required fields
    /// elsewhere), so that an editor sees every failing field at once.
    /// `merged` is the document as the write would have left it.
    pub(super) async fn with_publish_problems(
        &self,
        txn: &DatabaseTransaction,
        mut errors: ValidationErrors,
        merged: &Map<String, Value>,
    ) -> Result<ValidationErrors> {
        for problem in self.publish_problems(txn, merged).await?.errors {
            if !errors.errors.iter().any(|e| e.path == problem.path) {
                errors.errors.push(problem);
            }
        }
        Ok(errors)
    }

    /// A document's editable state in `locale` with `data` written over it,
    /// as a whole document.
    pub(super) async fn merged(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
        data: &Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        let editable = Status::Draft.reads_published(&self.content_type);
        let mut merged = match self
            .reader()
            .find(txn, document_id, locale, editable)
            .await?
        {
            Some(row) => snapshot(txn, &self.content_type, &row).await?,
            None => Map::new(),
        };
        merged.extend(data.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(merged)
    }

    /// Inserts a copy of `source` (all columns, passwords included, and its
    /// links) in the other state; returns the new row's id. A published copy
    /// is updated now; a draft copied back from its published row (a
    /// discard) keeps that row's time: it holds the content of then.
    async fn copy_row(
        &self,
        txn: &DatabaseTransaction,
        source: &Row,
        published: bool,
        actor: Option<i64>,
    ) -> Result<i64> {
        let ct = &self.content_type;
        let timestamp = now();
        let mut columns: Vec<Alias> = INSERTED.iter().map(|c| Alias::new(*c)).collect();
        let mut select = Query::select();
        select
            .column(Alias::new(DOCUMENT_ID))
            .column(Alias::new(LOCALE))
            .expr(Expr::val(published))
            .expr(Expr::value(if published { Some(timestamp) } else { None }))
            .column(Alias::new(CREATED_AT));
        if published {
            select.expr(Expr::val(timestamp));
        } else {
            select.column(Alias::new(UPDATED_AT));
        }
        select
            .column(Alias::new(CREATED_BY_ID))
            .expr(Expr::val(actor.or(source.updated_by_id)))
            .from(Alias::new(&ct.table))
            .and_where(Expr::col(Alias::new(ID)).eq(source.id));
        for (field, _) in ct.column_fields() {
            columns.push(Alias::new(&field.column));
            select.column(Alias::new(&field.column));
        }
        let insert = Query::insert()
            .into_table(Alias::new(&ct.table))
            .columns(columns)
            .select_from(select)
            .map_err(|e| Error::internal(e.to_string()))?
            .returning_col(Alias::new(ID))
            .to_owned();
        let row = txn
            .query_one(&insert)
            .await
            .map_err(|e| self.classify(e))?
            .ok_or_else(|| Error::internal("insert returned no id"))?;
        let id = row.try_get_by_index::<i64>(0)?;
        links::copy_all(txn, ct, source.id, id).await?;
        Ok(id)
    }

    async fn delete_row(&self, txn: &DatabaseTransaction, id: i64) -> Result<()> {
        txn.execute(
            &Query::delete()
                .from_table(Alias::new(&self.content_type.table))
                .and_where(Expr::col(Alias::new(ID)).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn row(
        &self,
        conn: &impl ConnectionTrait,
        document_id: &str,
        locale: &str,
        published: bool,
    ) -> Result<Row> {
        match self
            .reader()
            .find(conn, document_id, locale, published)
            .await?
        {
            Some(row) => Ok(row),
            None if published
                && self
                    .reader()
                    .find(conn, document_id, locale, false)
                    .await?
                    .is_some() =>
            {
                Err(Error::InvalidState(format!(
                    "{} `{document_id}` is not published",
                    self.content_type.display_name()
                )))
            }
            None => Err(self.not_found(document_id, Some(locale.to_owned()))),
        }
    }

    pub(super) async fn read_state(
        &self,
        document_id: &str,
        locale: &str,
        status: Status,
    ) -> Result<Entry> {
        let read = super::ReadOptions {
            locale: Some(locale.to_owned()).filter(|l| !l.is_empty()),
            status,
            include_private: true,
            ..super::ReadOptions::default()
        };

        self.find_one(document_id, &read)
            .await?
            .ok_or_else(|| self.not_found(document_id, Some(locale.to_owned())))
    }

    fn require_draft_and_publish(&self) -> Result<()> {
        if self.content_type.draft_and_publish {
            Ok(())
        } else {
            Err(Error::InvalidState(format!(
                "{} does not use draft & publish",
                self.content_type.display_name()
            )))
        }
    }
}
