//! Turning rows into entries, with the fields a reader asked to populate.
//!
//! Population is batched: for a page of rows, each populated field costs a
//! fixed number of queries (links, then their targets), whatever the page
//! size, and nested population recurses on the targets as one batch.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde_json::{Map, Value};

use super::Status;
use super::rows::{Row, RowReader};
use crate::db::Backend;
use crate::error::{Error, Result};
use crate::schema::attribute::Kind;
use crate::schema::registry::{ContentType, Field, Schema};
use crate::schema::system::{
    DOCUMENT_ID, FILE_ID, FILES_TABLE, ID, LOCALE, POSITION, PUBLISHED, SOURCE_ID,
    TARGET_DOCUMENT_ID,
};

/// An entry as the API returns it: `id`, `documentId`, the fields, the
/// timestamps and (in localized types) `locale`.
pub type Entry = Map<String, Value>;

/// Which relations, media, components and dynamic zones to include, each
/// with its own nested population.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Populate {
    pub fields: BTreeMap<String, Populate>,
}

impl Populate {
    /// Every populatable field of `content_type`, one level deep.
    pub fn all(content_type: &ContentType) -> Self {
        Populate {
            fields: content_type
                .fields
                .iter()
                .filter(|f| is_populatable(f))
                .map(|f| (f.name().to_owned(), Populate::default()))
                .collect(),
        }
    }

    /// Adds `name` with its own nested population.
    pub fn with(mut self, name: &str, nested: Populate) -> Self {
        self.fields.insert(name.to_owned(), nested);
        self
    }
}

/// Fields that are only returned when populated, as in Strapi.
pub fn is_populatable(field: &Field) -> bool {
    matches!(
        field.attribute.kind,
        Kind::Relation(_) | Kind::Media(_) | Kind::Component(_) | Kind::DynamicZone(_)
    )
}

/// How rows are read: in which state, which locale by default, and whether
/// private fields are included.
pub struct Reader<'a, C> {
    pub conn: &'a C,
    pub schema: &'a Schema,
    pub backend: Backend,
    pub status: Status,
    /// The locale relations resolve in when the source row has none.
    pub locale: String,
    pub include_private: bool,
}

