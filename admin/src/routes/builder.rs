//! The content-type builder. A type or component is edited as a draft kept
//! for the session (`cairn_core::schema::drafts`): every form posts a change
//! to the draft and redirects back to it; nothing reaches the database until
//! the plan has been reviewed and applied, through `AppContext::apply_schema`
//! like `cairn schema apply`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::Error;
use cairn_core::error::ValidationErrors;
use cairn_core::schema::ddl::{Change, ChangeRequest, Plan, Step, Tone};
use cairn_core::schema::drafts::{self, Definition, Draft, Group};
use cairn_core::schema::kinds;
use cairn_core::schema::model::default_type_uid;
use serde::Deserialize;

use super::shell::type_rows;
use super::{respond, see_other};
use crate::attribute_form::{AttributeForm, Place, kind_info};
use crate::error::{AdminError, AdminResult};
use crate::form::FieldErrors;
use crate::pages::{
    BuilderPage, ComponentRow, DraftPage, FieldPage, FieldRow, NewComponentPage, NewTypePage,
    PlanPage, Section, Shell, StepView,
};
use crate::session::{Posted, SignedIn};
use crate::type_form::{ComponentForm, TypeForm};

/// `/builder/{group}/{uid}`: which draft a request is about.
#[derive(Deserialize)]
struct Target {
    group: String,
    uid: String,
}

impl Target {
    fn group(&self) -> AdminResult<Group> {
        match self.group.as_str() {
            "types" => Ok(Group::ContentType),
            "components" => Ok(Group::Component),
            other => Err(AdminError::NotFound(format!(
                "no builder section `{other}`"
            ))),
        }
    }

    fn base(&self) -> String {
        format!("/admin/builder/{}/{}", self.group, self.uid)
    }
}

fn base_of(draft: &Draft) -> String {
    match draft.group() {
        Group::ContentType => format!("/admin/builder/types/{}", draft.uid),
        Group::Component => format!("/admin/builder/components/{}", draft.uid),
    }
}

/// The session's draft of the target, or a fresh one from the schema in force.
async fn load_draft(signed_in: &SignedIn, target: &Target) -> AdminResult<Draft> {
    let group = target.group()?;
    let kept = drafts::load(
        signed_in.context.db().conn(),
        signed_in.session.id,
        &drafts::key(group, &target.uid),
    )
    .await?;
    kept.or_else(|| Draft::of(&signed_in.context.schema(), group, &target.uid))
        .ok_or_else(|| {
            AdminError::NotFound(format!("no content type or component `{}`", target.uid))
        })
}

async fn save_draft(signed_in: &SignedIn, draft: &Draft) -> AdminResult<()> {
    drafts::save(signed_in.context.db().conn(), signed_in.session.id, draft).await?;
    Ok(())
}

fn place_of(draft: &Draft) -> Place {
    match &draft.definition {
        Definition::ContentType(def) => Place {
            type_localized: def.localized(),
            in_component: false,
        },
        Definition::Component(_) => Place {
            type_localized: false,
            in_component: true,
        },
    }
}

fn builder_shell(signed_in: &SignedIn, title: &str) -> Shell {
    Shell::new(signed_in, Section::Builder, title)
        .crumb("Content-type builder", Some("/admin/builder".into()))
}

#[get("/builder")]
async fn list_types(signed_in: SignedIn) -> AdminResult<BuilderPage> {
    let conn = signed_in.context.db().conn();
    let keys = drafts::keys(conn, signed_in.session.id).await?;
    let schema = signed_in.context.schema();
    let components = schema
        .components()
        .map(|c| ComponentRow {
            uid: c.uid.clone(),
            display_name: c.def.info.display_name.clone(),
            fields: c.attributes.len(),
            drafted: keys.contains(&drafts::key(Group::Component, &c.uid)),
        })
        .collect();
    let mut new_drafts = Vec::new();
    for key in &keys {
        if let Some(draft) = drafts::load(conn, signed_in.session.id, key).await?
            && draft.is_new
        {
            new_drafts.push((base_of(&draft), draft.display_name().to_owned()));
        }
    }
    Ok(BuilderPage {
        types: type_rows(&signed_in).await?,
        components,
        new_drafts,
        shell: Shell::new(&signed_in, Section::Builder, "Content-type builder")
            .crumb("Content-type builder", None),
    })
}

#[derive(Deserialize)]
struct NewTypeQuery {
    #[serde(default)]
    kind: String,
}

