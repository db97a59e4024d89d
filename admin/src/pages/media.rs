//! The media library: files in a grid or a list, searched and by folder,
//! uploaded many at once; one file's details, focal point and deletion.

use askama::Template;
use askama_web::WebTemplate;
use cairn_core::files::FileUse;

use super::{Choice, Shell};

/// A file as the library shows it.
pub struct FileCard {
    pub id: i64,
    pub name: String,
    pub mime: String,
    /// `1.2 MB`.
    pub size: String,
    pub folder: String,
    pub url: String,
    /// A small WebP preview, for images.
    pub thumbnail: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub alternative_text: String,
    pub caption: String,
    pub updated_at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "media/library.html")]
pub struct MediaPage {
    pub shell: Shell,
    pub files: Vec<FileCard>,
    pub total: u64,
    pub search: String,
    pub folder: Option<String>,
    pub folders: Vec<Choice>,
    /// `grid` or `list`.
    pub view: &'static str,
    pub views: Vec<Choice>,
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
    pub first_position: u64,
    pub max_upload_files: usize,
    /// The kinds of files the server takes, for the file picker.
    pub accept: String,
}

impl MediaPage {
    pub fn last_position(&self) -> u64 {
        self.first_position + self.files.len() as u64 - 1
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "media/file.html")]
pub struct FilePage {
    pub shell: Shell,
    pub file: FileCard,
    /// The focal point, as fractions of the width and height.
    pub focal: (f64, f64),
    /// The preview's size on the page: the focal point is picked on it.
    pub preview: Option<(u32, u32)>,
    pub uses: Vec<FileUse>,
    /// Showing the question before a delete.
    pub confirm_delete: bool,
}

impl FilePage {
    /// The focal point as typed in the form.
    pub fn focal_text(&self) -> (String, String) {
        (
            format!("{:.3}", self.focal.0),
            format!("{:.3}", self.focal.1),
        )
    }

    /// The focal point as percentages, for the marker's position.
    pub fn focal_percent(&self) -> (String, String) {
        (
            format!("{:.1}", self.focal.0 * 100.0),
            format!("{:.1}", self.focal.1 * 100.0),
        )
    }
}
