//! One askama struct per page. Pages inside the shell carry a [`Shell`]:
//! the signed-in user, the CSRF token for its forms, the flash message, the
//! current section and the breadcrumbs.

mod auth;
mod builder;
mod content;
mod media;
mod settings;
mod shell;

pub use auth::{ErrorPage, LoginPage, SetupPage};
pub use builder::{
    BuilderPage, ComponentRow, DraftPage, FieldPage, FieldRow, NewComponentPage, NewTypePage,
    PlanPage, StepView, TypeRow,
};
pub use content::{
    BulkItem, BulkPage, Chip, Choice, ColumnHead, CompareRow, Comparison, EditPage, FilterForm,
    HistoryPage, ListPage, ListRow, VersionRow,
};
pub use media::{FileCard, FilePage, MediaPage};
pub use settings::{
    AdministratorsPage, Grants, LocalesPage, PublicPage, SettingsPage, SettingsTab, TokensPage,
};
pub use shell::{ContentPage, DashboardPage};

use crate::session::SignedIn;

/// The areas of the left navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Content,
    Builder,
    Media,
    Settings,
}

pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

/// What every page inside the shell shows around its own content.
pub struct Shell {
    pub title: String,
    pub user_name: String,
    pub user_email: String,
    pub initials: String,
    pub csrf: String,
    pub flash: Option<String>,
    pub section: Section,
    pub crumbs: Vec<Crumb>,
}

impl Shell {
    pub fn new(signed_in: &SignedIn, section: Section, title: impl Into<String>) -> Self {
        let user = &signed_in.session.user;
        let full_name = format!("{} {}", user.firstname, user.lastname)
            .trim()
            .to_owned();
        let user_name = if full_name.is_empty() {
            user.email.clone()
        } else {
            full_name
        };
        let initials: String = user_name
            .split_whitespace()
            .filter_map(|word| word.chars().next())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect();
        Shell {
            title: title.into(),
            user_email: user.email.clone(),
            user_name,
            initials,
            csrf: signed_in.session.csrf_token.clone(),
            flash: signed_in.flash.clone(),
            section,
            crumbs: Vec::new(),
        }
    }

    /// Adds a breadcrumb; the last one is the current page and has no link.
    pub fn crumb(mut self, label: impl Into<String>, href: Option<String>) -> Self {
        self.crumbs.push(Crumb {
            label: label.into(),
            href,
        });
        self
    }

    pub fn is(&self, section: Section) -> bool {
        self.section == section
    }
}
