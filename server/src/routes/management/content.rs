//! Content as editors and tools manage it: every action of the admin's
//! content manager, over HTTP.
//!
//! ```text
//! GET    /management/content/{type}                          list (drafts by default)
//! POST   /management/content/{type}                          create
//! POST   /management/content/{type}/bulk/{action}            publish, unpublish or delete many
//! GET    /management/content/{type}/{documentId}             one document, with its version
//! PUT    /management/content/{type}/{documentId}             update
//! DELETE /management/content/{type}/{documentId}             delete
//! POST   /management/content/{type}/{documentId}/publish     publish
//! POST   /management/content/{type}/{documentId}/unpublish   unpublish
//! POST   /management/content/{type}/{documentId}/discard     discard the draft
//! GET    /management/content/{type}/{documentId}/versions    history
//! GET    /management/content/{type}/{documentId}/versions/{id}
//! POST   /management/content/{type}/{documentId}/versions/{id}/restore
//! ```
//!
//! `{type}` is a type's uid, singular or plural name. Queries are the
//! content API's (`filters`, `sort`, `pagination`, `fields`, `populate`,
//! `locale`, `status`); reads show drafts unless `status=published` and
//! include private fields. A document is answered with its version (`ETag`
//! and `meta.version`); a write that names the version it started from
//! (`If-Match`, or `version` beside `data`) is refused with 409 when the
//! document was saved since.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use cairn_core::entries::{
    Entries, Entry, ListOptions, ReadOptions, Status, VersionSummary, WriteOptions,
};
use cairn_core::query::{Query, Readable};
use cairn_core::{AppContext, Error};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::http::content_request::{locale_query, locale_scope, query};
use crate::http::envelope::{envelope, page_body};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::AdminSession;

/// `/content/{type}`.
#[derive(Deserialize)]
struct TypePath {
    #[serde(rename = "type")]
    type_name: String,
}

/// `/content/{type}/{documentId}`.
#[derive(Deserialize)]
struct DocumentPath {
    #[serde(rename = "type")]
    type_name: String,
    document_id: String,
}

/// `/content/{type}/{documentId}/versions/{id}`.
#[derive(Deserialize)]
struct VersionPath {
    #[serde(rename = "type")]
    type_name: String,
    document_id: String,
    id: i64,
}

/// `/content/{type}/bulk/{action}`.
#[derive(Deserialize)]
struct BulkPath {
    #[serde(rename = "type")]
    type_name: String,
    action: BulkAction,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
enum BulkAction {
    Publish,
    Unpublish,
    Delete,
}

/// The body of a create or an update.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteRequest {
    /// The fields to set, as the content API takes them.
    #[schema(value_type = Object)]
    data: Map<String, Value>,
    /// The version the change started from (`meta.version` of the read).
    version: Option<i64>,
}

/// A change without fields: publish, unpublish, discard.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionRequest {
    /// The version the change started from (`meta.version` of the read).
    version: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulkRequest {
    /// The documents to act on.
    #[schema(min_items = 1)]
    document_ids: Vec<String>,
}

fn entries(context: &AppContext, type_name: &str) -> ApiResult<Entries> {
    Ok(context.entries(type_name)?)
}

/// How the content manager reads: drafts unless asked otherwise, private
/// fields included, every type readable.
fn read_options(query: &Query) -> ReadOptions {
    ReadOptions {
        locale: query.locale.clone(),
        status: query.status.unwrap_or(Status::Draft),
        fields: query.fields.clone(),
        populate: query.populate.clone(),
        include_private: true,
        readable: Readable::All,
    }
}

/// The version a write started from: `If-Match: "12"` or `"version": 12`
/// (both, they must agree).
fn expected_version(request: &HttpRequest, body: Option<i64>) -> ApiResult<Option<i64>> {
    let header = match request.headers().get(header::IF_MATCH) {
        None => None,
        Some(value) => {
            let text = value.to_str().unwrap_or_default().trim();
            let version = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "If-Match must be a version as the ETag of a read gives it, e.g. \"12\"",
                    )
                })?;
            Some(version)
        }
    };
    match (header, body) {
        (Some(a), Some(b)) if a != b => Err(ApiError::bad_request(format!(
            "If-Match names version {a} and the body version {b}"
        ))),
        (header, body) => Ok(header.or(body)),
    }
}

fn write_options(query: &Query, session: &AdminSession, expected: Option<i64>) -> WriteOptions {
    WriteOptions {
        locale: query.locale.clone(),
        actor: Some(session.0.id),
        publish: query.status == Some(Status::Published),
        expected_version: expected,
    }
}

