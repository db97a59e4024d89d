//! Checking input data against a content type, collecting every failing field
//! with its path (inside components and dynamic zones too).
//!
//! `prepare` checks types, rules and that every relation target and file
//! exists; what depends on the stored entry (required fields after a partial
//! update, uniqueness) is checked by the service inside its transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::{Map, Value};

use crate::auth::password;
use crate::error::{Path, Result, ValidationErrors};
use crate::schema::attribute::{Attribute, Kind, Media};
use crate::schema::registry::{Component, ContentType, Schema};
use crate::schema::system::{DOCUMENT_ID, FILES_TABLE, ID};

/// Keys Strapi clients send back with an entry; they are not writable.
const SYSTEM_KEYS: &[&str] = &[
    "id",
    "documentId",
    "createdAt",
    "updatedAt",
    "publishedAt",
    "createdBy",
    "updatedBy",
    "locale",
    "localizations",
];

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Document(String),
    File(i64),
}

/// Where a connected link goes in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    End,
    Start,
    Before(Target),
    After(Target),
}

/// The requested links of one field.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkInput {
    /// Replace the list.
    Set(Vec<Target>),
    /// Change the list.
    Patch {
        connect: Vec<(Target, Placement)>,
        disconnect: Vec<Target>,
    },
}

/// Input that passed the checks, in canonical form.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Column values by attribute name (passwords already hashed).
    pub columns: BTreeMap<String, Value>,
    /// Link changes by attribute name.
    pub links: BTreeMap<String, LinkInput>,
}

/// A reference that must exist, and where it was written.
struct Reference {
    path: Path,
    target: Target,
    /// For relations: the target type. For files: the allowed kinds.
    target_uid: Option<String>,
    media: Option<Media>,
}

pub struct Validator<'a> {
    schema: &'a Schema,
    enforce_required: bool,
    errors: ValidationErrors,
    references: Vec<Reference>,
}

impl<'a> Validator<'a> {
    pub fn new(schema: &'a Schema, enforce_required: bool) -> Self {
        Validator {
            schema,
            enforce_required,
            errors: ValidationErrors::default(),
            references: Vec::new(),
        }
    }

    /// Checks `data` for `content_type`, then that every reference exists.
    pub async fn prepare(
        mut self,
        conn: &impl ConnectionTrait,
        content_type: &ContentType,
        data: &Map<String, Value>,
    ) -> Result<Prepared> {
        let mut prepared = Prepared::default();
        for (key, value) in data {
            let path = Path::from(key.as_str());
            let Some(field) = content_type.field(key) else {
                if !SYSTEM_KEYS.contains(&key.as_str()) {
                    self.errors.push(
                        path,
                        format!("`{key}` is not a field of {}", content_type.display_name()),
                    );
                }
                continue;
            };
            let attribute = &field.attribute;
            match &attribute.kind {
                Kind::Relation(relation) => {
                    if let Some(input) =
                        self.link_input(value, relation.kind.is_multiple(), false, &path)
                    {
                        self.remember_links(&input, &path, Some(relation.target.clone()), None);
                        prepared.links.insert(key.clone(), input);
                    }
                }
                Kind::Media(media) => {
                    if let Some(input) = self.link_input(value, media.multiple, true, &path) {
                        self.remember_links(&input, &path, None, Some(media.clone()));
                        prepared.links.insert(key.clone(), input);
                    }
                }
                _ => {
                    if let Some(value) = self.value(attribute, value, &path) {
                        prepared.columns.insert(key.clone(), value);
                    }
                }
            }
        }
        self.check_references(conn).await?;
        self.errors.into_result()?;
        Ok(prepared)
    }

