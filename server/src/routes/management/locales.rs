//! Locales: list, add, make default, remove.

use actix_web::{HttpResponse, delete, get, post, put, web};
use cairn_core::{AppContext, locales};
use serde::Deserialize;
use serde_json::json;

use crate::http::error::ApiResult;
use crate::http::extract::AdminSession;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateLocaleRequest {
    /// A BCP 47 tag such as en, fr-CA or zh-Hans (`locales::check_code`).
    #[schema(pattern = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length = 35)]
    code: String,
    #[schema(pattern = "\\S")]
    name: String,
    #[serde(default)]
    is_default: bool,
}

/// The configured locales, the default first.
#[utoipa::path(
    get,
    path = "/management/locales",
    tag = "management",
    responses(
        (status = 200, description = "The locales", body = ref("#/components/schemas/LocaleListResponse")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/locales")]
pub async fn list_locales(
    context: web::Data<AppContext>,
    _session: AdminSession,
) -> ApiResult<HttpResponse> {
    let locales = locales::list(context.db().conn()).await?;
    Ok(HttpResponse::Ok().json(json!({ "data": locales })))
}

/// Adds a locale.
#[utoipa::path(
    post,
    path = "/management/locales",
    tag = "management",
    request_body = CreateLocaleRequest,
    responses(
        (status = 201, description = "The new locale", body = ref("#/components/schemas/LocaleResponse")),
        (status = 400, description = "An invalid or taken code, or an empty name", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/locales")]
pub async fn create_locale(
    context: web::Data<AppContext>,
    _session: AdminSession,
    body: web::Json<CreateLocaleRequest>,
) -> ApiResult<HttpResponse> {
    let locale = context
        .create_locale(&body.code, &body.name, body.is_default)
        .await?;
    Ok(HttpResponse::Created().json(json!({ "data": locale })))
}

/// Makes a locale the default: reads without a locale return it.
#[utoipa::path(
    put,
    path = "/management/locales/{code}/default",
    tag = "management",
    params(("code" = String, Path, description = "A locale code")),
    responses(
        (status = 200, description = "The locale, now the default", body = ref("#/components/schemas/LocaleResponse")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such locale", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[put("/locales/{code}/default")]
pub async fn set_default_locale(
    context: web::Data<AppContext>,
    _session: AdminSession,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let locale = context.set_default_locale(&code).await?;

    Ok(HttpResponse::Ok().json(json!({ "data": locale })))
}

/// Removes a locale: not the default, and not while entries are written in it.
#[utoipa::path(
    delete,
    path = "/management/locales/{code}",
    tag = "management",
    params(("code" = String, Path, description = "A locale code")),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "The default locale, or one entries are written in", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 404, description = "No such locale", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[delete("/locales/{code}")]
pub async fn delete_locale(
    context: web::Data<AppContext>,
    _session: AdminSession,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    context.delete_locale(&code).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_locales)
        .service(create_locale)
        .service(set_default_locale)
        .service(delete_locale);
}
