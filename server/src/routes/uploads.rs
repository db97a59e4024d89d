//! `GET /uploads/{file}`: originals and variants, public as in Strapi.
//!
//! Every response is immutable (an original never changes under its name,
//! a variant never changes under its parameters), so it is cached for a
//! year with a strong ETag; originals answer range requests (video, audio).

use actix_web::body::SizedStream;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use cairn_core::AppContext;
use cairn_core::files::{CacheStatus, DeliveryRequest};
use cairn_core::media::storage::ByteRange;

use crate::http::error::ApiResult;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The one range of a `Range: bytes=…` header. Anything else (several
/// ranges, other units, bad syntax) is ignored and the whole file is sent,
/// as HTTP allows.
fn byte_range(request: &HttpRequest) -> Option<ByteRange> {
    let value = request.headers().get(header::RANGE)?.to_str().ok()?;
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    match (start.trim(), end.trim()) {
        ("", last) => last.parse().ok().map(ByteRange::Last),
        (start, "") => start.parse().ok().map(ByteRange::From),
        (start, end) => Some(ByteRange::Between(start.parse().ok()?, end.parse().ok()?)),
    }
}

/// Whether `If-None-Match` lists `etag` (or is `*`).
fn not_modified(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

async fn serve_file(
    request: HttpRequest,
    context: web::Data<AppContext>,
    name: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> ApiResult<HttpResponse> {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok());
    let delivery = context
        .files()
        .deliver(DeliveryRequest {
            name: &name,
            query: &query,
            accept,
            range: byte_range(&request),
        })
        .await?;
    let status = if not_modified(&request, &delivery.etag) {
        StatusCode::NOT_MODIFIED
    } else if delivery.object.range.is_some() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::ETAG, delivery.etag.as_str()))
        .insert_header((header::CACHE_CONTROL, IMMUTABLE))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if delivery.vary_accept {
        response.insert_header((header::VARY, "Accept"));
    }
    if let Some(cache) = delivery.cache {
        let value = match cache {
            CacheStatus::Hit => "HIT",
            CacheStatus::Miss => "MISS",
        };
        response.insert_header(("X-Cache", value));
    }
    if status == StatusCode::NOT_MODIFIED {
        return Ok(response.finish());
    }
    if let Some((start, end)) = delivery.object.range {
        let size = delivery.object.size;
        response.insert_header((header::CONTENT_RANGE, format!("bytes {start}-{end}/{size}")));
    }
    if let Ok(content_type) = HeaderValue::from_str(&delivery.content_type) {
        response.insert_header((header::CONTENT_TYPE, content_type));
    }
    let length = delivery.object.content_length();
    Ok(response.body(SizedStream::new(length, delivery.object.body)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // In a scope, so content reads never try this pattern.
    cfg.service(
        web::scope("/uploads").service(
            web::resource("/{name}")
                .route(web::get().to(serve_file))
                .route(web::head().to(serve_file)),
        ),
    );
}
