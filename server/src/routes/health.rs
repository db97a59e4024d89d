//! `GET /_health`: 200 when the server can reach its database.

use actix_web::{HttpResponse, get, web};
use cairn_core::AppContext;
use serde_json::json;

use crate::http::error::ApiResult;

/// 200 when the server can reach its database.
#[utoipa::path(
    get,
    path = "/_health",
    tag = "health",
    responses(
        (status = 200, description = "The database answers", body = ref("#/components/schemas/Health")),
        (status = 500, description = "The database does not answer", body = ref("#/components/schemas/Error")),
    )
)]
#[get("/_health")]
pub async fn health(context: web::Data<AppContext>) -> ApiResult<HttpResponse> {
    context.db().ping().await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ok" })))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health);
}
