//! The content API, following Strapi v5's REST conventions:
//!
//! ```text
//! GET    /api/{pluralName}                  list            (find)
//! POST   /api/{pluralName}                  create          (create)
//! GET    /api/{pluralName}/{documentId}     one document    (findOne)
//! PUT    /api/{pluralName}/{documentId}     update          (update)
//! DELETE /api/{pluralName}/{documentId}     delete          (delete)
//! GET|PUT|DELETE /api/{singularName}        a single type
//! ```
//!
//! Reads return published content unless a caller allowed to read drafts
//! asks for `status=draft`. Published reads are cached in memory and every
//! read carries a strong ETag.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use cairn_core::auth::permissions::Action;
use cairn_core::entries::{
    Entry, ListOptions, LocaleScope, Page, ReadOptions, Status, WriteOptions,
};
use cairn_core::error::Code;
use cairn_core::query::{Pagination, Query, Readable};
use cairn_core::schema::{ContentType, TypeKind};
use cairn_core::{AppContext, Error};
use serde_json::{Map, Value, json};

use crate::http::conditional;
use crate::http::error::{ApiError, ApiResult};
use crate::http::principal::Principal;
use crate::http::response_cache::{Cached, ResponseCache};

/// The bytes a response body starts with: a page of 25 short entries.
const RESPONSE_CAPACITY: usize = 8 * 1024;

/// Room for `,"meta":{…}}` after a list's entries.
const META_CAPACITY: usize = 128;

/// What a caller may do with one content type.
struct Access {
    drafts: bool,
    readable: Readable,
}

fn authorize(
    context: &AppContext,
    principal: &Principal,
    content_type: &ContentType,
    action: Action,
) -> ApiResult<Access> {
    let everything = Access {
        drafts: true,
        readable: Readable::All,
    };
    match principal {
        Principal::Admin(_) => Ok(everything),
        Principal::Token(_) if principal.has_full_access() => Ok(everything),
        Principal::Token(_) if action.reads() => Ok(Access {
            drafts: false,
            readable: Readable::All,
        }),
        Principal::Token(_) => Err(ApiError::forbidden(
            "a read-only token cannot change content",
        )),
        Principal::Public => {
            let permissions = context.public_permissions();
            if permissions.allows(&content_type.uid, action) {
                Ok(Access {
                    drafts: false,
                    readable: permissions.readable(),
                })
            } else {
                Err(ApiError::forbidden("Forbidden"))
            }
        }
    }
}

/// The type a route names: collections by plural name, single types by
/// singular name, as Strapi routes them.
fn content_type(context: &AppContext, name: &str) -> ApiResult<Arc<ContentType>> {
    let schema = context.schema();
    let found = schema.find_type(name).filter(|t| match t.kind {
        TypeKind::Collection => t.plural_name() == name,
        TypeKind::Single => t.singular_name() == name,
    });
    found
        .cloned()
        .ok_or_else(|| ApiError::not_found("Not Found"))
}

fn parse_query(context: &AppContext, request: &HttpRequest) -> ApiResult<Arc<Query>> {
    Ok(context.parse_query(request.query_string())?)
}

fn read_options(query: &Query, access: &Access) -> ApiResult<ReadOptions> {
    let status = query.status.unwrap_or(Status::Published);
    if status == Status::Draft && !access.drafts {
        return Err(ApiError::forbidden(
            "reading drafts needs a full-access token",
        ));
    }
    Ok(ReadOptions {
        locale: query.locale.clone(),
        status,
        fields: query.fields.clone(),
        populate: query.populate.clone(),
        include_private: false,
        readable: access.readable.clone(),
    })
}

fn cache_control<'a>(context: &'a AppContext, content_type: &ContentType) -> &'a str {
    let api = &context.config().api;
    api.cache_control_by_type
        .get(&content_type.uid)
        .unwrap_or(&api.cache_control)
}

