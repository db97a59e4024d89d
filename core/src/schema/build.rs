//! Validates a set of schema definitions and compiles them into a [`Schema`].
//!
//! Every error names where the definition came from (a file path or a request
//! location) and the attribute, e.g.
//! `src/api/article/content-types/article/schema.json › attributes › title: unknown attribute type`.
//! Nothing reaches the database unless the whole set is valid.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::attribute::{self, Attribute, Context, Kind};
use super::column::{Storage, storage};
use super::indexes;
use super::model::{ComponentSource, ContentTypeSource, SchemaSources};
use super::naming;
use super::registry::{Component, ContentType, Field, Link, Schema};
use crate::error::{Path, ValidationErrors};

/// Compiles `sources`; `Err` lists every problem in every definition.
pub fn build(sources: &SchemaSources) -> Result<Schema, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let components = build_components(&sources.components, &mut errors);
    let mut types = Vec::new();
    let mut seen_uids = BTreeSet::new();
    let mut api_ids: HashMap<String, String> = HashMap::new();
    let mut tables: HashMap<String, String> = HashMap::new();
    for source in &sources.content_types {
        if !seen_uids.insert(source.uid.clone()) {
            errors.push(
                [source.origin.as_str()],
                format!("content type `{}` is defined more than once", source.uid),
            );
            continue;
        }
        types.push(build_type(source, &mut api_ids, &mut tables, &mut errors));
    }
    let component_index: BTreeMap<&str, &Component> =
        components.iter().map(|c| (c.uid.as_str(), c)).collect();
    let type_index: BTreeMap<&str, &ContentType> =
        types.iter().map(|t| (t.uid.as_str(), t)).collect();
    let references = References {
        types: &type_index,
        components: &component_index,
    };
    for (content_type, source) in types.iter().filter_map(|t| {
        sources
            .content_types
            .iter()
            .find(|s| s.uid == t.uid)
            .map(|s| (t, s))
    }) {
        for field in &content_type.fields {
            let path = Path::from(source.origin.as_str())
                .child("attributes")
                .child(field.name());
            references.check(&field.attribute, &content_type.uid, &path, &mut errors);
        }
    }
    for component in &components {
        let origin = sources
            .components
            .iter()
            .find(|s| s.uid == component.uid)
            .map(|s| s.origin.as_str())
            .unwrap_or_default();
        for attribute in &component.attributes {
            let path = Path::from(origin)
                .child("attributes")
                .child(&attribute.name);
            references.check(attribute, "", &path, &mut errors);
        }
        check_component_cycle(component, &component_index, origin, &mut errors);
    }
    let types = resolve_inverse_links(types);
    errors.into_result()?;
    Ok(Schema::new(types, components))
}

fn build_components(sources: &[ComponentSource], errors: &mut ValidationErrors) -> Vec<Component> {
    let mut seen = BTreeSet::new();
    let mut components = Vec::new();
    for source in sources {
        let origin = Path::from(source.origin.as_str());
        if let Err(message) = check_component_uid(&source.uid) {
            errors.push(origin.clone(), message);
            continue;
        }
        if !seen.insert(source.uid.clone()) {
            errors.push(
                origin,
                format!("component `{}` is defined more than once", source.uid),
            );
            continue;
        }
        if source.def.info.display_name.trim().is_empty() {
            errors.push(
                origin.child("info").child("displayName"),
                "displayName cannot be empty",
            );
        }
        let context = Context {
            type_localized: false,
            in_component: true,
        };
        let attributes = parse_attributes(&source.def.attributes, context, &origin, errors);
        for attribute in &attributes {
            if attribute.unique {
                errors.push(
                    origin.child("attributes").child(&attribute.name),
                    "`unique` is not supported inside components",
                );
            }
        }
        components.push(Component {
            uid: source.uid.clone(),
            def: source.def.clone(),
            attributes,
        });
    }
    components
}

fn check_component_uid(uid: &str) -> Result<(), String> {
    let valid = uid.split_once('.').is_some_and(|(category, name)| {
        naming::check_api_id(category).is_ok() && naming::check_api_id(name).is_ok()
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{uid}` is not a valid component uid: use `category.name` in lower-case kebab-case"
        ))
    }
}

fn check_type_uid(uid: &str) -> Result<(), String> {
    let valid = uid
        .strip_prefix("api::")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(api, name)| {
            naming::check_api_id(api).is_ok() && naming::check_api_id(name).is_ok()
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{uid}` is not a valid content type uid: use `api::<api>.<name>`"
        ))
    }
}

