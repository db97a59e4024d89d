//! Uploads: every file of a request is checked and prepared first (type
//! from content, allow-list, extension, decode under limits, orientation,
//! placeholder, responsive formats), then stored, then recorded in one
//! transaction. A refused file refuses the request; nothing is left behind.

use bytes::Bytes;
use cairn_media::content_type::{self, Detected};
use cairn_media::image::{FocalPoint, Format, Pixels, encode, orient, placeholder, resize};
use cairn_media::spool::Spooled;
use cairn_media::storage::{Body, Key};
use cairn_media::transform::{Policy, Request};
use sea_orm::ActiveModelTrait;
use sea_orm::ActiveValue::Set;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::object::kilobytes;
use super::{Files, UPLOADS_PATH, names};
use crate::db::entities::file;
use crate::error::{Error, Result};
use crate::time::now;

/// What a client may say about a file it uploads (Strapi's `fileInfo`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct FileInfo {
    /// The name shown; default the uploaded file's name.
    pub name: Option<String>,
    pub alternative_text: Option<String>,
    pub caption: Option<String>,
    pub focal_point: Option<FocalPoint>,
    /// A virtual folder such as `/products/shoes`.
    pub folder_path: Option<String>,
}

/// One received file and what the client said about it.
#[derive(Debug)]
pub struct Upload {
    pub file: Spooled,
    /// The name the client sent the file under.
    pub file_name: String,
    pub info: FileInfo,
}

/// A checked file, ready to store.
struct Prepared {
    name: String,
    hash: String,
    ext: String,
    detected: Detected,
    image: Option<Analysed>,
}

struct Analysed {
    width: u32,
    height: u32,
    blurhash: String,
    dominant_color: Option<String>,
    formats: Vec<Rendition>,
}

/// A responsive format rendered at upload.
struct Rendition {
    preset: String,
    key_name: String,
    format: Format,
    width: u32,
    height: u32,
    bytes: Bytes,
}

/// A virtual folder path: `/` and segments without control characters.
pub(crate) fn folder_path(path: Option<&str>) -> Result<String> {
    let Some(path) = path else {
        return Ok("/".to_owned());
    };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if path.chars().any(char::is_control)
        || segments.iter().any(|s| *s == "." || *s == "..")
        || path.len() > 1024
    {
        return Err(Error::field(
            ["fileInfo", "folderPath"],
            "must be a path such as /products/shoes (no control characters, . or ..)",
        ));
    }
    Ok(format!("/{}", segments.join("/")))
}

pub(crate) fn check_focal_point(point: Option<FocalPoint>) -> Result<Option<FocalPoint>> {
    match point {
        Some(point) if !point.is_valid() => Err(Error::field(
            ["fileInfo", "focalPoint"],
            "x and y must be between 0 and 1",
        )),
        other => Ok(other),
    }
}

impl Files {
    /// Checks, stores and records `uploads`; all or nothing.
    pub async fn upload(&self, uploads: Vec<Upload>) -> Result<Vec<Map<String, Value>>> {
        if uploads.is_empty() {
            return Err(Error::field("files", "no file was sent"));
        }
        if uploads.len() > self.inner.config.max_upload_files {
            return Err(Error::field(
                "files",
                format!(
                    "at most {} files per upload",
                    self.inner.config.max_upload_files
                ),
            ));
        }
        let mut prepared = Vec::with_capacity(uploads.len());
        for upload in &uploads {
            let name =
                names::display_name(upload.info.name.as_deref().unwrap_or(&upload.file_name));
            folder_path(upload.info.folder_path.as_deref())?;
            check_focal_point(upload.info.focal_point)?;
            prepared.push(self.prepare(upload, name).await?);
        }
        let mut stored: Vec<Key> = Vec::new();
        let written = self.store(&uploads, &prepared, &mut stored).await;
        let recorded = match written {
            Ok(()) => self.record(&uploads, &prepared).await,
            Err(error) => Err(error),
        };
        if recorded.is_err() {
            for key in &stored {
                if let Err(error) = self.inner.storage.delete(key).await {
                    tracing::warn!(%key, %error, "could not remove an object of a failed upload");
                }
            }
        }
        recorded
    }