/// Serves a read: from the response cache when an earlier published read
/// of the same URL stored it, otherwise computed; always with its ETag.
/// The cache is asked before the query is parsed: parsing costs more than
/// the lookup, and only published reads are ever stored, so a hit is one.
/// `compute` answers the body's JSON and the status it read.
async fn cached_read<F>(
    request: &HttpRequest,
    context: &AppContext,
    cache: &ResponseCache,
    principal: &Principal,
    content_type: &ContentType,
    compute: F,
) -> ApiResult<HttpResponse>
where
    F: Future<Output = ApiResult<(Vec<u8>, Status)>>,
{
    let cache_control = cache_control(context, content_type);
    // Published reads differ only by what the public role may populate.
    let audience = if matches!(principal, Principal::Public) {
        "public"
    } else {
        "all"
    };
    // Pushed rather than formatted: `format!` cost as much as the lookup.
    let (path, query) = (request.path(), request.query_string());
    let mut key = String::with_capacity(audience.len() + path.len() + query.len() + 2);
    for part in [audience, " ", path, "?", query] {
        key.push_str(part);
    }
    let generation = context.changes().current();
    let hit = |cached: Arc<Cached>| {
        conditional::json(request, cached.body.clone(), &cached.etag, cache_control)
    };
    if let Some(cached) = cache.get(&key, generation) {
        return Ok(hit(cached));
    }
    let _flight = cache.flight(&key).await;
    // The request this one waited for may have stored it.
    if let Some(cached) = cache.get(&key, generation) {
        return Ok(hit(cached));
    }
    let (mut body, status) = compute.await?;
    let cached = cache.enabled() && status == Status::Published;
    if cached {
        // The spare capacity goes back before the body is kept.
        body.shrink_to_fit();
    }
    let body = web::Bytes::from(body);
    let etag = conditional::etag(&body);
    let response = conditional::json(request, body.clone(), &etag, cache_control);
    if cached {
        cache.insert(key, body, etag, generation);
    }
    Ok(response)
}

/// `{ "data": …, "meta": … }`, taking the entries over: `json!` would copy
/// them, a deep copy of every response.
fn envelope(data: Value, meta: Value) -> Value {
    let mut body = Map::with_capacity(2);
    body.insert("data".to_owned(), data);
    body.insert("meta".to_owned(), meta);
    Value::Object(body)
}

/// A read's body, `{ "data": …, "meta": … }`, its data written by `data`
/// in place. `size` is what the data is known to need.
fn read_body(
    size: usize,
    data: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
    meta: &Value,
) -> ApiResult<Vec<u8>> {
    let internal = |e| ApiError::from(Error::internal(e));
    // Growing from empty copied a page of entries about ten times over.
    let mut body = Vec::with_capacity(RESPONSE_CAPACITY.max(size + META_CAPACITY));
    body.extend_from_slice(b"{\"data\":");
    data(&mut body).map_err(internal)?;
    body.extend_from_slice(b",\"meta\":");
    serde_json::to_writer(&mut body, meta).map_err(internal)?;
    body.push(b'}');
    Ok(body)
}

/// A read's body for one entry.
fn entry_body(entry: &Entry) -> ApiResult<Vec<u8>> {
    read_body(0, |body| serde_json::to_writer(body, entry), &json!({}))
}

fn pagination_meta(pagination: &Pagination, page: &Page) -> Value {
    let mut meta = match pagination {
        Pagination::Page {
            page: number,
            page_size,
            ..
        } => {
            let mut meta = json!({ "page": number, "pageSize": page_size });
            if let Some(total) = page.total {
                meta["pageCount"] = json!(total.div_ceil((*page_size).max(1)));
                meta["total"] = json!(total);
            }
            meta
        }
        Pagination::Offset { start, limit, .. } => {
            let mut meta = json!({ "start": start, "limit": limit });
            if let Some(total) = page.total {
                meta["total"] = json!(total);
            }
            meta
        }
        Pagination::Cursor { limit, .. } => {
            let mut meta = json!({ "limit": limit });
            if let Some(total) = page.total {
                meta["total"] = json!(total);
            }
            meta
        }
    };
    if let Some(cursor) = &page.next_cursor {
        meta["nextCursor"] = json!(cursor);
    }
    meta
}

