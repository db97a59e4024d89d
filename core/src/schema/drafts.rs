//! Working copies of schema changes: the admin builder edits a content type
//! or a component over several requests, keeping the result here (per admin
//! session, server-side) until it is reviewed and applied in one go.
//!
//! A draft keeps the field ids of the type it started from and moves an id
//! with its field when the field is renamed, so the planner sees a rename
//! and keeps the data. It also keeps the other side of bidirectional
//! relations in step: the request it becomes adds, updates or removes the
//! `mappedBy` attributes of the types its relations point at.

use std::collections::BTreeMap;

use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::attribute::RelationKind;
use super::model::{ComponentDef, ContentTypeDef};
use super::registry::Schema;
use super::request::{
    ComponentInput, ContentTypeInput, SchemaChangeInput, component_origin, type_origin,
};
use crate::db::entities::admin_draft;
use crate::error::{Error, Result};
use crate::time::now;

/// What a draft edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    ContentType,
    Component,
}

impl Group {
    fn name(self) -> &'static str {
        match self {
            Group::ContentType => "type",
            Group::Component => "component",
        }
    }
}

/// The definition being edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "group", content = "schema", rename_all = "camelCase")]
pub enum Definition {
    ContentType(ContentTypeDef),
    Component(ComponentDef),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub uid: String,
    pub definition: Definition,
    /// Field name -> id, from the schema in force; renames carry ids along.
    pub field_ids: BTreeMap<String, String>,
    /// Whether the definition is not in the schema in force yet.
    pub is_new: bool,
}

/// The key a draft is stored under.
pub fn key(group: Group, uid: &str) -> String {
    format!("{}:{uid}", group.name())
}

impl Draft {
    /// A draft of a type or component in force, or `None` when there is none.
    pub fn of(schema: &Schema, group: Group, uid: &str) -> Option<Draft> {
        match group {
            Group::ContentType => schema.content_type(uid).map(|t| Draft {
                uid: t.uid.clone(),
                definition: Definition::ContentType(t.def.clone()),
                field_ids: t.field_ids.clone(),
                is_new: false,
            }),
            Group::Component => schema.component(uid).map(|c| Draft {
                uid: c.uid.clone(),
                definition: Definition::Component(c.def.clone()),
                field_ids: BTreeMap::new(),
                is_new: false,
            }),
        }
    }

    pub fn group(&self) -> Group {
        match self.definition {
            Definition::ContentType(_) => Group::ContentType,
            Definition::Component(_) => Group::Component,
        }
    }

    pub fn key(&self) -> String {
        key(self.group(), &self.uid)
    }

    pub fn display_name(&self) -> &str {
        match &self.definition {
            Definition::ContentType(def) => &def.info.display_name,
            Definition::Component(def) => &def.info.display_name,
        }
    }

    pub fn attributes(&self) -> &Map<String, Value> {
        match &self.definition {
            Definition::ContentType(def) => &def.attributes,
            Definition::Component(def) => &def.attributes,
        }
    }

    fn attributes_mut(&mut self) -> &mut Map<String, Value> {
        match &mut self.definition {
            Definition::ContentType(def) => &mut def.attributes,
            Definition::Component(def) => &mut def.attributes,
        }
    }

    /// Adds a field, or replaces `previous` (possibly under a new name) in
    /// its place. A renamed field keeps its id.
    pub fn put_field(&mut self, previous: Option<&str>, name: &str, attribute: Value) {
        let attributes = std::mem::take(self.attributes_mut());
        let mut replaced = false;
        let mut updated = Map::new();
        for (key, value) in attributes {
            if Some(key.as_str()) == previous {
                updated.insert(name.to_owned(), attribute.clone());
                replaced = true;
            } else if key != name {
                updated.insert(key, value);
            }
        }
        if !replaced {
            updated.insert(name.to_owned(), attribute);
        }
        *self.attributes_mut() = updated;
        if let Some(previous) = previous.filter(|p| *p != name) {
            if let Some(id) = self.field_ids.remove(previous) {
                self.field_ids.insert(name.to_owned(), id);
            }
            self.rename_in_indexes(previous, Some(name));
        }
    }

    /// Removes a field, and the declared indexes that hold it; `false` when
    /// there is none.
    pub fn remove_field(&mut self, name: &str) -> bool {
        let removed = self.attributes_mut().shift_remove(name).is_some();
        if removed {
            self.rename_in_indexes(name, None);
        }
        removed
    }

    /// Follows a field rename (`Some`) or removal (`None`) in the type's
    /// declared indexes: a renamed field keeps its place, an index that
    /// held a removed field goes.
    fn rename_in_indexes(&mut self, from: &str, to: Option<&str>) {
        let Definition::ContentType(def) = &mut self.definition else {
            return;
        };
        match to {
            Some(to) => {
                let names = def
                    .indexes
                    .iter_mut()
                    .filter_map(|index| index.get_mut("fields"))
                    .filter_map(Value::as_array_mut)
                    .flatten();
                for name in names.filter(|name| *name == from) {
                    *name = Value::from(to);
                }
            }
            None => def.indexes.retain(|index| {
                index
                    .get("fields")
                    .and_then(Value::as_array)
                    .is_none_or(|names| !names.iter().any(|name| name == from))
            }),
        }
    }

