//! Turning rows into entries, with the fields a reader asked to populate.
//!
//! Population is batched: for a page of rows, each populated field costs a
//! fixed number of queries (links, then their targets), whatever the page
//! size, and nested population recurses on the targets as one batch.
//! Relations and media inside components and dynamic zones are stored as ids
//! in their JSON; they are resolved the same way, one query per target type.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};
use serde_json::{Map, Value};

use super::Status;
use super::rows::{Row, RowReader, shows};
use crate::db::cells::Columns;
use crate::db::entities::file;
use crate::db::{Backend, Db};
use crate::error::{Error, Path, Result};
use crate::files::file_object;
use crate::query::compile::{Compiler, Scope, apply_sort, tie_breaker};
use crate::query::resolve::{Populated, Readable, Resolver};
use crate::query::{Populate, PopulateField};
use crate::schema::attribute::{Attribute, Kind};
use crate::schema::registry::{Component, ContentType, Field, Link, Schema};
use crate::schema::system::{
    DOCUMENT_ID, FILE_ID, ID, LOCALE, POSITION, PUBLISHED, SOURCE_ID, TARGET_DOCUMENT_ID,
};

/// An entry as the API returns it: `id`, `documentId`, the fields, the
/// timestamps and (in localized types) `locale`.
pub type Entry = Map<String, Value>;

/// The component and dynamic-zone columns a populate needs selected.
pub fn structured_columns<'a>(content_type: &'a ContentType, populate: &Populate) -> Vec<&'a str> {
    content_type
        .fields
        .iter()
        .filter(|f| f.attribute.kind.is_structured())
        .filter(|f| populate.all || populate.fields.contains_key(f.name()))
        .map(|f| f.name())
        .collect()
}

/// How rows are read: in which state, which locale by default, what the
/// caller may see.
pub struct Reader<'a> {
    /// Reads run outside transactions (see `Db::read`).
    pub db: &'a Db,
    pub schema: &'a Schema,
    pub backend: Backend,
    pub status: Status,
    /// The locale related rows are read in when the source row has none.
    pub locale: String,
    pub include_private: bool,
    pub readable: &'a Readable,
}

/// A (documentId, published, locale) key of a related row.
type RowKey = (String, bool, String);

