//! Errors on their way to the client: the status and Strapi error name come
//! from the engine's table of codes (`cairn_core::error::Code`), in the
//! envelope `{ data: null, error: { status, name, message, details } }`.
//!
//! Internal causes go to the log, never into the response.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use cairn_core::Error;
use cairn_core::error::Code;
use serde_json::{Value, json};

/// An error on its way to the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    pub details: Value,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            details: json!({}),
        }
    }

    /// A 400 for malformed input that names what was wrong.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(Code::BadRequest, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(Code::Unauthorized, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(Code::Forbidden, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(Code::NotFound, message)
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.code.status(),
            self.code.name(),
            self.message
        )
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let code = error.code();
        if code.is_internal() {
            tracing::error!(code = code.as_str(), %error, "request failed");
            return ApiError::new(code, "Internal Server Error");
        }
        ApiError {
            code,
            message: error.to_string(),
            details: error.details(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status());
        // A 416 says how large the file is, so that the client can ask again.
        if self.code == Code::RangeNotSatisfiable
            && let Some(size) = self.details["size"].as_u64()
        {
            response.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
        }
        response.json(json!({
            "data": null,
            "error": {
                "status": self.code.status(),
                "name": self.code.name(),
                "message": self.message,
                "details": self.details,
            }
        }))
    }
}

/// Handler results.
pub type ApiResult<T> = Result<T, ApiError>;