async fn find(
    request: HttpRequest,
    context: web::Data<AppContext>,
    cache: web::Data<ResponseCache>,
    principal: Principal,
    name: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let content_type = content_type(&context, &name)?;
    let access = authorize(&context, &principal, &content_type, Action::Find)?;
    let kind = content_type.kind;
    cached_read(
        &request,
        &context,
        &cache,
        &principal,
        &content_type,
        async {
            let entries = context.entries(&content_type.uid)?;
            let query = parse_query(&context, &request)?;
            let read = read_options(&query, &access)?;
            let status = read.status;
            if kind == TypeKind::Single {
                let entry = entries
                    .find_single(&read)
                    .await?
                    .ok_or_else(|| ApiError::not_found("Not Found"))?;
                return Ok((entry_body(&entry)?, status));
            }
            let page = entries
                .find_many(&ListOptions {
                    read,
                    filters: query.filters.clone(),
                    sort: query.sort.clone(),
                    pagination: query.pagination.clone(),
                })
                .await?;
            let meta = json!({ "pagination": pagination_meta(&query.pagination, &page) });
            let data = |body: &mut Vec<u8>| {
                body.extend_from_slice(&page.data);
                Ok(())
            };
            Ok((read_body(page.data.len(), data, &meta)?, status))
        },
    )
    .await
}

async fn find_one(
    request: HttpRequest,
    context: web::Data<AppContext>,
    cache: web::Data<ResponseCache>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (name, document_id) = path.into_inner();
    let content_type = collection(&context, &name)?;
    let access = authorize(&context, &principal, &content_type, Action::FindOne)?;
    cached_read(
        &request,
        &context,
        &cache,
        &principal,
        &content_type,
        async {
            let entries = context.entries(&content_type.uid)?;
            let query = parse_query(&context, &request)?;
            let read = read_options(&query, &access)?;
            let entry = entries
                .find_one(&document_id, &read)
                .await?
                .ok_or_else(|| ApiError::not_found("Not Found"))?;
            Ok((entry_body(&entry)?, read.status))
        },
    )
    .await
}

/// Only collection types have documents under their plural name.
fn collection(context: &AppContext, name: &str) -> ApiResult<Arc<ContentType>> {
    content_type(context, name).and_then(|t| {
        if t.kind == TypeKind::Collection {
            Ok(t)
        } else {
            Err(ApiError::not_found("Not Found"))
        }
    })
}

/// The `data` object of a write body. The body is read after the route's
/// type is known, so a write to an unknown type is a 404 whatever it sends.
fn data(body: Result<web::Json<Value>, actix_web::Error>) -> ApiResult<Map<String, Value>> {
    let body = body.map_err(|error| match error.as_error::<ApiError>() {
        Some(api_error) => api_error.clone(),
        None => ApiError::bad_request(error.to_string()),
    })?;
    match body.get("data") {
        Some(Value::Object(data)) => Ok(data.clone()),
        Some(_) => Err(ApiError::bad_request("\"data\" must be an object")),
        None => Err(ApiError::bad_request(
            "Missing \"data\" payload in the request body",
        )),
    }
}

/// Options of a write from its query: locale, and `status=published` to
/// publish in the same step.
fn write_options(query: &Query, principal: &Principal) -> WriteOptions {
    WriteOptions {
        locale: query.locale.clone(),
        actor: principal.actor(),
        publish: query.status == Some(Status::Published),
    }
}

