//! The media library: files listed in a grid or a list, searched by name
//! and by folder; many uploaded at once (a plain multipart form, or one
//! request per file with progress when the script runs); a file's
//! details, focal point and deletion with the entries it leaves.

use actix_multipart::{Field, Multipart};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::files::{FileInfo, FileQuery, FileUpdate, Upload, usage};
use cairn_core::media::image::FocalPoint;
use cairn_core::media::signature;
use cairn_core::{AppContext, Error};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{respond, see_other};
use crate::error::{AdminError, AdminResult};
use crate::form::{FieldErrors, sentence};
use crate::pages::{Choice, FileCard, FilePage, MediaPage, Section, Shell};
use crate::session::{Posted, SignedIn};

const PAGE_SIZE: u64 = 48;
/// Width of the preview the focal point is picked on.
const PREVIEW_WIDTH: u32 = 480;
/// Largest text field of the upload form.
const MAX_TEXT_FIELD: usize = 4096;

#[derive(Deserialize)]
struct LibraryQuery {
    #[serde(default)]
    q: String,
    folder: Option<String>,
    view: Option<String>,
    #[serde(default)]
    start: u64,
}

fn text(file: &Map<String, Value>, key: &str) -> String {
    file.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `1.2 MB`, `340 kB`, `12 B`.
fn size(bytes: f64) -> String {
    match bytes {
        b if b >= 1_000_000.0 => format!("{:.1} MB", b / 1_000_000.0),
        b if b >= 1_000.0 => format!("{:.0} kB", b / 1_000.0),
        b => format!("{b:.0} B"),
    }
}

/// The address of an image's thumbnail: Cairn's own small WebP variant,
/// signed so that it renders whatever `media.signed_urls` says.
pub fn thumbnail(context: &AppContext, url: &str) -> String {
    let pairs: Vec<(String, String)> = [
        ("w", "256"),
        ("h", "160"),
        ("fit", "inside"),
        ("fm", "webp"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let signature = signature::sign(context.media_secret(), url, &pairs);
    format!("{url}?w=256&h=160&fit=inside&fm=webp&s={signature}")
}

/// A file object as the library shows it.
fn card(context: &AppContext, file: &Map<String, Value>) -> FileCard {
    let url = text(file, "url");
    let mime = text(file, "mime");
    let image = mime.starts_with("image/") && !mime.ends_with("svg+xml");
    FileCard {
        id: file.get("id").and_then(Value::as_i64).unwrap_or_default(),
        name: text(file, "name"),
        // Strapi gives sizes in kB.
        size: size(file.get("size").and_then(Value::as_f64).unwrap_or_default() * 1000.0),
        folder: text(file, "folderPath"),
        thumbnail: image.then(|| thumbnail(context, &url)),
        width: file.get("width").and_then(Value::as_i64),
        height: file.get("height").and_then(Value::as_i64),
        alternative_text: text(file, "alternativeText"),
        caption: text(file, "caption"),
        updated_at: text(file, "updatedAt"),
        url,
        mime,
    }
}

fn library_href(search: &str, folder: Option<&str>, view: &str, start: u64) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !search.is_empty() {
        query.append_pair("q", search);
    }
    if let Some(folder) = folder {
        query.append_pair("folder", folder);
    }
    if view != "grid" {
        query.append_pair("view", view);
    }
    if start > 0 {
        query.append_pair("start", &start.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        "/admin/media".to_owned()
    } else {
        format!("/admin/media?{query}")
    }
}

#[get("/media")]
async fn show_library(
    signed_in: SignedIn,
    query: web::Query<LibraryQuery>,
) -> AdminResult<MediaPage> {
    let LibraryQuery {
        q,
        folder,
        view,
        start,
    } = query.into_inner();
    let files = signed_in.context.files();
    let search = q.trim().to_owned();
    let folder = folder.filter(|f| !f.is_empty());
    let view = if view.as_deref() == Some("list") {
        "list"
    } else {
        "grid"
    };
    let (found, total) = files
        .search(&FileQuery {
            search: search.clone(),
            folder: folder.clone(),
            offset: start,
            limit: PAGE_SIZE,
        })
        .await?;
    let mut folders = vec![Choice {
        label: "All folders".to_owned(),
        href: library_href(&search, None, view, 0),
        current: folder.is_none(),
    }];
    for path in files.folders().await? {
        folders.push(Choice {
            href: library_href(&search, Some(&path), view, 0),
            current: folder.as_deref() == Some(path.as_str()),
            label: path,
        });
    }
    let media = &signed_in.context.config().media;
    let page = MediaPage {
        shell: Shell::new(&signed_in, Section::Media, "Media library").crumb("Media library", None),
        views: ["grid", "list"]
            .into_iter()
            .map(|v| Choice {
                label: if v == "grid" { "Grid" } else { "List" }.to_owned(),
                href: library_href(&search, folder.as_deref(), v, start),
                current: v == view,
            })
            .collect(),
        previous_href: (start > 0).then(|| {
            library_href(
                &search,
                folder.as_deref(),
                view,
                start.saturating_sub(PAGE_SIZE),
            )
        }),
        next_href: (start + PAGE_SIZE < total)
            .then(|| library_href(&search, folder.as_deref(), view, start + PAGE_SIZE)),
        first_position: start + 1,
        files: found.iter().map(|f| card(&signed_in.context, f)).collect(),
        total,
        max_upload_files: media.max_upload_files,
        accept: media.allowed_types.join(","),
        search,
        folder,
        folders,
        view,
    };
    Ok(page)
}

async fn read_text(field: &mut Field) -> AdminResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AdminError::BadRequest(e.to_string()))?;
        if bytes.len() + chunk.len() > MAX_TEXT_FIELD {
            return Err(AdminError::BadRequest(
                "a form field is too long".to_owned(),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes)
        .map_err(|_| AdminError::BadRequest("a form field is not UTF-8".to_owned()))
}

/// Whether the request came from the page's script, which wants JSON.
fn wants_json(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.starts_with("application/json"))
}

/// Reads the upload form: the CSRF token first (the form puts it first, and
/// no file is stored before it is checked), the folder, then the files.
async fn receive(
    signed_in: &SignedIn,
    payload: &mut Multipart,
) -> AdminResult<(Vec<Upload>, Option<String>)> {
    let files = signed_in.context.files();
    let mut checked = false;
    let mut folder = None;
    let mut uploads = Vec::new();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AdminError::BadRequest(e.to_string()))?;
        match field.name() {
            Some("csrf") => {
                let token = read_text(&mut field).await?;
                checked = signed_in.session.csrf_matches(&token);
            }
            Some("folder") => {
                folder =
                    Some(read_text(&mut field).await?.trim().to_owned()).filter(|f| !f.is_empty());
            }
            Some("files") => {
                if !checked {
                    return Err(AdminError::Csrf);
                }
                let file_name = field
                    .content_disposition()
                    .and_then(|d| d.get_filename())
                    .unwrap_or_default()
                    .to_owned();
                let mut spool = files.spool()?;
                let mut empty = true;
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| AdminError::BadRequest(e.to_string()))?;
                    empty &= chunk.is_empty();
                    spool
                        .write(&chunk)
                        .await
                        .map_err(|e| Error::media(&file_name, e))?;
                }
                // A form sent without choosing a file has one empty part.
                if file_name.is_empty() && empty {
                    continue;
                }
                let file = spool
                    .finish()
                    .await
                    .map_err(|e| Error::media(&file_name, e))?;
                uploads.push(Upload {
                    file,
                    file_name,
                    info: FileInfo::default(),
                });
            }
            _ => {
                read_text(&mut field).await?;
            }
        }
    }
    if !checked {
        return Err(AdminError::Csrf);
    }
    Ok((uploads, folder))
}

