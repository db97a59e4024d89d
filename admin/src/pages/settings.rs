//! Settings: your account, API tokens, administrators, locales and what the
//! public role may read and write.

use askama::Template;
use askama_web::WebTemplate;
use cairn_core::auth::admin_users::AdminUser;
use cairn_core::auth::api_tokens::ApiToken;
use cairn_core::locales::Locale;

use super::Shell;
use crate::form::{FieldErrors, FormData};

/// The settings pages, as tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsTab {
    Account,
    Tokens,
    Administrators,
    Locales,
    Public,
}

impl SettingsTab {
    pub const ALL: [SettingsTab; 5] = [
        SettingsTab::Account,
        SettingsTab::Tokens,
        SettingsTab::Administrators,
        SettingsTab::Locales,
        SettingsTab::Public,
    ];

    pub fn href(self) -> &'static str {
        match self {
            SettingsTab::Account => "/admin/settings",
            SettingsTab::Tokens => "/admin/settings/tokens",
            SettingsTab::Administrators => "/admin/settings/administrators",
            SettingsTab::Locales => "/admin/settings/locales",
            SettingsTab::Public => "/admin/settings/public",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SettingsTab::Account => "Your account",
            SettingsTab::Tokens => "API tokens",
            SettingsTab::Administrators => "Administrators",
            SettingsTab::Locales => "Locales",
            SettingsTab::Public => "Public access",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            SettingsTab::Account => "settings-account",
            SettingsTab::Tokens => "settings-tokens",
            SettingsTab::Administrators => "settings-administrators",
            SettingsTab::Locales => "settings-locales",
            SettingsTab::Public => "settings-public",
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "settings/account.html")]
pub struct SettingsPage {
    pub shell: Shell,
    pub tab: SettingsTab,
    pub session_expires: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "settings/tokens.html")]
pub struct TokensPage {
    pub shell: Shell,
    pub tab: SettingsTab,
    pub tokens: Vec<ApiToken>,
    /// A token just made: its name and its secret, shown this once.
    pub created: Option<(String, String)>,
    pub form: FormData,
    pub errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "settings/administrators.html")]
pub struct AdministratorsPage {
    pub shell: Shell,
    pub tab: SettingsTab,
    pub administrators: Vec<AdminUser>,
    /// The signed-in administrator, who cannot deactivate themselves.
    pub me: i64,
    pub form: FormData,
    pub errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "settings/locales.html")]
pub struct LocalesPage {
    pub shell: Shell,
    pub tab: SettingsTab,
    pub locales: Vec<Locale>,
    pub form: FormData,
    pub errors: FieldErrors,
}

/// One content type's grants to the public role.
pub struct Grants {
    pub uid: String,
    pub name: String,
    /// Each action's name and whether it is granted.
    pub actions: Vec<(&'static str, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "settings/public.html")]
pub struct PublicPage {
    pub shell: Shell,
    pub tab: SettingsTab,
    pub types: Vec<Grants>,
}