#[get("/builder/new")]
async fn new_type(
    signed_in: SignedIn,
    query: web::Query<NewTypeQuery>,
) -> AdminResult<NewTypePage> {
    let form = TypeForm::new(query.kind == "singleType");
    let title = if form.single {
        "New single type"
    } else {
        "New collection type"
    };
    Ok(NewTypePage {
        form,
        errors: FieldErrors::default(),
        shell: builder_shell(&signed_in, title).crumb(title, None),
    })
}

/// Saves a new type or component as a draft and sends the editor to it.
async fn start_draft(
    signed_in: &SignedIn,
    uid: String,
    definition: Definition,
) -> AdminResult<HttpResponse> {
    let draft = Draft {
        uid,
        definition,
        field_ids: Default::default(),
        is_new: true,
    };
    save_draft(signed_in, &draft).await?;
    signed_in
        .flash(format!(
            "{} is drafted: add its fields, then review and apply.",
            draft.display_name()
        ))
        .await?;
    Ok(see_other(&base_of(&draft)))
}

#[post("/builder/new")]
async fn create_type(request: HttpRequest, posted: Posted) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let type_form = TypeForm::posted(&form);
    let created = type_form.apply(None).and_then(|def| {
        let uid = default_type_uid(&def.info.singular_name);
        if signed_in.context.schema().content_type(&uid).is_some() {
            let mut errors = FieldErrors::default();
            errors.add(
                "singular_name",
                format!("A content type `{uid}` already exists."),
            );
            return Err(errors);
        }
        Ok((uid, def))
    });
    match created {
        Ok((uid, def)) => start_draft(&signed_in, uid, Definition::ContentType(def)).await,
        Err(errors) => {
            let title = "New content type";
            let page = NewTypePage {
                form: type_form,
                errors,
                shell: builder_shell(&signed_in, title).crumb(title, None),
            };
            Ok(respond(&request, page, StatusCode::BAD_REQUEST, None))
        }
    }
}

#[get("/builder/new-component")]
async fn new_component(signed_in: SignedIn) -> AdminResult<NewComponentPage> {
    Ok(NewComponentPage {
        form: ComponentForm::default(),
        errors: FieldErrors::default(),
        shell: builder_shell(&signed_in, "New component").crumb("New component", None),
    })
}

#[post("/builder/new-component")]
async fn create_component(request: HttpRequest, posted: Posted) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let component_form = ComponentForm::posted(&form);
    let created = component_form.create().and_then(|(uid, def)| {
        if signed_in.context.schema().component(&uid).is_some() {
            let mut errors = FieldErrors::default();
            errors.add(
                "display_name",
                format!("A component `{uid}` already exists."),
            );
            return Err(errors);
        }
        Ok((uid, def))
    });
    match created {
        Ok((uid, def)) => start_draft(&signed_in, uid, Definition::Component(def)).await,
        Err(errors) => {
            let page = NewComponentPage {
                form: component_form,
                errors,
                shell: builder_shell(&signed_in, "New component").crumb("New component", None),
            };
            Ok(respond(&request, page, StatusCode::BAD_REQUEST, None))
        }
    }
}

/// The editor of a draft, with the engine's complaints beside their fields.
fn draft_page(
    signed_in: &SignedIn,
    draft: &Draft,
    settings_form: Option<TypeForm>,
    settings_errors: FieldErrors,
    engine_errors: Option<&ValidationErrors>,
) -> DraftPage {
    let in_force = Draft::of(&signed_in.context.schema(), draft.group(), &draft.uid);
    let origin = draft.origin();
    let mut field_errors = FieldErrors::default();
    let mut settings_errors = settings_errors;
    let mut general = Vec::new();
    for error in engine_errors
        .map(|e| e.errors.as_slice())
        .unwrap_or_default()
    {
        let path = &error.path.0;
        let ours = path
            .first()
            .is_some_and(|first| *first == origin || *first == draft.uid);
        match (ours, path.get(1).map(String::as_str), path.get(2)) {
            (true, Some("attributes"), Some(name)) => field_errors.add(name, error.message.clone()),
            (true, Some("info"), Some(key)) => settings_errors.add(
                match key.as_str() {
                    "singularName" => "singular_name",
                    "pluralName" => "plural_name",
                    _ => "display_name",
                },
                error.message.clone(),
            ),
            _ => general.push(if path.is_empty() {
                error.message.clone()
            } else {
                format!("{}: {}", path.join(" › "), error.message)
            }),
        }
    }
    let fields = draft
        .attributes()
        .iter()
        .map(|(name, attribute)| {
            let form = AttributeForm::of(name, attribute);
            FieldRow {
                summary: form.summary(),
                required: form.required,
                unique: form.unique,
                private: form.private,
                inverse_side: form.is_inverse_side(),
                error: field_errors.get(name),
                name: name.clone(),
            }
        })
        .collect();
    let settings = match &draft.definition {
        Definition::ContentType(def) => Some(settings_form.unwrap_or_else(|| TypeForm::of(def))),
        Definition::Component(_) => None,
    };
    DraftPage {
        shell: builder_shell(signed_in, draft.display_name()).crumb(draft.display_name(), None),
        base: base_of(draft),
        uid: draft.uid.clone(),
        display_name: draft.display_name().to_owned(),
        settings,
        settings_errors,
        fields,
        general_errors: general,
        is_new: draft.is_new,
        changed: in_force.as_ref() != Some(draft),
        in_component: draft.group() == Group::Component,
    }
}