impl<C: ConnectionTrait> Reader<'_, C> {
    /// Builds the entries of `rows` (all of `content_type`), populated.
    pub async fn entries(
        &self,
        content_type: &ContentType,
        rows: Vec<Row>,
        populate: &Populate,
    ) -> Result<Vec<Entry>> {
        let mut entries: Vec<Entry> = rows
            .iter()
            .map(|row| self.base_entry(content_type, row))
            .collect();
        for (name, nested) in &populate.fields {
            let field = content_type.field(name).ok_or_else(|| {
                Error::field(
                    ["populate", name.as_str()],
                    format!("`{name}` is not a field of {}", content_type.display_name()),
                )
            })?;
            let values = match &field.attribute.kind {
                Kind::Component(_) | Kind::DynamicZone(_) => rows
                    .iter()
                    .map(|row| row.values.get(name).cloned().unwrap_or(Value::Null))
                    .collect(),
                Kind::Media(media) => self.media(field, &rows, media.multiple).await?,
                Kind::Relation(relation) => {
                    let target = self.schema.content_type(&relation.target).ok_or_else(|| {
                        Error::internal(format!("missing target {}", relation.target))
                    })?;
                    let groups = if relation.is_owner() {
                        self.owned_relation(field, &rows, target, nested).await?
                    } else {
                        self.inverse_relation(field, &rows, target, nested).await?
                    };
                    groups
                        .into_iter()
                        .map(|group| {
                            if relation.kind.is_multiple() {
                                Value::Array(group.into_iter().map(Value::Object).collect())
                            } else {
                                group
                                    .into_iter()
                                    .next()
                                    .map(Value::Object)
                                    .unwrap_or(Value::Null)
                            }
                        })
                        .collect()
                }
                _ => {
                    return Err(Error::field(
                        ["populate", name.as_str()],
                        format!("`{name}` is not a relation, media, component or dynamic zone"),
                    ));
                }
            };
            for (entry, value) in entries.iter_mut().zip(values) {
                entry.insert(name.clone(), value);
            }
        }
        Ok(entries)
    }

    fn base_entry(&self, content_type: &ContentType, row: &Row) -> Entry {
        let mut entry = Map::new();
        entry.insert("id".into(), Value::from(row.id));
        entry.insert("documentId".into(), Value::String(row.document_id.clone()));
        for field in &content_type.fields {
            if is_populatable(field) || (field.attribute.private && !self.include_private) {
                continue;
            }
            if let Some(value) = row.values.get(field.name()) {
                entry.insert(field.name().to_owned(), value.clone());
            }
        }
        entry.insert("createdAt".into(), Value::String(row.created_at.clone()));
        entry.insert("updatedAt".into(), Value::String(row.updated_at.clone()));
        entry.insert(
            "publishedAt".into(),
            row.published_at
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null),
        );
        if content_type.localized {
            entry.insert("locale".into(), Value::String(row.locale.clone()));
        }
        entry
    }

    /// Which rows of `target` are read: same state as the request (the only
    /// row without draft & publish), in the source's locale when localized.
    fn target_scope(&self, target: &ContentType, source_locale: &str) -> (bool, String) {
        let published = self.status == Status::Published || !target.draft_and_publish;
        let locale = if !target.localized {
            String::new()
        } else if source_locale.is_empty() {
            self.locale.clone()
        } else {
            source_locale.to_owned()
        };
        (published, locale)
    }

    async fn owned_relation(
        &self,
        field: &Field,
        rows: &[Row],
        target: &ContentType,
        nested: &Populate,
    ) -> Result<Vec<Vec<Entry>>> {
        let Some(link) = &field.link else {
            return Ok(vec![Vec::new(); rows.len()]);
        };
        let source_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let select = Query::select()
            .columns([Alias::new(SOURCE_ID), Alias::new(TARGET_DOCUMENT_ID)])
            .from(Alias::new(&link.table))
            .and_where(Expr::col(Alias::new(SOURCE_ID)).is_in(source_ids))
            .order_by(Alias::new(SOURCE_ID), Order::Asc)
            .order_by(Alias::new(POSITION), Order::Asc)
            .order_by(Alias::new(ID), Order::Asc)
            .to_owned();
        let mut links: HashMap<i64, Vec<String>> = HashMap::new();
        for row in self.conn.query_all(&select).await? {
            links
                .entry(row.try_get_by_index::<i64>(0)?)
                .or_default()
                .push(row.try_get_by_index::<String>(1)?);
        }
        let wanted: Vec<(String, (bool, String))> = rows
            .iter()
            .flat_map(|row| {
                let scope = self.target_scope(target, &row.locale);
                links
                    .get(&row.id)
                    .into_iter()
                    .flatten()
                    .map(move |doc| (doc.clone(), scope.clone()))
            })
            .collect();
        let found = self.fetch_documents(target, &wanted, nested).await?;
        Ok(rows
            .iter()
            .map(|row| {
                let scope = self.target_scope(target, &row.locale);
                links
                    .get(&row.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|doc| found.get(&(doc.clone(), scope.clone())).cloned())
                    .collect()
            })
            .collect())
    }

    async fn inverse_relation(
        &self,
        field: &Field,
        rows: &[Row],
        owner: &ContentType,
        nested: &Populate,
    ) -> Result<Vec<Vec<Entry>>> {
        let Some(link) = &field.link else {
            return Ok(vec![Vec::new(); rows.len()]);
        };
        let documents: BTreeSet<String> = rows.iter().map(|r| r.document_id.clone()).collect();
        let scopes: BTreeSet<(bool, String)> = rows
            .iter()
            .map(|r| self.target_scope(owner, &r.locale))
            .collect();
        let (o, l) = (Alias::new("o"), Alias::new("l"));
        let mut select = Query::select();
        select
            .column((l.clone(), Alias::new(TARGET_DOCUMENT_ID)))
            .column((o.clone(), Alias::new(ID)))
            .column((o.clone(), Alias::new(PUBLISHED)))
            .column((o.clone(), Alias::new(LOCALE)))
            .from_as(Alias::new(&link.table), l.clone())
            .join_as(
                JoinType::InnerJoin,
                Alias::new(&owner.table),
                o.clone(),
                Expr::col((o.clone(), Alias::new(ID))).equals((l.clone(), Alias::new(SOURCE_ID))),
            )
            .and_where(Expr::col((l, Alias::new(TARGET_DOCUMENT_ID))).is_in(documents))
            .and_where(
                Expr::col((o.clone(), Alias::new(LOCALE)))
                    .is_in(scopes.iter().map(|(_, locale)| locale.clone())),
            )
            .and_where(
                Expr::col((o.clone(), Alias::new(PUBLISHED)))
                    .is_in(scopes.iter().map(|(published, _)| *published)),
            )
            .order_by((o, Alias::new(ID)), Order::Asc);
        let mut pairs: Vec<(String, i64, (bool, String))> = Vec::new();
        for row in self.conn.query_all(&select).await? {
            pairs.push((
                row.try_get_by_index::<String>(0)?,
                row.try_get_by_index::<i64>(1)?,
                (
                    row.try_get_by_index::<bool>(2)?,
                    row.try_get_by_index::<String>(3)?,
                ),
            ));
        }
        let owner_ids: Vec<i64> = pairs.iter().map(|(_, id, _)| *id).collect();
        let reader = RowReader::new(owner, self.backend);
        let mut select = reader.select();
        select.and_where(Expr::col((Alias::new(&owner.table), Alias::new(ID))).is_in(owner_ids));
        let owner_rows = reader.fetch(self.conn, &select).await?;
        let ids: Vec<i64> = owner_rows.iter().map(|r| r.id).collect();
        let entries = Box::pin(self.entries(owner, owner_rows, nested)).await?;
        let by_id: HashMap<i64, Entry> = ids.into_iter().zip(entries).collect();
        Ok(rows
            .iter()
            .map(|row| {
                let scope = self.target_scope(owner, &row.locale);
                pairs
                    .iter()
                    .filter(|(doc, _, pair_scope)| *doc == row.document_id && *pair_scope == scope)
                    .filter_map(|(_, id, _)| by_id.get(id).cloned())
                    .collect()
            })
            .collect())
    }

    /// Fetches the rows of `target` for (documentId, scope) pairs, populated,
    /// keyed by the pair.
    async fn fetch_documents(
        &self,
        target: &ContentType,
        wanted: &[(String, (bool, String))],
        nested: &Populate,
    ) -> Result<HashMap<(String, (bool, String)), Entry>> {
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let documents: BTreeSet<&String> = wanted.iter().map(|(doc, _)| doc).collect();
        let scopes: BTreeSet<&(bool, String)> = wanted.iter().map(|(_, scope)| scope).collect();
        let reader = RowReader::new(target, self.backend);
        let mut select = reader.select();
        let table = Alias::new(&target.table);
        select
            .and_where(
                Expr::col((table.clone(), Alias::new(DOCUMENT_ID)))
                    .is_in(documents.into_iter().cloned()),
            )
            .and_where(
                Expr::col((table.clone(), Alias::new(LOCALE)))
                    .is_in(scopes.iter().map(|(_, l)| l.clone())),
            )
            .and_where(
                Expr::col((table, Alias::new(PUBLISHED))).is_in(scopes.iter().map(|(p, _)| *p)),
            );
        let rows = reader.fetch(self.conn, &select).await?;
        let keys: Vec<(String, (bool, String))> = rows
            .iter()
            .map(|r| (r.document_id.clone(), (r.published, r.locale.clone())))
            .collect();
        let entries = Box::pin(self.entries(target, rows, nested)).await?;
        Ok(keys.into_iter().zip(entries).collect())
    }

    async fn media(&self, field: &Field, rows: &[Row], multiple: bool) -> Result<Vec<Value>> {
        let Some(link) = &field.link else {
            return Ok(vec![Value::Null; rows.len()]);
        };
        let (f, l) = (Alias::new("f"), Alias::new("l"));
        let mut select = Query::select();
        select.column((l.clone(), Alias::new(SOURCE_ID)));
        for column in FILE_COLUMNS {
            select.column((f.clone(), Alias::new(column)));
        }
        select
            .from_as(Alias::new(&link.table), l.clone())
            .join_as(
                JoinType::InnerJoin,
                Alias::new(FILES_TABLE),
                f.clone(),
                Expr::col((f, Alias::new(ID))).equals((l.clone(), Alias::new(FILE_ID))),
            )
            .and_where(
                Expr::col((l.clone(), Alias::new(SOURCE_ID))).is_in(rows.iter().map(|r| r.id)),
            )
            .order_by((l.clone(), Alias::new(SOURCE_ID)), Order::Asc)
            .order_by((l, Alias::new(POSITION)), Order::Asc);
        let mut files: HashMap<i64, Vec<Value>> = HashMap::new();
        for row in self.conn.query_all(&select).await? {
            let source = row.try_get_by_index::<i64>(0)?;
            files
                .entry(source)
                .or_default()
                .push(Value::Object(file_object(&row, 1)?));
        }
        Ok(rows
            .iter()
            .map(|row| {
                let list = files.remove(&row.id).unwrap_or_default();
                if multiple {
                    Value::Array(list)
                } else {
                    list.into_iter().next().unwrap_or(Value::Null)
                }
            })
            .collect())
    }
}

