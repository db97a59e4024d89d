//! The builder's form for one attribute: the options of its kind as a person
//! typed them, read from and turned into the attribute's schema JSON.
//!
//! The form checks what it can say best itself (numbers that are not
//! numbers, missing choices), then hands the attribute to the engine's own
//! parser so that every rule, and every message, is the engine's.

use cairn_core::schema::attribute::{self, Context, TYPES_WITHOUT_DEFAULT, UNIQUE_TYPES};
use cairn_core::schema::{codec, naming};
use serde_json::{Map, Value, json};

use crate::form::{FieldErrors, FormData};

/// An attribute kind as the builder offers it.
pub struct KindInfo {
    /// The type as Strapi writes it.
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

pub const KINDS: &[KindInfo] = &[
    kind("string", "Text (short)", "Titles, names, labels"),
    kind("text", "Text (long)", "Descriptions, plain paragraphs"),
    kind(
        "richtext",
        "Rich text (Markdown)",
        "Formatted text written as Markdown",
    ),
    kind(
        "blocks",
        "Rich text (blocks)",
        "Structured rich text as JSON blocks",
    ),
    kind("email", "Email", "An email address, checked on save"),
    kind(
        "password",
        "Password",
        "Stored as an argon2id hash, never returned",
    ),
    kind("uid", "UID", "A unique slug, generated from another field"),
    kind("integer", "Integer", "Whole numbers"),
    kind("biginteger", "Big integer", "Whole numbers beyond 2^31"),
    kind("float", "Float", "Numbers with decimals"),
    kind("decimal", "Decimal", "Exact decimals such as prices"),
    kind("boolean", "Boolean", "Yes or no"),
    kind("date", "Date", "A calendar date"),
    kind("time", "Time", "A time of day"),
    kind("datetime", "Date and time", "A moment, stored in UTC"),
    kind("enumeration", "Enumeration", "One value from a list"),
    kind("json", "JSON", "Any JSON value"),
    kind("media", "Media", "Images, videos, audio or files"),
    kind("relation", "Relation", "Links to entries of a content type"),
    kind(
        "component",
        "Component",
        "A group of fields, once or repeated",
    ),
    kind(
        "dynamiczone",
        "Dynamic zone",
        "A list of components to pick from",
    ),
];

const fn kind(name: &'static str, label: &'static str, hint: &'static str) -> KindInfo {
    KindInfo { name, label, hint }
}

pub fn kind_info(name: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.name == name)
}

/// The relation kinds offered, with their labels.
pub const RELATIONS: &[(&str, &str)] = &[
    ("oneWay", "has one (one-way)"),
    ("manyWay", "has many (one-way)"),
    ("oneToOne", "one to one"),
    ("oneToMany", "one to many"),
    ("manyToOne", "many to one"),
    ("manyToMany", "many to many"),
];

pub const MEDIA_TYPES: &[&str] = &["images", "videos", "audios", "files"];

/// Option keys this form edits; other keys of an attribute are kept as they were.
const EDITED_KEYS: &[&str] = &[
    "type",
    "required",
    "unique",
    "private",
    "default",
    "minLength",
    "maxLength",
    "regex",
    "min",
    "max",
    "enum",
    "targetField",
    "multiple",
    "allowedTypes",
    "relation",
    "target",
    "inversedBy",
    "mappedBy",
    "component",
    "repeatable",
    "components",
];

/// Where the attribute is declared.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub type_localized: bool,
    pub in_component: bool,
}

