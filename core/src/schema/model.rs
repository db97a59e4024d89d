//! The schema file format: Strapi v5's `schema.json` for content types and its
//! component files, kept as written.
//!
//! Attributes stay raw JSON here: `attribute::parse` turns each one into a
//! typed [`Attribute`](super::attribute::Attribute) with errors that name the
//! file and the attribute. Keys Cairn does not use are kept, so that an export
//! gives back what was applied.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `collectionType` (many entries) or `singleType` (one entry per locale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TypeKind {
    #[serde(rename = "collectionType")]
    Collection,
    #[serde(rename = "singleType")]
    Single,
}

impl std::fmt::Display for TypeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TypeKind::Collection => "collection type",
            TypeKind::Single => "single type",
        })
    }
}

/// A content type as its `schema.json` declares it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentTypeDef {
    pub kind: TypeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_name: Option<String>,
    pub info: TypeInfo,
    #[serde(default)]
    pub options: TypeOptions,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub plugin_options: Map<String, Value>,
    #[serde(default)]
    pub attributes: Map<String, Value>,
    /// Indexes the type declares for its common reads, e.g.
    /// `{ "fields": ["publishedAt", "id", "views"] }`; parsed by the build,
    /// which reports each problem on its path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeInfo {
    pub singular_name: String,
    pub plural_name: String,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeOptions {
    #[serde(default)]
    pub draft_and_publish: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ContentTypeDef {
    /// `pluginOptions.i18n.localized`.
    pub fn localized(&self) -> bool {
        localized_flag(&self.plugin_options).unwrap_or(false)
    }
}

/// `pluginOptions.i18n.localized` of a type or an attribute, when present.
pub fn localized_flag(plugin_options: &Map<String, Value>) -> Option<bool> {
    plugin_options
        .get("i18n")
        .and_then(|i18n| i18n.get("localized"))
        .and_then(Value::as_bool)
}

/// A component file (`src/components/<category>/<name>.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentDef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_name: Option<String>,
    pub info: ComponentInfo,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub options: Map<String, Value>,
    #[serde(default)]
    pub attributes: Map<String, Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentInfo {
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A content type definition with its uid and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentTypeSource {
    /// `api::article.article`.
    pub uid: String,
    /// A file path or a request location, used in error messages.
    pub origin: String,
    pub def: ContentTypeDef,
}

/// A component definition with its uid and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentSource {
    /// `category.name`, e.g. `shared.seo`.
    pub uid: String,
    pub origin: String,
    pub def: ComponentDef,
}

/// A set of definitions, as read from disk or received by the API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaSources {
    pub content_types: Vec<ContentTypeSource>,
    pub components: Vec<ComponentSource>,
}

/// The uid Strapi gives a content type declared outside an `api/` folder.
pub fn default_type_uid(singular_name: &str) -> String {
    format!("api::{singular_name}.{singular_name}")
}