    /// A column-stored value (scalars, components, dynamic zones), canonical.
    fn value(&mut self, attribute: &Attribute, value: &Value, path: &Path) -> Option<Value> {
        if value.is_null() {
            return Some(Value::Null);
        }
        match &attribute.kind {
            Kind::Component(reference) => {
                let component = self.component_def(&reference.component, path)?;
                if reference.repeatable {
                    let Value::Array(items) = value else {
                        self.errors
                            .push(path.clone(), "must be a list of components");
                        return None;
                    };
                    self.check_count(items.len(), reference.min, reference.max, path);
                    let items: Vec<Value> = items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, item)| {
                            self.component(&component, item, &path.child(i), i + 1, false)
                        })
                        .collect();
                    Some(Value::Array(items))
                } else {
                    self.component(&component, value, path, 1, false)
                }
            }
            Kind::DynamicZone(zone) => {
                let Value::Array(items) = value else {
                    self.errors
                        .push(path.clone(), "must be a list of components");
                    return None;
                };
                self.check_count(items.len(), zone.min, zone.max, path);
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let item_path = path.child(i);
                    let Some(uid) = item.get("__component").and_then(Value::as_str) else {
                        self.errors.push(
                            item_path.child("__component"),
                            "each item needs `__component`",
                        );
                        continue;
                    };
                    if !zone.components.iter().any(|c| c == uid) {
                        self.errors.push(
                            item_path.child("__component"),
                            format!(
                                "`{uid}` is not allowed here; use one of: {}",
                                zone.components.join(", ")
                            ),
                        );
                        continue;
                    }
                    let Some(component) = self.component_def(uid, &item_path) else {
                        continue;
                    };
                    if let Some(value) = self.component(&component, item, &item_path, i + 1, true) {
                        out.push(value);
                    }
                }
                Some(Value::Array(out))
            }
            Kind::Scalar(scalar) => match scalar.normalize(value) {
                // Secrets are kept hashed.
                Ok(Value::String(plain)) if scalar.capabilities().secret => {
                    match password::hash(&plain) {
                        Ok(hash) => Some(Value::String(hash)),
                        Err(error) => {
                            self.errors.push(path.clone(), error.to_string());
                            None
                        }
                    }
                }
                Ok(value) => Some(value),
                Err(message) => {
                    self.errors.push(path.clone(), message);
                    None
                }
            },
            kind @ (Kind::Media(_) | Kind::Relation(_)) => {
                self.errors.push(
                    path.clone(),
                    format!("{} values are not scalar", kind.type_name()),
                );
                None
            }
        }
    }

    /// The definition of component `uid`; a schema without it refuses the value.
    fn component_def(&mut self, uid: &str, path: &Path) -> Option<Arc<Component>> {
        let component = self.schema.component(uid).cloned();
        if component.is_none() {
            self.errors
                .push(path.clone(), format!("component `{uid}` is not defined"));
        }
        component
    }

    /// One component instance: its attributes checked, an `id` given.
    fn component(
        &mut self,
        component: &Component,
        value: &Value,
        path: &Path,
        id: usize,
        in_zone: bool,
    ) -> Option<Value> {
        let Value::Object(object) = value else {
            self.errors.push(
                path.clone(),
                format!("must be an object ({})", component.uid),
            );
            return None;
        };
        let mut out = Map::new();
        out.insert("id".into(), Value::from(id));
        if in_zone {
            out.insert("__component".into(), Value::String(component.uid.clone()));
        }
        for key in object.keys() {
            if key != "id" && key != "__component" && component.attribute(key).is_none() {
                self.errors.push(
                    path.child(key),
                    format!("`{key}` is not a field of {}", component.uid),
                );
            }
        }
        for attribute in &component.attributes {
            let attribute_path = path.child(&attribute.name);
            let given = object.get(&attribute.name);
            let value = match given {
                Some(value) => match &attribute.kind {
                    Kind::Relation(relation) => self.embedded_links(
                        value,
                        relation.kind.is_multiple(),
                        false,
                        &attribute_path,
                        Some(relation.target.clone()),
                        None,
                    ),
                    Kind::Media(media) => self.embedded_links(
                        value,
                        media.multiple,
                        true,
                        &attribute_path,
                        None,
                        Some(media.clone()),
                    ),
                    _ => self.value(attribute, value, &attribute_path),
                },
                None => attribute
                    .default
                    .as_ref()
                    .zip(attribute.kind.scalar())
                    .and_then(|(default, scalar)| scalar.normalize(default).ok()),
            };
            if self.enforce_required && attribute.required && is_empty(value.as_ref()) {
                self.errors.push(attribute_path, "this field is required");
            }
            if let Some(value) = value {
                out.insert(attribute.name.clone(), value);
            }
        }
        Some(Value::Object(out))
    }

    /// Relations and media inside components are stored as ids in the JSON.
    fn embedded_links(
        &mut self,
        value: &Value,
        multiple: bool,
        files: bool,
        path: &Path,
        target_uid: Option<String>,
        media: Option<Media>,
    ) -> Option<Value> {
        let input = self.link_input(value, multiple, files, path)?;
        let LinkInput::Set(targets) = input else {
            self.errors.push(path.clone(), "inside components, give the full list (connect and disconnect are for entry fields)");
            return None;
        };
        self.remember_links(&LinkInput::Set(targets.clone()), path, target_uid, media);
        let ids: Vec<Value> = targets
            .into_iter()
            .map(|t| match t {
                Target::Document(id) => Value::String(id),
                Target::File(id) => Value::from(id),
            })
            .collect();
        Some(if multiple {
            Value::Array(ids)
        } else {
            ids.into_iter().next().unwrap_or(Value::Null)
        })
    }

    fn check_count(&mut self, count: usize, min: Option<u64>, max: Option<u64>, path: &Path) {
        if let Some(min) = min
            && (count as u64) < min
            && (self.enforce_required || count > 0)
        {
            self.errors
                .push(path.clone(), format!("must have at least {min} items"));
        }
        if let Some(max) = max
            && count as u64 > max
        {
            self.errors
                .push(path.clone(), format!("must have at most {max} items"));
        }
    }

    /// Parses the ways Strapi clients write links: a single id, a list, or
    /// `{ set }`, `{ connect, disconnect }` with ids or `{ documentId }` objects.
    fn link_input(
        &mut self,
        value: &Value,
        multiple: bool,
        files: bool,
        path: &Path,
    ) -> Option<LinkInput> {
        let before = self.errors.errors.len();
        let input = match value {
            Value::Null => LinkInput::Set(Vec::new()),
            Value::Array(items) => LinkInput::Set(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.target(item, files, &path.child(i)))
                    .collect(),
            ),
            Value::Object(object)
                if object.contains_key("set")
                    || object.contains_key("connect")
                    || object.contains_key("disconnect") =>
            {
                for key in object.keys() {
                    if !["set", "connect", "disconnect"].contains(&key.as_str()) {
                        self.errors.push(
                            path.child(key),
                            format!(
                                "`{key}` is not a link operation; use set, connect or disconnect"
                            ),
                        );
                    }
                }
                if let Some(set) = object.get("set") {
                    if object.contains_key("connect") || object.contains_key("disconnect") {
                        self.errors.push(
                            path.clone(),
                            "use either `set` or `connect`/`disconnect`, not both",
                        );
                    }
                    LinkInput::Set(self.target_list(set, files, &path.child("set")))
                } else {
                    let connect_path = path.child("connect");
                    let connect = match object.get("connect") {
                        None | Some(Value::Null) => Vec::new(),
                        Some(Value::Array(items)) => items
                            .iter()
                            .enumerate()
                            .filter_map(|(i, item)| {
                                let item_path = connect_path.child(i);
                                let target = self.target(item, files, &item_path)?;
                                let placement = self.placement(item, files, &item_path)?;
                                Some((target, placement))
                            })
                            .collect(),
                        Some(single) => self
                            .target(single, files, &connect_path)
                            .map(|t| vec![(t, Placement::End)])
                            .unwrap_or_default(),
                    };
                    let disconnect = match object.get("disconnect") {
                        None | Some(Value::Null) => Vec::new(),
                        Some(list) => self.target_list(list, files, &path.child("disconnect")),
                    };
                    LinkInput::Patch {
                        connect,
                        disconnect,
                    }
                }
            }
            single => LinkInput::Set(self.target(single, files, path).into_iter().collect()),
        };
        if !multiple {
            let count = match &input {
                LinkInput::Set(targets) => targets.len(),
                LinkInput::Patch { connect, .. } => connect.len(),
            };
            if count > 1 {
                self.errors
                    .push(path.clone(), "holds one item; several were given");
            }
        }
        (self.errors.errors.len() == before).then_some(input)
    }

    fn target_list(&mut self, value: &Value, files: bool, path: &Path) -> Vec<Target> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.target(item, files, &path.child(i)))
                .collect(),
            Value::Null => Vec::new(),
            single => self.target(single, files, path).into_iter().collect(),
        }
    }

    fn target(&mut self, value: &Value, files: bool, path: &Path) -> Option<Target> {
        let target = if files {
            match value {
                Value::Number(n) => n.as_i64().map(Target::File),
                Value::Object(object) => object.get("id").and_then(Value::as_i64).map(Target::File),
                _ => None,
            }
        } else {
            match value {
                Value::String(id) => Some(Target::Document(id.clone())),
                Value::Object(object) => object
                    .get("documentId")
                    .and_then(Value::as_str)
                    .map(|id| Target::Document(id.to_owned())),
                _ => None,
            }
        };
        if target.is_none() {
            let expected = if files { "a file id" } else { "a documentId" };
            self.errors
                .push(path.clone(), format!("must be {expected}"));
        }
        target
    }

    fn placement(&mut self, item: &Value, files: bool, path: &Path) -> Option<Placement> {
        let Some(position) = item.get("position") else {
            return Some(Placement::End);
        };
        let position_path = path.child("position");
        let placement = if position.get("start").and_then(Value::as_bool) == Some(true) {
            Some(Placement::Start)
        } else if position.get("end").and_then(Value::as_bool) == Some(true) {
            Some(Placement::End)
        } else if let Some(before) = position.get("before") {
            self.target(before, files, &position_path.child("before"))
                .map(Placement::Before)
        } else if let Some(after) = position.get("after") {
            self.target(after, files, &position_path.child("after"))
                .map(Placement::After)
        } else {
            None
        };
        if placement.is_none() {
            self.errors.push(
                position_path,
                "use { start: true }, { end: true }, { before: id } or { after: id }",
            );
        }
        placement
    }

    fn remember_links(
        &mut self,
        input: &LinkInput,
        path: &Path,
        target_uid: Option<String>,
        media: Option<Media>,
    ) {
        let targets: Vec<&Target> = match input {
            LinkInput::Set(targets) => targets.iter().collect(),
            LinkInput::Patch { connect, .. } => connect.iter().map(|(t, _)| t).collect(),
        };
        for target in targets {
            self.references.push(Reference {
                path: path.clone(),
                target: target.clone(),
                target_uid: target_uid.clone(),
                media: media.clone(),
            });
        }
    }

    /// One query per target type (and one for files) checks every reference.
    async fn check_references(&mut self, conn: &impl ConnectionTrait) -> Result<()> {
        let mut documents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut files = BTreeSet::new();
        for reference in &self.references {
            match (&reference.target, &reference.target_uid) {
                (Target::Document(id), Some(uid)) => {
                    documents.entry(uid.clone()).or_default().insert(id.clone());
                }
                (Target::File(id), _) => {
                    files.insert(*id);
                }
                _ => {}
            }
        }
        let mut found_documents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (uid, ids) in documents {
            let Some(target) = self.schema.content_type(&uid) else {
                continue;
            };
            let select = Query::select()
                .distinct()
                .column(Alias::new(DOCUMENT_ID))
                .from(Alias::new(&target.table))
                .and_where(Expr::col(Alias::new(DOCUMENT_ID)).is_in(ids))
                .to_owned();
            let rows = conn.query_all(&select).await?;
            let found = rows
                .iter()
                .map(|row| row.try_get_by_index::<String>(0))
                .collect::<std::result::Result<BTreeSet<_>, _>>()?;
            found_documents.insert(uid, found);
        }
        let mut found_files: BTreeMap<i64, String> = BTreeMap::new();
        if !files.is_empty() {
            let select = Query::select()
                .columns([Alias::new(ID), Alias::new("mime")])
                .from(Alias::new(FILES_TABLE))
                .and_where(Expr::col(Alias::new(ID)).is_in(files))
                .to_owned();
            for row in conn.query_all(&select).await? {
                found_files.insert(
                    row.try_get_by_index::<i64>(0)?,
                    row.try_get_by_index::<String>(1)?,
                );
            }
        }
        for reference in std::mem::take(&mut self.references) {
            match (&reference.target, &reference.target_uid) {
                (Target::Document(id), Some(uid))
                    if !found_documents
                        .get(uid)
                        .is_some_and(|found| found.contains(id)) =>
                {
                    self.errors
                        .push(reference.path, format!("no {uid} with documentId `{id}`"));
                }
                (Target::File(id), _) => match found_files.get(id) {
                    None => self
                        .errors
                        .push(reference.path, format!("no file with id {id}")),
                    Some(mime) => {
                        if let Some(media) = &reference.media
                            && !media.allowed_types.is_empty()
                            && !media
                                .allowed_types
                                .iter()
                                .any(|kind| mime_matches(kind, mime))
                        {
                            self.errors.push(
                                reference.path,
                                format!(
                                    "file {id} ({mime}) is not one of the allowed kinds: {}",
                                    media.allowed_types.join(", ")
                                ),
                            );
                        }
                    }
                },
                _ => {}
            }
        }
        Ok(())
    }
}

/// Whether a file's MIME type is of an `allowedTypes` kind.
fn mime_matches(kind: &str, mime: &str) -> bool {
    let top = mime.split('/').next().unwrap_or_default();
    match kind {
        "images" => top == "image",
        "videos" => top == "video",
        "audios" => top == "audio",
        "files" => !matches!(top, "image" | "video" | "audio"),
        _ => false,
    }
}

/// Whether a value counts as missing for a required field.
pub fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    }
}
