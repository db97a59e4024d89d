//! The content manager's lists: a type's entries searched, filtered,
//! sorted and paged, the columns an administrator chose, and bulk publish,
//! unpublish and delete after a confirmation that counts what they touch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::entries::{Entries, LocaleScope, WriteOptions};
use cairn_core::schema::TypeKind;
use cairn_core::schema::registry::ContentType;
use cairn_core::{AppContext, Error, locales};
use serde_json::Value;

use super::{respond, see_other};
use crate::content::filters::{self, FilterField};
use crate::content::list_state::{ListState, PAGE_SIZES};
use crate::content::{columns, display, editor_read, title};
use crate::error::{AdminError, AdminResult};
use crate::form::FormData;
use crate::pages::{
    BulkItem, BulkPage, Chip, Choice, ColumnHead, FilterForm, ListPage, ListRow, Section, Shell,
};
use crate::session::{Posted, SignedIn};

/// The type a content manager address names, by uid.
pub fn content_type(context: &AppContext, uid: &str) -> AdminResult<std::sync::Arc<ContentType>> {
    context
        .schema()
        .content_type(uid)
        .cloned()
        .ok_or_else(|| AdminError::NotFound(format!("There is no content type `{uid}`.")))
}

/// Where the content manager's actions go back to: a list address, never
/// another site.
fn back_to(form: &FormData, uid: &str) -> String {
    let back = form.text("back");
    if back.starts_with(&format!("/admin/content/{uid}")) {
        back
    } else {
        format!("/admin/content/{uid}")
    }
}

fn query_pairs(request: &HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(request.query_string().as_bytes())
        .into_owned()
        .collect()
}

#[get("/content/{uid}")]
async fn show_list(
    signed_in: SignedIn,
    request: HttpRequest,
    uid: web::Path<String>,
) -> AdminResult<HttpResponse> {
    let context = &signed_in.context;
    let content_type = content_type(context, &uid)?;
    let entries = context.entries(&content_type.uid)?;
    if content_type.kind == TypeKind::Single {
        let href = match entries.single_document_id().await? {
            Some(document_id) => format!("/admin/content/{}/{document_id}", content_type.uid),
            None => format!("/admin/content/{}/new", content_type.uid),
        };
        return Ok(see_other(&href));
    }
    let pairs = query_pairs(&request);
    let (state, invalid) = ListState::from_pairs(&pairs);
    let filter_fields = filters::fields(&context.schema(), &content_type);
    let form = FormData(pairs);

    // A submitted filter form becomes conditions of the list's address.
    let mut filter_form = None;
    let chosen = form.text("filter");
    if let Some(field) = filter_fields.iter().find(|f| f.name == chosen) {
        let submitted = ["operator", "value", "from", "to"]
            .iter()
            .any(|name| form.0.iter().any(|(key, _)| key == name));
        match filters::conditions(field, &form) {
            Ok(conditions) if submitted => {
                let state = conditions
                    .into_iter()
                    .fold(state.clone(), |state, condition| {
                        state.with_condition(condition)
                    });
                return Ok(see_other(&state.href(&content_type.uid)));
            }
            outcome => {
                filter_form = Some(FilterForm {
                    field: field.name.clone(),
                    control: field.control.clone(),
                    error: outcome.err().filter(|_| submitted),
                })
            }
        }
    }

    let page = list_page(&signed_in, &entries, &content_type, &state, &filter_fields).await?;
    let page = ListPage {
        filter_form,
        problem: match (page.problem, invalid.first()) {
            (Some(problem), _) => Some(problem),
            (None, Some(bad)) => Some(format!(
                "The filter `{bad}` could not be read and was left out."
            )),
            (None, None) => None,
        },
        ..page
    };
    Ok(respond(&request, page, StatusCode::OK, []))
}

