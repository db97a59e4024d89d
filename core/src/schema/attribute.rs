//! Typed attributes, parsed from the raw JSON of a schema file.
//!
//! `parse` reads one attribute object and reports every problem it finds as a
//! message; the caller prefixes the file and the attribute name.

use regex::{Regex, RegexBuilder};
use serde_json::{Map, Value};

use super::model::localized_flag;

/// One field of a content type or component.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub kind: Kind,
    pub required: bool,
    pub unique: bool,
    /// Never returned by the API (password fields are private whatever they say).
    pub private: bool,
    /// Whether each locale has its own value. Always false in types that are
    /// not localized.
    pub localized: bool,
    pub default: Option<Value>,
}

impl Attribute {
    /// Private attributes and passwords never leave the server.
    pub fn is_hidden(&self) -> bool {
        self.private || matches!(self.kind, Kind::Password(_))
    }
}

/// What an attribute holds, with the options of its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    String(TextRules),
    Text(TextRules),
    RichText(TextRules),
    Blocks,
    Email(TextRules),
    Password(TextRules),
    Uid {
        target_field: Option<String>,
        rules: TextRules,
    },
    Integer(NumberRules),
    BigInteger(NumberRules),
    Float(NumberRules),
    Decimal(NumberRules),
    Boolean,
    Date,
    Time,
    DateTime,
    Enumeration(Vec<String>),
    Json,
    Media(Media),
    Relation(Relation),
    Component(ComponentRef),
    DynamicZone(DynamicZone),
}

impl Kind {
    /// The attribute type as Strapi writes it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::String(_) => "string",
            Kind::Text(_) => "text",
            Kind::RichText(_) => "richtext",
            Kind::Blocks => "blocks",
            Kind::Email(_) => "email",
            Kind::Password(_) => "password",
            Kind::Uid { .. } => "uid",
            Kind::Integer(_) => "integer",
            Kind::BigInteger(_) => "biginteger",
            Kind::Float(_) => "float",
            Kind::Decimal(_) => "decimal",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::DateTime => "datetime",
            Kind::Enumeration(_) => "enumeration",
            Kind::Json => "json",
            Kind::Media(_) => "media",
            Kind::Relation(_) => "relation",
            Kind::Component(_) => "component",
            Kind::DynamicZone(_) => "dynamiczone",
        }
    }

    pub fn text_rules(&self) -> Option<&TextRules> {
        match self {
            Kind::String(rules)
            | Kind::Text(rules)
            | Kind::RichText(rules)
            | Kind::Email(rules)
            | Kind::Password(rules)
            | Kind::Uid { rules, .. } => Some(rules),
            _ => None,
        }
    }
}

/// Length and pattern rules of text-like attributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextRules {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub regex: Option<Pattern>,
}

/// A compiled `regex` option, compared by its source.
#[derive(Debug, Clone)]
pub struct Pattern(pub Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

/// Bounds of number attributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberRules {
    pub min: Option<f64>,
    pub max: Option<f64>,
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

/// Largest compiled size of a `regex` option, so a schema cannot make every
/// save expensive.
const REGEX_SIZE_LIMIT: usize = 256 * 1024;

/// Parses one attribute. `Err` lists every problem found.
pub fn parse(name: &str, raw: &Value, context: Context) -> Result<Attribute, Vec<String>> {
    let Some(object) = raw.as_object() else {
        return Err(vec!["must be an object".into()]);
    };
    let mut reader = Reader {
        object,
        errors: Vec::new(),
    };
    let type_name = match object.get("type") {
        Some(Value::String(type_name)) => type_name.as_str(),
        Some(_) => return Err(vec!["`type` must be a string".into()]),
        None => return Err(vec!["`type` is missing".into()]),
    };
    let kind = reader.kind(type_name, context);
    let required = reader.bool("required");
    let unique = reader.bool("unique");
    let private = reader.bool("private");
    let attribute_localized = reader
        .object_field("pluginOptions")
        .and_then(localized_flag)
        .unwrap_or(true);
    let default = object.get("default").filter(|v| !v.is_null()).cloned();
    let Some(kind) = kind else {
        return Err(reader.errors);
    };
    if unique && !supports_unique(&kind) {
        reader.errors.push(format!(
            "`unique` is not supported on {} attributes",
            kind.type_name()
        ));
    }
    if default.is_some() && !supports_default(&kind) {
        reader.errors.push(format!(
            "`default` is not supported on {} attributes",
            kind.type_name()
        ));
    }
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    Ok(Attribute {
        name: name.to_owned(),
        // A uid is unique by definition, as in Strapi.
        unique: unique || matches!(kind, Kind::Uid { .. }),
        kind,
        required,
        private,
        localized: context.type_localized && attribute_localized,
        default,
    })
}

/// Attribute types whose values can be declared unique.
pub const UNIQUE_TYPES: &[&str] = &[
    "string",
    "email",
    "uid",
    "integer",
    "biginteger",
    "float",
    "decimal",
    "date",
    "time",
    "datetime",
    "enumeration",
];

/// Attribute types that cannot have a `default`.
pub const TYPES_WITHOUT_DEFAULT: &[&str] = &[
    "media",
    "relation",
    "component",
    "dynamiczone",
    "password",
    "uid",
];

fn supports_unique(kind: &Kind) -> bool {
    UNIQUE_TYPES.contains(&kind.type_name())
}

fn supports_default(kind: &Kind) -> bool {
    !TYPES_WITHOUT_DEFAULT.contains(&kind.type_name())
}

struct Reader<'a> {
    object: &'a Map<String, Value>,
    errors: Vec<String>,
}

