//! An entry's edit view: create, save, publish, unpublish, discard the
//! draft and delete, with a form generated from the schema.
//!
//! Every button is a plain submit. The form's own buttons (add, move or
//! remove a component, unlink a relation) post the form too and show it
//! back changed, without saving. A save names the version the form was
//! loaded at; when someone saved in between it is refused, and the form
//! comes back with the editor's input and who saved when.

use std::collections::BTreeSet;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use cairn_core::entries::{Entries, Entry, LocaleScope, Populate, ReadOptions, WriteOptions};
use cairn_core::query::{Operand, Operator};
use cairn_core::schema::TypeKind;
use cairn_core::schema::attribute::{Attribute, Kind};
use cairn_core::schema::registry::ContentType;
use cairn_core::{AppContext, Error, locales};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::content::content_type;
use super::{respond, see_other};
use crate::content::entry_form::{
    self, Drawing, Edit, Fields, FileLabel, Labels, Lookup, References,
};
use crate::content::{drafts_where, editor_read, markdown, title};
use crate::error::{AdminError, AdminResult};
use crate::form::{FieldErrors, sentence};
use crate::pages::{Choice, EditPage, Section, Shell};
use crate::session::{Posted, SignedIn};

#[derive(Deserialize)]
struct EntryQuery {
    locale: Option<String>,
    /// A locale to fill an entry's missing locale in from.
    fill: Option<String>,
}

/// The entry an address names, in the locale it names.
struct Target {
    content_type: Arc<ContentType>,
    entries: Entries,
    /// The locale worked in; `None` for types that are not localized.
    locale: Option<String>,
}

impl Target {
    async fn new(context: &AppContext, uid: &str, locale: Option<String>) -> AdminResult<Target> {
        let content_type = content_type(context, uid)?;
        let entries = context.entries(&content_type.uid)?;
        let locale = if content_type.localized {
            match locale.filter(|l| !l.is_empty()) {
                Some(code) if locales::exists(context.db().conn(), &code).await? => Some(code),
                Some(code) => {
                    return Err(AdminError::NotFound(format!(
                        "There is no locale `{code}`."
                    )));
                }
                None => Some(locales::default_code(context.db().conn()).await?),
            }
        } else {
            None
        };
        Ok(Target {
            content_type,
            entries,
            locale,
        })
    }

    fn attributes(&self) -> Vec<&Attribute> {
        self.content_type
            .fields
            .iter()
            .map(|f| &f.attribute)
            .collect()
    }

    fn locale_query(&self) -> String {
        self.locale
            .as_ref()
            .map(|l| format!("?locale={l}"))
            .unwrap_or_default()
    }

    fn href(&self, document_id: Option<&str>) -> String {
        format!(
            "/admin/content/{}/{}{}",
            self.content_type.uid,
            document_id.unwrap_or("new"),
            self.locale_query()
        )
    }

    fn list_href(&self) -> String {
        format!(
            "/admin/content/{}{}",
            self.content_type.uid,
            self.locale_query()
        )
    }

    fn write_options(&self, signed_in: &SignedIn, version: Option<i64>) -> WriteOptions {
        WriteOptions {
            locale: self.locale.clone(),
            actor: Some(signed_in.session.user.id),
            publish: false,
            expected_version: version,
        }
    }

    /// The draft of a document, relations, media and components populated.
    async fn read(&self, document_id: &str, locale: Option<&str>) -> AdminResult<Option<Entry>> {
        let read = ReadOptions {
            populate: Populate::all(),
            ..editor_read(locale.map(str::to_owned))
        };
        Ok(self.entries.find_one(document_id, &read).await?)
    }
}

/// A form and its state, shown again or for the first time.
struct Draft {
    document_id: Option<String>,
    /// The Markdown field whose preview was asked for.
    preview: Option<String>,
    model: Map<String, Value>,
    errors: FieldErrors,
    version: Option<i64>,
    conflict: Option<String>,
    /// Paths of passwords the entry has stored.
    secrets: BTreeSet<String>,
}

