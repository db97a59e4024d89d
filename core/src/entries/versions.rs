//! Versions: a JSON snapshot of a row after every save and publish, to show
//! history, compare and restore.

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;
use serde_json::{Map, Value};

use super::links;
use super::rows::Row;
use super::{Entries, Entry, Status, WriteOptions};
use crate::auth::admin_users;
use crate::db::Backend;
use crate::db::entities::version;
use crate::error::{Error, Result};
use crate::schema::attribute::Kind;
use crate::schema::column::Storage;
use crate::schema::registry::ContentType;
use crate::schema::system::{DOCUMENT_ID, ID, LOCALE, PUBLISHED};
use crate::time::{format_datetime, now};

/// The status versions of a document's editable state are kept under:
/// the draft, or the only row of a type without draft & publish.
const EDITED: &str = "draft";

/// Why a version was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reason {
    Create,
    Update,
    Publish,
    Discard,
    Restore,
}

impl Reason {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Reason::Create => "create",
            Reason::Update => "update",
            Reason::Publish => "publish",
            Reason::Discard => "discard",
            Reason::Restore => "restore",
        }
    }
}

/// A version without its data, for history lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionSummary {
    pub id: i64,
    pub document_id: String,
    pub locale: Option<String>,
    pub status: Status,
    pub reason: String,
    pub created_at: String,
    pub created_by: Option<i64>,
}

/// A version with its snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    #[serde(flatten)]
    pub summary: VersionSummary,
    /// The entry's fields as they were: values, relation documentIds, file ids.
    pub data: Map<String, Value>,
}

fn summary(model: &version::Model) -> VersionSummary {
    VersionSummary {
        id: model.id,
        document_id: model.document_id.clone(),
        locale: Some(model.locale.clone()).filter(|l| !l.is_empty()),
        status: if model.status == "published" {
            Status::Published
        } else {
            Status::Draft
        },
        reason: model.reason.clone(),
        created_at: format_datetime(model.created_at),
        created_by: model.created_by_id,
    }
}

/// The fields of a row as input data: what a restore writes back.
pub async fn snapshot(
    conn: &impl ConnectionTrait,
    content_type: &ContentType,
    row: &Row,
) -> Result<Map<String, Value>> {
    let mut data = Map::new();
    for field in &content_type.fields {
        match (&field.storage, &field.link) {
            (Storage::Column(_), _) => {
                if let Some(value) = row.values.get(field.name()) {
                    data.insert(field.name().to_owned(), value.clone());
                }
            }
            (Storage::Links, Some(link)) => {
                let multiple = match &field.attribute.kind {
                    Kind::Relation(relation) => relation.kind.is_multiple(),
                    Kind::Media(media) => media.multiple,
                    _ => false,
                };
                let targets = links::targets(conn, link, row.id).await?;
                data.insert(
                    field.name().to_owned(),
                    links::snapshot_value(&targets, multiple),
                );
            }
            _ => {}
        }
    }
    Ok(data)
}

/// Deletes the versions of a document (in one locale, or all).
pub async fn forget(
    conn: &impl ConnectionTrait,
    uid: &str,
    document_id: &str,
    locale: Option<&str>,
) -> Result<()> {
    let mut delete = version::Entity::delete_many()
        .filter(version::Column::TypeUid.eq(uid))
        .filter(version::Column::DocumentId.eq(document_id));
    if let Some(locale) = locale {
        delete = delete.filter(version::Column::Locale.eq(locale));
    }
    delete.exec(conn).await?;
    Ok(())
}

impl Entries {
    /// Records the state of row `row_id` as a version, and prunes old ones.
    pub(super) async fn record_version(
        &self,
        txn: &DatabaseTransaction,
        row_id: i64,
        reason: Reason,
        actor: Option<i64>,
    ) -> Result<()> {
        let ct = &self.content_type;
        let reader = self.reader();
        let mut select = reader.select();
        select.and_where(Expr::col((Alias::new(&ct.table), Alias::new(ID))).eq(row_id));
        let row = reader
            .fetch(txn, &select)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal(format!("row {row_id} vanished while saving")))?;
        let data = snapshot(txn, ct, &row).await?;
        version::ActiveModel {
            type_uid: Set(ct.uid.clone()),
            document_id: Set(row.document_id.clone()),
            locale: Set(row.locale.clone()),
            status: Set(if row.published && ct.draft_and_publish {
                "published"
            } else {
                EDITED
            }
            .to_owned()),
            reason: Set(reason.as_str().to_owned()),
            data: Set(Value::Object(data)),
            created_at: Set(now()),
            created_by_id: Set(actor),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        self.prune_versions(txn, &row.document_id, &row.locale)
            .await
    }

