//! An entry's history: its versions with who saved them and when, any two
//! compared field by field, and restore, which makes a version the draft
//! again as a new version.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::auth::admin_users;
use cairn_core::entries::{Status, Version};
use cairn_core::schema::attribute::{Attribute, Kind};
use cairn_core::schema::registry::Schema;
use cairn_core::{AppContext, locales};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::content::content_type;
use super::{respond, see_other};
use crate::content::entry_form::{self, References};
use crate::error::{AdminError, AdminResult};
use crate::pages::{CompareRow, Comparison, HistoryPage, Section, Shell, VersionRow};
use crate::routes::entry::labels;
use crate::session::{Posted, SignedIn};

#[derive(Deserialize)]
struct HistoryQuery {
    locale: Option<String>,
    a: Option<i64>,
    b: Option<i64>,
}

#[derive(Deserialize)]
struct LocaleQuery {
    locale: Option<String>,
}

fn reason(text: &str) -> String {
    match text {
        "create" => "Created",
        "update" => "Saved",
        "publish" => "Published",
        "restore" => "Restored",
        "discard" => "Changes discarded",
        other => other,
    }
    .to_owned()
}

/// A version's value of one field as the comparison shows it: text as it
/// is, related entries and files by name, the rest as JSON.
fn shown(
    attribute: &Attribute,
    model: &Map<String, Value>,
    names: &crate::content::entry_form::Labels,
) -> String {
    let Some(value) = model.get(&attribute.name) else {
        return "—".to_owned();
    };
    match (&attribute.kind, value) {
        (_, Value::Null) => "—".to_owned(),
        (Kind::Relation(relation), Value::Array(ids)) => {
            let known = names.documents.get(&relation.target);
            ids.iter()
                .map(|id| {
                    let id = id.as_str().unwrap_or_default();
                    known
                        .and_then(|k| k.get(id))
                        .map_or_else(|| format!("{id} (deleted)"), Clone::clone)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        (Kind::Media(_), Value::Array(ids)) => ids
            .iter()
            .map(|id| {
                id.as_i64()
                    .and_then(|n| names.files.get(&n))
                    .map_or_else(|| format!("file {id} (deleted)"), |f| f.name.clone())
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (_, Value::String(text)) => text.clone(),
        (_, other) => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

async fn compare(
    context: &AppContext,
    schema: &Schema,
    attributes: &[&Attribute],
    older: Version,
    newer: Version,
) -> AdminResult<Comparison> {
    // Passwords are stored hashed in versions; they are never shown.
    let visible: Vec<&Attribute> = attributes
        .iter()
        .copied()
        .filter(|a| !a.kind.is_secret())
        .collect();
    let a = entry_form::from_entry(schema, &visible, &older.data);
    let b = entry_form::from_entry(schema, &visible, &newer.data);
    let mut references = References::collect(schema, &visible, &a);
    let more = References::collect(schema, &visible, &b);
    for (uid, ids) in more.documents {
        references.documents.entry(uid).or_default().extend(ids);
    }
    references.files.extend(more.files);
    let names = labels(context, references).await?;
    let rows = visible
        .iter()
        .map(|attribute| CompareRow {
            field: attribute.name.clone(),
            changed: a.get(&attribute.name) != b.get(&attribute.name),
            older: shown(attribute, &a, &names),
            newer: shown(attribute, &b, &names),
        })
        .collect();
    Ok(Comparison {
        older: older.summary.id,
        newer: newer.summary.id,
        rows,
    })
}

#[get("/content/{uid}/{document_id}/history")]
async fn show_history(
    signed_in: SignedIn,
    request: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<HistoryQuery>,
) -> AdminResult<HttpResponse> {
    let (uid, document_id) = path.into_inner();
    let HistoryQuery { locale, a, b } = query.into_inner();
    let context = &signed_in.context;
    let content_type = content_type(context, &uid)?;
    let entries = context.entries(&content_type.uid)?;
    let locale = match locale.filter(|l| !l.is_empty()) {
        Some(code) => Some(code),
        None if content_type.localized => Some(locales::default_code(context.db().conn()).await?),
        None => None,
    };
    let summaries = entries.versions(&document_id, locale.as_deref()).await?;
    if summaries.is_empty() {
        return Err(AdminError::NotFound(format!(
            "This {} has no history: it was deleted, or the link is wrong.",
            content_type.display_name()
        )));
    }
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut versions = Vec::new();
    for summary in &summaries {
        let by = match summary.created_by {
            Some(id) => match names.get(&id) {
                Some(name) => name.clone(),
                None => {
                    let name = admin_users::name_of(context.db().conn(), id)
                        .await?
                        .unwrap_or_else(|| "a removed administrator".to_owned());
                    names.insert(id, name.clone());
                    name
                }
            },
            None => "the API or an import".to_owned(),
        };
        versions.push(VersionRow {
            id: summary.id,
            saved_at: summary.created_at.clone(),
            by,
            reason: reason(&summary.reason),
            published: summary.status == Status::Published,
        });
    }
    // Two chosen versions, older first; by default the two newest.
    let ids: Vec<i64> = summaries.iter().map(|s| s.id).collect();
    let pair = match (a, b) {
        (Some(a), Some(b)) if ids.contains(&a) && ids.contains(&b) => Some((a.min(b), a.max(b))),
        (Some(_), Some(_)) => {
            return Err(AdminError::NotFound(
                "One of the versions to compare is not in this entry's history.".to_owned(),
            ));
        }
        _ if ids.len() >= 2 => Some((ids[1], ids[0])),
        _ => None,
    };
    let schema = context.schema();
    let attributes: Vec<&Attribute> = content_type.fields.iter().map(|f| &f.attribute).collect();
    let comparison = match pair {
        Some((older, newer)) => Some(
            compare(
                context,
                &schema,
                &attributes,
                entries.version(older).await?,
                entries.version(newer).await?,
            )
            .await?,
        ),
        None => None,
    };
    let locale_query = locale
        .as_ref()
        .map(|l| format!("?locale={l}"))
        .unwrap_or_default();
    let edit_href = format!(
        "/admin/content/{}/{document_id}{locale_query}",
        content_type.uid
    );
    let page = HistoryPage {
        shell: Shell::new(&signed_in, Section::Content, "History")
            .crumb("Content manager", Some("/admin/content".to_owned()))
            .crumb(
                content_type.display_name(),
                Some(format!("/admin/content/{}", content_type.uid)),
            )
            .crumb("Entry", Some(edit_href.clone()))
            .crumb("History", None),
        uid: content_type.uid.clone(),
        document_id,
        locale,
        edit_href,
        versions,
        comparison,
    };
    Ok(respond(&request, page, StatusCode::OK, []))
}

#[post("/content/{uid}/{document_id}/history/{id}/restore")]
async fn restore(
    posted: Posted,
    path: web::Path<(String, String, i64)>,
    query: web::Query<LocaleQuery>,
) -> AdminResult<HttpResponse> {
    let (uid, document_id, id) = path.into_inner();
    let signed_in = posted.signed_in;
    let content_type = content_type(&signed_in.context, &uid)?;
    let entries = signed_in.context.entries(&content_type.uid)?;
    let version = entries.version(id).await?;
    if version.summary.document_id != document_id {
        return Err(AdminError::NotFound(format!(
            "Version {id} is not a version of this entry."
        )));
    }
    entries.restore(id, Some(signed_in.session.user.id)).await?;
    signed_in
        .flash(format!(
            "Version {id} is the draft again. Publish it when it is ready."
        ))
        .await?;
    let locale = query
        .into_inner()
        .locale
        .map(|l| format!("?locale={l}"))
        .unwrap_or_default();
    Ok(see_other(&format!(
        "/admin/content/{}/{document_id}{locale}",
        content_type.uid
    )))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show_history).service(restore);
}