impl Reader<'_> {
    fn scope(&self) -> Scope<'_> {
        Scope {
            backend: self.backend,
            status: self.status,
            locale: &self.locale,
        }
    }

    fn resolver(&self) -> Resolver<'_> {
        Resolver::new(self.schema, self.readable, self.include_private)
    }

    /// Which rows of `target` this read sees from a row in `source_locale`.
    fn target_scope(&self, target: &ContentType, source_locale: &str) -> (bool, String) {
        let locale = if !target.localized {
            String::new()
        } else if source_locale.is_empty() {
            self.locale.clone()
        } else {
            source_locale.to_owned()
        };
        (self.status.reads_published(target), locale)
    }

    /// Builds the entries of `rows` (all of `content_type`, read with the
    /// columns `fields` and `populate` need), populated.
    pub async fn entries(
        &self,
        content_type: &ContentType,
        mut rows: Vec<Row>,
        fields: Option<&[String]>,
        populate: &Populate,
        path: &Path,
    ) -> Result<Vec<Entry>> {
        let mut entries: Vec<Entry> = rows
            .iter_mut()
            .map(|row| self.base_entry(content_type, row, fields))
            .collect();
        for Populated {
            field,
            node,
            target,
        } in self.resolver().populate(content_type, populate, path)?
        {
            let field_path = path.child(field.name());
            let values = match (&field.attribute.kind, &field.link, target) {
                (Kind::Component(_) | Kind::DynamicZone(_), _, _) => {
                    self.components(field, &rows, &node, &field_path).await?
                }
                (Kind::Media(media), Some(link), _) => {
                    let mut files = self.files_by_source(&link.table, &rows).await?;
                    rows.iter()
                        .map(|row| {
                            many_or_one(files.remove(&row.id).unwrap_or_default(), media.multiple)
                        })
                        .collect()
                }
                (Kind::Relation(relation), Some(link), Some(target)) => {
                    let groups = self
                        .relation(link, &rows, target, &node, &field_path)
                        .await?;
                    groups
                        .into_iter()
                        .map(|group| {
                            many_or_one(
                                group.into_iter().map(Value::Object).collect(),
                                relation.kind.is_multiple(),
                            )
                        })
                        .collect()
                }
                // The resolver gives media and relations their links and
                // relations their target, and chooses nothing else.
                _ => {
                    return Err(Error::internal(format!(
                        "`{}` cannot be populated",
                        field.name()
                    )));
                }
            };
            for (entry, value) in entries.iter_mut().zip(values) {
                entry.insert(field.name().to_owned(), value);
            }
        }
        Ok(entries)
    }

    /// The entry's own fields, moved out of the row: what population reads
    /// later (ids, locale, component columns) stays.
    fn base_entry(
        &self,
        content_type: &ContentType,
        row: &mut Row,
        fields: Option<&[String]>,
    ) -> Entry {
        let wanted = |name: &str| shows(fields, name);
        // The fields and up to five system values, without growing.
        let mut entry = Map::with_capacity(content_type.fields.len() + 5);
        entry.insert("id".into(), Value::from(row.id));
        entry.insert("documentId".into(), Value::String(row.document_id.clone()));
        for field in &content_type.fields {
            if field.attribute.kind.is_populatable() {
                continue;
            }
            if let Some((name, value)) = row.values.remove_entry(field.name()) {
                entry.insert(name, value);
            }
        }
        if wanted("createdAt") {
            entry.insert(
                "createdAt".into(),
                Value::String(std::mem::take(&mut row.created_at)),
            );
        }
        if wanted("updatedAt") {
            entry.insert(
                "updatedAt".into(),
                Value::String(std::mem::take(&mut row.updated_at)),
            );
        }
        if wanted("publishedAt") {
            entry.insert(
                "publishedAt".into(),
                row.published_at.take().map_or(Value::Null, Value::String),
            );
        }
        if content_type.localized && wanted("locale") {
            entry.insert("locale".into(), Value::String(row.locale.clone()));
        }
        entry
    }

    /// The related entries of each row, in link order (or `node.sort`).
    async fn relation(
        &self,
        link: &Link,
        rows: &[Row],
        target: &ContentType,
        node: &PopulateField,
        path: &Path,
    ) -> Result<Vec<Vec<Entry>>> {
        // For each source row, the related rows' keys in link order.
        let mut linked: HashMap<i64, Vec<RowKey>> = HashMap::new();
        if link.inverse {
            let documents: BTreeSet<&str> = rows.iter().map(|r| r.document_id.as_str()).collect();
            let (o, l) = (Alias::new("o"), Alias::new("l"));
            let select = Query::select()
                .column((l.clone(), Alias::new(TARGET_DOCUMENT_ID)))
                .column((o.clone(), Alias::new(DOCUMENT_ID)))
                .column((o.clone(), Alias::new(PUBLISHED)))
                .column((o.clone(), Alias::new(LOCALE)))
                .from_as(Alias::new(&link.table), l.clone())
                .join_as(
                    JoinType::InnerJoin,
                    Alias::new(&target.table),
                    o.clone(),
                    Expr::col((o.clone(), Alias::new(ID)))
                        .equals((l.clone(), Alias::new(SOURCE_ID))),
                )
                .and_where(Expr::col((l, Alias::new(TARGET_DOCUMENT_ID))).is_in(documents))
                .order_by((o, Alias::new(ID)), Order::Asc)
                .to_owned();
            let mut by_document: HashMap<String, Vec<RowKey>> = HashMap::new();
            let links = self
                .db
                .read_query(&select, &Columns::<(String, String, bool, String)>::new())
                .await?;
            for (target_document, document, published, locale) in links {
                by_document
                    .entry(target_document)
                    .or_default()
                    .push((document, published, locale));
            }
            for row in rows {
                let (published, locale) = self.target_scope(target, &row.locale);
                let keys = by_document
                    .get(&row.document_id)
                    .into_iter()
                    .flatten()
                    .filter(|(_, p, l)| *p == published && *l == locale)
                    .cloned()
                    .collect();
                linked.insert(row.id, keys);
            }
        } else {
            let select = Query::select()
                .columns([Alias::new(SOURCE_ID), Alias::new(TARGET_DOCUMENT_ID)])
                .from(Alias::new(&link.table))
                .and_where(Expr::col(Alias::new(SOURCE_ID)).is_in(rows.iter().map(|r| r.id)))
                .order_by(Alias::new(SOURCE_ID), Order::Asc)
                .order_by(Alias::new(POSITION), Order::Asc)
                .order_by(Alias::new(ID), Order::Asc)
                .to_owned();
            let locales: HashMap<i64, (bool, String)> = rows
                .iter()
                .map(|r| (r.id, self.target_scope(target, &r.locale)))
                .collect();
            let links = self
                .db
                .read_query(&select, &Columns::<(i64, String)>::new())
                .await?;
            for (source, document) in links {
                if let Some((published, locale)) = locales.get(&source) {
                    linked
                        .entry(source)
                        .or_default()
                        .push((document, *published, locale.clone()));
                }
            }
        }
        let wanted: BTreeSet<RowKey> = linked.values().flatten().cloned().collect();
        let found = self.fetch_documents(target, &wanted, node, path).await?;
        Ok(rows
            .iter()
            .map(|row| {
                let mut group: Vec<(usize, Entry)> = linked
                    .get(&row.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|key| found.get(key).cloned())
                    .collect();
                if !node.sort.is_empty() {
                    group.sort_by_key(|(order, _)| *order);
                }
                group.into_iter().map(|(_, entry)| entry).collect()
            })
            .collect())
    }

    /// The rows of `target` for these keys that pass `node.filters`, built
    /// into entries; each with its rank under `node.sort`.
    async fn fetch_documents(
        &self,
        target: &ContentType,
        wanted: &BTreeSet<RowKey>,
        node: &PopulateField,
        path: &Path,
    ) -> Result<HashMap<RowKey, (usize, Entry)>> {
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let mut resolver = self.resolver();
        let condition = node
            .filters
            .as_ref()
            .map(|filter| resolver.filter(target, filter));
        let sorts = resolver.sort(target, &node.sort, &path.child("sort"));
        resolver.fields(target, node.fields.as_deref(), &path.child("fields"));
        resolver.into_errors().into_result()?;
        let structured = structured_columns(target, &node.populate);
        let reader = RowReader::selecting(
            target,
            self.backend,
            node.fields.as_deref(),
            &structured,
            self.include_private,
        );
        let table = Alias::new(&target.table);
        let mut select = reader.select();
        let documents: BTreeSet<&String> = wanted.iter().map(|(d, _, _)| d).collect();
        let states: BTreeSet<bool> = wanted.iter().map(|(_, p, _)| *p).collect();
        let locales: BTreeSet<&String> = wanted.iter().map(|(_, _, l)| l).collect();
        select
            .and_where(
                Expr::col((table.clone(), Alias::new(DOCUMENT_ID)))
                    .is_in(documents.into_iter().cloned()),
            )
            .and_where(Expr::col((table.clone(), Alias::new(PUBLISHED))).is_in(states))
            .and_where(
                Expr::col((table.clone(), Alias::new(LOCALE))).is_in(locales.into_iter().cloned()),
            );
        let scope = self.scope();
        let compiler = Compiler::new(&scope);
        match condition {
            None => {}
            Some(Some(condition)) => {
                select.and_where(compiler.condition(&target.table, &condition));
            }
            // A filter that did not resolve has reported why; none runs without one.
            Some(None) => return Err(Error::internal("a filter resolved to nothing")),
        }
        let (mut keys, joins) = compiler.sort(&target.table, &sorts);
        keys.push(tie_breaker(&target.table, &keys));
        apply_sort(&mut select, &target.table, &keys, &joins);
        let rows: Vec<Row> = self
            .db
            .read_query(&select, &reader)
            .await?
            .into_iter()
            .filter(|r| wanted.contains(&(r.document_id.clone(), r.published, r.locale.clone())))
            .collect();
        let keys: Vec<RowKey> = rows
            .iter()
            .map(|r| (r.document_id.clone(), r.published, r.locale.clone()))
            .collect();
        let entries = Box::pin(self.entries(
            target,
            rows,
            node.fields.as_deref(),
            &node.populate,
            &path.child("populate"),
        ))
        .await?;
        Ok(keys
            .into_iter()
            .zip(entries)
            .enumerate()
            .map(|(rank, (key, entry))| (key, (rank, entry)))
            .collect())
    }

    /// File objects linked to each source row through `link_table`, in order.
    async fn files_by_source(
        &self,
        link_table: &str,
        rows: &[Row],
    ) -> Result<HashMap<i64, Vec<Value>>> {
        let select = Query::select()
            .columns([Alias::new(SOURCE_ID), Alias::new(FILE_ID)])
            .from(Alias::new(link_table))
            .and_where(Expr::col(Alias::new(SOURCE_ID)).is_in(rows.iter().map(|r| r.id)))
            .order_by(Alias::new(SOURCE_ID), Order::Asc)
            .order_by(Alias::new(POSITION), Order::Asc)
            .to_owned();
        let links = self
            .db
            .read_query(&select, &Columns::<(i64, i64)>::new())
            .await?;
        let files = self
            .files_by_id(&links.iter().map(|(_, file)| *file).collect())
            .await?;
        let mut by_source: HashMap<i64, Vec<Value>> = HashMap::new();
        for (source, file) in links {
            if let Some(file) = files.get(&file) {
                by_source.entry(source).or_default().push(file.clone());
            }
        }
        Ok(by_source)
    }

    /// Media objects by file id.
    async fn files_by_id(&self, ids: &BTreeSet<i64>) -> Result<HashMap<i64, Value>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let select = file::Entity::find()
            .filter(file::Column::Id.is_in(ids.iter().copied()))
            .into_query();
        Ok(self
            .db
            .read_query(&select, &file::Rows)
            .await?
            .iter()
            .map(|file| (file.id, Value::Object(file_object(file))))
            .collect())
    }

    /// Component and dynamic-zone values of each row, shaped for output:
    /// relations and media inside them resolved when populated, dropped
    /// otherwise, as Strapi does.
    async fn components(
        &self,
        field: &Field,
        rows: &[Row],
        node: &PopulateField,
        path: &Path,
    ) -> Result<Vec<Value>> {
        let mut wanted = Wanted::default();
        for row in rows {
            if let Some(value) = row.values.get(field.name()) {
                self.walk_field(
                    &field.attribute,
                    value,
                    node,
                    &row.locale,
                    &mut Walk::Collect(&mut wanted),
                    path,
                )?;
            }
        }
        let mut resolved = Resolved {
            files: self.files_by_id(&wanted.files).await?,
            documents: HashMap::new(),
        };
        for ((uid, node_key), keys) in &wanted.documents {
            let target = self
                .schema
                .content_type(uid)
                .ok_or_else(|| Error::internal(format!("missing target {uid}")))?;
            let node = wanted.nodes.get(node_key).cloned().unwrap_or_default();
            let found = self.fetch_documents(target, keys, &node, path).await?;
            for (key, (_, entry)) in found {
                resolved.documents.insert((uid.clone(), key), entry);
            }
        }
        rows.iter()
            .map(|row| match row.values.get(field.name()) {
                Some(value) => self.walk_field(
                    &field.attribute,
                    value,
                    node,
                    &row.locale,
                    &mut Walk::Build(&resolved),
                    path,
                ),
                None => Ok(Value::Null),
            })
            .collect()
    }

    /// Walks one stored component or dynamic-zone value: collecting the ids
    /// it needs resolved, or building its output from resolved ones.
    fn walk_field(
        &self,
        attribute: &Attribute,
        value: &Value,
        node: &PopulateField,
        locale: &str,
        walk: &mut Walk<'_>,
        path: &Path,
    ) -> Result<Value> {
        match (&attribute.kind, value) {
            (Kind::Component(reference), Value::Array(items)) if reference.repeatable => {
                let component = self.resolver().component(&reference.component, path)?;
                let items = items
                    .iter()
                    .map(|item| self.walk_item(component, item, node, locale, walk, path))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Value::Array(items))
            }
            (Kind::Component(reference), Value::Object(_)) => {
                let component = self.resolver().component(&reference.component, path)?;
                self.walk_item(component, value, node, locale, walk, path)
            }
            (Kind::DynamicZone(zone), Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    let Some(uid) = item.get("__component").and_then(Value::as_str) else {
                        continue;
                    };
                    // Components removed from the zone since the value was saved are skipped.
                    if !zone.components.iter().any(|c| c == uid) {
                        continue;
                    }
                    let component = self.resolver().component(uid, path)?;
                    let item_node = node.on.get(uid).unwrap_or(node);
                    out.push(self.walk_item(component, item, item_node, locale, walk, path)?);
                }
                Ok(Value::Array(out))
            }
            _ => Ok(Value::Null),
        }
    }

    fn walk_item(
        &self,
        component: &Component,
        item: &Value,
        node: &PopulateField,
        locale: &str,
        walk: &mut Walk<'_>,
        path: &Path,
    ) -> Result<Value> {
        let Value::Object(stored) = item else {
            return Ok(Value::Null);
        };
        let mut out = Map::new();
        for key in ["id", "__component"] {
            if let Some(value) = stored.get(key) {
                out.insert(key.to_owned(), value.clone());
            }
        }
        let resolver = self.resolver();
        for attribute in &component.attributes {
            if !resolver.sees(attribute) {
                continue;
            }
            let name = attribute.name.as_str();
            let nested = node.populate.fields.get(name);
            let populated = node.populate.all || nested.is_some();
            let stored_value = stored.get(name).cloned().unwrap_or(Value::Null);
            match &attribute.kind {
                Kind::Relation(relation) => {
                    if !populated {
                        continue;
                    }
                    // Relations the caller may not read are left out, as `*` leaves them.
                    let Some(target) = resolver.related(&relation.target, &path.child(name))?
                    else {
                        continue;
                    };
                    let (published, target_locale) = self.target_scope(target, locale);
                    let nested = nested.cloned().unwrap_or_default();
                    let ids: Vec<String> = ids_of(&stored_value)
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect();
                    let value = match walk {
                        Walk::Collect(wanted) => {
                            let node_key = wanted.node_key(&nested);
                            let keys = wanted
                                .documents
                                .entry((relation.target.clone(), node_key))
                                .or_default();
                            for id in ids {
                                keys.insert((id, published, target_locale.clone()));
                            }
                            Value::Null
                        }
                        Walk::Build(resolved) => many_or_one(
                            ids.into_iter()
                                .filter_map(|id| {
                                    resolved
                                        .documents
                                        .get(&(
                                            relation.target.clone(),
                                            (id, published, target_locale.clone()),
                                        ))
                                        .cloned()
                                        .map(Value::Object)
                                })
                                .collect(),
                            relation.kind.is_multiple(),
                        ),
                    };
                    out.insert(name.to_owned(), value);
                }
                Kind::Media(media) => {
                    if !populated {
                        continue;
                    }
                    let ids: Vec<i64> = ids_of(&stored_value).filter_map(Value::as_i64).collect();
                    let value = match walk {
                        Walk::Collect(wanted) => {
                            wanted.files.extend(ids);
                            Value::Null
                        }
                        Walk::Build(resolved) => many_or_one(
                            ids.iter()
                                .filter_map(|id| resolved.files.get(id).cloned())
                                .collect(),
                            media.multiple,
                        ),
                    };
                    out.insert(name.to_owned(), value);
                }
                Kind::Component(_) | Kind::DynamicZone(_) => {
                    if !populated {
                        continue;
                    }
                    let nested = nested.cloned().unwrap_or_default();
                    let value = self.walk_field(
                        attribute,
                        &stored_value,
                        &nested,
                        locale,
                        walk,
                        &path.child(name),
                    )?;
                    out.insert(name.to_owned(), value);
                }
                _ => {
                    if node
                        .fields
                        .as_ref()
                        .is_none_or(|fields| fields.iter().any(|f| f == name))
                    {
                        out.insert(name.to_owned(), stored_value);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// What the components of a batch refer to.
#[derive(Default)]
struct Wanted {
    /// (target uid, populate node) -> related rows.
    documents: BTreeMap<(String, usize), BTreeSet<RowKey>>,
    /// Distinct nested populate nodes, by index.
    nodes: HashMap<usize, PopulateField>,
    files: BTreeSet<i64>,
}

impl Wanted {
    fn node_key(&mut self, node: &PopulateField) -> usize {
        if let Some((key, _)) = self.nodes.iter().find(|(_, n)| *n == node) {
            return *key;
        }
        let key = self.nodes.len();
        self.nodes.insert(key, node.clone());
        key
    }
}

/// Related entries and files fetched for a batch.
struct Resolved {
    documents: HashMap<(String, RowKey), Entry>,
    files: HashMap<i64, Value>,
}

enum Walk<'a> {
    Collect(&'a mut Wanted),
    Build(&'a Resolved),
}

fn ids_of(value: &Value) -> impl Iterator<Item = &Value> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        single => vec![single],
    };
    items.into_iter()
}

fn many_or_one(items: Vec<Value>, multiple: bool) -> Value {
    if multiple {
        Value::Array(items)
    } else {
        items.into_iter().next().unwrap_or(Value::Null)
    }
}