/// The main field's value of related documents, for their labels.
pub async fn labels(context: &AppContext, references: References) -> AdminResult<Labels> {
    let mut labels = Labels::default();
    for (uid, ids) in references.documents {
        if ids.is_empty() {
            continue;
        }
        let Ok(entries) = context.entries(&uid) else {
            continue;
        };
        let main = entries
            .content_type()
            .main_field()
            .map(|f| f.name().to_owned());
        let found = drafts_where(
            &entries,
            Some((
                "documentId",
                Operator::In,
                Operand::Many(ids.iter().cloned().collect()),
            )),
            ids.len() as u64,
        )
        .await?;
        let names = labels.documents.entry(uid).or_default();
        for entry in found {
            if let Some(document_id) = entry.get("documentId").and_then(Value::as_str) {
                names.insert(document_id.to_owned(), title(&entry, main.as_deref()));
            }
        }
    }
    for id in references.files {
        match context.files().find(id).await {
            Ok(file) => {
                let text = |key: &str| file.get(key).and_then(Value::as_str).map(str::to_owned);
                let image = text("mime").is_some_and(|m| m.starts_with("image/"));
                labels.files.insert(
                    id,
                    FileLabel {
                        name: text("name").unwrap_or_else(|| id.to_string()),
                        thumbnail: text("url")
                            .filter(|_| image)
                            .map(|url| super::media::thumbnail(context, &url)),
                    },
                );
            }
            Err(Error::RecordNotFound { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(labels)
}

/// Resolves what an editor typed to link: a documentId, or the exact main
/// field of one related entry; a file's id. What matches nothing, or more
/// than one entry, is an error beside the field.
async fn resolve(
    context: &AppContext,
    lookups: Vec<Lookup>,
    model: &mut Map<String, Value>,
    errors: &mut FieldErrors,
) -> AdminResult<()> {
    for lookup in lookups {
        let Some(target) = lookup.target else {
            match file_id(context, &lookup.text).await? {
                Ok(id) if lookup.image => {
                    let file = context.files().find(id).await?;
                    entry_form::set_block_image(model, &lookup.path, Value::Object(file));
                }
                Ok(id) => entry_form::link(model, &lookup.path, Value::from(id)),
                Err(message) => errors.add(&lookup.path, message),
            }
            continue;
        };
        let entries = context.entries(&target)?;
        let name = entries.content_type().display_name().to_owned();
        if entries
            .find_one(&lookup.text, &editor_read(None))
            .await?
            .is_some()
        {
            entry_form::link(model, &lookup.path, Value::String(lookup.text));
            continue;
        }
        let Some(main) = entries
            .content_type()
            .main_field()
            .map(|f| f.name().to_owned())
        else {
            errors.add(
                &lookup.path,
                format!("There is no {name} with the documentId `{}`.", lookup.text),
            );
            continue;
        };
        let found = drafts_where(
            &entries,
            Some((&main, Operator::Eqi, Operand::One(lookup.text.clone()))),
            2,
        )
        .await?;
        match found.as_slice() {
            [one] => {
                if let Some(id) = one.get("documentId").cloned() {
                    entry_form::link(model, &lookup.path, id);
                }
            }
            [] => errors.add(
                &lookup.path,
                format!("No {name} has the {main} or documentId `{}`.", lookup.text),
            ),
            _ => errors.add(
                &lookup.path,
                format!(
                    "More than one {name} has the {main} `{}`; type its documentId instead.",
                    lookup.text
                ),
            ),
        }
    }
    Ok(())
}

/// The file an editor named by its id or its exact name (any case);
/// `Err` says why none is meant.
async fn file_id(context: &AppContext, text: &str) -> AdminResult<Result<i64, String>> {
    let files = context.files();
    if let Ok(id) = text.parse::<i64>() {
        return match files.find(id).await {
            Ok(_) => Ok(Ok(id)),
            Err(Error::RecordNotFound { .. }) => Ok(Err(format!("There is no file {id}."))),
            Err(other) => Err(other.into()),
        };
    }
    let (found, _) = files
        .search(&cairn_core::files::FileQuery {
            search: text.to_owned(),
            folder: None,
            offset: 0,
            limit: 50,
        })
        .await?;
    let named: Vec<i64> = found
        .iter()
        .filter(|f| {
            f.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(text))
        })
        .filter_map(|f| f.get("id").and_then(Value::as_i64))
        .collect();
    Ok(match named.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("No file is named `{text}`.")),
        _ => Err(format!(
            "More than one file is named `{text}`; type its id instead."
        )),
    })
}

/// Draws the edit view.
async fn page(signed_in: &SignedIn, target: &Target, draft: Draft) -> AdminResult<EditPage> {
    let context = &signed_in.context;
    let schema = context.schema();
    let attributes = target.attributes();
    let labels = labels(
        context,
        References::collect(&schema, &attributes, &draft.model),
    )
    .await?;
    let mut uid_check = form_urlencoded::Serializer::new(String::new());
    if let Some(document_id) = &draft.document_id {
        uid_check.append_pair("document", document_id);
    }
    if let Some(locale) = &target.locale {
        uid_check.append_pair("locale", locale);
    }
    let uid_check = format!(
        "/admin/content/{}/uid?{}",
        target.content_type.uid,
        uid_check.finish()
    );
    let drawing = Drawing {
        schema: &schema,
        errors: &draft.errors,
        labels: &labels,
        stored_secrets: &draft.secrets,
        uid_check: &uid_check,
        preview: draft.preview.as_deref(),
    };
    let fields_html = Fields {
        fields: entry_form::views(&drawing, &attributes, "", &draft.model)
            .map_err(|e| Error::internal(format!("the entry form: {e}")))?,
    }
    .render()
    .map_err(|e| Error::internal(format!("the entry form: {e}")))?;

    let ct = &target.content_type;
    let document_id = draft.document_id.as_deref();
    let (publication, saved, fill_from) = match document_id {
        Some(document_id) => {
            let locales_of = target.entries.document_locales(document_id).await?;
            let here = target.locale.clone().unwrap_or_default();
            let exists_here = locales_of.iter().any(|(l, _)| *l == here);
            let publication = if exists_here {
                target
                    .entries
                    .publication(&[document_id.to_owned()], target.locale.as_deref())
                    .await?
                    .get(document_id)
                    .copied()
            } else {
                None
            };
            let saved = match target
                .entries
                .current_version(document_id, target.locale.as_deref())
                .await?
            {
                Some(version) if exists_here => {
                    let by = match version.created_by {
                        Some(id) => {
                            cairn_core::auth::admin_users::name_of(context.db().conn(), id).await?
                        }
                        None => None,
                    };
                    Some(match by {
                        Some(name) => format!("Saved {} by {name}", version.created_at),
                        None => format!("Saved {}", version.created_at),
                    })
                }
                _ => None,
            };
            let mut others: Vec<String> = locales_of
                .into_iter()
                .map(|(l, _)| l)
                .filter(|l| !exists_here && *l != here)
                .collect();
            others.dedup();
            let fill_from = others
                .into_iter()
                .map(|code| Choice {
                    href: format!(
                        "/admin/content/{}/{document_id}?locale={here}&fill={code}",
                        ct.uid
                    ),
                    label: code,
                    current: false,
                })
                .collect();
            (publication, saved, fill_from)
        }
        None => (None, None, Vec::new()),
    };
    let locales = if ct.localized {
        locales::list(context.db().conn())
            .await?
            .into_iter()
            .map(|locale| Choice {
                href: format!(
                    "/admin/content/{}/{}?locale={}",
                    ct.uid,
                    document_id.unwrap_or("new"),
                    locale.code
                ),
                current: target.locale.as_deref() == Some(locale.code.as_str()),
                label: locale.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let title = match document_id {
        Some(_) => format!("Edit {}", ct.display_name()),
        None => format!("New {}", ct.display_name()),
    };
    let mut shell = Shell::new(signed_in, Section::Content, title.clone())
        .crumb("Content manager", Some("/admin/content".to_owned()));
    if ct.kind != TypeKind::Single {
        shell = shell.crumb(ct.display_name(), Some(target.list_href()));
    }
    Ok(EditPage {
        shell: shell.crumb(title, None),
        uid: ct.uid.clone(),
        type_name: ct.display_name().to_owned(),
        single: ct.kind == TypeKind::Single,
        draft_and_publish: ct.draft_and_publish,
        document_id: draft.document_id.clone(),
        locale: target.locale.clone(),
        locales,
        fill_from,
        version: draft.version,
        action: target.href(document_id),
        fields_html,
        general: draft.errors.general(),
        publication,
        saved,
        conflict: draft.conflict,
        list_href: target.list_href(),
    })
}

/// The working copy of a stored entry, with its version.
async fn stored(
    target: &Target,
    document_id: &str,
    entry: &Entry,
    schema: &cairn_core::schema::registry::Schema,
) -> AdminResult<(Map<String, Value>, Option<i64>, BTreeSet<String>)> {
    let attributes = target.attributes();
    let model = entry_form::from_entry(schema, &attributes, entry);
    let version = target
        .entries
        .current_version(document_id, target.locale.as_deref())
        .await?
        .map(|v| v.id);
    // Which passwords are set is all the form says of them.
    let secrets = target
        .content_type
        .fields
        .iter()
        .filter(|f| f.attribute.kind.is_secret())
        .map(|f| f.name().to_owned())
        .collect();
    Ok((model, version, secrets))
}

/// A new entry's form: every field empty but its default.
fn defaults(target: &Target) -> Map<String, Value> {
    target
        .content_type
        .fields
        .iter()
        .filter_map(|f| {
            let value = match &f.attribute.kind {
                Kind::Relation(_) | Kind::Media(_) | Kind::DynamicZone(_) => json!([]),
                Kind::Component(c) if c.repeatable => json!([]),
                _ => f.attribute.default.clone()?,
            };
            Some((f.name().to_owned(), value))
        })
        .collect()
}

#[get("/content/{uid}/new")]
async fn show_new(
    signed_in: SignedIn,
    request: HttpRequest,
    uid: web::Path<String>,
    query: web::Query<EntryQuery>,
) -> AdminResult<HttpResponse> {
    let target = Target::new(&signed_in.context, &uid, query.into_inner().locale).await?;
    if target.content_type.kind == TypeKind::Single
        && let Some(document_id) = target.entries.single_document_id().await?
    {
        return Ok(see_other(&target.href(Some(&document_id))));
    }
    let draft = Draft {
        preview: None,
        document_id: None,
        model: defaults(&target),
        errors: FieldErrors::default(),
        version: None,
        conflict: None,
        secrets: BTreeSet::new(),
    };
    let page = page(&signed_in, &target, draft).await?;
    Ok(respond(&request, page, StatusCode::OK, []))
}

#[get("/content/{uid}/{document_id}")]
async fn show_entry(
    signed_in: SignedIn,
    request: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<EntryQuery>,
) -> AdminResult<HttpResponse> {
    let (uid, document_id) = path.into_inner();
    let EntryQuery { locale, fill } = query.into_inner();
    let target = Target::new(&signed_in.context, &uid, locale).await?;
    let schema = signed_in.context.schema();
    let draft = match target.read(&document_id, target.locale.as_deref()).await? {
        Some(entry) => {
            let (model, version, secrets) = stored(&target, &document_id, &entry, &schema).await?;
            Draft {
                preview: None,
                document_id: Some(document_id),
                model,
                errors: FieldErrors::default(),
                version,
                conflict: None,
                secrets,
            }
        }
        None => {
            if target
                .entries
                .document_locales(&document_id)
                .await?
                .is_empty()
            {
                return Err(gone(&target));
            }
            // The document exists in other locales: this one is written
            // from scratch, or filled in from one of them.
            let model = match fill {
                Some(code) => match target.read(&document_id, Some(&code)).await? {
                    Some(entry) => entry_form::from_entry(&schema, &target.attributes(), &entry),
                    None => defaults(&target),
                },
                None => defaults(&target),
            };
            Draft {
                preview: None,
                document_id: Some(document_id),
                model,
                errors: FieldErrors::default(),
                version: None,
                conflict: None,
                secrets: BTreeSet::new(),
            }
        }
    };
    let page = page(&signed_in, &target, draft).await?;
    Ok(respond(&request, page, StatusCode::OK, []))
}

/// An entry that is not there (deleted since its link was made).
fn gone(target: &Target) -> AdminError {
    AdminError::Gone {
        message: format!(
            "This {} does not exist any more: it was deleted, or the link is wrong.",
            target.content_type.display_name()
        ),
        back: target.list_href(),
    }
}

/// The messages of a refused write, each at its field's form path; a
/// field the form already found wrong keeps the form's message.
fn field_errors(error: &Error, errors: &mut FieldErrors) {
    if let Error::Validation(invalid) = error {
        for failure in &invalid.errors {
            let path = failure.path.to_string();
            if errors.get(&path).is_none() {
                errors.add(&path, format!("{}.", sentence(&failure.message)));
            }
        }
    }
}

/// What a posted edit form asks for.
async fn submitted(
    posted: Posted,
    request: HttpRequest,
    uid: &str,
    document_id: Option<String>,
    locale: Option<String>,
) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let context = signed_in.context.clone();
    let target = Target::new(&context, uid, locale).await?;
    let schema = context.schema();
    let attributes = target.attributes();
    let version = form.text("version").parse::<i64>().ok();
    let action = form.text("action");
    let mut errors = FieldErrors::default();
    let mut lookups = Vec::new();
    let mut model =
        entry_form::from_form(&schema, &attributes, "", &form, &mut errors, &mut lookups);
    resolve(&context, lookups, &mut model, &mut errors).await?;
    let secrets = if document_id.is_some() {
        target
            .content_type
            .fields
            .iter()
            .filter(|f| f.attribute.kind.is_secret())
            .map(|f| f.name().to_owned())
            .collect()
    } else {
        BTreeSet::new()
    };
    let show_again = |model, errors, conflict, status| {
        let draft = Draft {
            preview: None,
            document_id: document_id.clone(),
            model,
            errors,
            version,
            conflict,
            secrets: secrets.clone(),
        };
        (draft, status)
    };

    // A button of the form itself: show it back changed, save nothing.
    let op = form.text("op");
    if !op.is_empty() {
        let edit = Edit::parse(&op).ok_or_else(|| {
            AdminError::BadRequest(format!("`{op}` is not a button of this form."))
        })?;
        edit.apply(&mut model);
        let (mut draft, status) = show_again(model, errors, None, StatusCode::OK);
        if let Edit::Preview(path) = edit {
            draft.preview = Some(path);
        }
        let page = page(&signed_in, &target, draft).await?;
        return Ok(respond(&request, page, status, []));
    }
    if document_id.is_some() && matches!(action.as_str(), "unpublish" | "discard" | "delete") {
        return state_change(
            &signed_in,
            &target,
            document_id.as_deref().unwrap_or_default(),
            &action,
            version,
        )
        .await;
    }
    let data = entry_form::to_data(&schema, &attributes, &model);
    let options = WriteOptions {
        publish: action == "publish",
        ..target.write_options(&signed_in, version)
    };
    if !errors.is_empty() {
        // The engine's problems with the rest, in the same answer.
        match target
            .entries
            .check(document_id.as_deref(), &data, &options)
            .await
        {
            Ok(()) => {}
            Err(error @ Error::Validation(_)) => field_errors(&error, &mut errors),
            Err(other) => return Err(other.into()),
        }
        errors.add("", "Nothing was saved: fix the fields marked below.");
        let (draft, status) = show_again(model, errors, None, StatusCode::BAD_REQUEST);
        let page = page(&signed_in, &target, draft).await?;
        return Ok(respond(&request, page, status, []));
    }

    let outcome = match &document_id {
        Some(document_id) => target.entries.update(document_id, &data, &options).await,
        None => target.entries.create(&data, &options).await,
    };
    match outcome {
        Ok(entry) => {
            let saved_id = entry
                .get("documentId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            signed_in
                .flash(if options.publish {
                    "Saved and published."
                } else {
                    "Saved."
                })
                .await?;
            Ok(see_other(&target.href(Some(&saved_id))))
        }
        Err(error @ Error::Validation(_)) => {
            field_errors(&error, &mut errors);
            let message = if options.publish {
                "Nothing was saved: fix the fields marked below, then publish again."
            } else {
                "Nothing was saved: fix the fields marked below."
            };
            errors.add("", message);
            let (draft, status) = show_again(model, errors, None, StatusCode::BAD_REQUEST);
            let page = page(&signed_in, &target, draft).await?;
            Ok(respond(&request, page, status, []))
        }
        Err(Error::Conflict {
            version,
            saved_at,
            saved_by,
        }) => {
            let who = saved_by.unwrap_or_else(|| "someone".to_owned());
            let message = format!(
                "{who} saved this entry at {saved_at}, after you opened it, so your changes were not saved. They are still in the form below: compare with the saved version (open it in another tab), merge what you need, and save again to replace it."
            );
            let (mut draft, _) = show_again(model, errors, Some(message), StatusCode::CONFLICT);
            // Saving again now replaces the newer version, knowingly.
            draft.version = Some(version);
            let page = page(&signed_in, &target, draft).await?;
            Ok(respond(&request, page, StatusCode::CONFLICT, []))
        }
        Err(other) => Err(other.into()),
    }
}

/// Unpublish, discard the draft, or delete.
async fn state_change(
    signed_in: &SignedIn,
    target: &Target,
    document_id: &str,
    action: &str,
    version: Option<i64>,
) -> AdminResult<HttpResponse> {
    let options = target.write_options(signed_in, version);
    let outcome = match action {
        "unpublish" => target
            .entries
            .unpublish(document_id, &options)
            .await
            .map(|_| "Unpublished."),
        "discard" => target
            .entries
            .discard_draft(document_id, &options)
            .await
            .map(|_| "The changes since publishing were discarded."),
        _ => {
            let scope = target
                .locale
                .clone()
                .map_or(LocaleScope::Default, LocaleScope::One);
            target.entries.delete(document_id, scope).await?;
            signed_in.flash("Deleted.").await?;
            return Ok(see_other(&target.list_href()));
        }
    };
    match outcome {
        Ok(message) => signed_in.flash(message).await?,
        Err(Error::Conflict { saved_at, saved_by, .. }) => {
            signed_in
                .flash(format!(
                    "Nothing was changed: {} saved this entry at {saved_at}, after you opened it. Check the saved version and try again.",
                    saved_by.unwrap_or_else(|| "someone".to_owned())
                ))
                .await?
        }
        Err(other) => return Err(other.into()),
    }
    Ok(see_other(&target.href(Some(document_id))))
}

#[post("/content/{uid}/new")]
async fn create(
    posted: Posted,
    request: HttpRequest,
    uid: web::Path<String>,
    query: web::Query<EntryQuery>,
) -> AdminResult<HttpResponse> {
    submitted(posted, request, &uid, None, query.into_inner().locale).await
}

#[post("/content/{uid}/{document_id}")]
async fn save(
    posted: Posted,
    request: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<EntryQuery>,
) -> AdminResult<HttpResponse> {
    let (uid, document_id) = path.into_inner();
    submitted(
        posted,
        request,
        &uid,
        Some(document_id),
        query.into_inner().locale,
    )
    .await
}

#[derive(Deserialize)]
struct LookupQuery {
    q: String,
}

/// Entries of a type whose main field contains `q`, for the relation
/// picker's suggestions: `[{ "documentId", "label" }]`, at most ten.
#[get("/content/{uid}/lookup")]
async fn suggest(
    signed_in: SignedIn,
    uid: web::Path<String>,
    query: web::Query<LookupQuery>,
) -> AdminResult<HttpResponse> {
    let content_type = content_type(&signed_in.context, &uid)?;
    let entries = signed_in.context.entries(&content_type.uid)?;
    let main = content_type.main_field().map(|f| f.name().to_owned());
    let text = query.q.trim();
    let condition = main
        .as_deref()
        .filter(|_| !text.is_empty())
        .map(|main| (main, Operator::Containsi, Operand::One(text.to_owned())));
    let found: Vec<Value> = drafts_where(&entries, condition, 10)
        .await?
        .into_iter()
        .map(|entry| {
            let label = title(&entry, main.as_deref());
            json!({ "documentId": entry.get("documentId"), "label": label })
        })
        .collect();
    Ok(HttpResponse::Ok().json(found))
}

#[derive(Deserialize)]
struct UidQuery {
    field: String,
    text: String,
    document: Option<String>,
    locale: Option<String>,
}

/// What a uid field would take from `text`, and whether `text` itself is
/// free: `{ "proposal": "walnut-board-1" | null, "available": false }`.
#[get("/content/{uid}/uid")]
async fn check_uid(
    signed_in: SignedIn,
    uid: web::Path<String>,
    query: web::Query<UidQuery>,
) -> AdminResult<HttpResponse> {
    let content_type = content_type(&signed_in.context, &uid)?;
    let entries = signed_in.context.entries(&content_type.uid)?;
    let UidQuery {
        field,
        text,
        document,
        locale,
    } = query.into_inner();
    let proposal = entries
        .propose_uid(
            &field,
            &text,
            document.as_deref().filter(|d| !d.is_empty()),
            locale.as_deref().filter(|l| !l.is_empty()),
        )
        .await?;
    let available = proposal.as_deref() == Some(text.as_str());
    Ok(HttpResponse::Ok().json(json!({ "proposal": proposal, "available": available })))
}

/// Markdown rendered for the editor's preview, as HTML.
#[post("/markdown")]
async fn preview_markdown(posted: Posted) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markdown::to_html(posted.form.raw("text")))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `lookup` and `new` before `{document_id}`, which would take them.
    cfg.service(suggest)
        .service(check_uid)
        .service(preview_markdown)
        .service(show_new)
        .service(create)
        .service(show_entry)
        .service(save);
}
