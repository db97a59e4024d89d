//! Schema changes and exports as JSON, the shape the management API and the
//! admin UI exchange.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ddl::{ChangeRequest, FieldRename, TypeRename};
use super::model::{
    ComponentDef, ComponentSource, ContentTypeDef, ContentTypeSource, default_type_uid,
};
use super::registry::Schema;
use crate::error::{Error, Path, Result, ValidationErrors};

/// A schema change as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchemaChangeInput {
    #[serde(default)]
    pub content_types: Vec<ContentTypeInput>,
    #[serde(default)]
    pub components: Vec<ComponentInput>,
    #[serde(default)]
    pub field_renames: Vec<FieldRenameInput>,
    #[serde(default)]
    pub type_renames: Vec<TypeRenameInput>,
    #[serde(default)]
    pub drop_types: Vec<String>,
    #[serde(default)]
    pub drop_components: Vec<String>,
    /// The request holds the whole schema: whatever it lacks is removed.
    #[serde(default)]
    pub prune: bool,
    /// Confirms steps that remove data.
    #[serde(default)]
    pub allow_drop: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContentTypeInput {
    /// Defaults to `api::<singularName>.<singularName>`.
    #[serde(default)]
    pub uid: Option<String>,
    /// A Strapi `schema.json` document.
    pub schema: Value,
    /// Field name -> field id, as an export gave them.
    #[serde(default)]
    pub field_ids: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentInput {
    pub uid: String,
    pub schema: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldRenameInput {
    /// The type's uid (or singular or plural name).
    #[serde(rename = "type")]
    pub type_name: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TypeRenameInput {
    pub from: String,
    pub to: String,
}

impl SchemaChangeInput {
    /// The engine's change request; definitions that do not parse are
    /// reported with their position in the request.
    pub fn into_request(self, current: &Schema) -> Result<ChangeRequest> {
        let mut errors = ValidationErrors::default();
        let mut request = ChangeRequest {
            prune: self.prune,
            drop_types: self.drop_types,
            drop_components: self.drop_components,
            type_renames: self
                .type_renames
                .into_iter()
                .map(|r| TypeRename {
                    from: r.from,
                    to: r.to,
                })
                .collect(),
            ..ChangeRequest::default()
        };
        for (index, input) in self.content_types.into_iter().enumerate() {
            let origin = Path::from(["contentTypes", index.to_string().as_str()]);
            match serde_json::from_value::<ContentTypeDef>(input.schema) {
                Ok(def) => {
                    let uid = input
                        .uid
                        .unwrap_or_else(|| default_type_uid(&def.info.singular_name));
                    if !input.field_ids.is_empty() {
                        request.field_ids.insert(uid.clone(), input.field_ids);
                    }
                    request.sources.content_types.push(ContentTypeSource {
                        origin: type_origin(index, &uid),
                        uid,
                        def,
                    });
                }
                Err(e) => errors.push(
                    origin.child("schema"),
                    format!("not a content type schema: {e}"),
                ),
            }
        }
        for (index, input) in self.components.into_iter().enumerate() {
            match serde_json::from_value::<ComponentDef>(input.schema) {
                Ok(def) => request.sources.components.push(ComponentSource {
                    origin: component_origin(index, &input.uid),
                    uid: input.uid,
                    def,
                }),
                Err(e) => errors.push(
                    ["components", index.to_string().as_str(), "schema"],
                    format!("not a component schema: {e}"),
                ),
            }
        }
        for rename in self.field_renames {
            let type_uid = resolve_type(&rename.type_name, &request, current);
            request.field_renames.push(FieldRename {
                type_uid,
                from: rename.from,
                to: rename.to,
            });
        }
        errors.into_result().map_err(Error::InvalidSchema)?;
        Ok(request)
    }
}

/// Where the content type at `index` of a request is reported: the first
/// segment of the paths of its validation errors.
pub fn type_origin(index: usize, uid: &str) -> String {
    format!("contentTypes.{index} ({uid})")
}

/// Where the component at `index` of a request is reported.
pub fn component_origin(index: usize, uid: &str) -> String {
    format!("components.{index} ({uid})")
}

/// The uid a rename hint means: a uid, or the singular or plural name of a
/// type in the request or in the current schema.
pub fn resolve_type(name: &str, request: &ChangeRequest, current: &Schema) -> String {
    request
        .sources
        .content_types
        .iter()
        .find(|s| {
            s.uid == name || s.def.info.singular_name == name || s.def.info.plural_name == name
        })
        .map(|s| s.uid.clone())
        .or_else(|| current.find_type(name).map(|t| t.uid.clone()))
        .unwrap_or_else(|| name.to_owned())
}

/// The schema as JSON: every type with its field ids, every component.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaExport {
    pub content_types: Vec<ContentTypeExport>,
    pub components: Vec<ComponentExport>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentTypeExport {
    pub uid: String,
    pub schema: ContentTypeDef,
    pub field_ids: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentExport {
    pub uid: String,
    pub schema: ComponentDef,
}

impl SchemaExport {
    pub fn of(schema: &Schema) -> Self {
        SchemaExport {
            content_types: schema
                .content_types()
                .map(|t| ContentTypeExport {
                    uid: t.uid.clone(),
                    schema: t.def.clone(),
                    field_ids: t.field_ids.clone(),
                })
                .collect(),
            components: schema
                .components()
                .map(|c| ComponentExport {
                    uid: c.uid.clone(),
                    schema: c.def.clone(),
                })
                .collect(),
        }
    }
}
