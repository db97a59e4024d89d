//! The compiled schema: every content type and component, validated, with the
//! storage of each field resolved. Immutable; a schema change builds a new one.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::attribute::{Attribute, Kind};
use super::column::{ColumnType, Storage};
use super::indexes::DeclaredIndex;
use super::model::{ComponentDef, ContentTypeDef, TypeKind};

/// A link table and which side of it a field reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub table: String,
    /// The field reads the links from their target end (`mappedBy` side).
    pub inverse: bool,
    /// The links point at files rather than documents.
    pub media: bool,
}

/// An attribute of a content type with where its values live.
#[derive(Debug, Clone)]
pub struct Field {
    pub attribute: Attribute,
    /// The column (for `Storage::Column`), otherwise the snake_case name.
    pub column: String,
    pub storage: Storage,
    pub link: Option<Link>,
}

impl Field {
    pub fn name(&self) -> &str {
        &self.attribute.name
    }

    pub fn column_type(&self) -> Option<ColumnType> {
        match self.storage {
            Storage::Column(column_type) => Some(column_type),
            Storage::Links | Storage::Inverse => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ContentType {
    /// `api::article.article`.
    pub uid: String,
    pub def: ContentTypeDef,
    pub kind: TypeKind,
    pub table: String,
    pub draft_and_publish: bool,
    pub localized: bool,
    pub fields: Vec<Field>,
    /// The indexes the type declares beside those Cairn always keeps.
    pub indexes: Vec<DeclaredIndex>,
    /// Stable ids of fields by name, so that an editor's rename is a rename.
    pub field_ids: BTreeMap<String, String>,
}

impl ContentType {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.attribute.name == name)
    }

    pub fn singular_name(&self) -> &str {
        &self.def.info.singular_name
    }

    pub fn plural_name(&self) -> &str {
        &self.def.info.plural_name
    }

    pub fn display_name(&self) -> &str {
        &self.def.info.display_name
    }

    /// The field that names an entry in lists and pickers: the first text
    /// field that is not secret, as Strapi's default main field is.
    pub fn main_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| {
            f.attribute.kind.scalar().is_some_and(|scalar| {
                !scalar.capabilities().secret
                    && matches!(scalar.name(), "string" | "uid" | "email" | "text")
            })
        })
    }

    /// Fields stored as columns of the type's table.
    pub fn column_fields(&self) -> impl Iterator<Item = (&Field, ColumnType)> {
        self.fields
            .iter()
            .filter_map(|f| f.column_type().map(|t| (f, t)))
    }

    /// Fields whose values live in link tables owned by this type.
    pub fn owned_links(&self) -> impl Iterator<Item = (&Field, &Link)> {
        self.fields.iter().filter_map(|f| match &f.link {
            Some(link) if !link.inverse => Some((f, link)),
            _ => None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Component {
    /// `shared.seo`.
    pub uid: String,
    pub def: ComponentDef,
    pub attributes: Vec<Attribute>,
}

impl Component {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// Every content type and component, indexed the ways requests look them up.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    types: BTreeMap<String, Arc<ContentType>>,
    components: BTreeMap<String, Arc<Component>>,
    by_api_id: HashMap<String, String>,
}

impl Schema {
    pub fn new(types: Vec<ContentType>, components: Vec<Component>) -> Self {
        let mut by_api_id = HashMap::new();
        for content_type in &types {
            by_api_id.insert(
                content_type.plural_name().to_owned(),
                content_type.uid.clone(),
            );
            by_api_id.insert(
                content_type.singular_name().to_owned(),
                content_type.uid.clone(),
            );
        }
        Schema {
            types: types
                .into_iter()
                .map(|t| (t.uid.clone(), Arc::new(t)))
                .collect(),
            components: components
                .into_iter()
                .map(|c| (c.uid.clone(), Arc::new(c)))
                .collect(),
            by_api_id,
        }
    }

    /// The same schema with the given field ids (type uid -> name -> id).
    pub fn with_field_ids(mut self, mut ids: BTreeMap<String, BTreeMap<String, String>>) -> Self {
        for (uid, content_type) in self.types.iter_mut() {
            if let Some(field_ids) = ids.remove(uid) {
                Arc::make_mut(content_type).field_ids = field_ids;
            }
        }
        self
    }

    pub fn content_type(&self, uid: &str) -> Option<&Arc<ContentType>> {
        self.types.get(uid)
    }

    /// Finds a type by uid, singular name or plural name.
    pub fn find_type(&self, name: &str) -> Option<&Arc<ContentType>> {
        self.types
            .get(name)
            .or_else(|| self.by_api_id.get(name).and_then(|uid| self.types.get(uid)))
    }

    pub fn component(&self, uid: &str) -> Option<&Arc<Component>> {
        self.components.get(uid)
    }

    pub fn content_types(&self) -> impl Iterator<Item = &Arc<ContentType>> {
        self.types.values()
    }

    pub fn components(&self) -> impl Iterator<Item = &Arc<Component>> {
        self.components.values()
    }

    /// Fields of other types (or this one) that point at documents of `uid`
    /// through link tables they own.
    pub fn links_targeting<'a>(
        &'a self,
        uid: &'a str,
    ) -> impl Iterator<Item = (&'a ContentType, &'a Field, &'a Link)> + 'a {
        self.types.values().flat_map(move |owner| {
            owner
                .owned_links()
                .filter_map(move |(field, link)| match &field.attribute.kind {
                    Kind::Relation(relation) if relation.target == uid => {
                        Some((owner.as_ref(), field, link))
                    }
                    _ => None,
                })
        })
    }
}
