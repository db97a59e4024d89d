//! The entries service of one content type: what every operation shares
//! (the database, the schema in force, the locale a request works in, the
//! commit that tells caches), and the document-level queries.

use std::sync::Arc;

use sea_orm::sea_query::{Alias, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityName};

use super::counts::CountCache;
use super::rows::RowReader;
use super::validate::Validator;
use crate::db::entities::version;
use crate::db::{Backend, Db};
use crate::error::{Error, Result};
use crate::events::{self, Changes};
use crate::locales;
use crate::query::{Readable, Resolver, Status};
use crate::schema::registry::{ContentType, Schema};
use crate::schema::system::{DOCUMENT_ID, ID};

/// The entries of one content type.
pub struct Entries {
    pub(super) db: Db,
    pub(super) schema: Arc<Schema>,
    pub(super) content_type: Arc<ContentType>,
    pub(super) max_versions: u32,
    pub(super) changes: Arc<Changes>,
    pub(super) default_locale: Arc<locales::DefaultLocale>,
    pub(super) counts: Arc<CountCache>,
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
    pub(super) async fn default_locale(&self, conn: &impl ConnectionTrait) -> Result<String> {
        self.default_locale.get(conn, self.changes.current()).await
    }

    /// Commits a write and signals the change to caches here and elsewhere.
    pub(super) async fn commit(&self, txn: DatabaseTransaction) -> Result<()> {
        events::notify(&txn, self.db.backend()).await?;
        txn.commit().await?;
        self.changes.bump();
        Ok(())
    }

    pub fn content_type(&self) -> &ContentType {
        &self.content_type
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

    /// The document id of a single type's entry, if it has one.
    pub async fn single_document_id(&self) -> Result<Option<String>> {
        self.any_document(self.db.conn()).await
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

    pub(super) fn reader(&self) -> RowReader<'_> {
        RowReader::new(&self.content_type, self.db.backend())
    }

    pub(super) fn validator(&self, enforce_required: bool) -> Validator<'_> {
        Validator::new(&self.schema, enforce_required)
    }

    /// Resolves a read's paths for a caller who may read `readable`.
    pub(super) fn resolver<'s>(
        &'s self,
        readable: &'s Readable,
        include_private: bool,
    ) -> Resolver<'s> {
        Resolver::new(&self.schema, readable, include_private)
    }

    /// The locale related documents are read in from this type's rows.
    pub(super) async fn related_locale(
        &self,
        conn: &impl ConnectionTrait,
        locale: &str,
    ) -> Result<String> {
        if locale.is_empty() {
            self.default_locale(conn).await
        } else {
            Ok(locale.to_owned())
        }
    }

    /// The locale a request works in: the given one (which must exist) or
    /// the default; empty for types that are not localized.
    pub(super) async fn locale(
        &self,
        conn: &impl ConnectionTrait,
        requested: Option<&str>,
    ) -> Result<String> {
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

    pub(super) async fn any_document(&self, conn: &impl ConnectionTrait) -> Result<Option<String>> {
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

    pub(super) fn not_found(&self, document_id: &str, locale: Option<String>) -> Error {
        Error::EntryNotFound {
            type_name: self.content_type.display_name().to_owned(),
            document_id: document_id.to_owned(),
            locale: locale.filter(|l| !l.is_empty()),
        }
    }

    pub(super) fn max_versions(&self) -> u32 {
        self.max_versions
    }
}