#[get("/builder/{group}/{uid}")]
async fn edit_draft(signed_in: SignedIn, target: web::Path<Target>) -> AdminResult<DraftPage> {
    let draft = load_draft(&signed_in, &target).await?;
    Ok(draft_page(
        &signed_in,
        &draft,
        None,
        FieldErrors::default(),
        None,
    ))
}

#[post("/builder/{group}/{uid}/settings")]
async fn update_settings(
    request: HttpRequest,
    posted: Posted,
    target: web::Path<Target>,
) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let mut draft = load_draft(&signed_in, &target).await?;
    let Definition::ContentType(def) = &draft.definition else {
        return Err(AdminError::NotFound("components have no settings".into()));
    };
    let type_form = TypeForm::posted(&form);
    match type_form.apply(Some(def)) {
        Ok(def) => {
            draft.definition = Definition::ContentType(def);
            save_draft(&signed_in, &draft).await?;
            signed_in.flash("Settings updated in the draft.").await?;
            Ok(see_other(&target.base()))
        }
        Err(errors) => {
            let page = draft_page(&signed_in, &draft, Some(type_form), errors, None);
            Ok(respond(&request, page, StatusCode::BAD_REQUEST, None))
        }
    }
}

/// The field form's page around a form.
fn field_page(
    signed_in: &SignedIn,
    draft: &Draft,
    form: AttributeForm,
    errors: FieldErrors,
    editing: Option<&str>,
) -> AdminResult<FieldPage> {
    let base = base_of(draft);
    let info = kind_info(&form.kind)
        .ok_or_else(|| AdminError::NotFound(format!("no attribute type `{}`", form.kind)))?;
    let schema = signed_in.context.schema();
    let mut types: Vec<(String, String)> = schema
        .content_types()
        .map(|t| (t.uid.clone(), t.display_name().to_owned()))
        .collect();
    if draft.is_new && draft.group() == Group::ContentType {
        types.push((draft.uid.clone(), draft.display_name().to_owned()));
    }
    let text_fields = draft
        .attributes()
        .iter()
        .filter(|(name, attribute)| {
            Some(name.as_str()) != editing
                && attribute
                    .get("type")
                    .and_then(|t| t.as_str())
                    .and_then(kinds::find)
                    .is_some_and(|kind| kind.capabilities.slug_source)
        })
        .map(|(name, _)| name.clone())
        .collect();
    let (action, title) = match editing {
        Some(name) => (format!("{base}/fields/{name}"), format!("Field {name}")),
        None => (
            format!("{base}/fields/new?kind={}", info.name),
            format!("New {} field", info.label),
        ),
    };
    Ok(FieldPage {
        shell: builder_shell(signed_in, &title)
            .crumb(draft.display_name(), Some(base.clone()))
            .crumb(title.clone(), None),
        base,
        action,
        kind_label: info.label,
        kind_hint: info.hint,
        place: place_of(draft),
        is_new: editing.is_none(),
        types,
        components: schema.components().map(|c| c.uid.clone()).collect(),
        text_fields,
        default_widget: form.default_widget(place_of(draft)),
        form,
        errors,
    })
}

#[derive(Deserialize)]
struct KindQuery {
    kind: String,
}

#[get("/builder/{group}/{uid}/fields/new")]
async fn new_field(
    signed_in: SignedIn,
    target: web::Path<Target>,
    query: web::Query<KindQuery>,
) -> AdminResult<FieldPage> {
    let draft = load_draft(&signed_in, &target).await?;
    field_page(
        &signed_in,
        &draft,
        AttributeForm::new(&query.kind),
        FieldErrors::default(),
        None,
    )
}

#[derive(Deserialize)]
struct FieldTarget {
    group: String,
    uid: String,
    name: String,
}