    /// Moves a field one place up or down; `false` when it cannot move.
    pub fn move_field(&mut self, name: &str, up: bool) -> bool {
        let mut entries: Vec<(String, Value)> =
            std::mem::take(self.attributes_mut()).into_iter().collect();
        let position = entries.iter().position(|(key, _)| key == name);
        let moved = match position {
            Some(i) if up && i > 0 => {
                entries.swap(i, i - 1);
                true
            }
            Some(i) if !up && i + 1 < entries.len() => {
                entries.swap(i, i + 1);
                true
            }
            _ => false,
        };
        *self.attributes_mut() = entries.into_iter().collect();
        moved
    }

    /// The first segment of the paths of this draft's validation errors in
    /// the request [`Draft::change_input`] builds.
    pub fn origin(&self) -> String {
        match self.group() {
            Group::ContentType => type_origin(0, &self.uid),
            Group::Component => component_origin(0, &self.uid),
        }
    }

    /// The schema change this draft asks for: the draft first, then the
    /// types whose inverse relation sides follow from it.
    pub fn change_input(&self, current: &Schema) -> Result<SchemaChangeInput> {
        match &self.definition {
            Definition::Component(def) => Ok(SchemaChangeInput {
                components: vec![ComponentInput {
                    uid: self.uid.clone(),
                    schema: to_value(def)?,
                }],
                ..SchemaChangeInput::default()
            }),
            Definition::ContentType(def) => {
                let mut own = def.clone();
                let others = pair_relations(&self.uid, &mut own, current);
                let mut content_types = vec![ContentTypeInput {
                    uid: Some(self.uid.clone()),
                    schema: to_value(&own)?,
                    field_ids: self.field_ids.clone(),
                }];
                for (uid, other) in others {
                    content_types.push(ContentTypeInput {
                        schema: to_value(&other)?,
                        field_ids: current
                            .content_type(&uid)
                            .map(|t| t.field_ids.clone())
                            .unwrap_or_default(),
                        uid: Some(uid),
                    });
                }
                Ok(SchemaChangeInput {
                    content_types,
                    ..SchemaChangeInput::default()
                })
            }
        }
    }
}

fn to_value(def: &impl Serialize) -> Result<Value> {
    serde_json::to_value(def).map_err(Error::internal)
}

/// The attribute of the other side of an owning relation.
fn inverse_side(owner_uid: &str, owner_field: &str, relation: &str) -> Option<Value> {
    let kind = RelationKind::parse(relation)?;
    Some(json!({
        "type": "relation",
        "relation": kind.inverse().name(),
        "target": owner_uid,
        "mappedBy": owner_field,
    }))
}

fn relation_of(attribute: &Value) -> Option<(&str, &str)> {
    (attribute.get("type")?.as_str()? == "relation").then_some(())?;
    Some((
        attribute.get("relation")?.as_str()?,
        attribute.get("target")?.as_str()?,
    ))
}