fn build_type(
    source: &ContentTypeSource,
    api_ids: &mut HashMap<String, String>,
    tables: &mut HashMap<String, String>,
    errors: &mut ValidationErrors,
) -> ContentType {
    let origin = Path::from(source.origin.as_str());
    let def = &source.def;
    if let Err(message) = check_type_uid(&source.uid) {
        errors.push(origin.clone(), message);
    }
    let info = origin.child("info");
    for (key, name) in [
        ("singularName", &def.info.singular_name),
        ("pluralName", &def.info.plural_name),
    ] {
        if let Err(message) = naming::check_api_id(name) {
            errors.push(info.child(key), message);
        } else if let Some(other) = api_ids.get(name) {
            errors.push(
                info.child(key),
                format!("`{name}` is already the API id of `{other}`"),
            );
        }
    }
    if def.info.singular_name == def.info.plural_name {
        errors.push(
            info.child("pluralName"),
            "pluralName must differ from singularName",
        );
    }
    api_ids.insert(def.info.singular_name.clone(), source.uid.clone());
    api_ids.insert(def.info.plural_name.clone(), source.uid.clone());
    if def.info.display_name.trim().is_empty() {
        errors.push(info.child("displayName"), "displayName cannot be empty");
    }
    let table = def
        .collection_name
        .clone()
        .unwrap_or_else(|| naming::default_table_name(&def.info.plural_name));
    let table_path = origin.child("collectionName");
    if let Err(message) = naming::check_table_name(&table) {
        errors.push(table_path.clone(), message);
    }
    claim_table(tables, &table, &source.uid, &table_path, errors);

    let localized = def.localized();
    let context = Context {
        type_localized: localized,
        in_component: false,
    };
    let attributes = parse_attributes(&def.attributes, context, &origin, errors);
    let mut columns: HashMap<String, String> = HashMap::new();
    let mut fields = Vec::new();
    for attribute in attributes {
        let path = origin.child("attributes").child(&attribute.name);
        let column = naming::column_name(&attribute.name);
        if let Some(other) = columns.insert(column.clone(), attribute.name.clone()) {
            errors.push(
                path.clone(),
                format!(
                    "`{}` and `{other}` would share the column `{column}`",
                    attribute.name
                ),
            );
        }
        let storage = storage(&attribute.kind);
        let link = match (&attribute.kind, storage) {
            (_, Storage::Links) => {
                let link_table = naming::link_table_name(&table, &attribute.name);
                if link_table.len() > naming::MAX_IDENTIFIER {
                    errors.push(
                        path.clone(),
                        format!(
                            "its link table name `{link_table}` is too long; use a shorter name"
                        ),
                    );
                }
                claim_table(tables, &link_table, &source.uid, &path, errors);
                Some(Link {
                    table: link_table,
                    inverse: false,
                    media: matches!(attribute.kind, Kind::Media(_)),
                })
            }
            _ => None,
        };
        fields.push(Field {
            attribute,
            column,
            storage,
            link,
        });
    }
    check_uid_targets(&fields, &origin, errors);
    let indexes = indexes::parse(&def.indexes, &fields, &origin, errors);
    // Returned even when invalid, so that references to it are checked
    // against what it declares; the errors already stop the build.
    ContentType {
        uid: source.uid.clone(),
        def: def.clone(),
        kind: def.kind,
        table,
        draft_and_publish: def.options.draft_and_publish,
        localized,
        fields,
        indexes,
        field_ids: BTreeMap::new(),
    }
}

fn claim_table(
    tables: &mut HashMap<String, String>,
    table: &str,
    uid: &str,
    path: &Path,
    errors: &mut ValidationErrors,
) {
    if let Some(owner) = tables.insert(table.to_owned(), uid.to_owned()) {
        errors.push(
            path.clone(),
            format!("table `{table}` is already used by `{owner}`"),
        );
    }
}

fn parse_attributes(
    raw: &serde_json::Map<String, serde_json::Value>,
    context: Context,
    origin: &Path,
    errors: &mut ValidationErrors,
) -> Vec<Attribute> {
    let mut attributes = Vec::new();
    for (name, value) in raw {
        let path = origin.child("attributes").child(name);
        if let Err(message) = naming::check_attribute_name(name) {
            errors.push(path, message);
            continue;
        }
        match attribute::parse(name, value, context) {
            Ok(attribute) => {
                if let (Some(default), Some(scalar)) = (&attribute.default, attribute.kind.scalar())
                    && let Err(message) = scalar.normalize(default)
                {
                    errors.push(path.child("default"), format!("default {message}"));
                }
                attributes.push(attribute);
            }
            // Reported on the attribute; the option each is about is in its message.
            Err(problems) => {
                for problem in problems.errors {
                    errors.push(path.clone(), problem.message);
                }
            }
        }
    }
    attributes
}

