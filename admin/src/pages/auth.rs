//! Pages shown without a session: first-run setup, sign-in, errors.

use askama::Template;
use askama_web::WebTemplate;

use crate::form::FieldErrors;

/// Creates the first administrator.
#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
pub struct SetupPage {
    pub csrf: String,
    pub email: String,
    pub firstname: String,
    pub lastname: String,
    pub errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub csrf: String,
    pub email: String,
    pub errors: FieldErrors,
    /// A note from the previous step, e.g. after signing out.
    pub notice: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: &'static str,
    pub message: String,
    /// A list to go back to, beside the dashboard.
    pub back: Option<String>,
}

impl ErrorPage {
    pub fn new(status: u16, title: &'static str, message: String) -> Self {
        ErrorPage {
            status,
            title,
            message,
            back: None,
        }
    }
}