async fn list_page(
    signed_in: &SignedIn,
    entries: &Entries,
    content_type: &ContentType,
    state: &ListState,
    filter_fields: &[FilterField],
) -> AdminResult<ListPage> {
    let context = &signed_in.context;
    let uid = &content_type.uid;
    let chosen = columns::chosen(context, signed_in.session.user.id, content_type).await?;
    let main_field = content_type.main_field().map(|f| f.name().to_owned());

    let (listed, problem) = match entries.find_many(&state.list_options(content_type)).await {
        Ok(page) => (Some(page), None),
        // A filter or sort the schema no longer has: say so, list nothing.
        Err(Error::Validation(errors)) => (
            None,
            Some(format!(
                "This list cannot be shown as asked: {}. Remove the filter or sort it names.",
                errors
                    .errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        ),
        Err(other) => return Err(other.into()),
    };
    let (items, total, next_cursor) = match listed {
        Some(page) => (page.entries()?, page.total.unwrap_or(0), page.next_cursor),
        None => (Vec::new(), 0, None),
    };
    let document_ids: Vec<String> = items
        .iter()
        .filter_map(|e| {
            e.get("documentId")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    let publication = if content_type.draft_and_publish && !document_ids.is_empty() {
        entries
            .publication(&document_ids, state.locale.as_deref())
            .await?
    } else {
        Default::default()
    };
    let locale_suffix = state
        .locale
        .as_ref()
        .map(|l| format!("?locale={l}"))
        .unwrap_or_default();
    let rows = items
        .iter()
        .map(|entry| {
            let document_id = entry
                .get("documentId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let title = title(entry, main_field.as_deref());
            ListRow {
                href: format!("/admin/content/{uid}/{document_id}{locale_suffix}"),
                cells: chosen.iter().map(|name| display(entry.get(name))).collect(),
                publication: publication.get(&document_id).copied(),
                updated_at: display(entry.get("updatedAt")),
                title,
                document_id,
            }
        })
        .collect::<Vec<_>>();

    let head = |name: &str, label: &str, sortable: bool| ColumnHead {
        name: name.to_owned(),
        label: label.to_owned(),
        sort_href: sortable.then(|| state.sorted_by(name).href(uid)),
        sorted: match &state.sort {
            Some((field, descending)) if field == name => Some(if *descending {
                "descending"
            } else {
                "ascending"
            }),
            _ => None,
        },
    };
    let mut heads = vec![match &main_field {
        Some(name) => head(name, name, true),
        None => head("documentId", "documentId", true),
    }];
    for name in &chosen {
        let sortable = content_type
            .field(name)
            .is_some_and(|f| f.attribute.kind.is_comparable());
        heads.push(head(name, name, sortable));
    }
    heads.push(head("updatedAt", "Updated", true));

    let locales = if content_type.localized {
        let current = match &state.locale {
            Some(code) => code.clone(),
            None => locales::default_code(context.db().conn()).await?,
        };
        locales::list(context.db().conn())
            .await?
            .into_iter()
            .map(|locale| Choice {
                href: state.in_locale(&locale.code).href(uid),
                current: locale.code == current,
                label: locale.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let chips = state
        .conditions
        .iter()
        .enumerate()
        .map(|(index, condition)| Chip {
            label: condition.describe(),
            remove_href: state.without_condition(index).href(uid),
        })
        .collect();
    let first = state.first_page();
    let state_inputs = {
        let href = ListState {
            search: String::new(),
            ..first.clone()
        }
        .href(uid);
        let query = href.split_once('?').map(|(_, q)| q).unwrap_or_default();
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    };
    Ok(ListPage {
        shell: Shell::new(signed_in, Section::Content, content_type.display_name())
            .crumb("Content manager", Some("/admin/content".to_owned()))
            .crumb(content_type.display_name(), None),
        uid: uid.clone(),
        type_name: content_type.display_name().to_owned(),
        draft_and_publish: content_type.draft_and_publish,
        locale: state.locale.clone(),
        href: state.href(uid),
        search_field: main_field.clone(),
        search: state.search.clone(),
        state_inputs,
        locales,
        chips,
        filter_fields: filter_fields
            .iter()
            .map(|f| {
                let mut href = first.href(uid);
                href.push(if href.contains('?') { '&' } else { '?' });
                href.push_str("filter=");
                href.push_str(&f.name);
                (f.name.clone(), href)
            })
            .collect(),
        filter_form: None,
        columns: heads,
        column_choices: columns::choices(content_type)
            .map(|f| (f.name().to_owned(), chosen.iter().any(|c| c == f.name())))
            .collect(),
        first_position: state.first_position(),
        previous_href: state.previous().map(|s| s.href(uid)),
        next_href: next_cursor.map(|cursor| state.next(&cursor).href(uid)),
        page_sizes: PAGE_SIZES
            .iter()
            .map(|size| Choice {
                label: size.to_string(),
                href: ListState {
                    page_size: *size,
                    ..first.clone()
                }
                .href(uid),
                current: *size == state.page_size,
            })
            .collect(),
        rows,
        total,
        problem,
    })
}

#[post("/content/{uid}/columns")]
async fn choose_columns(posted: Posted, uid: web::Path<String>) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let content_type = content_type(&signed_in.context, &uid)?;
    columns::choose(
        &signed_in.context,
        signed_in.session.user.id,
        &content_type,
        &form.all("columns"),
    )
    .await?;
    Ok(see_other(&back_to(&form, &content_type.uid)))
}

/// The action a bulk form names, checked against what the type allows.
fn bulk_action(form: &FormData, content_type: &ContentType) -> AdminResult<String> {
    let action = form.text("action");
    match action.as_str() {
        "delete" => Ok(action),
        "publish" | "unpublish" if content_type.draft_and_publish => Ok(action),
        _ => Err(AdminError::BadRequest(format!(
            "`{action}` is not an action on {} entries.",
            content_type.display_name()
        ))),
    }
}

fn form_locale(form: &FormData) -> Option<String> {
    Some(form.text("locale")).filter(|l| !l.is_empty())
}

/// The confirmation of a bulk action: what it does and to which entries.
#[post("/content/{uid}/bulk")]
async fn confirm_bulk(
    posted: Posted,
    request: HttpRequest,
    uid: web::Path<String>,
) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let content_type = content_type(&signed_in.context, &uid)?;
    let back = back_to(&form, &content_type.uid);
    let action = bulk_action(&form, &content_type)?;
    let ids = form.all("ids");
    if ids.is_empty() {
        signed_in
            .flash("Select the entries to act on first.")
            .await?;
        return Ok(see_other(&back));
    }
    let entries = signed_in.context.entries(&content_type.uid)?;
    let main_field = content_type.main_field().map(|f| f.name().to_owned());
    let locale = form_locale(&form);
    let mut items = Vec::new();
    for document_id in ids {
        // Entries deleted meanwhile are left out of what the action counts.
        if let Some(entry) = entries
            .find_one(&document_id, &editor_read(locale.clone()))
            .await?
        {
            let title = title(&entry, main_field.as_deref());
            items.push(BulkItem { document_id, title });
        }
    }
    let page = BulkPage {
        shell: Shell::new(&signed_in, Section::Content, "Confirm")
            .crumb("Content manager", Some("/admin/content".to_owned()))
            .crumb(content_type.display_name(), Some(back.clone()))
            .crumb("Confirm", None),
        uid: content_type.uid.clone(),
        action,
        locale,
        items,
        back,
    };
    Ok(respond(&request, page, StatusCode::OK, []))
}

#[post("/content/{uid}/bulk/confirm")]
async fn apply_bulk(posted: Posted, uid: web::Path<String>) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let content_type = content_type(&signed_in.context, &uid)?;
    let back = back_to(&form, &content_type.uid);
    let action = bulk_action(&form, &content_type)?;
    let ids = form.all("ids");
    let entries = signed_in.context.entries(&content_type.uid)?;
    let options = WriteOptions {
        locale: form_locale(&form),
        actor: Some(signed_in.session.user.id),
        ..WriteOptions::default()
    };
    let outcome = match action.as_str() {
        "publish" => entries.publish_many(&ids, &options).await,
        "unpublish" => entries.unpublish_many(&ids, &options).await,
        _ => {
            let scope = options
                .locale
                .clone()
                .map_or(LocaleScope::Default, LocaleScope::One);
            entries
                .delete_many(&ids, scope)
                .await
                .map(|_| ids.len() as u64)
        }
    };
    let message = match outcome {
        Ok(count) => {
            let noun = if count == 1 { "entry" } else { "entries" };
            match action.as_str() {
                "publish" => format!("Published {count} {noun}."),
                "unpublish" => format!("Unpublished {count} {noun}."),
                _ => format!("Deleted {count} {noun}."),
            }
        }
        Err(Error::Validation(errors)) => format!(
            "Nothing was published: {} {} cannot be published yet. {}",
            errors.errors.len(),
            if errors.errors.len() == 1 {
                "field"
            } else {
                "fields"
            },
            errors
                .errors
                .iter()
                .map(|e| format!("{}: {}.", e.path, e.message))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Err(other) => return Err(other.into()),
    };
    signed_in.flash(message).await?;
    Ok(see_other(&back))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show_list)
        .service(choose_columns)
        .service(confirm_bulk)
        .service(apply_bulk);
}
