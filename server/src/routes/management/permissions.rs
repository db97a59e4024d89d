//! The public role: which content types and actions need no credentials.

use actix_web::{HttpResponse, get, put, web};
use cairn_core::AppContext;
use cairn_core::auth::permissions::PublicPermissions;
use serde_json::json;

use crate::http::error::ApiResult;
use crate::http::extract::AdminSession;

/// The public role's grants, by content type uid.
#[utoipa::path(
    get,
    path = "/management/permissions/public",
    tag = "management",
    responses(
        (status = 200, description = "The grants in force", body = ref("#/components/schemas/PublicPermissionsResponse")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/permissions/public")]
pub async fn get_public_permissions(
    context: web::Data<AppContext>,
    _session: AdminSession,
) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "data": *context.public_permissions() }))
}

/// Replaces the public role's grants; actions are find, findOne, create,
/// update and delete.
#[utoipa::path(
    put,
    path = "/management/permissions/public",
    tag = "management",
    request_body = ref("#/components/schemas/PublicPermissions"),
    responses(
        (status = 200, description = "The grants in force", body = ref("#/components/schemas/PublicPermissionsResponse")),
        (status = 400, description = "An unknown content type or action", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[put("/permissions/public")]
pub async fn set_public_permissions(
    context: web::Data<AppContext>,
    _session: AdminSession,
    body: web::Json<PublicPermissions>,
) -> ApiResult<HttpResponse> {
    context.set_public_permissions(body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(json!({ "data": *context.public_permissions() })))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_public_permissions)
        .service(set_public_permissions);
}
