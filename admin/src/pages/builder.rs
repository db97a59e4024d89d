//! The content-type builder: the list of types and components, the forms
//! that create them, the draft editor, the field form and the plan review.

use askama::Template;
use askama_web::WebTemplate;

use super::Shell;
use cairn_core::schema::kinds::{Input, Widget};

use crate::attribute_form::{AttributeForm, KindInfo, MEDIA_TYPES, Place, RELATIONS, kinds};
use crate::form::FieldErrors;
use crate::type_form::{ComponentForm, TypeForm};

/// A content type in a list.
pub struct TypeRow {
    pub uid: String,
    pub display_name: String,
    pub api_id: String,
    pub single: bool,
    pub fields: usize,
    /// The signed-in user has unapplied changes to it.
    pub drafted: bool,
}

pub struct ComponentRow {
    pub uid: String,
    pub display_name: String,
    pub fields: usize,
    pub drafted: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "builder/index.html")]
pub struct BuilderPage {
    pub shell: Shell,
    pub types: Vec<TypeRow>,
    pub components: Vec<ComponentRow>,
    /// New types and components not applied yet.
    pub new_drafts: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "builder/new_type.html")]
pub struct NewTypePage {
    pub shell: Shell,
    pub form: TypeForm,
    pub errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "builder/new_component.html")]
pub struct NewComponentPage {
    pub shell: Shell,
    pub form: ComponentForm,
    pub errors: FieldErrors,
}

/// A field in the draft editor.
pub struct FieldRow {
    pub name: String,
    pub summary: String,
    pub required: bool,
    pub unique: bool,
    pub private: bool,
    pub inverse_side: bool,
    pub error: Option<String>,
}

/// A draft: its settings, its fields, what can be added.
#[derive(Template, WebTemplate)]
#[template(path = "builder/draft.html")]
pub struct DraftPage {
    pub shell: Shell,
    /// `/admin/builder/types/<uid>` or `/admin/builder/components/<uid>`.
    pub base: String,
    pub uid: String,
    pub display_name: String,
    /// The type's settings; `None` for components.
    pub settings: Option<TypeForm>,
    pub settings_errors: FieldErrors,
    pub fields: Vec<FieldRow>,
    /// Problems the engine found that belong to no single field.
    pub general_errors: Vec<String>,
    pub is_new: bool,
    /// The draft differs from the schema in force.
    pub changed: bool,
    pub in_component: bool,
}

impl DraftPage {
    pub fn kinds(&self) -> impl Iterator<Item = KindInfo> {
        let in_component = self.in_component;
        kinds().filter(move |k| !(in_component && k.name == "dynamiczone"))
    }
}

/// The form of one field, for its kind.
#[derive(Template, WebTemplate)]
#[template(path = "builder/field.html")]
pub struct FieldPage {
    pub shell: Shell,
    pub base: String,
    /// Where the form posts.
    pub action: String,
    pub kind_label: &'static str,
    pub kind_hint: &'static str,
    pub form: AttributeForm,
    pub errors: FieldErrors,
    pub place: Place,
    pub is_new: bool,
    /// Content types a relation may target: uid and display name.
    pub types: Vec<(String, String)>,
    pub components: Vec<String>,
    /// Text fields of the draft a uid may derive from.
    pub text_fields: Vec<String>,
    /// How the default value is typed.
    pub default_widget: Widget,
}

impl FieldPage {
    pub fn relations(&self) -> &'static [(&'static str, &'static str)] {
        RELATIONS
    }

    pub fn media_types(&self) -> &'static [&'static str] {
        MEDIA_TYPES
    }
}

/// One step of a plan as the review shows it.
pub struct StepView {
    /// `create`, `alter` or `drop`: how the step is drawn.
    pub tone: &'static str,
    pub title: String,
    pub lines: Vec<(char, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "builder/plan.html")]
pub struct PlanPage {
    pub shell: Shell,
    pub base: String,
    pub steps: Vec<StepView>,
    pub data_loss: Vec<String>,
    /// The plan as the CLI prints it.
    pub text: String,
    pub confirm_error: Option<String>,
}