impl FieldTarget {
    fn target(&self) -> Target {
        Target {
            group: self.group.clone(),
            uid: self.uid.clone(),
        }
    }
}

fn attribute_of<'a>(draft: &'a Draft, name: &str) -> AdminResult<&'a serde_json::Value> {
    draft
        .attributes()
        .get(name)
        .ok_or_else(|| AdminError::NotFound(format!("no field `{name}` in {}", draft.uid)))
}

#[get("/builder/{group}/{uid}/fields/{name}")]
async fn edit_field(signed_in: SignedIn, path: web::Path<FieldTarget>) -> AdminResult<FieldPage> {
    let draft = load_draft(&signed_in, &path.target()).await?;
    let form = AttributeForm::of(&path.name, attribute_of(&draft, &path.name)?);
    field_page(
        &signed_in,
        &draft,
        form,
        FieldErrors::default(),
        Some(&path.name),
    )
}

/// Which field a field form saves.
enum Slot<'a> {
    /// A new field of this kind.
    New(&'a str),
    /// The field of this name, which keeps its kind.
    Existing(&'a str),
}

/// Adds or replaces a field in the draft, or shows the form again with its errors.
async fn save_field(
    request: &HttpRequest,
    posted: Posted,
    target: Target,
    slot: Slot<'_>,
) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let mut draft = load_draft(&signed_in, &target).await?;
    let (previous, editing) = match slot {
        Slot::New(kind) => (AttributeForm::new(kind), None),
        Slot::Existing(name) => (
            AttributeForm::of(name, attribute_of(&draft, name)?),
            Some(name),
        ),
    };
    let attribute_form = AttributeForm::posted(&previous.kind, &form, editing.map(|_| &previous));
    let checked = attribute_form.to_attribute(place_of(&draft), |name| {
        Some(name) != editing && draft.attributes().contains_key(name)
    });
    match checked {
        Ok((name, attribute)) => {
            draft.put_field(editing, &name, attribute);
            save_draft(&signed_in, &draft).await?;
            let verb = if editing.is_some() { "Saved" } else { "Added" };
            signed_in
                .flash(format!(
                    "{verb} the field {name}. Review and apply when the type is ready."
                ))
                .await?;
            Ok(see_other(&target.base()))
        }
        Err(errors) => {
            let page = field_page(&signed_in, &draft, attribute_form, errors, editing)?;
            Ok(respond(request, page, StatusCode::BAD_REQUEST, None))
        }
    }
}

#[post("/builder/{group}/{uid}/fields/new")]
async fn add_field(
    request: HttpRequest,
    posted: Posted,
    target: web::Path<Target>,
    query: web::Query<KindQuery>,
) -> AdminResult<HttpResponse> {
    save_field(
        &request,
        posted,
        target.into_inner(),
        Slot::New(&query.kind),
    )
    .await
}

#[post("/builder/{group}/{uid}/fields/{name}")]
async fn update_field(
    request: HttpRequest,
    posted: Posted,
    path: web::Path<FieldTarget>,
) -> AdminResult<HttpResponse> {
    save_field(&request, posted, path.target(), Slot::Existing(&path.name)).await
}

#[post("/builder/{group}/{uid}/fields/{name}/move")]
async fn move_field(posted: Posted, path: web::Path<FieldTarget>) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let mut draft = load_draft(&signed_in, &path.target()).await?;
    attribute_of(&draft, &path.name)?;
    if draft.move_field(&path.name, form.text("direction") == "up") {
        save_draft(&signed_in, &draft).await?;
    }
    Ok(see_other(&path.target().base()))
}

#[post("/builder/{group}/{uid}/fields/{name}/remove")]
async fn remove_field(posted: Posted, path: web::Path<FieldTarget>) -> AdminResult<HttpResponse> {
    let signed_in = posted.signed_in;
    let mut draft = load_draft(&signed_in, &path.target()).await?;
    if !draft.remove_field(&path.name) {
        return Err(AdminError::NotFound(format!("no field `{}`", path.name)));
    }
    save_draft(&signed_in, &draft).await?;
    signed_in
        .flash(format!("Removed the field {} from the draft.", path.name))
        .await?;
    Ok(see_other(&path.target().base()))
}

#[post("/builder/{group}/{uid}/discard")]
async fn discard_draft(posted: Posted, target: web::Path<Target>) -> AdminResult<HttpResponse> {
    let signed_in = posted.signed_in;
    let draft = load_draft(&signed_in, &target).await?;
    drafts::discard(
        signed_in.context.db().conn(),
        signed_in.session.id,
        &draft.key(),
    )
    .await?;
    signed_in
        .flash(format!(
            "Discarded the changes to {}.",
            draft.display_name()
        ))
        .await?;
    Ok(see_other(&if draft.is_new {
        "/admin/builder".to_owned()
    } else {
        target.base()
    }))
}

