//! Typed attributes, parsed from the raw JSON of a schema file.
//!
//! `parse` reads one attribute object and reports every problem it finds,
//! each under the option it is about; the caller puts them on the file and
//! the attribute. Kinds of values that live in a column are read by their
//! definition in `kinds`; relations, media, components and dynamic zones
//! here.

use serde_json::Value;

use super::kinds::{self, Options, Scalar, Unique};
use super::model::localized_flag;
use crate::error::{Path, ValidationErrors};

/// One field of a content type or component.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub kind: Kind,
    pub required: bool,
    pub unique: bool,
    /// Never returned by the API (secret kinds are private whatever they say).
    pub private: bool,
    /// Whether each locale has its own value. Always false in types that are
    /// not localized.
    pub localized: bool,
    pub default: Option<Value>,
}

impl Attribute {
    /// Private attributes and secrets never leave the server.
    pub fn is_hidden(&self) -> bool {
        self.private || self.kind.is_secret()
    }
}

/// What an attribute holds, with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A value in a column of the type's table: text, numbers, dates, JSON…
    Scalar(Scalar),
    Media(Media),
    Relation(Relation),
    Component(ComponentRef),
    DynamicZone(DynamicZone),
}

impl Kind {
    /// The attribute type as Strapi writes it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Scalar(scalar) => scalar.name(),
            Kind::Media(_) => "media",
            Kind::Relation(_) => "relation",
            Kind::Component(_) => "component",
            Kind::DynamicZone(_) => "dynamiczone",
        }
    }

    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Kind::Scalar(scalar) => Some(scalar),
            Kind::Media(_) | Kind::Relation(_) | Kind::Component(_) | Kind::DynamicZone(_) => None,
        }
    }

    /// Values stored hashed and never shown (passwords).
    pub fn is_secret(&self) -> bool {
        self.scalar().is_some_and(|s| s.capabilities().secret)
    }

    /// Values that can be compared and sorted: scalars but JSON.
    pub fn is_comparable(&self) -> bool {
        self.scalar().is_some_and(|s| s.capabilities().comparable)
    }

    /// Kinds returned only when populated, as in Strapi: everything but scalars.
    pub fn is_populatable(&self) -> bool {
        self.scalar().is_none()
    }

    /// The field an empty value is generated from (a uid's `targetField`).
    pub fn source_field(&self) -> Option<&str> {
        self.scalar().and_then(|scalar| scalar.source_field())
    }

    /// Populated kinds stored in a column of the type's own table.
    pub fn is_structured(&self) -> bool {
        matches!(self, Kind::Component(_) | Kind::DynamicZone(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub multiple: bool,
    /// `images`, `files`, `videos`, `audios`; empty means any.
    pub allowed_types: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    OneToOne,
    OneToMany,
    ManyToOne,
    ManyToMany,
}

impl RelationKind {
    /// Reads a `relation` option; `oneWay` and `manyWay` are Strapi's names
    /// for one-way relations.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "oneToOne" | "oneWay" => RelationKind::OneToOne,
            "oneToMany" => RelationKind::OneToMany,
            "manyToOne" => RelationKind::ManyToOne,
            "manyToMany" | "manyWay" => RelationKind::ManyToMany,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            RelationKind::OneToOne => "oneToOne",
            RelationKind::OneToMany => "oneToMany",
            RelationKind::ManyToOne => "manyToOne",
            RelationKind::ManyToMany => "manyToMany",
        }
    }

    /// Whether a source holds many targets.
    pub fn is_multiple(self) -> bool {
        matches!(self, RelationKind::OneToMany | RelationKind::ManyToMany)
    }

    /// Whether a target belongs to one source at most.
    pub fn target_is_exclusive(self) -> bool {
        matches!(self, RelationKind::OneToOne | RelationKind::OneToMany)
    }

    /// The kind the other side of a bidirectional relation must declare.
    pub fn inverse(self) -> Self {
        match self {
            RelationKind::OneToOne => RelationKind::OneToOne,
            RelationKind::OneToMany => RelationKind::ManyToOne,
            RelationKind::ManyToOne => RelationKind::OneToMany,
            RelationKind::ManyToMany => RelationKind::ManyToMany,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub kind: RelationKind,
    /// The target content type's uid.
    pub target: String,
    pub inversed_by: Option<String>,
    pub mapped_by: Option<String>,
}

impl Relation {
    /// The side that stores the links: every side but a `mappedBy` one.
    pub fn is_owner(&self) -> bool {
        self.mapped_by.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComponentRef {
    pub component: String,
    pub repeatable: bool,
    pub min: Option<u64>,
    pub max: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DynamicZone {
    pub components: Vec<String>,
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// Where an attribute is declared, which changes what it may be.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub type_localized: bool,
    pub in_component: bool,
}

/// Parses one attribute. `Err` lists every problem found, each with the
/// option it is about as its path (empty for the attribute as a whole).
pub fn parse(name: &str, raw: &Value, context: Context) -> Result<Attribute, ValidationErrors> {
    let Some(object) = raw.as_object() else {
        return Err(ValidationErrors::single(Path::root(), "must be an object"));
    };
    let type_name = match object.get("type") {
        Some(Value::String(type_name)) => type_name.as_str(),
        Some(_) => return Err(ValidationErrors::single("type", "`type` must be a string")),
        None => return Err(ValidationErrors::single("type", "`type` is missing")),
    };
    let mut options = Options::new(object);
    let kind = read_kind(type_name, &mut options, context);
    let required = options.bool("required");
    let unique = options.bool("unique");
    let private = options.bool("private");
    let attribute_localized = options
        .object("pluginOptions")
        .and_then(localized_flag)
        .unwrap_or(true);
    let default = object.get("default").filter(|v| !v.is_null()).cloned();
    let Some(kind) = kind else {
        return Err(options.into_errors());
    };
    let (uniqueness, takes_default) = match &kind {
        Kind::Scalar(scalar) => (scalar.capabilities().unique, scalar.capabilities().default),
        Kind::Media(_) | Kind::Relation(_) | Kind::Component(_) | Kind::DynamicZone(_) => {
            (Unique::Never, false)
        }
    };
    if unique && uniqueness == Unique::Never {
        options.fail(
            "unique",
            format!(
                "`unique` is not supported on {} attributes",
                kind.type_name()
            ),
        );
    }
    if default.is_some() && !takes_default {
        options.fail(
            "default",
            format!(
                "`default` is not supported on {} attributes",
                kind.type_name()
            ),
        );
    }
    let errors = options.into_errors();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Attribute {
        name: name.to_owned(),
        unique: unique || uniqueness == Unique::Always,
        kind,
        required,
        private,
        localized: context.type_localized && attribute_localized,
        default,
    })
}

fn read_kind(type_name: &str, options: &mut Options<'_>, context: Context) -> Option<Kind> {
    if let Some(def) = kinds::find(type_name) {
        return Scalar::parse(def, options).map(Kind::Scalar);
    }
    Some(match type_name {
        "media" => Kind::Media(Media {
            multiple: options.bool("multiple"),
            allowed_types: media_types(options),
        }),
        "relation" => Kind::Relation(relation(options, context)?),
        "component" => {
            let Some(component) = options.string("component") else {
                options.fail("component", "`component` is missing");
                return None;
            };
            Kind::Component(ComponentRef {
                component,
                repeatable: options.bool("repeatable"),
                min: options.count("min"),
                max: options.count("max"),
            })
        }
        "dynamiczone" => {
            if context.in_component {
                options.fail("type", "dynamic zones cannot be nested in components");
                return None;
            }
            let components = options.string_list("components");
            if components.is_empty() {
                options.fail(
                    "components",
                    "`components` must list at least one component",
                );
                return None;
            }
            Kind::DynamicZone(DynamicZone {
                components,
                min: options.count("min"),
                max: options.count("max"),
            })
        }
        "customField" => {
            options.fail(
                "customField",
                "custom fields need the plugin that provides them; none is enabled",
            );
            return None;
        }
        other => {
            options.fail("type", format!("unknown attribute type `{other}`"));
            return None;
        }
    })
}

fn relation(options: &mut Options<'_>, context: Context) -> Option<Relation> {
    let kind_name = options.string("relation");
    let target = options.string("target");
    let inversed_by = options.string("inversedBy");
    let mapped_by = options.string("mappedBy");
    let kind = match kind_name.as_deref() {
        None => {
            options.fail("relation", "`relation` is missing");
            None
        }
        Some(name) => {
            let kind = RelationKind::parse(name);
            if kind.is_none() {
                options.fail(
                    "relation",
                    format!(
                        "unknown relation `{name}`: use oneToOne, oneToMany, manyToOne or manyToMany"
                    ),
                );
            }
            kind
        }
    };
    if target.is_none() {
        options.fail("target", "`target` is missing");
    }
    if inversed_by.is_some() && mapped_by.is_some() {
        options.fail(
            "inversedBy",
            "a relation has `inversedBy` or `mappedBy`, not both",
        );
    }
    if context.in_component && (inversed_by.is_some() || mapped_by.is_some()) {
        options.fail(
            "inversedBy",
            "relations in components are one-way: remove `inversedBy`/`mappedBy`",
        );
    }
    Some(Relation {
        kind: kind?,
        target: target?,
        inversed_by,
        mapped_by,
    })
}

/// The media kinds `allowedTypes` may list.
pub const MEDIA_TYPES: &[&str] = &["images", "videos", "audios", "files"];

fn media_types(options: &mut Options<'_>) -> Vec<String> {
    let types = options.string_list("allowedTypes");
    for kind in &types {
        if !MEDIA_TYPES.contains(&kind.as_str()) {
            options.fail(
                "allowedTypes",
                format!(
                    "unknown media type `{kind}` in `allowedTypes`: use images, files, videos or audios"
                ),
            );
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const IN_TYPE: Context = Context {
        type_localized: true,
        in_component: false,
    };

    fn problems(name: &str, raw: Value) -> Vec<(String, String)> {
        parse(name, &raw, IN_TYPE)
            .err()
            .unwrap_or_default()
            .errors
            .into_iter()
            .map(|e| (e.path.to_string(), e.message))
            .collect()
    }

    #[test]
    fn every_problem_of_an_attribute_is_reported_under_its_option() {
        assert_eq!(
            problems(
                "title",
                json!({"type": "string", "minLength": 5, "maxLength": 2, "required": "yes"})
            ),
            vec![
                (
                    "minLength".to_owned(),
                    "`minLength` (5) is greater than `maxLength` (2)".to_owned()
                ),
                (
                    "required".to_owned(),
                    "`required` must be true or false".to_owned()
                )
            ]
        );
    }

    #[test]
    fn unknown_types_are_named() {
        assert_eq!(
            problems("title", json!({"type": "strng"})),
            vec![(
                "type".to_owned(),
                "unknown attribute type `strng`".to_owned()
            )]
        );
    }

    #[test]
    fn uid_is_always_unique_and_localization_can_be_turned_off() -> Result<(), ValidationErrors> {
        let slug = parse(
            "slug",
            &json!({"type": "uid", "targetField": "title"}),
            IN_TYPE,
        )?;
        assert!(slug.unique);
        let shared = parse(
            "sku",
            &json!({"type": "string", "pluginOptions": {"i18n": {"localized": false}}}),
            IN_TYPE,
        )?;
        assert!(!shared.localized);
        Ok(())
    }

    #[test]
    fn kinds_compare_by_the_options_they_declare() -> Result<(), ValidationErrors> {
        let short = parse("a", &json!({"type": "string", "maxLength": 10}), IN_TYPE)?;
        let also_short = parse(
            "a",
            &json!({"type": "string", "maxLength": 10, "required": true}),
            IN_TYPE,
        )?;
        let long = parse("a", &json!({"type": "string", "maxLength": 20}), IN_TYPE)?;
        assert_eq!(short.kind, also_short.kind);
        assert_ne!(short.kind, long.kind);
        Ok(())
    }
}
