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
    code: String,
    name: String,
    #[serde(default)]
    is_default: bool,
}

/// The configured locales, the default first.
#[utoipa::path(get, path = "/management/locales", tag = "management", responses((status = 200, description = "`{ data: [{ code, name, isDefault }] }`")), security(("bearer" = [])))]
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
    responses((status = 201, description = "The new locale"), (status = 400, description = "An invalid or taken code")),
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

#[put("/locales/{code}/default")]
async fn set_default_locale(
    context: web::Data<AppContext>,
    _session: AdminSession,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let locale = context.set_default_locale(&code).await?;

    Ok(HttpResponse::Ok().json(json!({ "data": locale })))
}

#[delete("/locales/{code}")]
async fn delete_locale(
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
