//! What a content request asks beyond its route: its query string as
//! options, a write's `data`, a delete's locales.

use std::sync::Arc;

use actix_web::{HttpRequest, web};
use cairn_core::entries::LocaleScope;
use cairn_core::query::Query;
use cairn_core::{AppContext, Error};
use serde_json::{Map, Value};

use super::error::{ApiError, ApiResult};

/// The query a request's query string asks for (remembered per string).
pub fn query(context: &AppContext, request: &HttpRequest) -> ApiResult<Arc<Query>> {
    Ok(context.parse_query(request.query_string())?)
}

/// The query of a request about one document's state (a delete, a
/// publish): `locale` only (`*` for every locale, where that means
/// something), and `status` where it does.
pub fn locale_query(context: &AppContext, request: &HttpRequest) -> ApiResult<Arc<Query>> {
    let query = query(context, request)?;
    if query.filters.is_some() || !query.populate.is_empty() || query.fields.is_some() {
        return Err(ApiError::bad_request("this request takes only `locale`"));
    }
    Ok(query)
}

/// The locales a delete removes.
pub fn locale_scope(query: &Query) -> LocaleScope {
    match query.locale.as_deref() {
        None | Some("") => LocaleScope::Default,
        Some("*") => LocaleScope::All,
        Some(code) => LocaleScope::One(code.to_owned()),
    }
}

/// The `data` object of a write body. The body is read after the route's
/// type is known, so a write to an unknown type is a 404 whatever it sends.
pub fn data(body: Result<web::Json<Value>, actix_web::Error>) -> ApiResult<Map<String, Value>> {
    let body = body.map_err(|error| match error.as_error::<ApiError>() {
        Some(api_error) => api_error.clone(),
        None => ApiError::bad_request(error.to_string()),
    })?;
    match body.get("data") {
        Some(Value::Object(data)) => Ok(data.clone()),
        Some(_) => Err(ApiError::bad_request("\"data\" must be an object")),
        None => Err(ApiError::bad_request(
            "Missing \"data\" payload in the request body",
        )),
    }
}

/// A missing document is the client's 404, with Strapi's message.
pub fn document_not_found(error: Error) -> ApiError {
    match error {
        Error::EntryNotFound { .. } => ApiError::not_found("Not Found"),
        other => other.into(),
    }
}