#[post("/media/upload")]
async fn upload(
    signed_in: SignedIn,
    request: HttpRequest,
    mut payload: Multipart,
) -> AdminResult<HttpResponse> {
    let (mut uploads, folder) = receive(&signed_in, &mut payload).await?;
    for upload in &mut uploads {
        upload.info.folder_path = folder.clone();
    }
    let count = uploads.len();
    let outcome = signed_in.context.files().upload(uploads).await;
    if wants_json(&request) {
        return Ok(match outcome {
            Ok(created) => HttpResponse::Created().json(created),
            Err(error) => {
                let status =
                    StatusCode::from_u16(error.code().status()).unwrap_or(StatusCode::BAD_REQUEST);
                if error.code().is_internal() {
                    return Err(error.into());
                }
                HttpResponse::build(status).json(json!({ "error": sentence(&error.to_string()) }))
            }
        });
    }
    let message = match outcome {
        Ok(_) => format!(
            "Uploaded {count} {}.",
            if count == 1 { "file" } else { "files" }
        ),
        Err(error) if !error.code().is_internal() => {
            format!("Nothing was uploaded: {}.", error)
        }
        Err(error) => return Err(error.into()),
    };
    signed_in.flash(message).await?;
    Ok(see_other(&library_href("", folder.as_deref(), "grid", 0)))
}

