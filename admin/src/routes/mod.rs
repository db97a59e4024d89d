//! The admin UI's routes, one module per area, each with its own `configure`.

pub mod assets;
pub mod auth;
pub mod builder;
pub mod content;
pub mod entry;
pub mod history;
pub mod media;
pub mod settings;
pub mod setup;
pub mod shell;

use actix_web::cookie::Cookie;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, Responder};

/// A page with its status, and cookies to set: forms shown again with their
/// errors answer 400, refused sign-ins 401 or 429.
pub fn respond(
    request: &HttpRequest,
    page: impl Responder,
    status: StatusCode,
    cookies: impl IntoIterator<Item = Cookie<'static>>,
) -> HttpResponse {
    let mut response = page
        .customize()
        .with_status(status)
        .respond_to(request)
        .map_into_boxed_body();
    for cookie in cookies {
        if let Ok(value) = cookie.encoded().to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The POST-redirect-GET answer to a form that worked.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
