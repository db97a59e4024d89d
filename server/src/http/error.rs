//! The one mapping from engine errors to HTTP: status, Strapi error name and
//! the `{ data: null, error: { status, name, message, details } }` envelope.
//!
//! The match is exhaustive on purpose: a new engine error cannot reach a
//! client before someone decides what it means there. Internal causes go to
//! the log with the request id, never into the response.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use cairn_core::Error;
use serde_json::{Value, json};

/// An error on its way to the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub name: &'static str,
    pub message: String,
    pub details: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, name: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            name,
            message: message.into(),
            details: json!({}),
        }
    }

    /// A 400 for malformed input that names what was wrong.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "ValidationError", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "UnauthorizedError", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "ForbiddenError", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "NotFoundError", message)
    }

    fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "Internal Server Error",
        )
    }

    fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.name,
            self.message
        )
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        match error {
            Error::Validation(errors) | Error::InvalidSchema(errors) => {
                ApiError::bad_request(message).with_details(json!({ "errors": errors.errors }))
            }
            Error::DestructivePlan { steps } => {
                ApiError::bad_request(message).with_details(json!({ "destructive": steps }))
            }
            Error::ContentTypeNotFound { .. }
            | Error::EntryNotFound { .. }
            | Error::LocaleNotFound { .. }
            | Error::VersionNotFound { .. }
            | Error::RecordNotFound { .. } => ApiError::not_found(message),
            Error::InvalidState(_) => {
                ApiError::new(StatusCode::BAD_REQUEST, "ApplicationError", message)
            }
            Error::InvalidCredentials => ApiError::bad_request(message),
            Error::TooManyAttempts { .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "RateLimitError", message)
            }
            Error::Unauthorized(_) => ApiError::unauthorized(message),
            Error::Forbidden(_) => ApiError::new(StatusCode::FORBIDDEN, "ForbiddenError", message),
            Error::FileTooLarge { .. } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PayloadTooLargeError",
                message,
            ),
            Error::UnsupportedFileType { .. } => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaTypeError",
                message,
            ),
            Error::InvalidFile { .. } | Error::ImageTooLarge { .. } | Error::InvalidVariant(_) => {
                ApiError::bad_request(message)
            }
            Error::VariantNotAllowed(_) => ApiError::forbidden(message),
            Error::RangeNotSatisfiable { size } => ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "RangeNotSatisfiableError",
                message,
            )
            .with_details(json!({ "size": size })),
            Error::Storage(_)
            | Error::Config(_)
            | Error::Io { .. }
            | Error::Database(_)
            | Error::Internal(_) => {
                tracing::error!(code = error.code(), error = %message, "request failed");
                ApiError::internal()
            }
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        // A 416 says how large the file is, so that the client can ask again.
        if self.status == StatusCode::RANGE_NOT_SATISFIABLE
            && let Some(size) = self.details["size"].as_u64()
        {
            response.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
        }
        response.json(json!({
            "data": null,
            "error": {
                "status": self.status.as_u16(),
                "name": self.name,
                "message": self.message,
                "details": self.details,
            }
        }))
    }
}

/// Handler results.
pub type ApiResult<T> = Result<T, ApiError>;