fn check_uid_targets(fields: &[Field], origin: &Path, errors: &mut ValidationErrors) {
    for field in fields {
        let Some(target) = field.attribute.kind.source_field() else {
            continue;
        };
        let path = origin
            .child("attributes")
            .child(field.name())
            .child("targetField");
        match fields.iter().find(|f| f.name() == target) {
            None => errors.push(
                path,
                format!("targetField `{target}` is not an attribute of this type"),
            ),
            Some(f)
                if !f
                    .attribute
                    .kind
                    .scalar()
                    .is_some_and(|scalar| scalar.capabilities().slug_source) =>
            {
                errors.push(
                    path,
                    format!("targetField `{target}` must be a text attribute"),
                );
            }
            Some(_) => {}
        }
    }
}

/// What attributes may refer to.
struct References<'a> {
    types: &'a BTreeMap<&'a str, &'a ContentType>,
    components: &'a BTreeMap<&'a str, &'a Component>,
}

impl References<'_> {
    fn check(
        &self,
        attribute: &Attribute,
        own_uid: &str,
        path: &Path,
        errors: &mut ValidationErrors,
    ) {
        let components = self.components;
        match &attribute.kind {
            Kind::Relation(relation) => {
                let Some(target) = self.types.get(relation.target.as_str()) else {
                    errors.push(
                        path.clone(),
                        format!(
                            "relation target `{}` is not a content type",
                            relation.target
                        ),
                    );
                    return;
                };
                let counterpart = relation
                    .inversed_by
                    .as_ref()
                    .map(|name| (name, "mappedBy"))
                    .or(relation.mapped_by.as_ref().map(|name| (name, "inversedBy")));
                let Some((other_name, expected_key)) = counterpart else {
                    return;
                };
                let other = target
                    .field(other_name)
                    .and_then(|f| match &f.attribute.kind {
                        Kind::Relation(other) => Some(other),
                        _ => None,
                    });
                let Some(other) = other else {
                    errors.push(
                        path.clone(),
                        format!(
                            "`{}` has no relation attribute `{other_name}` to pair with",
                            relation.target
                        ),
                    );
                    return;
                };
                let points_back = other.target == own_uid;
                let names_back = match expected_key {
                    "mappedBy" => other.mapped_by.as_deref() == Some(attribute.name.as_str()),
                    _ => other.inversed_by.as_deref() == Some(attribute.name.as_str()),
                };
                if !points_back || !names_back {
                    errors.push(
                        path.clone(),
                        format!(
                            "`{}.{other_name}` must target `{own_uid}` with {expected_key}: \"{}\"",
                            relation.target, attribute.name
                        ),
                    );
                } else if other.kind != relation.kind.inverse() {
                    errors.push(
                        path.clone(),
                        format!(
                            "a {} relation pairs with a {} relation, but `{}.{other_name}` is {}",
                            relation.kind.name(),
                            relation.kind.inverse().name(),
                            relation.target,
                            other.kind.name()
                        ),
                    );
                }
            }
            Kind::Component(reference)
                if !components.contains_key(reference.component.as_str()) =>
            {
                errors.push(
                    path.clone(),
                    format!("component `{}` is not defined", reference.component),
                );
            }
            Kind::DynamicZone(zone) => {
                for component in &zone.components {
                    if !components.contains_key(component.as_str()) {
                        errors.push(
                            path.clone(),
                            format!("component `{component}` is not defined"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_component_cycle(
    component: &Component,
    components: &BTreeMap<&str, &Component>,
    origin: &str,
    errors: &mut ValidationErrors,
) {
    fn nested(component: &Component) -> impl Iterator<Item = &str> {
        component.attributes.iter().filter_map(|a| match &a.kind {
            Kind::Component(reference) => Some(reference.component.as_str()),
            _ => None,
        })
    }
    let mut pending: Vec<&str> = nested(component).collect();
    let mut seen = BTreeSet::new();
    while let Some(uid) = pending.pop() {
        if uid == component.uid {
            errors.push(
                [origin],
                format!(
                    "component `{}` contains itself through nested components",
                    component.uid
                ),
            );
            return;
        }
        if seen.insert(uid)
            && let Some(next) = components.get(uid)
        {
            pending.extend(nested(next));
        }
    }
}

/// Gives each `mappedBy` field the owner's link table.
fn resolve_inverse_links(mut types: Vec<ContentType>) -> Vec<ContentType> {
    let owners: HashMap<(String, String), String> = types
        .iter()
        .flat_map(|t| {
            t.owned_links()
                .map(|(field, link)| ((t.uid.clone(), field.name().to_owned()), link.table.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    for content_type in &mut types {
        for field in &mut content_type.fields {
            if let Kind::Relation(relation) = &field.attribute.kind
                && let Some(mapped_by) = &relation.mapped_by
                && let Some(table) = owners.get(&(relation.target.clone(), mapped_by.clone()))
            {
                field.link = Some(Link {
                    table: table.clone(),
                    inverse: true,
                    media: false,
                });
            }
        }
    }
    types
}
