//! Strong ETags and `304 Not Modified`, correct under compression.
//!
//! Handlers tag the uncompressed body. A representation compressed on the way
//! out is a different representation, so [`EncodedEtags`] (wrapped outside the
//! compression middleware) appends the encoding to the tag (`"…-br"`), and
//! strips it again from `If-None-Match` on the way in so that handlers compare
//! against their own tags.

use std::future::{Ready, ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

/// A strong ETag of a body.
pub fn etag(body: &[u8]) -> String {
    format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(body))
}

/// Whether the request's `If-None-Match` names `tag` (or `*`).
fn not_modified(request: &HttpRequest, tag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == tag || candidate == "*")
}

/// A JSON response with its ETag and Cache-Control, or a 304 when the client
/// already has it.
pub fn json(
    request: &HttpRequest,
    body: web::Bytes,
    tag: &str,
    cache_control: &str,
) -> HttpResponse {
    if not_modified(request, tag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, tag))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .finish();
    }
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .body(body)
}

const ENCODINGS: [&str; 3] = ["br", "gzip", "zstd"];

/// Middleware that keeps ETags distinct per content encoding.
pub struct EncodedEtags;

impl<S, B> Transform<S, ServiceRequest> for EncodedEtags
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = EncodedEtagsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(EncodedEtagsService {
            service: Rc::new(service),
        }))
    }
}

pub struct EncodedEtagsService<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for EncodedEtagsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, mut request: ServiceRequest) -> Self::Future {
        // The encoding of the copy the client holds, taken off its tags.
        let mut held_encoding = None;
        if let Some(value) = request
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
        {
            let stripped: Vec<String> = value
                .split(',')
                .map(|tag| {
                    let tag = tag.trim();
                    for encoding in ENCODINGS {
                        let suffix = format!("-{encoding}\"");
                        if let Some(base) = tag.strip_suffix(&suffix) {
                            held_encoding = Some(encoding);
                            return format!("{base}\"");
                        }
                    }
                    tag.to_owned()
                })
                .collect();
            if let Ok(value) = HeaderValue::from_str(&stripped.join(", ")) {
                request.headers_mut().insert(header::IF_NONE_MATCH, value);
            }
        }
        let service = self.service.clone();
        Box::pin(async move {
            let mut response = service.call(request).await?;
            let encoding = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .filter(|e| *e != "identity")
                .map(str::to_owned)
                .or_else(|| {
                    (response.status() == StatusCode::NOT_MODIFIED)
                        .then(|| held_encoding.map(str::to_owned))
                        .flatten()
                });
            let tag = response
                .headers()
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok());
            if let (Some(encoding), Some(base)) = (encoding, tag.and_then(|t| t.strip_suffix('"')))
                && let Ok(value) = HeaderValue::from_str(&format!("{base}-{encoding}\""))
            {
                response.headers_mut().insert(header::ETAG, value);
            }
            Ok(response.map_into_left_body())
        })
    }
}
