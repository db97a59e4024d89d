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

use actix_web::{HttpRequest, HttpResponse, web};
use cairn_core::AppContext;
use cairn_core::entries::ListOptions;
use cairn_core::schema::TypeKind;
use serde::Deserialize;
use serde_json::Value;

use crate::http::content_request::{data, document_not_found, locale_query, locale_scope, query};
use crate::http::envelope::{entry_body, page_body};
use crate::http::error::{ApiError, ApiResult};
use crate::http::guard::{
    Create, Delete, DeleteSingle, Find, FindOne, Guarded, Update, UpsertSingle,
};
use crate::http::response_cache::{self, ResponseCache};

/// `/api/{name}/{documentId}`: the document a route names (the type is the guard's).
#[derive(Deserialize)]
struct DocumentPath {
    document_id: String,
}

async fn find(
    request: HttpRequest,
    context: web::Data<AppContext>,
    cache: web::Data<ResponseCache>,
    guarded: Guarded<Find>,
) -> ApiResult<HttpResponse> {
    let content_type = &guarded.content_type;
    response_cache::serve(
        &request,
        &context,
        &cache,
        &guarded.principal,
        content_type,
        async {
            let entries = guarded.entries(&context)?;
            let query = query(&context, &request)?;
            let read = guarded.read_options(&query)?;
            let status = read.status;
            if content_type.kind == TypeKind::Single {
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
            Ok((page_body(&query.pagination, &page)?, status))
        },
    )
    .await
}

async fn find_one(
    request: HttpRequest,
    context: web::Data<AppContext>,
    cache: web::Data<ResponseCache>,
    guarded: Guarded<FindOne>,
    path: web::Path<DocumentPath>,
) -> ApiResult<HttpResponse> {
    response_cache::serve(
        &request,
        &context,
        &cache,
        &guarded.principal,
        &guarded.content_type,
        async {
            let query = query(&context, &request)?;
            let read = guarded.read_options(&query)?;
            let entry = guarded
                .entries(&context)?
                .find_one(&path.document_id, &read)
                .await?
                .ok_or_else(|| ApiError::not_found("Not Found"))?;
            Ok((entry_body(&entry)?, read.status))
        },
    )
    .await
}

async fn create(
    request: HttpRequest,
    context: web::Data<AppContext>,
    guarded: Guarded<Create>,
    body: Result<web::Json<Value>, actix_web::Error>,
) -> ApiResult<HttpResponse> {
    let query = query(&context, &request)?;
    let entry = guarded
        .entries(&context)?
        .create(&data(body)?, &guarded.write_options(&query))
        .await?;
    let body = guarded.written(&context, &entry, &query).await?;
    Ok(HttpResponse::Created().json(body))
}

async fn update(
    request: HttpRequest,
    context: web::Data<AppContext>,
    guarded: Guarded<Update>,
    path: web::Path<DocumentPath>,
    body: Result<web::Json<Value>, actix_web::Error>,
) -> ApiResult<HttpResponse> {
    let query = query(&context, &request)?;
    let entry = guarded
        .entries(&context)?
        .update(
            &path.document_id,
            &data(body)?,
            &guarded.write_options(&query),
        )
        .await
        .map_err(document_not_found)?;
    let body = guarded.written(&context, &entry, &query).await?;
    Ok(HttpResponse::Ok().json(body))
}

async fn upsert_single(
    request: HttpRequest,
    context: web::Data<AppContext>,
    guarded: Guarded<UpsertSingle>,
    body: Result<web::Json<Value>, actix_web::Error>,
) -> ApiResult<HttpResponse> {
    let query = query(&context, &request)?;
    let entry = guarded
        .entries(&context)?
        .upsert_single(&data(body)?, &guarded.write_options(&query))
        .await?;
    let body = guarded.written(&context, &entry, &query).await?;
    Ok(HttpResponse::Ok().json(body))
}

async fn delete(
    request: HttpRequest,
    context: web::Data<AppContext>,
    guarded: Guarded<Delete>,
    path: web::Path<DocumentPath>,
) -> ApiResult<HttpResponse> {
    let query = locale_query(&context, &request)?;
    guarded
        .entries(&context)?
        .delete(&path.document_id, locale_scope(&query))
        .await
        .map_err(document_not_found)?;
    Ok(HttpResponse::NoContent().finish())
}

async fn delete_single(
    request: HttpRequest,
    context: web::Data<AppContext>,
    guarded: Guarded<DeleteSingle>,
) -> ApiResult<HttpResponse> {
    let query = locale_query(&context, &request)?;
    let entries = guarded.entries(&context)?;
    let document_id = entries
        .single_document_id()
        .await?
        .ok_or_else(|| ApiError::not_found("Not Found"))?;
    entries
        .delete(&document_id, locale_scope(&query))
        .await
        .map_err(document_not_found)?;
    Ok(HttpResponse::NoContent().finish())
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