/// One attribute's form, every value as typed.
#[derive(Debug, Clone, Default)]
pub struct AttributeForm {
    pub kind: String,
    pub name: String,
    pub required: bool,
    pub unique: bool,
    pub private: bool,
    pub localized: bool,
    pub default: String,
    pub min_length: String,
    pub max_length: String,
    pub regex: String,
    pub min: String,
    pub max: String,
    /// Enumeration values, one per line.
    pub values: String,
    pub target_field: String,
    pub multiple: bool,
    pub allowed_types: Vec<String>,
    pub relation: String,
    pub target: String,
    /// The field the other side of a bidirectional relation gets.
    pub inverse: String,
    /// Set on the inverse side of a relation, which its owner manages.
    pub mapped_by: String,
    pub component: String,
    pub repeatable: bool,
    pub components: Vec<String>,
    /// The attribute as it was, for the keys this form does not edit.
    original: Map<String, Value>,
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn strings_of(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl AttributeForm {
    /// An empty form for a new attribute of `kind`.
    pub fn new(kind: &str) -> Self {
        AttributeForm {
            kind: kind.to_owned(),
            localized: true,
            relation: "manyToOne".to_owned(),
            ..AttributeForm::default()
        }
    }

    /// The form of an attribute as the schema holds it.
    pub fn of(name: &str, attribute: &Value) -> Self {
        let get = |key: &str| attribute.get(key);
        let flag = |key: &str| get(key).and_then(Value::as_bool).unwrap_or(false);
        AttributeForm {
            kind: text_of(get("type")),
            name: name.to_owned(),
            required: flag("required"),
            unique: flag("unique"),
            private: flag("private"),
            localized: attribute
                .pointer("/pluginOptions/i18n/localized")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            default: match get("default") {
                Some(Value::String(s)) => s.clone(),
                other => text_of(other),
            },
            min_length: text_of(get("minLength")),
            max_length: text_of(get("maxLength")),
            regex: text_of(get("regex")),
            min: text_of(get("min")),
            max: text_of(get("max")),
            values: strings_of(get("enum")).join("\n"),
            target_field: text_of(get("targetField")),
            multiple: flag("multiple"),
            allowed_types: strings_of(get("allowedTypes")),
            relation: text_of(get("relation")),
            target: text_of(get("target")),
            inverse: text_of(get("inversedBy")),
            mapped_by: text_of(get("mappedBy")),
            component: text_of(get("component")),
            repeatable: flag("repeatable"),
            components: strings_of(get("components")),
            original: attribute.as_object().cloned().unwrap_or_default(),
        }
    }

    /// The form as posted, over the attribute it edits (if any).
    pub fn posted(kind: &str, form: &FormData, editing: Option<&AttributeForm>) -> Self {
        AttributeForm {
            kind: kind.to_owned(),
            name: form.text("name"),
            required: form.flag("required"),
            unique: form.flag("unique"),
            private: form.flag("private"),
            localized: form.flag("localized"),
            default: form.raw("default").to_owned(),
            min_length: form.text("min_length"),
            max_length: form.text("max_length"),
            regex: form.raw("regex").to_owned(),
            min: form.text("min"),
            max: form.text("max"),
            values: form.raw("values").to_owned(),
            target_field: form.text("target_field"),
            multiple: form.flag("multiple"),
            allowed_types: form.all("allowed_types"),
            relation: form.text("relation"),
            target: form.text("target"),
            inverse: form.text("inverse"),
            mapped_by: editing.map(|e| e.mapped_by.clone()).unwrap_or_default(),
            component: form.text("component"),
            repeatable: form.flag("repeatable"),
            components: form.all("components"),
            original: editing.map(|e| e.original.clone()).unwrap_or_default(),
        }
    }

    pub fn has_text_rules(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "string" | "text" | "richtext" | "email" | "password" | "uid"
        )
    }

    pub fn has_regex(&self) -> bool {
        self.has_text_rules() && self.kind != "password"
    }

    pub fn supports_unique(&self, place: &Place) -> bool {
        !place.in_component && UNIQUE_TYPES.contains(&self.kind.as_str())
    }

    pub fn supports_default(&self) -> bool {
        !TYPES_WITHOUT_DEFAULT.contains(&self.kind.as_str())
    }

    /// Whether this is the inverse side of a relation another field owns.
    pub fn is_inverse_side(&self) -> bool {
        !self.mapped_by.is_empty()
    }

    pub fn allows(&self, media_type: &str) -> bool {
        self.allowed_types.iter().any(|t| t == media_type)
    }

    pub fn lists(&self, component: &str) -> bool {
        self.components.iter().any(|c| c == component)
    }

    /// A one-line description for the list of fields.
    pub fn summary(&self) -> String {
        let label = kind_info(&self.kind).map_or(self.kind.as_str(), |k| k.label);
        match self.kind.as_str() {
            "relation" if self.is_inverse_side() => format!(
                "{label}: {} {} (inverse of {})",
                self.relation, self.target, self.mapped_by
            ),
            "relation" => format!("{label}: {} {}", self.relation, self.target),
            "component" if self.repeatable => format!("{label}: {} (repeatable)", self.component),
            "component" => format!("{label}: {}", self.component),
            "dynamiczone" => format!("{label}: {}", self.components.join(", ")),
            "enumeration" => format!("{label}: {}", self.values.replace('\n', ", ")),
            "media" if self.multiple => format!("{label} (multiple)"),
            _ => label.to_owned(),
        }
    }

    /// The attribute's name and JSON, or the errors by form field.
    /// `taken` says whether another field of the definition has a name.
    pub fn to_attribute(
        &self,
        place: Place,
        taken: impl Fn(&str) -> bool,
    ) -> Result<(String, Value), FieldErrors> {
        let mut errors = FieldErrors::default();
        if kind_info(&self.kind).is_none() {
            errors.add("", format!("`{}` is not an attribute type", self.kind));
            return Err(errors);
        }
        if self.name.is_empty() {
            errors.add("name", "Enter a name.");
        } else if let Err(message) = naming::check_attribute_name(&self.name) {
            errors.add("name", message);
        } else if taken(&self.name) {
            errors.add(
                "name",
                format!("There is already a field named `{}`.", self.name),
            );
        }
        let mut attribute = self.original.clone();
        attribute.retain(|key, _| !EDITED_KEYS.contains(&key.as_str()));
        attribute.insert("type".into(), json!(self.kind));
        let set_flag = |attribute: &mut Map<String, Value>, key: &str, on: bool| {
            if on {
                attribute.insert(key.into(), json!(true));
            }
        };
        set_flag(&mut attribute, "required", self.required);
        set_flag(&mut attribute, "private", self.private);
        if self.supports_unique(&place) && self.kind != "uid" {
            set_flag(&mut attribute, "unique", self.unique);
        }
        if self.has_text_rules() {
            for (key, field, value) in [
                ("minLength", "min_length", &self.min_length),
                ("maxLength", "max_length", &self.max_length),
            ] {
                if let Some(n) = whole(value, field, &mut errors) {
                    attribute.insert(key.into(), json!(n));
                }
            }
        }
        if self.has_regex() && !self.regex.is_empty() {
            attribute.insert("regex".into(), json!(self.regex));
        }
        match self.kind.as_str() {
            "integer" | "biginteger" | "float" | "decimal" => {
                for (key, value) in [("min", &self.min), ("max", &self.max)] {
                    if value.is_empty() {
                        continue;
                    }
                    match value.parse::<f64>() {
                        Ok(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                            attribute.insert(key.into(), json!(n as i64));
                        }
                        Ok(n) => {
                            attribute.insert(key.into(), json!(n));
                        }
                        Err(_) => errors.add(key, "Enter a number."),
                    }
                }
            }
            "uid" if !self.target_field.is_empty() => {
                attribute.insert("targetField".into(), json!(self.target_field));
            }
            "enumeration" => {
                let values: Vec<&str> = self
                    .values
                    .lines()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .collect();
                attribute.insert("enum".into(), json!(values));
            }
            "media" => {
                attribute.insert("multiple".into(), json!(self.multiple));
                attribute.insert("allowedTypes".into(), json!(self.allowed_types));
            }
            "relation" => self.relation_options(&mut attribute, place, &mut errors),
            "component" => {
                if self.component.is_empty() {
                    errors.add("component", "Choose a component.");
                }
                attribute.insert("component".into(), json!(self.component));
                attribute.insert("repeatable".into(), json!(self.repeatable));
                self.counts(&mut attribute, &mut errors);
            }
            "dynamiczone" => {
                attribute.insert("components".into(), json!(self.components));
                self.counts(&mut attribute, &mut errors);
            }
            _ => {}
        }
        if self.supports_default() && !self.default.trim().is_empty() {
            match self.default_value() {
                Ok(value) => {
                    attribute.insert("default".into(), value);
                }
                Err(message) => errors.add("default", message),
            }
        }
        let mut plugin_options = attribute
            .remove("pluginOptions")
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        plugin_options.remove("i18n");
        if place.type_localized && !place.in_component && !self.localized {
            plugin_options.insert("i18n".into(), json!({ "localized": false }));
        }
        if !plugin_options.is_empty() {
            attribute.insert("pluginOptions".into(), Value::Object(plugin_options));
        }
        let attribute = Value::Object(attribute);
        if errors.is_empty() {
            self.engine_check(&attribute, place, &mut errors);
        }
        if errors.is_empty() {
            Ok((self.name.clone(), attribute))
        } else {
            Err(errors)
        }
    }

    fn relation_options(
        &self,
        attribute: &mut Map<String, Value>,
        place: Place,
        errors: &mut FieldErrors,
    ) {
        if !RELATIONS.iter().any(|(name, _)| *name == self.relation) {
            errors.add("relation", "Choose what kind of relation this is.");
        }
        if self.target.is_empty() {
            errors.add("target", "Choose the content type it points at.");
        }
        attribute.insert("relation".into(), json!(self.relation));
        attribute.insert("target".into(), json!(self.target));
        if self.is_inverse_side() {
            attribute.insert("mappedBy".into(), json!(self.mapped_by));
            return;
        }
        if self.inverse.is_empty() {
            return;
        }
        if place.in_component {
            // The form offers no such input in components: say it at the top.
            errors.add(
                "",
                "Relations in components are one-way: they have no field on the other side.",
            );
        } else if matches!(self.relation.as_str(), "oneWay" | "manyWay") {
            errors.add(
                "inverse",
                "One-way relations have no field on the other side: leave this empty or pick a two-way kind.",
            );
        } else if let Err(message) = naming::check_attribute_name(&self.inverse) {
            errors.add("inverse", message);
        } else {
            attribute.insert("inversedBy".into(), json!(self.inverse));
        }
    }

    fn counts(&self, attribute: &mut Map<String, Value>, errors: &mut FieldErrors) {
        for (key, value) in [("min", &self.min), ("max", &self.max)] {
            if let Some(n) = whole(value, key, errors) {
                attribute.insert(key.into(), json!(n));
            }
        }
    }

    fn default_value(&self) -> Result<Value, String> {
        let text = self.default.trim();
        match self.kind.as_str() {
            "boolean" => match text {
                "true" => Ok(json!(true)),
                "false" => Ok(json!(false)),
                _ => Err("Choose true or false.".into()),
            },
            "integer" => text
                .parse::<i64>()
                .map(|n| json!(n))
                .map_err(|_| "Enter a whole number.".into()),
            "float" | "decimal" => text
                .parse::<f64>()
                .map(|n| json!(n))
                .map_err(|_| "Enter a number.".into()),
            "json" | "blocks" => serde_json::from_str(text).map_err(|e| format!("Not JSON: {e}")),
            _ => Ok(json!(self.default)),
        }
    }

    /// Runs the engine's own parser, so its rules and messages apply.
    fn engine_check(&self, attribute: &Value, place: Place, errors: &mut FieldErrors) {
        let context = Context {
            type_localized: place.type_localized,
            in_component: place.in_component,
        };
        match attribute::parse(&self.name, attribute, context) {
            Ok(parsed) => {
                if let Some(default) = &parsed.default
                    && let Err(message) = codec::normalize(&parsed.kind, default)
                {
                    errors.add("default", format!("The default {message}."));
                }
            }
            Err(messages) => {
                for message in messages {
                    errors.add(field_of_message(&message), message);
                }
            }
        }
    }
}

/// A whole number of 0 or more, or nothing when empty.
fn whole(value: &str, field: &str, errors: &mut FieldErrors) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    match value.parse::<u64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, "Enter a whole number of 0 or more.");
            None
        }
    }
}

/// The form field an engine message is about: the first option it quotes.
pub fn field_of_message(message: &str) -> &'static str {
    let quoted = message.split('`').nth(1).unwrap_or_default();
    match quoted {
        "minLength" => "min_length",
        "maxLength" => "max_length",
        "regex" => "regex",
        "min" => "min",
        "max" => "max",
        "enum" => "values",
        "allowedTypes" => "allowed_types",
        "relation" => "relation",
        "target" => "target",
        "inversedBy" | "mappedBy" => "inverse",
        "component" => "component",
        "components" => "components",
        "default" => "default",
        "unique" => "unique",
        "targetField" => "target_field",
        _ => "",
    }
}