/// Brings the inverse sides of `own`'s bidirectional relations in line with
/// it: removes `mappedBy` attributes whose owner no longer pairs with them,
/// and adds or updates the one each `inversedBy` names. Returns the other
/// types that changed.
fn pair_relations(
    uid: &str,
    own: &mut ContentTypeDef,
    current: &Schema,
) -> BTreeMap<String, ContentTypeDef> {
    let pairs = |owner: &Map<String, Value>, owner_field: &str, side_uid: &str, side: &str| {
        owner.get(owner_field).is_some_and(|attribute| {
            relation_of(attribute).is_some_and(|(_, target)| target == side_uid)
                && attribute.get("inversedBy").and_then(Value::as_str) == Some(side)
        })
    };
    let mut others: BTreeMap<String, ContentTypeDef> = BTreeMap::new();
    for other in current.content_types().filter(|t| t.uid != uid) {
        let stale: Vec<String> = other
            .def
            .attributes
            .iter()
            .filter(|(name, attribute)| {
                relation_of(attribute).is_some_and(|(_, target)| target == uid)
                    && attribute
                        .get("mappedBy")
                        .and_then(Value::as_str)
                        .is_some_and(|owner| !pairs(&own.attributes, owner, &other.uid, name))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if !stale.is_empty() {
            let def = others
                .entry(other.uid.clone())
                .or_insert_with(|| other.def.clone());
            for name in stale {
                def.attributes.shift_remove(&name);
            }
        }
    }
    let own_stale: Vec<String> = own
        .attributes
        .iter()
        .filter(|(name, attribute)| {
            relation_of(attribute).is_some_and(|(_, target)| target == uid)
                && attribute
                    .get("mappedBy")
                    .and_then(Value::as_str)
                    .is_some_and(|owner| !pairs(&own.attributes, owner, uid, name))
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in own_stale {
        own.attributes.shift_remove(&name);
    }
    let owning: Vec<(String, String, String, String)> = own
        .attributes
        .iter()
        .filter_map(|(name, attribute)| {
            let (relation, target) = relation_of(attribute)?;
            let side = attribute.get("inversedBy")?.as_str()?;
            Some((
                name.clone(),
                relation.to_owned(),
                target.to_owned(),
                side.to_owned(),
            ))
        })
        .collect();
    for (name, relation, target, side) in owning {
        let Some(expected) = inverse_side(uid, &name, &relation) else {
            continue;
        };
        let attributes = if target == uid {
            &mut own.attributes
        } else if let Some(def) = others.get_mut(&target) {
            &mut def.attributes
        } else if let Some(other) = current.content_type(&target) {
            &mut others
                .entry(target.clone())
                .or_insert_with(|| other.def.clone())
                .attributes
        } else {
            // A missing target: the engine reports it on the owning field.
            continue;
        };
        if attributes.get(&side) != Some(&expected) {
            attributes.insert(side, expected);
        }
    }
    // Types whose definition came back unchanged need not be sent.
    others.retain(|other_uid, def| {
        current
            .content_type(other_uid)
            .is_none_or(|t| &t.def != def)
    });
    others
}

/// The draft of `key` kept for a session.
pub async fn load(
    conn: &impl ConnectionTrait,
    session_id: i64,
    key: &str,
) -> Result<Option<Draft>> {
    let Some(model) = find(conn, session_id, key).await? else {
        return Ok(None);
    };
    serde_json::from_str(&model.document)
        .map(Some)
        .map_err(|e| Error::internal(format!("admin draft {key} does not parse: {e}")))
}

/// Keeps a draft for a session, replacing the previous one of the same key.
pub async fn save(conn: &impl ConnectionTrait, session_id: i64, draft: &Draft) -> Result<()> {
    let key = draft.key();
    let document = serde_json::to_string(draft).map_err(Error::internal)?;
    match find(conn, session_id, &key).await? {
        Some(model) => {
            let mut active = model.into_active_model();
            active.document = Set(document);
            active.updated_at = Set(now());
            active.update(conn).await?;
        }
        None => {
            admin_draft::ActiveModel {
                session_id: Set(session_id),
                key: Set(key),
                document: Set(document),
                updated_at: Set(now()),
                ..Default::default()
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

/// Forgets a session's draft of `key`.
pub async fn discard(conn: &impl ConnectionTrait, session_id: i64, key: &str) -> Result<()> {
    admin_draft::Entity::delete_many()
        .filter(admin_draft::Column::SessionId.eq(session_id))
        .filter(admin_draft::Column::Key.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}

/// The keys of every draft a session keeps.
pub async fn keys(conn: &impl ConnectionTrait, session_id: i64) -> Result<Vec<String>> {
    Ok(admin_draft::Entity::find()
        .filter(admin_draft::Column::SessionId.eq(session_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|model| model.key)
        .collect())
}

async fn find(
    conn: &impl ConnectionTrait,
    session_id: i64,
    key: &str,
) -> Result<Option<admin_draft::Model>> {
    Ok(admin_draft::Entity::find()
        .filter(admin_draft::Column::SessionId.eq(session_id))
        .filter(admin_draft::Column::Key.eq(key))
        .one(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Draft {
        let def: ContentTypeDef = serde_json::from_value(json!({
            "kind": "collectionType",
            "info": {"singularName": "article", "pluralName": "articles", "displayName": "Article"},
            "attributes": {"title": {"type": "string"}, "views": {"type": "integer"}},
            "indexes": [{"fields": ["publishedAt", "views"]}, {"fields": ["title"]}]
        }))
        .unwrap_or_else(|e| panic!("a valid definition: {e}"));
        Draft {
            uid: "api::article.article".into(),
            definition: Definition::ContentType(def),
            field_ids: BTreeMap::new(),
            is_new: false,
        }
    }

    fn indexes(draft: &Draft) -> Vec<Value> {
        match &draft.definition {
            Definition::ContentType(def) => def.indexes.clone(),
            Definition::Component(_) => Vec::new(),
        }
    }

    #[test]
    fn a_renamed_field_keeps_its_place_in_indexes() {
        let mut draft = article();
        draft.put_field(Some("views"), "reads", json!({"type": "integer"}));
        assert_eq!(
            indexes(&draft),
            [
                json!({"fields": ["publishedAt", "reads"]}),
                json!({"fields": ["title"]})
            ]
        );
    }

    #[test]
    fn a_removed_field_takes_its_indexes_along() {
        let mut draft = article();
        assert!(draft.remove_field("views"));
        assert_eq!(indexes(&draft), [json!({"fields": ["title"]})]);
    }
}
