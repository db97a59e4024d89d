//! Extractors and the error handlers that give extractor failures the same
//! envelope as every other error.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use cairn_core::AppContext;
use cairn_core::auth::admin_users::{self, AdminUser};
use cairn_core::auth::jwt;
use cairn_core::error::Code;

use super::error::ApiError;

/// JSON bodies: size limit from the configuration, failures as 400s naming the problem.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|error, _request| {
            let (code, message) = match &error {
                JsonPayloadError::Overflow { limit }
                | JsonPayloadError::OverflowKnownLength { limit, .. } => (
                    Code::PayloadTooLarge,
                    format!("the request body is larger than {limit} bytes"),
                ),
                JsonPayloadError::ContentType => (
                    Code::BadRequest,
                    "the request body must be JSON (Content-Type: application/json)".to_owned(),
                ),
                JsonPayloadError::Deserialize(e) => {
                    (Code::BadRequest, format!("invalid JSON body: {e}"))
                }
                other => (Code::BadRequest, format!("invalid request body: {other}")),
            };
            ApiError::new(code, message).into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _request| {
        ApiError::bad_request(format!("invalid query string: {error}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error: PathError, _request| {
        ApiError::bad_request(format!("invalid path: {error}")).into()
    })
}

/// The signed-in administrator, from `Authorization: Bearer <admin token>`.
pub struct AdminSession(pub AdminUser);

impl FromRequest for AdminSession {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let context = request.app_data::<web::Data<AppContext>>().cloned();
        let token = bearer(request);
        Box::pin(async move {
            let context =
                context.ok_or_else(|| ApiError::unauthorized("no application context"))?;
            let token = token
                .ok_or_else(|| ApiError::unauthorized("missing Authorization: Bearer token"))?;
            let claims = jwt::verify(context.jwt_secret(), &token)?;
            let user = admin_users::find(context.db().conn(), claims.sub)
                .await?
                .ok_or_else(|| ApiError::unauthorized("the administrator no longer exists"))?;
            Ok(AdminSession(user))
        })
    }
}

/// The bearer token of a request, if it has one.
pub fn bearer(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned())
        .filter(|token| !token.is_empty())
}
