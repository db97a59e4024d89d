//! `GET /api/openapi.json` (built from the schema in force) and the
//! interactive documentation at `/api/docs`, whose assets the server serves
//! itself, so it works with no internet.

use std::sync::{Arc, LazyLock};

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use cairn_core::AppContext;
use utoipa_swagger_ui::{Config, serve};

use crate::http::error::{ApiError, ApiResult};
use crate::openapi;

static SWAGGER_CONFIG: LazyLock<Arc<Config<'static>>> =
    LazyLock::new(|| Arc::new(Config::from("/api/openapi.json")));

async fn openapi_json(context: web::Data<AppContext>) -> ApiResult<HttpResponse> {
    let document = openapi::document(&context.schema(), &context.config().api);
    let body = document
        .to_json()
        .map_err(|e| ApiError::from(cairn_core::Error::internal(e)))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body))
}

async fn docs(tail: web::Path<String>) -> ApiResult<HttpResponse> {
    match serve(&tail, SWAGGER_CONFIG.clone()) {
        Ok(Some(file)) => Ok(HttpResponse::Ok()
            .content_type(file.content_type)
            .body(file.bytes.into_owned())),
        Ok(None) => Err(ApiError::not_found("Not Found")),
        Err(error) => Err(cairn_core::Error::internal(error).into()),
    }
}

async fn docs_root() -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, "/api/docs/"))
        .finish()
}

/// The docs in a scope, so content reads never try their pattern.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/openapi.json", web::get().to(openapi_json))
        .service(
            web::scope("/api/docs")
                .route("", web::get().to(docs_root))
                .route("/{tail:.*}", web::get().to(docs)),
        );
}