    /// Detects and checks one file, and analyses it when it is an image.
    async fn prepare(&self, upload: &Upload, name: String) -> Result<Prepared> {
        let refused = |e| Error::media(&name, e);
        let detected = content_type::detect(&upload.file.head).map_err(refused)?;
        detected
            .check_allowed(&self.inner.config.allowed_types)
            .map_err(refused)?;
        let declared = names::extension(&upload.file_name);
        detected
            .check_extension(declared.as_deref())
            .map_err(refused)?;
        let ext = format!(".{}", declared.unwrap_or_else(|| detected.ext.clone()));
        let hash = names::storage_hash(&name);
        let image = match Format::from_mime(&detected.mime).filter(|f| f.is_decodable()) {
            Some(format) => Some(self.analyse(upload, &name, &ext, &hash, format).await?),
            None => None,
        };
        Ok(Prepared {
            name,
            hash,
            ext,
            detected,
            image,
        })
    }

    async fn analyse(
        &self,
        upload: &Upload,
        name: &str,
        ext: &str,
        hash: &str,
        format: Format,
    ) -> Result<Analysed> {
        let path = upload.file.path().to_owned();
        let limits = self.inner.limits;
        let policy = self.inner.policy.clone();
        let formats = self.inner.config.formats.clone();
        let focal = upload.info.focal_point.unwrap_or_default();
        let url = format!("{UPLOADS_PATH}/{hash}{ext}");
        let owned_name = name.to_owned();
        self.cpu(move || {
            let pixels = orient::decode_file(&path, format, &limits)
                .map_err(|e| Error::media(&owned_name, e))?;
            let placeholder = placeholder::placeholder(&pixels);
            let mut renditions = Vec::new();
            for preset in &formats {
                if let Some(rendition) =
                    render_format(&pixels, &policy, &url, preset, format, focal)?
                {
                    renditions.push(rendition);
                }
            }
            Ok(Analysed {
                width: pixels.width,
                height: pixels.height,
                blurhash: placeholder.blurhash,
                dominant_color: placeholder.dominant_color,
                formats: renditions,
            })
        })
        .await
    }

    async fn store(
        &self,
        uploads: &[Upload],
        prepared: &[Prepared],
        stored: &mut Vec<Key>,
    ) -> Result<()> {
        let storage = &self.inner.storage;
        for (upload, file) in uploads.iter().zip(prepared) {
            let key = Key::new(format!("{}{}", file.hash, file.ext))
                .map_err(|e| Error::media(&file.name, e))?;
            storage
                .put(&key, Body::File(upload.file.path()), &file.detected.mime)
                .await
                .map_err(|e| Error::media(&file.name, e))?;
            stored.push(key);
            for rendition in file.image.iter().flat_map(|image| &image.formats) {
                let key = Key::new(format!("{}/{}", file.hash, rendition.key_name))
                    .map_err(|e| Error::media(&file.name, e))?;
                storage
                    .put(&key, Body::Bytes(&rendition.bytes), rendition.format.mime())
                    .await
                    .map_err(|e| Error::media(&file.name, e))?;
                stored.push(key);
            }
        }
        Ok(())
    }

