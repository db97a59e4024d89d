//! The admin UI's one error type and the page each error becomes.
//!
//! Engine errors are mapped here once, exhaustively, like the API's mapping
//! in the server: a new engine error cannot reach a page before someone
//! decides what it means there. Internal causes go to the log, never to the
//! page.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use cairn_core::Error;

use crate::pages::ErrorPage;

#[derive(Debug)]
pub enum AdminError {
    /// Somewhere else to be: sign-in, first-run setup, or a page after a POST.
    Redirect(String),
    /// A missing, stale or forged CSRF token: nothing was changed.
    Csrf,
    /// A request the UI never sends (a malformed form or path).
    BadRequest(String),
    NotFound(String),
    Engine(Error),
}

pub type AdminResult<T> = Result<T, AdminError>;

impl From<Error> for AdminError {
    fn from(error: Error) -> Self {
        AdminError::Engine(error)
    }
}

impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdminError::Redirect(to) => write!(f, "see {to}"),
            AdminError::Csrf => f.write_str(
                "This form has expired or did not come from Cairn, so nothing was changed. Go back, reload the page and try again.",
            ),
            AdminError::BadRequest(message) | AdminError::NotFound(message) => {
                f.write_str(message)
            }
            AdminError::Engine(error) => write!(f, "{error}"),
        }
    }
}

impl AdminError {
    /// Status, title and the message a person may see.
    fn describe(&self) -> (StatusCode, &'static str, String) {
        let message = self.to_string();
        match self {
            AdminError::Redirect(_) => (StatusCode::SEE_OTHER, "Redirect", message),
            AdminError::Csrf => (StatusCode::FORBIDDEN, "Form expired", message),
            AdminError::BadRequest(_) => (StatusCode::BAD_REQUEST, "Bad request", message),
            AdminError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found", message),
            AdminError::Engine(error) => match error {
                Error::Validation(_)
                | Error::InvalidSchema(_)
                | Error::DestructivePlan { .. }
                | Error::InvalidState(_)
                | Error::InvalidCredentials
                | Error::InvalidFile { .. }
                | Error::ImageTooLarge { .. }
                | Error::InvalidVariant(_) => (StatusCode::BAD_REQUEST, "Not possible", message),
                Error::FileTooLarge { .. } => {
                    (StatusCode::PAYLOAD_TOO_LARGE, "File too large", message)
                }
                Error::UnsupportedFileType { .. } => (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported file",
                    message,
                ),
                Error::VariantNotAllowed(_) => (StatusCode::FORBIDDEN, "Not allowed", message),
                Error::RangeNotSatisfiable { .. } => {
                    (StatusCode::RANGE_NOT_SATISFIABLE, "Not possible", message)
                }
                Error::ContentTypeNotFound { .. }
                | Error::EntryNotFound { .. }
                | Error::LocaleNotFound { .. }
                | Error::VersionNotFound { .. }
                | Error::RecordNotFound { .. } => (StatusCode::NOT_FOUND, "Not found", message),
                Error::TooManyAttempts { .. } => {
                    (StatusCode::TOO_MANY_REQUESTS, "Too many attempts", message)
                }
                Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "Not signed in", message),
                Error::Forbidden(_) => (StatusCode::FORBIDDEN, "Not allowed", message),
                Error::Storage(_)
                | Error::Config(_)
                | Error::Io { .. }
                | Error::Database(_)
                | Error::Internal(_) => internal(&message),
            },
        }
    }
}

fn internal(message: &str) -> (StatusCode, &'static str, String) {
    tracing::error!(error = %message, "admin request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Cairn could not complete this request; the details are in the server log.".to_owned(),
    )
}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        self.describe().0
    }

    fn error_response(&self) -> HttpResponse {
        if let AdminError::Redirect(to) = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, to.as_str()))
                .finish();
        }
        let (status, title, message) = self.describe();
        let page = ErrorPage::new(status.as_u16(), title, message);
        match page.render() {
            Ok(body) => HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(body),
            Err(error) => {
                tracing::error!(%error, "cannot render the error page");
                HttpResponse::build(status).body(title)
            }
        }
    }
}
