//! The content manager: a type's list of entries and the confirmation of a
//! bulk action.

use askama::Template;
use askama_web::WebTemplate;
use cairn_core::entries::Publication;

use super::Shell;
use crate::content::filters::{Control, TEXT_OPERATORS};

/// A link that may be the current choice (a locale, a page size).
pub struct Choice {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// A column's heading; sortable ones link to the list sorted by them.
pub struct ColumnHead {
    pub name: String,
    pub label: String,
    pub sort_href: Option<String>,
    /// `ascending` or `descending` when the list is sorted by this column.
    pub sorted: Option<&'static str>,
}

pub struct ListRow {
    pub document_id: String,
    pub title: String,
    pub href: String,
    pub cells: Vec<String>,
    pub publication: Option<Publication>,
    pub updated_at: String,
}

/// A filter in force, with the address of the list without it.
pub struct Chip {
    pub label: String,
    pub remove_href: String,
}

/// The form that adds a filter on one field.
pub struct FilterForm {
    pub field: String,
    pub control: Control,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "content/list.html")]
pub struct ListPage {
    pub shell: Shell,
    pub uid: String,
    pub type_name: String,
    pub draft_and_publish: bool,
    /// The locale listed, for localized types.
    pub locale: Option<String>,
    /// The list's own address, to come back to after an action.
    pub href: String,
    /// The main field searched, when the type has one.
    pub search_field: Option<String>,
    pub search: String,
    /// The list's state as hidden inputs of its forms, search and paging
    /// left out (a new search or filter starts from the first page).
    pub state_inputs: Vec<(String, String)>,
    pub locales: Vec<Choice>,
    pub chips: Vec<Chip>,
    /// Fields a filter can be added on, with the address that opens its form.
    pub filter_fields: Vec<(String, String)>,
    pub filter_form: Option<FilterForm>,
    pub columns: Vec<ColumnHead>,
    /// Every field that can be a column, and whether it is one.
    pub column_choices: Vec<(String, bool)>,
    pub rows: Vec<ListRow>,
    pub total: u64,
    pub first_position: u64,
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
    pub page_sizes: Vec<Choice>,
    /// Why the list could not be read as asked (a filter on a field that
    /// left the schema); the list is then empty.
    pub problem: Option<String>,
}

impl ListPage {
    pub fn text_operators(&self) -> &'static [(cairn_core::query::Operator, &'static str)] {
        &TEXT_OPERATORS
    }

    pub fn last_position(&self) -> u64 {
        self.first_position + self.rows.len() as u64 - 1
    }
}

/// An entry a bulk action will touch.
pub struct BulkItem {
    pub document_id: String,
    pub title: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "content/bulk.html")]
pub struct BulkPage {
    pub shell: Shell,
    pub uid: String,
    /// `publish`, `unpublish` or `delete`.
    pub action: String,
    pub locale: Option<String>,
    pub items: Vec<BulkItem>,
    pub back: String,
}

impl BulkPage {
    /// "Publish 3 entries", "Delete 1 entry".
    pub fn summary(&self) -> String {
        let verb = match self.action.as_str() {
            "publish" => "Publish",
            "unpublish" => "Unpublish",
            _ => "Delete",
        };
        let count = self.items.len();
        format!(
            "{verb} {count} {}",
            if count == 1 { "entry" } else { "entries" }
        )
    }
}

/// An entry's edit view.
#[derive(Template, WebTemplate)]
#[template(path = "content/edit.html")]
pub struct EditPage {
    pub shell: Shell,
    pub uid: String,
    pub type_name: String,
    pub single: bool,
    pub draft_and_publish: bool,
    /// `None` while the entry is being created.
    pub document_id: Option<String>,
    pub locale: Option<String>,
    /// The type's locales, each linking to this entry in it.
    pub locales: Vec<Choice>,
    /// Locales the entry exists in that can fill in this one.
    pub fill_from: Vec<Choice>,
    /// The version the form was loaded at; a save names it so that a save
    /// made in between is noticed.
    pub version: Option<i64>,
    pub action: String,
    pub fields_html: String,
    /// Messages that belong to no field.
    pub general: Vec<String>,
    pub publication: Option<Publication>,
    /// "Saved … by …", for an entry that exists.
    pub saved: Option<String>,
    /// Someone else saved since the form was loaded.
    pub conflict: Option<String>,
    pub list_href: String,
}

impl EditPage {
    pub fn history_href(&self) -> Option<String> {
        let document_id = self.document_id.as_ref()?;
        Some(format!(
            "/admin/content/{}/{document_id}/history{}",
            self.uid,
            self.locale
                .as_ref()
                .map(|l| format!("?locale={l}"))
                .unwrap_or_default()
        ))
    }
}

/// A version in an entry's history.
pub struct VersionRow {
    pub id: i64,
    pub saved_at: String,
    pub by: String,
    /// What made it: created, updated, published, restored…
    pub reason: String,
    pub published: bool,
}

/// One field of two versions side by side.
pub struct CompareRow {
    pub field: String,
    pub older: String,
    pub newer: String,
    pub changed: bool,
}

/// Two versions compared field by field.
pub struct Comparison {
    pub older: i64,
    pub newer: i64,
    pub rows: Vec<CompareRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "content/history.html")]
pub struct HistoryPage {
    pub shell: Shell,
    pub uid: String,
    pub document_id: String,
    pub locale: Option<String>,
    pub edit_href: String,
    pub versions: Vec<VersionRow>,
    pub comparison: Option<Comparison>,
}

impl HistoryPage {
    pub fn locale_query(&self) -> String {
        self.locale
            .as_ref()
            .map(|l| format!("?locale={l}"))
            .unwrap_or_default()
    }

    /// Whether version `id` is one of the two compared.
    pub fn compared(&self, id: i64) -> (bool, bool) {
        match &self.comparison {
            Some(c) => (c.older == id, c.newer == id),
            None => (false, false),
        }
    }
}
