//! The builder's form for one attribute: the options of its kind as a person
//! typed them, read from and turned into the attribute's schema JSON.
//!
//! The form checks what it can say best itself (numbers that are not
//! numbers, missing choices), then hands the attribute to the engine's own
//! parser so that every rule, and every message, is the engine's.

use std::collections::BTreeMap;

use cairn_core::schema::attribute::{self, Context};
use cairn_core::schema::kinds::{self, Input, KindDef, Setting, Unique, Widget};
use cairn_core::schema::naming;
use serde_json::{Map, Value, json};

use crate::form::{FieldErrors, FormData};

/// An attribute kind as the builder offers it.
pub struct KindInfo {
    /// The type as Strapi writes it.
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

/// The kinds that are not values of a column: their forms are the builder's own.
const STRUCTURAL: &[KindInfo] = &[
    KindInfo {
        name: "media",
        label: "Media",
        hint: "Images, videos, audio or files",
    },
    KindInfo {
        name: "relation",
        label: "Relation",
        hint: "Links to entries of a content type",
    },
    KindInfo {
        name: "component",
        label: "Component",
        hint: "A group of fields, once or repeated",
    },
    KindInfo {
        name: "dynamiczone",
        label: "Dynamic zone",
        hint: "A list of components to pick from",
    },
];

/// Every kind the builder offers: the engine's field kinds, then the
/// structural ones.
pub fn kinds() -> impl Iterator<Item = KindInfo> {
    kinds::KINDS
        .iter()
        .map(|def| KindInfo {
            name: def.name,
            label: def.label,
            hint: def.hint,
        })
        .chain(STRUCTURAL.iter().map(|k| KindInfo { ..*k }))
}

pub fn kind_info(name: &str) -> Option<KindInfo> {
    kinds().find(|k| k.name == name)
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

pub use attribute::MEDIA_TYPES;

/// Keys every form edits; a kind's settings and the structural kinds'
/// options are edited too. Other keys of an attribute are kept as they were.
const COMMON_KEYS: &[&str] = &["type", "required", "unique", "private", "default"];

/// Options of the structural kinds and the form fields that edit them.
const STRUCTURAL_FIELDS: &[(&str, &str)] = &[
    ("multiple", "multiple"),
    ("allowedTypes", "allowed_types"),
    ("relation", "relation"),
    ("target", "target"),
    ("inversedBy", "inverse"),
    ("mappedBy", "inverse"),
    ("component", "component"),
    ("repeatable", "repeatable"),
    ("components", "components"),
    ("min", "min"),
    ("max", "max"),
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
    /// The kind's own settings as typed, by form field.
    pub settings: BTreeMap<String, String>,
    /// Item counts of components and dynamic zones.
    pub min: String,
    pub max: String,
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
        let kind = text_of(get("type"));
        let settings = kinds::find(&kind)
            .map(|def| {
                def.settings
                    .iter()
                    .map(|setting| {
                        let value = match setting.input {
                            Input::Lines => strings_of(get(setting.key)).join("\n"),
                            _ => text_of(get(setting.key)),
                        };
                        (setting.field.to_owned(), value)
                    })
                    .collect()
            })
            .unwrap_or_default();
        AttributeForm {
            kind,
            name: name.to_owned(),
            required: flag("required"),
            unique: flag("unique"),
            private: flag("private"),
            localized: attribute
                .pointer("/pluginOptions/i18n/localized")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            default: text_of(get("default")),
            settings,
            min: text_of(get("min")),
            max: text_of(get("max")),
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
        let settings = kinds::find(kind)
            .map(|def| {
                def.settings
                    .iter()
                    .map(|setting| {
                        let value = match setting.input {
                            Input::Pattern | Input::Lines => form.raw(setting.field).to_owned(),
                            Input::Count | Input::Number | Input::TextField => {
                                form.text(setting.field)
                            }
                        };
                        (setting.field.to_owned(), value)
                    })
                    .collect()
            })
            .unwrap_or_default();
        AttributeForm {
            kind: kind.to_owned(),
            name: form.text("name"),
            required: form.flag("required"),
            unique: form.flag("unique"),
            private: form.flag("private"),
            localized: form.flag("localized"),
            default: form.raw("default").to_owned(),
            settings,
            min: form.text("min"),
            max: form.text("max"),
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

    /// The engine's definition of a scalar kind; `None` for the structural ones.
    pub fn def(&self) -> Option<&'static KindDef> {
        kinds::find(&self.kind)
    }

    /// The settings of the field's kind, in order.
    pub fn kind_settings(&self) -> &'static [Setting] {
        self.def().map_or(&[], |def| def.settings)
    }

    /// A setting's value as typed.
    pub fn setting(&self, field: &str) -> &str {
        self.settings.get(field).map_or("", String::as_str)
    }

    fn uniqueness(&self) -> Unique {
        self.def()
            .map_or(Unique::Never, |def| def.capabilities.unique)
    }

    pub fn supports_unique(&self, place: &Place) -> bool {
        !place.in_component && self.uniqueness() != Unique::Never
    }

    pub fn is_always_unique(&self) -> bool {
        self.uniqueness() == Unique::Always
    }

    pub fn supports_default(&self) -> bool {
        self.def().is_some_and(|def| def.capabilities.default)
    }

    /// How the default value is typed: the kind's widget, as far as the
    /// options typed so far describe the kind (an enumeration's values).
    pub fn default_widget(&self, place: Place) -> Widget {
        let Some(def) = self.def() else {
            return Widget::Text;
        };
        let mut attribute = Map::new();
        attribute.insert("type".into(), json!(def.name));
        self.put_settings(def, &mut attribute, &mut FieldErrors::default());
        match attribute::parse(&self.name, &Value::Object(attribute), context(place)) {
            Ok(parsed) => parsed
                .kind
                .scalar()
                .map_or(Widget::Text, |scalar| scalar.widget()),
            Err(_) => Widget::Text,
        }
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
        let label = kind_info(&self.kind).map_or(self.kind.clone(), |k| k.label.to_owned());
        match self.kind.as_str() {
            "relation" if self.is_inverse_side() => format!(
                "{label}: {} {} (inverse of {})",
                self.relation, self.target, self.mapped_by
            ),
            "relation" => format!("{label}: {} {}", self.relation, self.target),
            "component" if self.repeatable => format!("{label}: {} (repeatable)", self.component),
            "component" => format!("{label}: {}", self.component),
            "dynamiczone" => format!("{label}: {}", self.components.join(", ")),
            "enumeration" => format!("{label}: {}", self.setting("values").replace('\n', ", ")),
            "media" if self.multiple => format!("{label} (multiple)"),
            _ => label,
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
        let def = self.def();
        attribute.retain(|key, _| !self.edits(key));
        attribute.insert("type".into(), json!(self.kind));
        let set_flag = |attribute: &mut Map<String, Value>, key: &str, on: bool| {
            if on {
                attribute.insert(key.into(), json!(true));
            }
        };
        set_flag(&mut attribute, "required", self.required);
        set_flag(&mut attribute, "private", self.private);
        if self.supports_unique(&place) && !self.is_always_unique() {
            set_flag(&mut attribute, "unique", self.unique);
        }
        if let Some(def) = def {
            self.put_settings(def, &mut attribute, &mut errors);
        }
        match self.kind.as_str() {
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
            match self.default_widget(place).read(&self.default) {
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

    /// Whether the form edits option `key` (others are kept as they were).
    fn edits(&self, key: &str) -> bool {
        COMMON_KEYS.contains(&key)
            || self.kind_settings().iter().any(|s| s.key == key)
            || (self.def().is_none() && STRUCTURAL_FIELDS.iter().any(|(k, _)| *k == key))
    }

    /// The kind's settings, read from their text into `attribute`.
    fn put_settings(
        &self,
        def: &KindDef,
        attribute: &mut Map<String, Value>,
        errors: &mut FieldErrors,
    ) {
        for setting in def.settings {
            let text = self.setting(setting.field);
            let value = match setting.input {
                Input::Count => whole(text, setting.field, errors).map(|n| json!(n)),
                Input::Number => number(text, setting.field, errors),
                Input::Pattern | Input::TextField => (!text.is_empty()).then(|| json!(text)),
                Input::Lines => Some(json!(
                    text.lines()
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .collect::<Vec<_>>()
                )),
            };
            if let Some(value) = value {
                attribute.insert(setting.key.into(), value);
            }
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

    /// Runs the engine's own parser, so its rules and messages apply; each
    /// problem goes beside the input of the option it is about.
    fn engine_check(&self, attribute: &Value, place: Place, errors: &mut FieldErrors) {
        match attribute::parse(&self.name, attribute, context(place)) {
            Ok(parsed) => {
                if let (Some(default), Some(scalar)) = (&parsed.default, parsed.kind.scalar())
                    && let Err(message) = scalar.normalize(default)
                {
                    errors.add("default", format!("The default {message}."));
                }
            }
            Err(problems) => {
                for problem in problems.errors {
                    let key = problem.path.0.first().map_or("", String::as_str);
                    errors.add(self.form_field(key), problem.message);
                }
            }
        }
    }

    /// The form field that edits option `key`; `""` when none does.
    fn form_field(&self, key: &str) -> &'static str {
        if let Some(setting) = self.kind_settings().iter().find(|s| s.key == key) {
            return setting.field;
        }
        if let Some((_, field)) = STRUCTURAL_FIELDS.iter().find(|(k, _)| *k == key) {
            return field;
        }
        match key {
            "required" => "required",
            "unique" => "unique",
            "private" => "private",
            "default" => "default",
            _ => "",
        }
    }
}

fn context(place: Place) -> Context {
    Context {
        type_localized: place.type_localized,
        in_component: place.in_component,
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

/// A number (whole when it is one), or nothing when empty.
fn number(value: &str, field: &str, errors: &mut FieldErrors) -> Option<Value> {
    if value.is_empty() {
        return None;
    }
    match value.parse::<f64>() {
        Ok(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(json!(n as i64)),
        Ok(n) if n.is_finite() => Some(json!(n)),
        _ => {
            errors.add(field, "Enter a number.");
            None
        }
    }
}