    async fn prune_versions(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
    ) -> Result<()> {
        let keep = u64::from(Ord::max(self.max_versions(), 1));
        let oldest_kept = txn
            .query_one(
                &Query::select()
                    .column(Alias::new(ID))
                    .from(Alias::new("cairn_versions"))
                    .and_where(Expr::col(Alias::new("type_uid")).eq(self.content_type.uid.as_str()))
                    .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
                    .and_where(Expr::col(Alias::new("locale")).eq(locale))
                    .order_by(Alias::new(ID), Order::Desc)
                    .limit(1)
                    .offset(keep - 1)
                    .to_owned(),
            )
            .await?;
        if let Some(row) = oldest_kept {
            let id = row.try_get_by_index::<i64>(0)?;
            version::Entity::delete_many()
                .filter(version::Column::TypeUid.eq(self.content_type.uid.as_str()))
                .filter(version::Column::DocumentId.eq(document_id))
                .filter(version::Column::Locale.eq(locale))
                .filter(version::Column::Id.lt(id))
                .exec(txn)
                .await?;
        }
        Ok(())
    }

    /// The newest version of a document's editable state (its draft, with
    /// draft & publish) in one locale: what an editor starts from, and what
    /// a write with `WriteOptions::expected_version` is checked against.
    pub async fn current_version(
        &self,
        document_id: &str,
        locale: Option<&str>,
    ) -> Result<Option<VersionSummary>> {
        let conn = self.db.conn();
        let locale = self.locale(conn, locale).await?;
        Ok(self
            .newest_edit(conn, document_id, &locale)
            .await?
            .as_ref()
            .map(summary))
    }

    async fn newest_edit(
        &self,
        conn: &impl ConnectionTrait,
        document_id: &str,
        locale: &str,
    ) -> Result<Option<version::Model>> {
        Ok(version::Entity::find()
            .filter(version::Column::TypeUid.eq(self.content_type.uid.as_str()))
            .filter(version::Column::DocumentId.eq(document_id))
            .filter(version::Column::Locale.eq(locale))
            .filter(version::Column::Status.eq(EDITED))
            .order_by_desc(version::Column::Id)
            .one(conn)
            .await?)
    }

    /// Refuses a write that started from another version than the newest
    /// (`expected`), naming who saved that one and when. The document's
    /// editable row is locked first on PostgreSQL, so two writers that
    /// started from one version cannot both pass; SQLite's write
    /// transactions already take turns.
    pub(super) async fn check_version(
        &self,
        txn: &DatabaseTransaction,
        document_id: &str,
        locale: &str,
        expected: Option<i64>,
    ) -> Result<()> {
        let Some(expected) = expected else {
            return Ok(());
        };
        if self.db.backend() == Backend::Postgres {
            let ct = &self.content_type;
            let mut lock = Query::select();
            lock.column(Alias::new(ID))
                .from(Alias::new(&ct.table))
                .and_where(Expr::col(Alias::new(DOCUMENT_ID)).eq(document_id))
                .and_where(Expr::col(Alias::new(LOCALE)).eq(locale))
                .and_where(Expr::col(Alias::new(PUBLISHED)).eq(Status::Draft.reads_published(ct)))
                .lock(LockType::Update);
            txn.query_all(&lock).await?;
        }
        match self.newest_edit(txn, document_id, locale).await? {
            Some(newest) if newest.id != expected => Err(Error::Conflict {
                version: newest.id,
                saved_at: format_datetime(newest.created_at),
                saved_by: match newest.created_by_id {
                    Some(id) => admin_users::name_of(txn, id).await?,
                    None => None,
                },
            }),
            _ => Ok(()),
        }
    }