/// The engine's request for a draft.
fn request_of(signed_in: &SignedIn, draft: &Draft) -> Result<ChangeRequest, Error> {
    let schema = signed_in.context.schema();
    draft.change_input(&schema)?.into_request(&schema)
}

/// The editor shown again with the engine's validation errors, or the error
/// page for anything else.
fn engine_refusal(
    request: &HttpRequest,
    signed_in: &SignedIn,
    draft: &Draft,
    error: Error,
) -> AdminResult<HttpResponse> {
    match error {
        Error::InvalidSchema(errors) | Error::Validation(errors) => {
            let page = draft_page(
                signed_in,
                draft,
                None,
                FieldErrors::default(),
                Some(&errors),
            );
            Ok(respond(request, page, StatusCode::BAD_REQUEST, None))
        }
        other => Err(other.into()),
    }
}

fn plan_page(
    signed_in: &SignedIn,
    draft: &Draft,
    plan: &Plan,
    confirm_error: Option<String>,
) -> PlanPage {
    PlanPage {
        shell: builder_shell(signed_in, "Review and apply")
            .crumb(draft.display_name(), Some(base_of(draft)))
            .crumb("Review and apply", None),
        base: base_of(draft),
        steps: plan.steps.iter().map(step_view).collect(),
        data_loss: plan.data_loss(),
        text: plan.to_string(),
        confirm_error,
    }
}

/// A step as the review draws it: a title and one line per change. A type
/// that loses a field is drawn as a removal.
fn step_view(step: &Step) -> StepView {
    let drops_field = matches!(step, Step::AlterType { changes, .. }
        if changes.iter().any(|c| matches!(c, Change::DropField { .. })));
    let tone = if drops_field { Tone::Drop } else { step.tone() };
    StepView {
        tone: tone.as_str(),
        title: step.title(),
        lines: step
            .lines()
            .into_iter()
            .map(|(tone, line)| (tone.sign(), line))
            .collect(),
    }
}

#[get("/builder/{group}/{uid}/review")]
async fn review_draft(
    request: HttpRequest,
    signed_in: SignedIn,
    target: web::Path<Target>,
) -> AdminResult<HttpResponse> {
    let draft = load_draft(&signed_in, &target).await?;
    let planned = match request_of(&signed_in, &draft) {
        Ok(change) => signed_in.context.plan_schema(&change).await,
        Err(error) => Err(error),
    };
    match planned {
        Ok(plan) => Ok(respond(
            &request,
            plan_page(&signed_in, &draft, &plan, None),
            StatusCode::OK,
            None,
        )),
        Err(error) => engine_refusal(&request, &signed_in, &draft, error),
    }
}

#[post("/builder/{group}/{uid}/apply")]
async fn apply_draft(
    request: HttpRequest,
    posted: Posted,
    target: web::Path<Target>,
) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let draft = load_draft(&signed_in, &target).await?;
    let allow_drop = form.flag("confirm_drop");
    let applied = match request_of(&signed_in, &draft) {
        Ok(change) => signed_in.context.apply_schema(&change, allow_drop).await,
        Err(error) => Err(error),
    };
    match applied {
        Ok(plan) => {
            drafts::discard(
                signed_in.context.db().conn(),
                signed_in.session.id,
                &draft.key(),
            )
            .await?;
            signed_in
                .flash(format!(
                    "Applied {} step(s): {} is in force.",
                    plan.steps.len(),
                    draft.display_name()
                ))
                .await?;
            Ok(see_other(&target.base()))
        }
        Err(Error::DestructivePlan { .. }) => {
            let change = request_of(&signed_in, &draft)?;
            let plan = signed_in.context.plan_schema(&change).await?;
            let page = plan_page(
                &signed_in,
                &draft,
                &plan,
                Some("Tick this box to confirm that the data may be deleted.".into()),
            );
            Ok(respond(&request, page, StatusCode::BAD_REQUEST, None))
        }
        Err(error) => engine_refusal(&request, &signed_in, &draft, error),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_types)
        .service(new_type)
        .service(create_type)
        .service(new_component)
        .service(create_component)
        .service(new_field)
        .service(add_field)
        .service(review_draft)
        .service(apply_draft)
        .service(discard_draft)
        .service(update_settings)
        .service(move_field)
        .service(remove_field)
        .service(edit_field)
        .service(update_field)
        .service(edit_draft);
}
