//! The admin UI's one error type and the page each error becomes.
//!
//! Engine errors take their status from the engine's table of codes, as the
//! API's do; the page's heading follows from the status. Internal causes go
//! to the log, never to the page.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use cairn_core::Error;
use cairn_core::error::Code;

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
    /// Something that was there and is not any more (an entry deleted
    /// since its link was made), with the page to go back to.
    Gone {
        message: String,
        back: String,
    },
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
            AdminError::BadRequest(message)
            | AdminError::NotFound(message)
            | AdminError::Gone { message, .. } => f.write_str(message),
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
            AdminError::NotFound(_) | AdminError::Gone { .. } => {
                (StatusCode::NOT_FOUND, "Not found", message)
            }
            AdminError::Engine(error) => {
                let code = error.code();
                if code.is_internal() {
                    return internal(code, &message);
                }
                let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::BAD_REQUEST);
                (status, title(status), message)
            }
        }
    }
}

/// The heading of an error page, by its status.
fn title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => "Not signed in",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::PAYLOAD_TOO_LARGE => "File too large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported file",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        _ => "Not possible",
    }
}

fn internal(code: Code, message: &str) -> (StatusCode, &'static str, String) {
    tracing::error!(code = code.as_str(), error = %message, "admin request failed");
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
        let mut page = ErrorPage::new(status.as_u16(), title, message);
        if let AdminError::Gone { back, .. } = self {
            page.back = Some(back.clone());
        }
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