/// The preview's size on the page, for images with known dimensions.
fn preview(file: &FileCard) -> Option<(u32, u32)> {
    let (width, height) = (file.width?, file.height?);
    if !file.mime.starts_with("image/") || width <= 0 || height <= 0 {
        return None;
    }
    let shown = PREVIEW_WIDTH.min(u32::try_from(width).ok()?);
    let height = (f64::from(shown) * height as f64 / width as f64).round() as u32;
    Some((shown, height.max(1)))
}

async fn file_page(signed_in: &SignedIn, id: i64, confirm_delete: bool) -> AdminResult<FilePage> {
    let context = &signed_in.context;
    let file = match context.files().find(id).await {
        Ok(file) => file,
        Err(Error::RecordNotFound { .. }) => {
            return Err(AdminError::Gone {
                message: "This file does not exist any more: it was deleted, or the link is wrong."
                    .to_owned(),
                back: "/admin/media".to_owned(),
            });
        }
        Err(other) => return Err(other.into()),
    };
    let focal = file
        .get("focalPoint")
        .map(|p| {
            (
                p.get("x").and_then(Value::as_f64).unwrap_or(0.5),
                p.get("y").and_then(Value::as_f64).unwrap_or(0.5),
            )
        })
        .unwrap_or((0.5, 0.5));
    let card = card(context, &file);
    Ok(FilePage {
        shell: Shell::new(signed_in, Section::Media, card.name.clone())
            .crumb("Media library", Some("/admin/media".to_owned()))
            .crumb(card.name.clone(), None),
        preview: preview(&card),
        uses: if confirm_delete {
            usage(context.db().conn(), &context.schema(), id).await?
        } else {
            Vec::new()
        },
        file: card,
        focal,
        confirm_delete,
    })
}

#[get("/media/{id}")]
async fn show_file(signed_in: SignedIn, id: web::Path<i64>) -> AdminResult<FilePage> {
    file_page(&signed_in, *id, false).await
}

/// A fraction of a side as typed; `Err` says why it is not one.
fn fraction(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err("Enter a number from 0 to 1.".to_owned()),
    }
}

