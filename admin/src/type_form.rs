//! The builder's forms for a content type's settings (names, API ids, kind,
//! draft & publish, i18n) and for a new component.

use cairn_core::schema::model::{
    ComponentDef, ComponentInfo, ContentTypeDef, TypeInfo, TypeKind, TypeOptions,
};
use cairn_core::schema::naming;
use serde_json::{Map, json};

use crate::form::{FieldErrors, FormData};

/// A content type's settings, every value as typed.
#[derive(Debug, Clone)]
pub struct TypeForm {
    pub display_name: String,
    pub singular_name: String,
    pub plural_name: String,
    pub description: String,
    pub single: bool,
    pub draft_and_publish: bool,
    pub localized: bool,
}

impl TypeForm {
    /// The form for a new type of the given kind.
    pub fn new(single: bool) -> Self {
        TypeForm {
            display_name: String::new(),
            singular_name: String::new(),
            plural_name: String::new(),
            description: String::new(),
            single,
            draft_and_publish: true,
            localized: false,
        }
    }

    pub fn of(def: &ContentTypeDef) -> Self {
        TypeForm {
            display_name: def.info.display_name.clone(),
            singular_name: def.info.singular_name.clone(),
            plural_name: def.info.plural_name.clone(),
            description: def.info.description.clone().unwrap_or_default(),
            single: def.kind == TypeKind::Single,
            draft_and_publish: def.options.draft_and_publish,
            localized: def.localized(),
        }
    }

    /// The form as posted. Empty API ids are derived from the display name.
    pub fn posted(form: &FormData) -> Self {
        let display_name = form.text("display_name");
        let (singular, plural) = naming::suggest_api_ids(&display_name);
        let or = |given: String, derived: String| if given.is_empty() { derived } else { given };
        TypeForm {
            singular_name: or(form.text("singular_name"), singular),
            plural_name: or(form.text("plural_name"), plural),
            display_name,
            description: form.text("description"),
            single: form.text("kind") == "singleType",
            draft_and_publish: form.flag("draft_and_publish"),
            localized: form.flag("localized"),
        }
    }

    /// `def` with these settings (a new definition when `def` is `None`), or
    /// the errors by form field. API ids are checked by the engine's rules.
    pub fn apply(&self, def: Option<&ContentTypeDef>) -> Result<ContentTypeDef, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.display_name.is_empty() {
            errors.add("display_name", "Enter a display name.");
        }
        for (field, value) in [
            ("singular_name", &self.singular_name),
            ("plural_name", &self.plural_name),
        ] {
            if let Err(message) = naming::check_api_id(value) {
                errors.add(field, message);
            }
        }
        if !errors.0.contains_key("plural_name") && self.singular_name == self.plural_name {
            errors.add(
                "plural_name",
                "The plural API id must differ from the singular one.",
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut def = def.cloned().unwrap_or_else(|| ContentTypeDef {
            kind: TypeKind::Collection,
            collection_name: None,
            info: TypeInfo {
                singular_name: String::new(),
                plural_name: String::new(),
                display_name: String::new(),
                description: None,
                extra: Map::new(),
            },
            options: TypeOptions::default(),
            plugin_options: Map::new(),
            attributes: Map::new(),
            indexes: Vec::new(),
            extra: Map::new(),
        });
        def.kind = if self.single {
            TypeKind::Single
        } else {
            TypeKind::Collection
        };
        def.info.display_name = self.display_name.clone();
        def.info.singular_name = self.singular_name.clone();
        def.info.plural_name = self.plural_name.clone();
        def.info.description = Some(self.description.clone()).filter(|d| !d.is_empty());
        def.options.draft_and_publish = self.draft_and_publish;
        def.plugin_options.remove("i18n");
        if self.localized {
            def.plugin_options
                .insert("i18n".into(), json!({ "localized": true }));
        }
        Ok(def)
    }
}

/// A new component: its category and display name; its name is derived.
#[derive(Debug, Clone, Default)]
pub struct ComponentForm {
    pub category: String,
    pub display_name: String,
}

impl ComponentForm {
    pub fn posted(form: &FormData) -> Self {
        ComponentForm {
            category: form.text("category"),
            display_name: form.text("display_name"),
        }
    }

    /// The new component's uid (`category.name`) and definition.
    pub fn create(&self) -> Result<(String, ComponentDef), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Err(message) = naming::check_api_id(&self.category) {
            errors.add("category", message);
        }
        let (name, _) = naming::suggest_api_ids(&self.display_name);
        if self.display_name.is_empty() {
            errors.add("display_name", "Enter a display name.");
        } else if let Err(message) = naming::check_api_id(&name) {
            errors.add("display_name", message);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok((
            format!("{}.{name}", self.category),
            ComponentDef {
                collection_name: None,
                info: ComponentInfo {
                    display_name: self.display_name.clone(),
                    icon: None,
                    description: None,
                    extra: Map::new(),
                },
                options: Map::new(),
                attributes: Map::new(),
                extra: Map::new(),
            },
        ))
    }
}
