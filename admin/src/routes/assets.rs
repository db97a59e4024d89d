//! The stylesheet and the script, cached for a year under hashed names.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use crate::assets::ALL;
use crate::error::{AdminError, AdminResult};

#[get("/assets/{name}")]
async fn get_asset(name: web::Path<String>) -> AdminResult<HttpResponse> {
    let asset = ALL
        .iter()
        .find(|asset| asset.name == name.as_str())
        .ok_or_else(|| AdminError::NotFound(format!("no asset `{name}`")))?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(asset.body))
}

pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(get_asset);
}
