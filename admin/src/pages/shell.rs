//! The dashboard and the content manager's overview.

use askama::Template;
use askama_web::WebTemplate;

use super::{Shell, TypeRow};

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub shell: Shell,
    pub types: Vec<TypeRow>,
    pub components: usize,
    pub locales: usize,
}

/// Content types and how many entries each holds.
#[derive(Template, WebTemplate)]
#[template(path = "content.html")]
pub struct ContentPage {
    pub shell: Shell,
    pub types: Vec<(TypeRow, u64)>,
}