    /// The versions of a document in one locale, newest first.
    pub async fn versions(
        &self,
        document_id: &str,
        locale: Option<&str>,
    ) -> Result<Vec<VersionSummary>> {
        let conn = self.db.conn();
        let locale = self.locale(conn, locale).await?;
        let models = version::Entity::find()
            .filter(version::Column::TypeUid.eq(self.content_type.uid.as_str()))
            .filter(version::Column::DocumentId.eq(document_id))
            .filter(version::Column::Locale.eq(locale.as_str()))
            .order_by_desc(version::Column::Id)
            .all(conn)
            .await?;
        Ok(models.iter().map(summary).collect())
    }

    /// One version of this type's documents, with its data.
    pub async fn version(&self, id: i64) -> Result<Version> {
        let model = version::Entity::find_by_id(id)
            .filter(version::Column::TypeUid.eq(self.content_type.uid.as_str()))
            .one(self.db.conn())
            .await?
            .ok_or(Error::VersionNotFound { id })?;
        let data = match &model.data {
            Value::Object(data) => data.clone(),
            _ => Map::new(),
        };
        Ok(Version {
            summary: summary(&model),
            data,
        })
    }

    /// Writes a version's data back into the document's editable state (its
    /// draft with draft & publish). Fields removed from the type since are
    /// skipped, and so are links to documents or files that no longer exist.
    pub async fn restore(&self, id: i64, actor: Option<i64>) -> Result<Entry> {
        let version = self.version(id).await?;
        let document_id = version.summary.document_id.clone();
        let locale = version.summary.locale.clone().unwrap_or_default();
        let txn = self.db.begin_write().await?;
        let mut data = Map::new();
        for (name, value) in version.data {
            let Some(field) = self.content_type.field(&name) else {
                continue;
            };
            let value = match (&field.storage, &field.attribute.kind) {
                (Storage::Inverse, _) => continue,
                (_, kind) if kind.is_secret() => continue,
                (Storage::Links, Kind::Relation(relation)) => {
                    self.existing_documents(&txn, &relation.target, value)
                        .await?
                }
                (Storage::Links, _) => self.existing_files(&txn, value).await?,
                _ => value,
            };
            data.insert(name, value);
        }
        self.update_in(&txn, &document_id, &locale, &data, actor, Reason::Restore)
            .await?;
        self.commit(txn).await?;
        self.written(
            &document_id,
            &locale,
            &WriteOptions {
                locale: Some(locale.clone()),
                actor,
                ..WriteOptions::default()
            },
        )
        .await
    }

    /// `value` (a documentId or a list of them) without the documents of
    /// `uid` that no longer exist.
    async fn existing_documents(
        &self,
        conn: &impl ConnectionTrait,
        uid: &str,
        value: Value,
    ) -> Result<Value> {
        let Some(target) = self.schema.content_type(uid) else {
            return Ok(Value::Null);
        };
        let ids: Vec<String> = match &value {
            Value::String(id) => vec![id.clone()],
            Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let rows = conn
            .query_all(
                &Query::select()
                    .distinct()
                    .column(Alias::new(DOCUMENT_ID))
                    .from(Alias::new(&target.table))
                    .and_where(Expr::col(Alias::new(DOCUMENT_ID)).is_in(ids))
                    .to_owned(),
            )
            .await?;
        let found: Vec<String> = rows
            .iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<std::result::Result<_, _>>()?;
        Ok(keep_found(value, |v| {
            v.as_str().is_some_and(|id| found.iter().any(|f| f == id))
        }))
    }

    async fn existing_files(&self, conn: &impl ConnectionTrait, value: Value) -> Result<Value> {
        let ids: Vec<i64> = match &value {
            Value::Number(n) => n.as_i64().into_iter().collect(),
            Value::Array(items) => items.iter().filter_map(Value::as_i64).collect(),
            _ => Vec::new(),
        };
        let rows = conn
            .query_all(
                &Query::select()
                    .column(Alias::new(ID))
                    .from(Alias::new(crate::schema::system::FILES_TABLE))
                    .and_where(Expr::col(Alias::new(ID)).is_in(ids))
                    .to_owned(),
            )
            .await?;
        let found: Vec<i64> = rows
            .iter()
            .map(|row| row.try_get_by_index::<i64>(0))
            .collect::<std::result::Result<_, _>>()?;
        Ok(keep_found(value, |v| {
            v.as_i64().is_some_and(|id| found.contains(&id))
        }))
    }
}

fn keep_found(value: Value, exists: impl Fn(&Value) -> bool) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().filter(|v| exists(v)).collect()),
        single if exists(&single) => single,
        _ => Value::Null,
    }
}