#[post("/media/{id}")]
async fn save_file(posted: Posted, id: web::Path<i64>) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let mut errors = FieldErrors::default();
    let focal = if form.0.iter().any(|(k, _)| k == "focal_x") {
        match (fraction(form.raw("focal_x")), fraction(form.raw("focal_y"))) {
            (Ok(x), Ok(y)) => Some(FocalPoint { x, y }),
            (x, y) => {
                for (name, outcome) in [("focal_x", x), ("focal_y", y)] {
                    if let Err(message) = outcome {
                        errors.add(name, message);
                    }
                }
                None
            }
        }
    } else {
        None
    };
    if !errors.is_empty() {
        signed_in
            .flash(format!(
                "Nothing was saved: the focal point is two numbers from 0 to 1. {}",
                errors
                    .0
                    .values()
                    .flatten()
                    .next()
                    .cloned()
                    .unwrap_or_default()
            ))
            .await?;
        return Ok(see_other(&format!("/admin/media/{id}")));
    }
    let update = FileUpdate {
        name: Some(form.text("name")).filter(|n| !n.is_empty()),
        alternative_text: Some(form.text("alternativeText")),
        caption: Some(form.text("caption")),
        focal_point: focal,
        folder_path: Some(form.text("folder")).filter(|f| !f.is_empty()),
    };
    let message = match signed_in.context.files().update(*id, update).await {
        Ok(_) => "Saved.".to_owned(),
        Err(error @ Error::Validation(_)) => format!("Nothing was saved: {error}."),
        Err(other) => return Err(other.into()),
    };
    signed_in.flash(message).await?;
    Ok(see_other(&format!("/admin/media/{id}")))
}

/// The focal point picked by clicking the preview: the image button sends
/// where it was clicked, in pixels of the preview.
#[post("/media/{id}/focal")]
async fn set_focal(posted: Posted, id: web::Path<i64>) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let number = |name: &str| {
        form.text(name)
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
    };
    let (Some(x), Some(y), Some(width), Some(height)) = (
        number("at.x"),
        number("at.y"),
        number("width").filter(|w| *w > 0.0),
        number("height").filter(|h| *h > 0.0),
    ) else {
        return Err(AdminError::BadRequest(
            "The focal point is set by clicking the picture.".to_owned(),
        ));
    };
    let point = FocalPoint {
        x: (x / width).clamp(0.0, 1.0),
        y: (y / height).clamp(0.0, 1.0),
    };
    signed_in
        .context
        .files()
        .update(
            *id,
            FileUpdate {
                focal_point: Some(point),
                ..FileUpdate::default()
            },
        )
        .await?;
    signed_in
        .flash("The focal point is set; crops keep it in view.")
        .await?;
    Ok(see_other(&format!("/admin/media/{id}")))
}

/// Deleting asks first, naming the entries that link the file.
#[post("/media/{id}/delete")]
async fn delete_file(
    posted: Posted,
    request: HttpRequest,
    id: web::Path<i64>,
) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    if !form.flag("confirmed") {
        let page = file_page(&signed_in, *id, true).await?;
        return Ok(respond(&request, page, StatusCode::OK, []));
    }
    let deleted = signed_in.context.files().delete(*id).await?;
    signed_in
        .flash(format!("Deleted {}.", text(&deleted, "name")))
        .await?;
    Ok(see_other("/admin/media"))
}

#[derive(Deserialize)]
struct LookupQuery {
    q: String,
}

/// Files whose name contains `q`, for the media fields' suggestions:
/// `[{ "id", "label" }]`, at most ten.
#[get("/media/lookup")]
async fn suggest(signed_in: SignedIn, query: web::Query<LookupQuery>) -> AdminResult<HttpResponse> {
    let (found, _) = signed_in
        .context
        .files()
        .search(&FileQuery {
            search: query.q.trim().to_owned(),
            folder: None,
            offset: 0,
            limit: 10,
        })
        .await?;
    let suggestions: Vec<Value> = found
        .iter()
        .map(|file| json!({ "id": file.get("id"), "label": text(file, "name") }))
        .collect();
    Ok(HttpResponse::Ok().json(suggestions))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `lookup` and `upload` before `{id}`.
    cfg.service(show_library)
        .service(suggest)
        .service(upload)
        .service(show_file)
        .service(save_file)
        .service(set_focal)
        .service(delete_file);
}