impl Reader<'_> {
    fn kind(&mut self, type_name: &str, context: Context) -> Option<Kind> {
        Some(match type_name {
            "string" => Kind::String(self.text_rules()),
            "text" => Kind::Text(self.text_rules()),
            "richtext" => Kind::RichText(self.text_rules()),
            "blocks" => Kind::Blocks,
            "email" => Kind::Email(self.text_rules()),
            "password" => Kind::Password(self.text_rules()),
            "uid" => Kind::Uid {
                target_field: self.string("targetField"),
                rules: self.text_rules(),
            },
            "integer" => Kind::Integer(self.number_rules()),
            "biginteger" => Kind::BigInteger(self.number_rules()),
            "float" => Kind::Float(self.number_rules()),
            "decimal" => Kind::Decimal(self.number_rules()),
            "boolean" => Kind::Boolean,
            "date" => Kind::Date,
            "time" => Kind::Time,
            "datetime" | "timestamp" => Kind::DateTime,
            "enumeration" => Kind::Enumeration(self.enumeration()?),
            "json" => Kind::Json,
            "media" => Kind::Media(Media {
                multiple: self.bool("multiple"),
                allowed_types: self.media_types(),
            }),
            "relation" => Kind::Relation(self.relation(context)?),
            "component" => {
                let Some(component) = self.string("component") else {
                    self.errors.push("`component` is missing".into());
                    return None;
                };
                Kind::Component(ComponentRef {
                    component,
                    repeatable: self.bool("repeatable"),
                    min: self.count("min"),
                    max: self.count("max"),
                })
            }
            "dynamiczone" => {
                if context.in_component {
                    self.errors
                        .push("dynamic zones cannot be nested in components".into());
                    return None;
                }
                let components = self.string_list("components");
                if components.is_empty() {
                    self.errors
                        .push("`components` must list at least one component".into());
                    return None;
                }
                Kind::DynamicZone(DynamicZone {
                    components,
                    min: self.count("min"),
                    max: self.count("max"),
                })
            }
            "customField" => {
                self.errors.push(
                    "custom fields need the plugin that provides them; none is enabled".into(),
                );
                return None;
            }
            other => {
                self.errors
                    .push(format!("unknown attribute type `{other}`"));
                return None;
            }
        })
    }

    fn relation(&mut self, context: Context) -> Option<Relation> {
        let kind_name = self.string("relation");
        let target = self.string("target");
        let inversed_by = self.string("inversedBy");
        let mapped_by = self.string("mappedBy");
        let kind = match kind_name.as_deref() {
            None => {
                self.errors.push("`relation` is missing".into());
                None
            }
            Some(name) => {
                let kind = RelationKind::parse(name);
                if kind.is_none() {
                    self.errors.push(format!(
                        "unknown relation `{name}`: use oneToOne, oneToMany, manyToOne or manyToMany"
                    ));
                }
                kind
            }
        };
        if target.is_none() {
            self.errors.push("`target` is missing".into());
        }
        if inversed_by.is_some() && mapped_by.is_some() {
            self.errors
                .push("a relation has `inversedBy` or `mappedBy`, not both".into());
        }
        if context.in_component && (inversed_by.is_some() || mapped_by.is_some()) {
            self.errors
                .push("relations in components are one-way: remove `inversedBy`/`mappedBy`".into());
        }
        Some(Relation {
            kind: kind?,
            target: target?,
            inversed_by,
            mapped_by,
        })
    }

    fn enumeration(&mut self) -> Option<Vec<String>> {
        let values = self.string_list("enum");
        if values.is_empty() {
            self.errors
                .push("`enum` must list at least one value".into());
            return None;
        }
        let mut seen = std::collections::BTreeSet::new();
        for value in &values {
            if value.is_empty() {
                self.errors.push("`enum` values cannot be empty".into());
            } else if !seen.insert(value) {
                self.errors
                    .push(format!("`enum` lists `{value}` more than once"));
            }
        }
        Some(values)
    }

    fn media_types(&mut self) -> Vec<String> {
        let types = self.string_list("allowedTypes");
        for kind in &types {
            if !["images", "files", "videos", "audios"].contains(&kind.as_str()) {
                self.errors.push(format!(
                    "unknown media type `{kind}` in `allowedTypes`: use images, files, videos or audios"
                ));
            }
        }
        types
    }

    fn text_rules(&mut self) -> TextRules {
        let min_length = self.count("minLength");
        let max_length = self.count("maxLength");
        if let (Some(min), Some(max)) = (min_length, max_length)
            && min > max
        {
            self.errors.push(format!(
                "`minLength` ({min}) is greater than `maxLength` ({max})"
            ));
        }
        let regex = self.string("regex").and_then(|source| {
            match RegexBuilder::new(&source)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
            {
                Ok(regex) => Some(Pattern(regex)),
                Err(error) => {
                    self.errors.push(format!("`regex` is invalid: {error}"));
                    None
                }
            }
        });
        TextRules {
            min_length,
            max_length,
            regex,
        }
    }

    fn number_rules(&mut self) -> NumberRules {
        let min = self.number("min");
        let max = self.number("max");
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            self.errors
                .push(format!("`min` ({min}) is greater than `max` ({max})"));
        }
        NumberRules { min, max }
    }

    fn bool(&mut self, key: &str) -> bool {
        match self.object.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(value)) => *value,
            Some(_) => {
                self.errors.push(format!("`{key}` must be true or false"));
                false
            }
        }
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(value)) => Some(value.clone()),
            Some(_) => {
                self.errors.push(format!("`{key}` must be a string"));
                None
            }
        }
    }

    fn string_list(&mut self, key: &str) -> Vec<String> {
        match self.object.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| match item {
                    Value::String(value) => Some(value.clone()),
                    _ => {
                        self.errors
                            .push(format!("`{key}` must be a list of strings"));
                        None
                    }
                })
                .collect(),
            Some(_) => {
                self.errors
                    .push(format!("`{key}` must be a list of strings"));
                Vec::new()
            }
        }
    }

    fn count(&mut self, key: &str) -> Option<u64> {
        match self.object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
            Some(_) => {
                self.errors
                    .push(format!("`{key}` must be a whole number of 0 or more"));
                None
            }
        }
    }

    fn number(&mut self, key: &str) -> Option<f64> {
        match self.object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(_) => {
                self.errors.push(format!("`{key}` must be a number"));
                None
            }
        }
    }

    fn object_field(&mut self, key: &str) -> Option<&Map<String, Value>> {
        match self.object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(object)) => Some(object),
            Some(_) => {
                self.errors.push(format!("`{key}` must be an object"));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const IN_TYPE: Context = Context {
        type_localized: true,
        in_component: false,
    };

    #[test]
    fn every_problem_of_an_attribute_is_reported() {
        let errors = parse(
            "title",
            &json!({"type": "string", "minLength": 5, "maxLength": 2, "required": "yes"}),
            IN_TYPE,
        )
        .err()
        .unwrap_or_default();
        assert_eq!(
            errors,
            vec![
                "`minLength` (5) is greater than `maxLength` (2)".to_owned(),
                "`required` must be true or false".to_owned()
            ]
        );
    }

    #[test]
    fn unknown_types_are_named() {
        let errors = parse("title", &json!({"type": "strng"}), IN_TYPE)
            .err()
            .unwrap_or_default();
        assert_eq!(errors, vec!["unknown attribute type `strng`".to_owned()]);
    }

    #[test]
    fn uid_is_always_unique_and_localization_can_be_turned_off() -> Result<(), Vec<String>> {
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
}