/// The entry a write answers with, read the way the caller would read it.
async fn written(
    context: &AppContext,
    content_type: &ContentType,
    entry: &Entry,
    query: &Query,
    access: &Access,
) -> ApiResult<Value> {
    let document_id = entry
        .get("documentId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let status =
        if content_type.draft_and_publish && entry.get("publishedAt").is_none_or(Value::is_null) {
            Status::Draft
        } else {
            Status::Published
        };
    let read = ReadOptions {
        locale: entry
            .get("locale")
            .and_then(Value::as_str)
            .map(str::to_owned),
        status,
        fields: query.fields.clone(),
        populate: query.populate.clone(),
        include_private: false,
        readable: access.readable.clone(),
    };
    let found = context
        .entries(&content_type.uid)?
        .find_one(document_id, &read)
        .await?;
    Ok(envelope(
        found.map_or(Value::Null, Value::Object),
        json!({}),
    ))
}

async fn create(
    request: HttpRequest,
    context: web::Data<AppContext>,
    principal: Principal,
    name: web::Path<String>,
    body: Result<web::Json<Value>, actix_web::Error>,
) -> ApiResult<HttpResponse> {
    let content_type = collection(&context, &name)?;
    let access = authorize(&context, &principal, &content_type, Action::Create)?;
    let query = parse_query(&context, &request)?;
    let entry = context
        .entries(&content_type.uid)?
        .create(&data(body)?, &write_options(&query, &principal))
        .await?;
    let body = written(&context, &content_type, &entry, &query, &access).await?;
    Ok(HttpResponse::Created().json(body))
}

async fn update(
    request: HttpRequest,
    context: web::Data<AppContext>,
    principal: Principal,
    path: web::Path<(String, String)>,
    body: Result<web::Json<Value>, actix_web::Error>,
) -> ApiResult<HttpResponse> {
    let (name, document_id) = path.into_inner();
    let content_type = collection(&context, &name)?;
    let access = authorize(&context, &principal, &content_type, Action::Update)?;
    let query = parse_query(&context, &request)?;
    let entry = context
        .entries(&content_type.uid)?
        .update(
            &document_id,
            &data(body)?,
            &write_options(&query, &principal),
        )
        .await
        .map_err(not_found_as_404)?;
    let body = written(&context, &content_type, &entry, &query, &access).await?;
    Ok(HttpResponse::Ok().json(body))
}

async fn upsert_single(
    request: HttpRequest,
    context: web::Data<AppContext>,
    principal: Principal,
    name: web::Path<String>,
    body: Result<web::Json<Value>, actix_web::Error>,
) -> ApiResult<HttpResponse> {
    let content_type = content_type(&context, &name)?;
    if content_type.kind != TypeKind::Single {
        return Err(ApiError::new(
            Code::MethodNotAllowed,
            "update a document at /api/{pluralName}/{documentId}",
        ));
    }
    let access = authorize(&context, &principal, &content_type, Action::Update)?;
    let query = parse_query(&context, &request)?;
    let entry = context
        .entries(&content_type.uid)?
        .upsert_single(&data(body)?, &write_options(&query, &principal))
        .await?;
    let body = written(&context, &content_type, &entry, &query, &access).await?;
    Ok(HttpResponse::Ok().json(body))
}

fn locale_scope(query: &Query) -> LocaleScope {
    match query.locale.as_deref() {
        None | Some("") => LocaleScope::Default,
        Some("*") => LocaleScope::All,
        Some(code) => LocaleScope::One(code.to_owned()),
    }
}

async fn delete(
    request: HttpRequest,
    context: web::Data<AppContext>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (name, document_id) = path.into_inner();
    let content_type = collection(&context, &name)?;
    authorize(&context, &principal, &content_type, Action::Delete)?;
    let query = delete_query(&context, &request)?;
    context
        .entries(&content_type.uid)?
        .delete(&document_id, locale_scope(&query))
        .await
        .map_err(not_found_as_404)?;
    Ok(HttpResponse::NoContent().finish())
}

async fn delete_single(
    request: HttpRequest,
    context: web::Data<AppContext>,
    principal: Principal,
    name: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let content_type = content_type(&context, &name)?;
    if content_type.kind != TypeKind::Single {
        return Err(ApiError::new(
            Code::MethodNotAllowed,
            "delete a document at /api/{pluralName}/{documentId}",
        ));
    }
    authorize(&context, &principal, &content_type, Action::Delete)?;
    let query = delete_query(&context, &request)?;
    let entries = context.entries(&content_type.uid)?;
    let document_id = entries
        .single_document_id()
        .await?
        .ok_or_else(|| ApiError::not_found("Not Found"))?;
    entries
        .delete(&document_id, locale_scope(&query))
        .await
        .map_err(not_found_as_404)?;
    Ok(HttpResponse::NoContent().finish())
}

/// A delete takes `locale` only (`*` for every locale).
fn delete_query(context: &AppContext, request: &HttpRequest) -> ApiResult<Arc<Query>> {
    let query = parse_query(context, request)?;
    if query.filters.is_some() || !query.populate.is_empty() || query.fields.is_some() {
        return Err(ApiError::bad_request("a delete takes only `locale`"));
    }
    Ok(query)
}

/// A missing document is the client's 404, with Strapi's message.
fn not_found_as_404(error: Error) -> ApiError {
    match error {
        Error::EntryNotFound { .. } => ApiError::not_found("Not Found"),
        other => other.into(),
    }
}

/// Content routes match any name under `/api`, so they go last.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/{name}")
            .route(web::get().to(find))
            .route(web::post().to(create))
            .route(web::put().to(upsert_single))
            .route(web::delete().to(delete_single)),
    )
    .service(
        web::resource("/api/{name}/{document_id}")
            .route(web::get().to(find_one))
            .route(web::put().to(update))
            .route(web::delete().to(delete)),
    );
}