    async fn record(
        &self,
        uploads: &[Upload],
        prepared: &[Prepared],
    ) -> Result<Vec<Map<String, Value>>> {
        let txn = self.inner.db.begin_write().await?;
        let mut rows = Vec::with_capacity(prepared.len());
        let provider = self.inner.storage.provider();
        for (upload, file) in uploads.iter().zip(prepared) {
            let at = now();
            let url = format!("{UPLOADS_PATH}/{}{}", file.hash, file.ext);
            let formats = file.image.as_ref().map(|image| {
                Value::Object(
                    image
                        .formats
                        .iter()
                        .map(|r| (r.preset.clone(), format_entry(r, &file.hash, &url)))
                        .collect(),
                )
            });
            let row = file::ActiveModel {
                document_id: Set(crate::schema::system::new_document_id()),
                name: Set(file.name.clone()),
                alternative_text: Set(upload.info.alternative_text.clone()),
                caption: Set(upload.info.caption.clone()),
                width: Set(file.image.as_ref().map(|i| dimension(i.width))),
                height: Set(file.image.as_ref().map(|i| dimension(i.height))),
                formats: Set(formats),
                hash: Set(file.hash.clone()),
                ext: Set(file.ext.clone()),
                mime: Set(file.detected.mime.clone()),
                size: Set(i64::try_from(upload.file.size).unwrap_or(i64::MAX)),
                url: Set(url),
                preview_url: Set(None),
                provider: Set(provider.to_owned()),
                provider_metadata: Set(None),
                folder_path: Set(folder_path(upload.info.folder_path.as_deref())?),
                focal_point: Set(upload.info.focal_point.map(|p| json!({"x": p.x, "y": p.y}))),
                blurhash: Set(file.image.as_ref().map(|i| i.blurhash.clone())),
                dominant_color: Set(file.image.as_ref().and_then(|i| i.dominant_color.clone())),
                sha256: Set(Some(upload.file.sha256.clone())),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            };
            rows.push(row.insert(&txn).await?);
        }
        txn.commit().await?;
        Ok(rows.iter().map(super::object::file_object).collect())
    }
}

fn dimension(side: u32) -> i32 {
    i32::try_from(side).unwrap_or(i32::MAX)
}

/// Renders the preset `name` as a responsive format, when the image is
/// larger than its box (Strapi makes no format an image already fits).
fn render_format(
    pixels: &Pixels,
    policy: &Policy,
    url: &str,
    name: &str,
    source: Format,
    focal: FocalPoint,
) -> Result<Option<Rendition>> {
    let pairs = [("preset".to_owned(), name.to_owned())];
    let request = Request {
        preset: Some(name.to_owned()),
        ..Request::default()
    };
    let variant = policy
        .resolve(url, &pairs, &request, source, None)
        .map_err(|e| Error::Config(format!("media.formats: {e}")))?;
    let fits = variant.target.width.is_none_or(|w| pixels.width <= w)
        && variant.target.height.is_none_or(|h| pixels.height <= h);
    if fits {
        return Ok(None);
    }
    let plan = variant.target.plan((pixels.width, pixels.height), focal);
    let failed = |e| Error::media(name, e);
    let resized = resize::apply(pixels, &plan, variant.format.has_alpha()).map_err(failed)?;
    let bytes = encode::encode(&resized, variant.format, variant.quality).map_err(failed)?;
    Ok(Some(Rendition {
        preset: name.to_owned(),
        key_name: variant.key_name(),
        format: variant.format,
        width: resized.width,
        height: resized.height,
        bytes: Bytes::from(bytes),
    }))
}

/// An entry of `formats`, in Strapi's shape; its URL is the preset's
/// variant URL, served from the rendition stored at upload.
fn format_entry(rendition: &Rendition, hash: &str, url: &str) -> Value {
    let size = i64::try_from(rendition.bytes.len()).unwrap_or(i64::MAX);
    json!({
        "name": rendition.preset,
        "hash": format!("{}_{hash}", rendition.preset),
        "ext": format!(".{}", rendition.format.ext()),
        "mime": rendition.format.mime(),
        "path": null,
        "width": rendition.width,
        "height": rendition.height,
        "size": kilobytes(size),
        "sizeInBytes": size,
        "url": format!("{url}?preset={}", rendition.preset),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_are_normalised_and_checked() {
        assert_eq!(folder_path(None).ok().as_deref(), Some("/"));
        assert_eq!(
            folder_path(Some("products//shoes/")).ok().as_deref(),
            Some("/products/shoes")
        );
        assert!(folder_path(Some("/a/../b")).is_err());
        assert!(folder_path(Some("/a\u{0}")).is_err());
    }
}