const FILE_COLUMNS: [&str; 18] = [
    "id",
    "document_id",
    "name",
    "alternative_text",
    "caption",
    "width",
    "height",
    "formats",
    "hash",
    "ext",
    "mime",
    "size",
    "url",
    "preview_url",
    "provider",
    "blurhash",
    "created_at",
    "updated_at",
];

/// A file in Strapi's media shape, from `FILE_COLUMNS` starting at `offset`.
fn file_object(row: &sea_orm::QueryResult, offset: usize) -> Result<Map<String, Value>> {
    let text = |i: usize| -> Result<Value> {
        Ok(row
            .try_get_by_index::<Option<String>>(offset + i)?
            .map(Value::String)
            .unwrap_or(Value::Null))
    };
    let int = |i: usize| -> Result<Value> {
        Ok(row
            .try_get_by_index::<Option<i64>>(offset + i)?
            .map(Value::from)
            .unwrap_or(Value::Null))
    };
    let int32 = |i: usize| -> Result<Value> {
        Ok(row
            .try_get_by_index::<Option<i32>>(offset + i)?
            .map(Value::from)
            .unwrap_or(Value::Null))
    };
    let time = |i: usize| -> Result<Value> {
        Ok(row
            .try_get_by_index::<Option<chrono::DateTime<chrono::Utc>>>(offset + i)?
            .map(|t| Value::String(crate::schema::codec::format_datetime(t)))
            .unwrap_or(Value::Null))
    };
    let size_bytes = row.try_get_by_index::<i64>(offset + 11)?;
    let mut file = Map::new();
    file.insert("id".into(), int(0)?);
    file.insert("documentId".into(), text(1)?);
    file.insert("name".into(), text(2)?);
    file.insert("alternativeText".into(), text(3)?);
    file.insert("caption".into(), text(4)?);
    file.insert("width".into(), int32(5)?);
    file.insert("height".into(), int32(6)?);
    file.insert(
        "formats".into(),
        row.try_get_by_index::<Option<Value>>(offset + 7)?
            .unwrap_or(Value::Null),
    );
    file.insert("hash".into(), text(8)?);
    file.insert("ext".into(), text(9)?);
    file.insert("mime".into(), text(10)?);
    // Strapi reports sizes in kilobytes.
    file.insert(
        "size".into(),
        serde_json::Number::from_f64((size_bytes as f64 / 10.24).round() / 100.0)
            .map(Value::Number)
            .unwrap_or(Value::Null),
    );
    file.insert("url".into(), text(12)?);
    file.insert("previewUrl".into(), text(13)?);
    file.insert("provider".into(), text(14)?);
    file.insert("blurhash".into(), text(15)?);
    file.insert("createdAt".into(), time(16)?);
    file.insert("updatedAt".into(), time(17)?);
    Ok(file)
}