/// A document with its version: `{ data, meta: { version, savedAt, savedBy } }`
/// and the version as its `ETag`.
async fn document_response(
    entries: &Entries,
    entry: Entry,
    status: actix_web::http::StatusCode,
) -> ApiResult<HttpResponse> {
    let document_id = entry
        .get("documentId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let locale = entry
        .get("locale")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let version = entries
        .current_version(&document_id, locale.as_deref())
        .await?;
    let meta = match &version {
        Some(VersionSummary {
            id,
            created_at,
            created_by,
            ..
        }) => json!({ "version": id, "savedAt": created_at, "savedBy": created_by }),
        None => json!({ "version": null, "savedAt": null, "savedBy": null }),
    };
    let mut response = HttpResponse::build(status);
    if let Some(version) = &version {
        response.insert_header((header::ETAG, format!("\"{}\"", version.id)));
    }
    Ok(response.json(envelope(Value::Object(entry), meta)))
}

/// A document as it now is, in the state a write left it in.
async fn reread(
    entries: &Entries,
    document_id: &str,
    query: &Query,
    status: Status,
) -> ApiResult<Entry> {
    let read = ReadOptions {
        status,
        ..read_options(query)
    };
    entries
        .find_one(document_id, &read)
        .await?
        .ok_or_else(|| not_found(entries, document_id, query))
}

fn not_found(entries: &Entries, document_id: &str, query: &Query) -> ApiError {
    Error::EntryNotFound {
        type_name: entries.content_type().display_name().to_owned(),
        document_id: document_id.to_owned(),
        locale: query.locale.clone(),
    }
    .into()
}

/// Entries of a type, filtered, sorted and paged as the content API does.
#[utoipa::path(
    get,
    path = "/management/content/{type}",
    tag = "management",
    params(("type" = String, Path, description = "A content type's uid, singular or plural name")),
    responses(
        (status = 200, description = "A page of entries", body = ref("#/components/schemas/ManagedEntryListResponse")),
        (status = 400, description = "An invalid query: details.errors name each parameter", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/content/{type}")]
pub async fn list_entries(
    request: HttpRequest,
    context: web::Data<AppContext>,
    _session: AdminSession,
    path: web::Path<TypePath>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let query = query(&context, &request)?;
    let page = entries
        .find_many(&ListOptions {
            read: read_options(&query),
            filters: query.filters.clone(),
            sort: query.sort.clone(),
            pagination: query.pagination.clone(),
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(page_body(&query.pagination, &page)?))
}

/// Creates a document (a draft, or published with `status=published`).
#[utoipa::path(
    post,
    path = "/management/content/{type}",
    tag = "management",
    params(("type" = String, Path, description = "A content type's uid, singular or plural name")),
    request_body = WriteRequest,
    responses(
        (status = 201, description = "The new document", body = ref("#/components/schemas/ManagedEntryResponse")),
        (status = 400, description = "Invalid values: details.errors name each field", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/content/{type}")]
pub async fn create_entry(
    request: HttpRequest,
    context: web::Data<AppContext>,
    session: AdminSession,
    path: web::Path<TypePath>,
    body: web::Json<WriteRequest>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let query = query(&context, &request)?;
    let entry = entries
        .create(&body.data, &write_options(&query, &session, None))
        .await?;
    document_response(&entries, entry, actix_web::http::StatusCode::CREATED).await
}

/// Publishes, unpublishes or deletes several documents in one locale, all
/// or none.
#[utoipa::path(
    post,
    path = "/management/content/{type}/bulk/{action}",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("action" = inline(BulkAction), Path, description = "What to do with every document"),
    ),
    request_body = BulkRequest,
    responses(
        (status = 200, description = "How many documents (rows, for deletes) the action changed", body = ref("#/components/schemas/BulkResponse")),
        (status = 400, description = "A draft that cannot be published: details.errors, each path starting with its documentId", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or document", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/content/{type}/bulk/{action}")]
pub async fn bulk_action(
    request: HttpRequest,
    context: web::Data<AppContext>,
    session: AdminSession,
    path: web::Path<BulkPath>,
    body: web::Json<BulkRequest>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let query = locale_query(&context, &request)?;
    let ids = &body.document_ids;
    let options = write_options(&query, &session, None);
    let count = match path.action {
        BulkAction::Publish => entries.publish_many(ids, &options).await?,
        BulkAction::Unpublish => entries.unpublish_many(ids, &options).await?,
        BulkAction::Delete => entries.delete_many(ids, locale_scope(&query)).await?,
    };
    Ok(HttpResponse::Ok().json(json!({ "data": { "count": count } })))
}

/// One document, in its draft unless `status=published`, with its version.
#[utoipa::path(
    get,
    path = "/management/content/{type}/{documentId}",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
    ),
    responses(
        (status = 200, description = "The document and its version", body = ref("#/components/schemas/ManagedEntryResponse"),
         headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 400, description = "An invalid query", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or document", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/content/{type}/{document_id}")]
pub async fn get_entry(
    request: HttpRequest,
    context: web::Data<AppContext>,
    _session: AdminSession,
    path: web::Path<DocumentPath>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let query = query(&context, &request)?;
    let entry = entries
        .find_one(&path.document_id, &read_options(&query))
        .await?
        .ok_or_else(|| not_found(&entries, &path.document_id, &query))?;
    document_response(&entries, entry, actix_web::http::StatusCode::OK).await
}

/// Updates a document's draft (its only row without draft & publish).
#[utoipa::path(
    put,
    path = "/management/content/{type}/{documentId}",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "The version the change started from"),
    ),
    request_body = WriteRequest,
    responses(
        (status = 200, description = "The document as saved, and its new version", body = ref("#/components/schemas/ManagedEntryResponse")),
        (status = 400, description = "Invalid values: details.errors name each field", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or document", body = ref("#/components/schemas/Error")),
        (status = 409, description = "Saved since the version named: details give the current version, when and by whom", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[put("/content/{type}/{document_id}")]
pub async fn update_entry(
    request: HttpRequest,
    context: web::Data<AppContext>,
    session: AdminSession,
    path: web::Path<DocumentPath>,
    body: web::Json<WriteRequest>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let query = query(&context, &request)?;
    let expected = expected_version(&request, body.version)?;
    let entry = entries
        .update(
            &path.document_id,
            &body.data,
            &write_options(&query, &session, expected),
        )
        .await?;
    document_response(&entries, entry, actix_web::http::StatusCode::OK).await
}

/// Deletes a document in one locale (`locale=*`: in all of them).
#[utoipa::path(
    delete,
    path = "/management/content/{type}/{documentId}",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "A query other than locale", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or document", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[delete("/content/{type}/{document_id}")]
pub async fn delete_entry(
    request: HttpRequest,
    context: web::Data<AppContext>,
    _session: AdminSession,
    path: web::Path<DocumentPath>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let query = locale_query(&context, &request)?;
    entries
        .delete(&path.document_id, locale_scope(&query))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What `publish`, `unpublish` and `discard` do to a document.
#[derive(Debug, Clone, Copy)]
enum StateChange {
    Publish,
    Unpublish,
    Discard,
}

async fn change_state(
    request: HttpRequest,
    context: &AppContext,
    session: &AdminSession,
    path: &DocumentPath,
    body: Option<web::Json<VersionRequest>>,
    change: StateChange,
) -> ApiResult<HttpResponse> {
    let entries = entries(context, &path.type_name)?;
    let query = locale_query(context, &request)?;
    let version = body.and_then(|b| b.version);
    let options = write_options(&query, session, expected_version(&request, version)?);
    let id = &path.document_id;
    let entry = match change {
        StateChange::Publish => entries.publish(id, &options).await?,
        StateChange::Unpublish => entries.unpublish(id, &options).await?,
        StateChange::Discard => entries.discard_draft(id, &options).await?,
    };
    // The content manager works on the draft: answer with it and its version.
    let draft = match entries.content_type().draft_and_publish {
        true => reread(&entries, id, &query, Status::Draft).await?,
        false => entry,
    };
    document_response(&entries, draft, actix_web::http::StatusCode::OK).await
}

/// Publishes a document's draft, checked in full (required fields too).
#[utoipa::path(
    post,
    path = "/management/content/{type}/{documentId}/publish",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "The version the change started from"),
    ),
    request_body(content = VersionRequest, description = "Optional"),
    responses(
        (status = 200, description = "The draft and its version", body = ref("#/components/schemas/ManagedEntryResponse")),
        (status = 400, description = "A draft that cannot be published, or a type without draft & publish", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or document", body = ref("#/components/schemas/Error")),
        (status = 409, description = "Saved since the version named", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/content/{type}/{document_id}/publish")]
pub async fn publish_entry(
    request: HttpRequest,
    context: web::Data<AppContext>,
    session: AdminSession,
    path: web::Path<DocumentPath>,
    body: Option<web::Json<VersionRequest>>,
) -> ApiResult<HttpResponse> {
    change_state(
        request,
        &context,
        &session,
        &path,
        body,
        StateChange::Publish,
    )
    .await
}

/// Removes a document's published state; its draft stays.
#[utoipa::path(
    post,
    path = "/management/content/{type}/{documentId}/unpublish",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "The version the change started from"),
    ),
    request_body(content = VersionRequest, description = "Optional"),
    responses(
        (status = 200, description = "The draft and its version", body = ref("#/components/schemas/ManagedEntryResponse")),
        (status = 400, description = "A type without draft & publish, or a document that is not published", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or document", body = ref("#/components/schemas/Error")),
        (status = 409, description = "Saved since the version named", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/content/{type}/{document_id}/unpublish")]
pub async fn unpublish_entry(
    request: HttpRequest,
    context: web::Data<AppContext>,
    session: AdminSession,
    path: web::Path<DocumentPath>,
    body: Option<web::Json<VersionRequest>>,
) -> ApiResult<HttpResponse> {
    change_state(
        request,
        &context,
        &session,
        &path,
        body,
        StateChange::Unpublish,
    )
    .await
}

/// Resets a document's draft to its published state.
#[utoipa::path(
    post,
    path = "/management/content/{type}/{documentId}/discard",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "The version the change started from"),
    ),
    request_body(content = VersionRequest, description = "Optional"),
    responses(
        (status = 200, description = "The draft and its version", body = ref("#/components/schemas/ManagedEntryResponse")),
        (status = 400, description = "A type without draft & publish, or a document that is not published", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or document", body = ref("#/components/schemas/Error")),
        (status = 409, description = "Saved since the version named", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/content/{type}/{document_id}/discard")]
pub async fn discard_draft(
    request: HttpRequest,
    context: web::Data<AppContext>,
    session: AdminSession,
    path: web::Path<DocumentPath>,
    body: Option<web::Json<VersionRequest>>,
) -> ApiResult<HttpResponse> {
    change_state(
        request,
        &context,
        &session,
        &path,
        body,
        StateChange::Discard,
    )
    .await
}

/// A document's versions in one locale, newest first.
#[utoipa::path(
    get,
    path = "/management/content/{type}/{documentId}/versions",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
    ),
    responses(
        (status = 200, description = "The versions, without their data", body = ref("#/components/schemas/VersionListResponse")),
        (status = 400, description = "An invalid query", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/content/{type}/{document_id}/versions")]
pub async fn list_versions(
    request: HttpRequest,
    context: web::Data<AppContext>,
    _session: AdminSession,
    path: web::Path<DocumentPath>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let query = locale_query(&context, &request)?;
    let versions = entries
        .versions(&path.document_id, query.locale.as_deref())
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "data": versions })))
}

/// One version, with the document's fields as they were.
#[utoipa::path(
    get,
    path = "/management/content/{type}/{documentId}/versions/{id}",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
        ("id" = i64, Path, description = "The version"),
    ),
    responses(
        (status = 200, description = "The version and its data", body = ref("#/components/schemas/VersionResponse")),
        (status = 400, description = "A version id that is not a 64-bit integer", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or version of this document", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/content/{type}/{document_id}/versions/{id}")]
pub async fn get_version(
    context: web::Data<AppContext>,
    _session: AdminSession,
    path: web::Path<VersionPath>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let version = entries.version(path.id).await?;
    if version.summary.document_id != path.document_id {
        return Err(Error::VersionNotFound { id: path.id }.into());
    }
    Ok(HttpResponse::Ok().json(json!({ "data": version })))
}

/// Writes a version back as the document's draft: a new save, which is
/// itself a new version; history is never rewritten.
#[utoipa::path(
    post,
    path = "/management/content/{type}/{documentId}/versions/{id}/restore",
    tag = "management",
    params(
        ("type" = String, Path, description = "A content type's uid, singular or plural name"),
        ("documentId" = String, Path, description = "The document"),
        ("id" = i64, Path, description = "The version"),
    ),
    responses(
        (status = 200, description = "The draft as restored, and its new version", body = ref("#/components/schemas/ManagedEntryResponse")),
        (status = 400, description = "The version's data no longer fits the type", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such content type or version of this document", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/content/{type}/{document_id}/versions/{id}/restore")]
pub async fn restore_version(
    context: web::Data<AppContext>,
    session: AdminSession,
    path: web::Path<VersionPath>,
) -> ApiResult<HttpResponse> {
    let entries = entries(&context, &path.type_name)?;
    let version = entries.version(path.id).await?;
    if version.summary.document_id != path.document_id {
        return Err(Error::VersionNotFound { id: path.id }.into());
    }
    let entry = entries.restore(path.id, Some(session.0.id)).await?;
    document_response(&entries, entry, actix_web::http::StatusCode::OK).await
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `bulk` is never a documentId (24 letters and digits): its route goes first.
    cfg.service(bulk_action)
        .service(list_entries)
        .service(create_entry)
        .service(list_versions)
        .service(get_version)
        .service(restore_version)
        .service(publish_entry)
        .service(unpublish_entry)
        .service(discard_draft)
        .service(get_entry)
        .service(update_entry)
        .service(delete_entry);
}
